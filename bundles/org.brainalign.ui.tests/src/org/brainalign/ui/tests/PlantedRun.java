package org.brainalign.ui.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.data.Roi;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.workflow.analysis.RunAnalysis;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunInfo;
import org.brainalign.io.run.RunInput;

/**
 * A planted run: a run folder written through io's RunFolder with selectors chosen by hand, so that every number
 * the views show can be predicted from the plan. The grid is 8 x 6 x 5 voxels of 2 mm; every voxel is fitted; the
 * ROIs are slabs along i: V1 (i 0, 1), EBA (2, 3), FFA (4, 5), PPA (6, 7), 60 voxels each; the run has 6 layers.
 * <ul>
 * <li>Preferred layer (weight 0.5, every other layer 0.1): V1 layer 0 where j is even, else 1; EBA 4; FFA 5; PPA 3
 * where k is even, else 4; a shifted run adds {@code shift} to each (at most the last layer).</li>
 * <li>Image position at the centre of a grid cell (column, row): V1 (j + 2 (i mod 2), k), so i = 0 covers columns
 * 0..5 and i = 1 columns 2..7, rows 0..4; EBA (4, 4); FFA (3, 3); PPA (j, 7).</li>
 * <li>Scale 0.1 + 0.02 j in V1, else 0.7; R^2 0.05 (k + 1); Pearson r 0.2 + 0.1 k.</li>
 * </ul>
 */
final class PlantedRun {

    static final int NI = 8, NJ = 6, NK = 5, LAYERS = 6;
    static final List<String> ROIS = List.of("V1", "EBA", "FFA", "PPA");
    static final VolumeGrid GRID = new VolumeGrid(new int[] { NI, NJ, NK },
            Affine.ofRowMajor(2, 0, 0, -8, 0, 2, 0, -6, 0, 0, 2, -4));

    private PlantedRun() {
    }

    /** @return the linear index of a voxel, i fastest */
    static int index(int i, int j, int k) {
        return i + NI * (j + NJ * k);
    }

    static int preferred(int i, int j, int k, int shift) {
        int base = switch (i / 2) {
            case 0 -> j % 2 == 0 ? 0 : 1;
            case 1 -> 4;
            case 2 -> 5;
            default -> k % 2 == 0 ? 3 : 4;
        };
        return Math.min(LAYERS - 1, base + shift);
    }

    /** @return the grid column of the voxel's planted image position */
    static int column(int i, int j, int k) {
        return switch (i / 2) {
            case 0 -> j + 2 * (i % 2);
            case 1 -> 4;
            case 2 -> 3;
            default -> j;
        };
    }

    /** @return the grid row of the voxel's planted image position */
    static int row(int i, int j, int k) {
        return switch (i / 2) {
            case 0 -> k;
            case 1 -> 4;
            case 2 -> 3;
            default -> 7;
        };
    }

    /** @return the centre of a grid cell along one axis, -1 + (2c + 1) / 8 */
    static double centre(int cell) {
        return -1 + (2 * cell + 1) / 8.0;
    }

    static double scale(int i, int j) {
        return i / 2 == 0 ? 0.1 + 0.02 * j : 0.7;
    }

    /**
     * Writes the planted run.
     *
     * @param folder a new folder
     * @param label the run's label
     * @param shift added to every preferred layer
     * @return the run folder, analysed (maps and tables written), with a training curve
     * @throws IOException if writing fails
     */
    static RunFolder write(Path folder, String label, int shift) throws IOException {
        return write(folder, label, shift, List.of());
    }

    /**
     * Writes the planted run with the inputs a fit would record (e.g. its subject description).
     *
     * @param folder a new folder
     * @param label the run's label
     * @param shift added to every preferred layer
     * @param inputs the inputs recorded in run.json
     * @return the run folder, analysed
     * @throws IOException if writing fails
     */
    static RunFolder write(Path folder, String label, int shift, List<RunInput> inputs) throws IOException {
        int n = NI * NJ * NK;
        int[] indices = new int[n];
        float[][] weights = new float[n][LAYERS];
        float[] x = new float[n], y = new float[n], s = new float[n], r2 = new float[n], r = new float[n];
        List<List<Integer>> members = new ArrayList<>();
        for (int a = 0; a < ROIS.size(); a++) {
            members.add(new ArrayList<>());
        }
        for (int k = 0; k < NK; k++) {
            for (int j = 0; j < NJ; j++) {
                for (int i = 0; i < NI; i++) {
                    int v = index(i, j, k);
                    indices[v] = v;
                    java.util.Arrays.fill(weights[v], 0.1f);
                    weights[v][preferred(i, j, k, shift)] = 0.5f;
                    x[v] = (float) centre(column(i, j, k));
                    y[v] = (float) centre(row(i, j, k));
                    s[v] = (float) scale(i, j);
                    r2[v] = 0.05f * (k + 1);
                    r[v] = 0.2f + 0.1f * k;
                    members.get(i / 2).add(v);
                }
            }
        }
        VoxelSet voxels = VoxelSet.ofVolume(GRID, indices);
        RunInfo.Builder builder = RunInfo.builder(label).setBackbone(Map.of("family", "planted", "layers", LAYERS))
                .setSeed(1);
        inputs.forEach(builder::addInput);
        RunInfo info = builder.build();
        RunFolder run = RunFolder.create(folder, info, voxels, null);
        List<Roi> rois = new ArrayList<>();
        for (int a = 0; a < ROIS.size(); a++) {
            rois.add(new Roi(ROIS.get(a), members.get(a).stream().mapToInt(Integer::intValue).toArray()));
        }
        run.writeRois(rois, List.of());
        run.writeSelectors(SelectorMaps.of(weights, x, y, s, r2, r));
        RunAnalysis.analyze(run, null);
        Files.writeString(folder.resolve("training-curve.csv"), "epoch,train_loss,val_loss\n1,0.9,1.0\n2,0.5,0.7\n"
                + "3,0.3,0.6\n", StandardCharsets.UTF_8);
        return run;
    }
}
