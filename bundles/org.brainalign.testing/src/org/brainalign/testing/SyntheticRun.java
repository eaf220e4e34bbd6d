package org.brainalign.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.brainalign.core.VolumeGrid;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.data.Roi;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunInfo;

/** Synthetic runs for tests: random selectors on a few voxels of a grid, written as the engine would. */
public final class SyntheticRun {

    private SyntheticRun() {
    }

    /**
     * @param grid a grid
     * @param n how many voxels
     * @param seed the random seed
     * @return n distinct voxels of the grid in a shuffled order (so that voxel order and grid order differ)
     */
    public static VoxelSet voxels(VolumeGrid grid, int n, long seed) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < grid.voxelCount(); i++) {
            all.add(i);
        }
        Collections.shuffle(all, new Random(seed));
        return VoxelSet.ofVolume(grid, all.subList(0, n).stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * @param n voxels
     * @param layers L
     * @param seed the random seed
     * @return selector maps with softmax layer weights of random logits, positions, scales and scores
     */
    public static SelectorMaps selectors(int n, int layers, long seed) {
        Random r = new Random(seed);
        float[][] p = new float[n][layers];
        float[] x = new float[n];
        float[] y = new float[n];
        float[] s = new float[n];
        float[] r2 = new float[n];
        float[] pr = new float[n];
        for (int v = 0; v < n; v++) {
            double sum = 0;
            double[] e = new double[layers];
            for (int l = 0; l < layers; l++) {
                e[l] = Math.exp(3 * r.nextGaussian());
                sum += e[l];
            }
            for (int l = 0; l < layers; l++) {
                p[v][l] = (float) (e[l] / sum);
            }
            x[v] = (float) Math.tanh(r.nextGaussian());
            y[v] = (float) Math.tanh(r.nextGaussian());
            s[v] = r.nextFloat();
            r2[v] = (float) (r.nextGaussian() * 0.1 + 0.1);
            pr[v] = (float) Math.sqrt(Math.max(0, r2[v]));
        }
        return SelectorMaps.of(p, x, y, s, r2, pr);
    }

    /**
     * Creates a complete run folder: run.json, voxels, ROIs and selectors.
     *
     * @param folder the folder
     * @param label the run's label
     * @param voxels the voxel set
     * @param source the subject's header, or null
     * @param maps the selectors
     * @param rois ROIs of the voxel set
     * @return the run folder
     * @throws IOException if writing fails
     */
    public static RunFolder create(Path folder, String label, VoxelSet voxels, NiftiHeader source, SelectorMaps maps,
            List<Roi> rois) throws IOException {
        RunInfo info = RunInfo.builder(label).setSoftwareVersion("0.1.0.test").setSeed(7)
                .setBackbone(Map.of("family", "hf-vit", "layers", maps.layerCount())).build();
        RunFolder run = RunFolder.create(folder, info, voxels, source);
        run.writeRois(rois, List.of());
        run.writeSelectors(maps);
        return run;
    }
}
