package org.brainalign.io.subject.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.brainalign.io.DataFormatException;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.npy.NpyArray;
import org.brainalign.io.subject.AlgonautsSubject;
import org.brainalign.io.subject.FreeSurferSurface;
import org.brainalign.io.subject.Subject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small synthetic Algonauts 2023 subject in the challenge's exact layout, with a 12-vertex stand-in for fsaverage
 * whose sphere files are written here byte by byte in FreeSurfer's triangle format.
 */
class AlgonautsSubjectTest {

    private static final int IMAGES = 4;
    private static final int SURFACE = 12;
    private static final int[] LH_FLAGGED = { 1, 2, 5, 8, 11 };
    private static final int[] RH_FLAGGED = { 0, 6, 7 };
    private static final int[] LH_PRF = { 1, 0, 2, 7, 3 };
    private static final int[] RH_PRF = { 2, 1, 0 };

    @TempDir
    Path dir;

    private Path subject;
    private Path surfaces;

    /** Vertex v of hemisphere h sits at (100 h + v, 2 v, -v): easy to recognise. */
    private static double[] position(int h, int v) {
        return new double[] { 100 * h + v, 2 * v, -v };
    }

    private static float value(int image, int h, int column) {
        return image * 10 + h * 0.5f + column * 0.01f;
    }

    @BeforeEach
    void writeSubject() throws IOException {
        subject = dir.resolve("subj01");
        Path fmri = Files.createDirectories(subject.resolve("training_split/training_fmri"));
        Path imgs = Files.createDirectories(subject.resolve("training_split/training_images"));
        Path masks = Files.createDirectories(subject.resolve("roi_masks"));
        surfaces = Files.createDirectories(dir.resolve("fsaverage/surf"));
        int[][] flagged = { LH_FLAGGED, RH_FLAGGED };
        int[][] prf = { LH_PRF, RH_PRF };
        String[] hemi = { "lh", "rh" };
        for (int h = 0; h < 2; h++) {
            int n = flagged[h].length;
            float[] v = new float[IMAGES * n];
            for (int i = 0; i < IMAGES; i++) {
                for (int c = 0; c < n; c++) {
                    v[i * n + c] = value(i, h, c);
                }
            }
            Npy.write(fmri.resolve(hemi[h] + "_training_fmri.npy"), NpyArray.ofFloats(v, IMAGES, n));
            boolean[] flags = new boolean[SURFACE];
            for (int f : flagged[h]) {
                flags[f] = true;
            }
            Npy.write(masks.resolve(hemi[h] + ".all-vertices_fsaverage_space.npy"),
                    NpyArray.ofBooleans(flags, SURFACE));
            Npy.write(masks.resolve(hemi[h] + ".prf-visualrois_challenge_space.npy"),
                    NpyArray.ofInts(prf[h], prf[h].length));
            writeSphere(surfaces.resolve(hemi[h] + ".sphere"), h);
        }
        // the challenge's mapping files are pickles: present but never read
        Files.write(masks.resolve("mapping_prf-visualrois.npy"), new byte[] { (byte) 0x80, 4, '}', '.' });
        for (int i = 1; i <= IMAGES; i++) {
            Files.write(imgs.resolve(String.format("train-%04d_nsd-%05d.png", i, 1000 + 7 * i)), new byte[] { 1 });
        }
    }

    /** FreeSurfer triangle surface: FF FF FE, "created by" line + blank line, counts, big-endian xyz, faces. */
    private static void writeSphere(Path file, int h) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(raw)) {
            out.write(new byte[] { (byte) 0xFF, (byte) 0xFF, (byte) 0xFE });
            out.write("created by test on today\n\n".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(SURFACE);
            out.writeInt(2);
            for (int v = 0; v < SURFACE; v++) {
                for (double c : position(h, v)) {
                    out.writeFloat((float) c);
                }
            }
            for (int f = 0; f < 6; f++) {
                out.writeInt(f);
            }
        }
    }

    @Test
    void responsesCoordinatesAndRois() throws IOException {
        Subject s = AlgonautsSubject.load(subject, surfaces, null);
        assertEquals("subj01", s.id());
        assertEquals(IMAGES, s.responses().imageCount());
        assertEquals(8, s.responses().voxelCount());
        for (int i = 0; i < IMAGES; i++) {
            for (int c = 0; c < 5; c++) {
                assertEquals(value(i, 0, c), s.responses().get(i, c));
            }
            for (int c = 0; c < 3; c++) {
                assertEquals(value(i, 1, c), s.responses().get(i, 5 + c));
            }
        }
        assertEquals(List.of("nsd-01007", "nsd-01014", "nsd-01021", "nsd-01028"), s.responses().imageIds());
        assertTrue(s.imageFiles().get(2).getFileName().toString().startsWith("train-0003_"));
        assertArrayEquals(new int[] { 1, 2, 5, 8, 11, 12, 18, 19 }, s.voxels().indices());
        assertArrayEquals(position(0, 5), s.voxels().coordinate(2), 0.0);
        assertArrayEquals(position(1, 7), s.voxels().coordinate(7), 0.0);
        // V1 = V1v + V1d (labels 1, 2): lh columns 0, 2; rh columns 0, 1 -> positions 5, 6
        assertArrayEquals(new int[] { 0, 2, 5, 6 }, s.roi("V1").orElseThrow().members());
        assertArrayEquals(new int[] { 3 }, s.roi("V4").orElseThrow().members());
        assertTrue(s.grid().isEmpty());
    }

    @Test
    void withoutSurfacesItSaysWhatItNeeds() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> AlgonautsSubject.load(subject, null, null));
        assertTrue(e.getMessage().contains("lh.sphere") && e.getMessage().contains("never invents"), e.getMessage());
        assertTrue(e.getMessage().contains(subject.toString()));
    }

    @Test
    void mismatchedFilesAreNamed() throws IOException {
        Files.delete(subject.resolve("training_split/training_images/train-0004_nsd-01028.png"));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> AlgonautsSubject.load(subject, surfaces, null));
        assertTrue(e.getMessage().contains("training_images") && e.getMessage().contains("4 rows"), e.getMessage());
        Files.write(surfaces.resolve("rh.sphere"), new byte[] { (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0 });
        e = assertThrows(DataFormatException.class, () -> FreeSurferSurface.read(surfaces.resolve("rh.sphere")));
        assertTrue(e.getMessage().contains("quad surface"), e.getMessage());
    }
}
