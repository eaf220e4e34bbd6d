package org.brainalign.io.nifti.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.brainalign.io.DataFormatException;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.io.nifti.NiftiSeries;
import org.brainalign.io.roi.RoiCommands;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken NIfTI files: each must be refused with one sentence naming the file and the problem, by the whole-file
 * reader, the streaming reader, and a command that would write a result (which must then write nothing).
 */
class NiftiBadInputTest {

    @TempDir
    Path dir;

    private void assertRefused(Path file, String... words) throws IOException {
        for (Executable reader : new Executable[] { () -> NiftiImage.read(file), () -> {
            try (NiftiSeries s = NiftiSeries.open(file)) {
                s.extract(new int[] { 0 }, null);
            }
        }, () -> RoiCommands.mask(file, null, new int[] { 1 }, dir.resolve("out.nii.gz")) }) {
            DataFormatException e = assertThrows(DataFormatException.class, reader::run);
            String m = e.getMessage();
            assertTrue(m.contains(file.toString()), "names the file: " + m);
            for (String w : words) {
                assertTrue(m.contains(w), "says '" + w + "': " + m);
            }
            assertEquals(1, m.split("\\. ").length, "one sentence: " + m);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(java.util.List.of(file), files.toList(), "nothing is written");
        }
    }

    @FunctionalInterface
    private interface Executable {

        void run() throws Exception;
    }

    @Test
    void truncatedGzip() throws IOException {
        byte[] whole = Files.readAllBytes(SharedData.nifti("example4d.nii.gz"));
        Path cut = dir.resolve("cut.nii.gz");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        assertRefused(cut, "truncated");
    }

    @Test
    void wrongMagic() throws IOException {
        Path p = dir.resolve("magic.nii");
        HeaderBytes.of(SharedData.nifti("anatomical.nii")).putText(344, "xy1\0").write(p);
        assertRefused(p, "wrong magic", "xy1");
    }

    @Test
    void notNiftiAtAll() throws IOException {
        Path p = dir.resolve("notes.nii");
        Files.writeString(p, "these are not the voxels you are looking for, but a long enough text file");
        assertRefused(p, "is not a NIfTI file");
    }

    @Test
    void dimensionsThatDoNotMatchTheData() throws IOException {
        for (String name : new String[] { "long.nii", "long.nii.gz" }) {
            Path p = dir.resolve(name);
            HeaderBytes.of(SharedData.nifti("functional.nii")).putShort(48, 40).write(p); // dim[4] 20 -> 40
            assertRefused(p, "dimensions", "do not match");
            Files.delete(p);
        }
    }

    @Test
    void negativeDimension() throws IOException {
        Path p = dir.resolve("negative.nii.gz");
        HeaderBytes.of(SharedData.nifti("standard.nii.gz")).putShort(44, -5).write(p); // dim[2]
        assertRefused(p, "negative size -5 along dimension 2");
    }

    @Test
    void absurdDimensionsInATinyFileAreRefusedBeforeAllocating() throws IOException {
        // 30000^3 int16 values would be 54 TB: refused from the header alone
        Path p = dir.resolve("absurd.nii.gz");
        HeaderBytes.of(SharedData.nifti("standard.nii.gz")).putShort(40, 3).putShort(42, 30000).putShort(44, 30000)
                .putShort(46, 30000).putShort(70, 4).putShort(72, 16).write(p);
        assertTrue(Files.size(p) < 1024);
        assertRefused(p, "absurd dimensions");
        Files.delete(p);
        // 2000 x 1000 x 500 uint8 = 1 GB claimed by a 130-byte gzip: found out while reading, without a 1 GB array
        Path q = dir.resolve("liar.nii.gz");
        HeaderBytes.of(SharedData.nifti("standard.nii.gz")).putShort(42, 2000).putShort(44, 1000).putShort(46, 500)
                .write(q);
        assertRefused(q, "do not match");
        Files.delete(q);
        // 4 x 5 x 7 x 30000 x 10: 300,000 volumes claimed by a 130-byte file; masked rows are allocated as volumes
        // arrive, so extraction fails on what the file really holds
        Path r = dir.resolve("long.nii.gz");
        HeaderBytes.of(SharedData.nifti("standard.nii.gz")).putShort(40, 5).putShort(48, 30000).putShort(50, 10)
                .write(r);
        assertRefused(r, "do not match");
    }

    @Test
    void aDataOffsetBeyondTheEnd() throws IOException {
        Path p = dir.resolve("offset.nii.gz");
        HeaderBytes.of(SharedData.nifti("standard.nii.gz")).putFloat(108, 5e8f).write(p);
        assertRefused(p, "ends before its data begin");
    }

    @Test
    void unknownAndComplexDatatypes() throws IOException {
        Path p = dir.resolve("unknown.nii");
        HeaderBytes.of(SharedData.nifti("anatomical.nii")).putShort(70, 99).write(p);
        assertRefused(p, "unknown NIfTI datatype code 99");
        Files.delete(p);
        Path c = dir.resolve("complex.nii");
        HeaderBytes.of(SharedData.nifti("anatomical.nii")).putShort(70, 32).putShort(72, 64).write(c);
        assertRefused(c, "complex64", "does not read");
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("absent.nii.gz");
        DataFormatException e = assertThrows(DataFormatException.class, () -> NiftiImage.read(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("does not exist"));
    }
}
