package org.brainalign.io.nifti.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.brainalign.io.DataFormatException;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.io.nifti.NiftiSeries;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gzipped image whose data changed after it was written inflates without error when its deflate blocks are stored
 * (level 0, or a flip that keeps the code valid): only the CRC-32 and length in the gzip trailer tell. Both readers
 * must check them, as gzip -t and nibabel (through Python's gzip module) do.
 */
class GzipIntegrityTest {

    @TempDir
    Path dir;

    /** anatomical.nii gzipped with stored blocks, so that any byte of its data can be flipped and still inflate. */
    private static byte[] storedGzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes) {

            {
                def.setLevel(Deflater.NO_COMPRESSION);
            }
        }) {
            gz.write(plain);
        }
        return bytes.toByteArray();
    }

    @Test
    void aFlippedDataByteIsFoundByTheCrc() throws Exception {
        byte[] plain = Files.readAllBytes(SharedData.nifti("anatomical.nii"));
        byte[] gz = storedGzip(plain);
        Path good = Files.write(dir.resolve("good.nii.gz"), gz);
        double[] expected = NiftiImage.read(SharedData.nifti("anatomical.nii")).toDoubleArray();
        assertArrayEquals(expected, NiftiImage.read(good).toDoubleArray(), 0);

        gz[gz.length / 2] ^= 0x10;
        Path bad = Files.write(dir.resolve("bad.nii.gz"), gz);
        DataFormatException e = assertThrows(DataFormatException.class, () -> NiftiImage.read(bad));
        assertTrue(e.getMessage().contains("bad.nii.gz") && e.getMessage().contains("gzip check fails"),
                e.getMessage());
        assertThrows(DataFormatException.class, () -> {
            try (NiftiSeries s = NiftiSeries.open(bad)) {
                s.extract(new int[] { 0, 1, 2 }, null);
            }
        });
    }

    @Test
    void aWrongLengthInTheTrailerIsRefused() throws Exception {
        byte[] gz = storedGzip(Files.readAllBytes(SharedData.nifti("anatomical.nii")));
        gz[gz.length - 1] ^= 0x01; // the top byte of ISIZE
        Path bad = Files.write(dir.resolve("length.nii.gz"), gz);
        assertThrows(DataFormatException.class, () -> NiftiImage.read(bad));
    }
}
