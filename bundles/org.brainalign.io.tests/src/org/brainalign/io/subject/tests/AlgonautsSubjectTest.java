package org.brainalign.io.subject.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.brainalign.io.DataFormatException;
import org.brainalign.io.subject.AlgonautsSubject;
import org.brainalign.io.subject.FreeSurferSurface;
import org.brainalign.io.subject.Subject;
import org.brainalign.io.subject.SubjectDescription;
import org.brainalign.testing.SyntheticAlgonautsSubject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small synthetic Algonauts 2023 subject in the challenge's exact layout, with a 12-vertex stand-in for fsaverage.
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
        surfaces = dir.resolve("fsaverage/surf");
        int[][] flagged = { LH_FLAGGED, RH_FLAGGED };
        int[][] prf = { LH_PRF, RH_PRF };
        SyntheticAlgonautsSubject.Hemisphere[] hemis = new SyntheticAlgonautsSubject.Hemisphere[2];
        for (int h = 0; h < 2; h++) {
            double[][] positions = new double[SURFACE][];
            for (int v = 0; v < SURFACE; v++) {
                positions[v] = position(h, v);
            }
            float[][] responses = new float[IMAGES][flagged[h].length];
            for (int i = 0; i < IMAGES; i++) {
                for (int c = 0; c < flagged[h].length; c++) {
                    responses[i][c] = value(i, h, c);
                }
            }
            hemis[h] = new SyntheticAlgonautsSubject.Hemisphere(positions, flagged[h], responses, prf[h]);
        }
        int[] nsd = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            nsd[i] = 1000 + 7 * (i + 1);
        }
        SyntheticAlgonautsSubject.write(subject, surfaces, hemis[0], hemis[1], nsd, null);
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

    /**
     * Some images: their rows of the whole load, bit for bit, and their files, in the subject's row order whatever
     * order they are asked in; ids the subject lacks are passed over. The ids are listed without the responses.
     */
    @Test
    void someImagesAreThoseRowsOfTheWholeLoad() throws IOException {
        Subject whole = AlgonautsSubject.load(subject, surfaces, null);
        assertEquals(whole.responses().imageIds(), AlgonautsSubject.imageIds(subject));
        Subject part = AlgonautsSubject.load(subject, surfaces, List.of("nsd-01028", "nsd-09999", "nsd-01014"), null);
        assertEquals(List.of("nsd-01014", "nsd-01028"), part.responses().imageIds());
        assertEquals(List.of(whole.imageFiles().get(1), whole.imageFiles().get(3)), part.imageFiles());
        for (int i = 0; i < 2; i++) {
            float[] expected = whole.responses().row(2 * i + 1);
            float[] got = part.responses().row(i);
            assertEquals(expected.length, got.length);
            for (int c = 0; c < got.length; c++) {
                assertEquals(Float.floatToRawIntBits(expected[c]), Float.floatToRawIntBits(got[c]), "column " + c);
            }
        }
        assertArrayEquals(whole.voxels().indices(), part.voxels().indices());
        assertArrayEquals(whole.roi("V1").orElseThrow().members(), part.roi("V1").orElseThrow().members());

        // a description passes the images on, and lists them for a caller that reads them a part at a time
        SubjectDescription description = new SubjectDescription("algonauts", subject, null, null, null, null, null,
                surfaces);
        assertEquals(whole.responses().imageIds(), description.imageIds());
        assertEquals(List.of("nsd-01021"), description.load(List.of("nsd-01021"), null).responses().imageIds());
    }

    /** Listing the images checks what the list rests on: the arrays' row count, and one image per row. */
    @Test
    void imageIdsCheckTheArraysAndTheImages() throws IOException {
        Path images = subject.resolve("training_split/training_images");
        Files.write(images.resolve("train-0005_nsd-01035.png"), new byte[] { 1 });
        DataFormatException e = assertThrows(DataFormatException.class, () -> AlgonautsSubject.imageIds(subject));
        assertTrue(e.getMessage().contains(images.toString()) && e.getMessage().contains("4 rows"), e.getMessage());
        Files.delete(images.resolve("train-0005_nsd-01035.png"));
        Files.move(images.resolve("train-0004_nsd-01028.png"), images.resolve("train-0004_nsd-01007.png"));
        e = assertThrows(DataFormatException.class, () -> AlgonautsSubject.imageIds(subject));
        assertTrue(e.getMessage().contains("train-0004_nsd-01007.png") && e.getMessage().contains("same NSD image"),
                e.getMessage());
    }
}
