package org.brainalign.io.subject.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.brainalign.core.data.Roi;
import org.brainalign.io.DataFormatException;
import org.brainalign.io.nifti.NiftiDataType;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiWriter;
import org.brainalign.io.subject.NsdVolumeSubject;
import org.brainalign.io.subject.Subject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small synthetic NSD subject written in NSD's exact layout: two sessions of int16 betas, nsdgeneral and ROI
 * volumes, a trial table and stimuli. The expected responses are computed here directly in double precision from
 * the planted betas (divide by 300, z-score per voxel within session, average repeats).
 */
class NsdVolumeSubjectTest {

    private static final int[] SHAPE = { 4, 3, 2 };
    private static final int VOLUMES = 5;
    private static final Affine AFFINE = Affine.ofRowMajor(-1.8, 0, 0, 70, 0, 1.8, 0, -100, 0, 0, 1.8, -60);
    private static final VolumeGrid GRID = new VolumeGrid(SHAPE, AFFINE);
    /** nsdgeneral: 1 inside, 0 unlabelled, -1 outside cortex. */
    private static final int[] NSDGENERAL = { -1, 0, 1, 1, 1, 0, 1, 1, -1, 1, 1, 0, 0, 1, 1, 1, 0, -1, -1, 0, 1, 0, 0,
            0 };
    private static final int[] PRF = { 0, 0, 1, 2, 3, 0, 1, 7, 0, 4, 0, 0, 0, 5, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0 };
    private static final String[] IMAGES = { "A", "B", "C", "A", "D", "E", "C", "B", "E", "C" }; // trials 1..10

    @TempDir
    Path root;

    private Path roiDir;
    private Path betasDir;
    private short[][][] betas; // session, volume, voxel

    @BeforeEach
    void writeSubject() throws IOException {
        roiDir = root.resolve("nsddata/ppdata/subj01/func1pt8mm/roi");
        betasDir = root.resolve("nsddata_betas/ppdata/subj01/func1pt8mm/betas_fithrf_GLMdenoise_RR");
        Files.createDirectories(roiDir);
        Files.createDirectories(betasDir);
        writeLabels(roiDir.resolve("nsdgeneral.nii.gz"), NSDGENERAL, AFFINE);
        writeLabels(roiDir.resolve("prf-visualrois.nii.gz"), PRF, AFFINE);
        Random r = new Random(3);
        betas = new short[2][VOLUMES][GRID.voxelCount()];
        for (int s = 0; s < 2; s++) {
            try (NiftiWriter w = NiftiWriter.create(betasDir.resolve(String.format("betas_session%02d.nii.gz", s + 1)),
                    NiftiHeader.forGrid(GRID, NiftiDataType.INT16, VOLUMES))) {
                for (short[] v : betas[s]) {
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (short) (r.nextInt(6001) - 3000 + 500 * s);
                    }
                    v[2] = 42; // a constant voxel: z-scores to 0
                    w.writeVolume(v);
                }
                w.commit();
            }
        }
        StringBuilder csv = new StringBuilder("trial,image_id\n");
        for (int t = 0; t < IMAGES.length; t++) {
            csv.append(t + 1).append(',').append(IMAGES[t]).append('\n');
        }
        Files.writeString(root.resolve("trials.csv"), csv);
        Path stimuli = Files.createDirectories(root.resolve("stimuli"));
        for (String id : new String[] { "A", "B", "C", "D", "E" }) {
            Files.write(stimuli.resolve(id + (id.equals("D") ? ".jpg" : ".png")), new byte[] { 1 });
        }
    }

    private static void writeLabels(Path file, int[] labels, Affine affine) throws IOException {
        NiftiWriter.write(file, NiftiHeader.forGrid(new VolumeGrid(SHAPE, affine), NiftiDataType.INT16, 1), labels);
    }

    private NsdVolumeSubject loader() {
        return NsdVolumeSubject.at(root, "subj01").setTrials(root.resolve("trials.csv"))
                .setStimuli(root.resolve("stimuli"));
    }

    /** Expected responses of the masked voxels, by image, over the given sessions (1-based). */
    private Map<String, double[]> expected(List<Integer> sessions, int[] voxels) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int t = 0; t < IMAGES.length; t++) {
            int s = t / VOLUMES;
            if (!sessions.contains(s + 1)) {
                continue;
            }
            double[] z = new double[voxels.length];
            for (int n = 0; n < voxels.length; n++) {
                double mean = 0;
                for (int v = 0; v < VOLUMES; v++) {
                    mean += betas[s][v][voxels[n]] / 300.0 / VOLUMES;
                }
                double var = 0;
                for (int v = 0; v < VOLUMES; v++) {
                    double d = betas[s][v][voxels[n]] / 300.0 - mean;
                    var += d * d / VOLUMES;
                }
                double x = betas[s][t % VOLUMES][voxels[n]] / 300.0;
                z[n] = var == 0 ? 0 : (x - mean) / Math.sqrt(var);
            }
            double[] acc = sums.computeIfAbsent(IMAGES[t], k -> new double[voxels.length]);
            for (int n = 0; n < z.length; n++) {
                acc[n] += z[n];
            }
            counts.merge(IMAGES[t], 1, Integer::sum);
        }
        sums.forEach((k, v) -> {
            for (int n = 0; n < v.length; n++) {
                v[n] /= counts.get(k);
            }
        });
        return sums;
    }

    private static int[] positive(int[] labels) {
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] > 0).toArray();
    }

    @Test
    void responsesAreZscoredPerSessionAndAveragedOverRepeats() throws IOException {
        Subject s = loader().load(null);
        int[] inside = positive(NSDGENERAL);
        assertArrayEquals(inside, s.voxels().indices());
        // the grid is read back from float32 storage
        assertTrue(GRID.sameSpace(s.grid().orElseThrow(), 1e-6));
        Map<String, double[]> want = expected(List.of(1, 2), inside);
        assertEquals(List.copyOf(want.keySet()), s.responses().imageIds(), "first appearance order");
        for (int row = 0; row < want.size(); row++) {
            double[] w = want.get(s.responses().imageIds().get(row));
            for (int n = 0; n < inside.length; n++) {
                // float32 z-scores of values below 10: 1e-5 absolute covers the rounding
                assertEquals(w[n], s.responses().get(row, n), 1e-5, "image row " + row + " voxel " + n);
            }
        }
        assertEquals(0f, s.responses().get(0, 0), "the constant voxel z-scores to 0");
        assertEquals(root.resolve("stimuli/D.jpg"), s.imageFiles().get(3));
        // coordinates from the affine: x = 70 - 1.8 i, y = -100 + 1.8 j, z = -60 + 1.8 k
        int[] ijk = GRID.ijk(inside[1]);
        assertArrayEquals(new double[] { 70 - 1.8 * ijk[0], -100 + 1.8 * ijk[1], -60 + 1.8 * ijk[2] },
                s.voxels().coordinate(1), 1e-5);
    }

    /**
     * Keeping some images' responses only (evaluate on held-out images) changes none of them: sessions are still
     * standardised over all their trials, against the same closed-form expectation as the whole subject.
     */
    @Test
    void someImagesOnlyKeepTheirResponsesUnchanged() throws IOException {
        int[] inside = positive(NSDGENERAL);
        Map<String, double[]> want = expected(List.of(1, 2), inside);
        List<String> ids = List.copyOf(want.keySet());
        List<String> some = List.of(ids.get(ids.size() - 1), ids.get(1));
        Subject s = loader().optImages(some).load(null);
        assertEquals(List.of(ids.get(1), ids.get(ids.size() - 1)), s.responses().imageIds(), "trial table order");
        assertEquals(2, s.imageFiles().size());
        for (int row = 0; row < 2; row++) {
            double[] w = want.get(s.responses().imageIds().get(row));
            for (int n = 0; n < inside.length; n++) {
                assertEquals(w[n], s.responses().get(row, n), 1e-5, "image row " + row + " voxel " + n);
            }
        }
    }

    @Test
    void roisFollowTheLabelsWithinTheMask() throws IOException {
        Subject s = loader().load(null);
        int[] inside = positive(NSDGENERAL);
        Roi v1 = s.roi("V1").orElseThrow();
        List<Integer> expected = new ArrayList<>();
        for (int n = 0; n < inside.length; n++) {
            if (PRF[inside[n]] == 1 || PRF[inside[n]] == 2) {
                expected.add(n);
            }
        }
        assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), v1.members());
        assertEquals(1, s.roi("V4").orElseThrow().size(), "hV4 (label 7) at voxel 7");
        assertTrue(s.roi("prf-visualrois:V1v").isPresent());
        assertEquals("V1", s.rois().get(0).name(), "the paper's groups come first");
    }

    @Test
    void sessionColumnAndSessionChoice() throws IOException {
        StringBuilder csv = new StringBuilder("image_id,session,trial\n");
        for (int t = 0; t < IMAGES.length; t++) {
            csv.append(IMAGES[t]).append(',').append(t / VOLUMES + 1).append(',').append(t % VOLUMES + 1).append('\n');
        }
        Files.writeString(root.resolve("trials.csv"), csv);
        Subject s = loader().optSessions(2).load(null);
        int[] inside = positive(NSDGENERAL);
        Map<String, double[]> want = expected(List.of(2), inside);
        assertEquals(List.copyOf(want.keySet()), s.responses().imageIds());
        for (int row = 0; row < want.size(); row++) {
            assertEquals(want.get(s.responses().imageIds().get(row))[3], s.responses().get(row, 3), 1e-5);
        }
    }

    @Test
    void aGivenMask() throws IOException {
        int[] mask = new int[GRID.voxelCount()];
        mask[5] = 1;
        mask[17] = 3;
        writeLabels(root.resolve("mymask.nii"), mask, AFFINE);
        Subject s = loader().optMask(root.resolve("mymask.nii")).load(null);
        assertArrayEquals(new int[] { 5, 17 }, s.voxels().indices());
        assertEquals(2, s.responses().voxelCount());
    }

    @Test
    void anAtlasOffTheBetaGridIsRefusedAndNothingIsWritten() throws IOException {
        Affine shifted = Affine.ofRowMajor(-1.8, 0, 0, 72, 0, 1.8, 0, -100, 0, 0, 1.8, -60);
        Path faces = roiDir.resolve("floc-faces.nii.gz");
        writeLabels(faces, PRF, shifted);
        List<Path> before = tree();
        DataFormatException e = assertThrows(DataFormatException.class, () -> loader().load(null));
        assertTrue(e.getMessage().contains(faces.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not line up with the betas betas_session01.nii.gz"), e.getMessage());
        assertEquals(before, tree(), "nothing is written");
    }

    @Test
    void aMissingStimulusIsNamed() throws IOException {
        Files.delete(root.resolve("stimuli/E.png"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> loader().load(null));
        assertTrue(e.getMessage().contains("trials.csv") && e.getMessage().contains("'E'"), e.getMessage());
        Files.writeString(root.resolve("trials.csv"), "trial,image_id\n11,A\n");
        e = assertThrows(DataFormatException.class, () -> loader().load(null));
        assertTrue(e.getMessage().contains("line 2 names trial 11"), e.getMessage());
    }

    private List<Path> tree() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.sorted().toList();
        }
    }

    @Test
    void anatomyIsTheT1ElseTheMeanEpiBesideTheRois() throws IOException {
        Path other = root.resolve("anatomy");
        NsdVolumeSubject subject = NsdVolumeSubject.at(other, "subj02");
        assertEquals(other.resolve("nsddata/ppdata/subj02/func1pt8mm/roi"), subject.roiDir());
        assertEquals(List.of(), subject.anatomy());
        Files.createDirectories(subject.functionalDir());
        Path mean = Files.writeString(subject.functionalDir().resolve("mean.nii.gz"), "x");
        assertEquals(List.of(mean), subject.anatomy());
        Path t1 = Files.writeString(subject.functionalDir().resolve("T1_to_func1pt8mm.nii.gz"), "x");
        assertEquals(List.of(t1, mean), subject.anatomy());
    }
}
