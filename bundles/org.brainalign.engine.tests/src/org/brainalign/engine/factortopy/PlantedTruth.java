package org.brainalign.engine.factortopy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.brainalign.core.data.Responses;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunInfo;

/**
 * Responses generated from a known answer: every voxel reads one layer, at one image position, mostly from local
 * tokens, with its own channel weights; layer, position and scale vary smoothly (layer: in bands) over the voxel
 * coordinates. The responses are computed here with plain bilinear interpolation, not with the encoder's code.
 */
final class PlantedTruth {

    final int layers;
    final int channels;
    final int grid = 8;
    final int images;
    final int voxels;
    final double[][] coordinates;
    final int[] layer;
    final double[] x;
    final double[] y;
    final double scale;
    final InMemoryFeatures features;
    final Responses responses;

    PlantedTruth(int layers, int channels, int images, int voxels, double scale, double noise, long seed) {
        this.layers = layers;
        this.channels = channels;
        this.images = images;
        this.voxels = voxels;
        this.scale = scale;
        SplittableRandom r = new SplittableRandom(seed);
        coordinates = new double[voxels][];
        layer = new int[voxels];
        x = new double[voxels];
        y = new double[voxels];
        for (int v = 0; v < voxels; v++) {
            double cx = 100 * r.nextDouble();
            double cy = 100 * r.nextDouble();
            coordinates[v] = new double[] { cx, cy, 5 * r.nextDouble() };
            layer[v] = Math.min(layers - 1, (int) (cx / 100 * layers));
            x[v] = 0.7 * Math.sin(Math.PI * cy / 100 - 0.3);
            y[v] = 0.6 * Math.cos(Math.PI * (cx + cy) / 140);
        }
        int cells = grid * grid;
        float[] local = new float[images * layers * channels * cells];
        // spatially smooth maps, as the features of natural images are: a few plane waves of wavelength 6 to 16 cells
        for (int m = 0; m < images * layers * channels; m++) {
            for (int wave = 0; wave < 3; wave++) {
                double angle = 2 * Math.PI * r.nextDouble();
                double k = 2 * Math.PI / (6 + 10 * r.nextDouble());
                double phase = 2 * Math.PI * r.nextDouble();
                double amp = gaussian(r);
                for (int row = 0; row < grid; row++) {
                    for (int col = 0; col < grid; col++) {
                        double t = k * (Math.cos(angle) * col + Math.sin(angle) * row) + phase;
                        local[m * cells + row * grid + col] += (float) (amp * Math.cos(t));
                    }
                }
            }
        }
        float[] global = new float[images * layers * channels];
        for (int i = 0; i < global.length; i++) {
            global[i] = (float) gaussian(r);
        }
        double[][] readout = new double[voxels][channels];
        for (double[] row : readout) {
            for (int c = 0; c < channels; c++) {
                row[c] = gaussian(r);
            }
        }
        float[][] values = new float[images][voxels];
        for (int b = 0; b < images; b++) {
            for (int v = 0; v < voxels; v++) {
                int l = layer[v];
                double sum = 0;
                for (int c = 0; c < channels; c++) {
                    int base = ((b * layers + l) * channels + c) * cells;
                    double loc = bilinear(local, base, x[v], y[v]);
                    double glo = global[(b * layers + l) * channels + c];
                    sum += readout[v][c] * ((1 - scale) * loc + scale * glo);
                }
                values[b][v] = (float) (sum / Math.sqrt(channels) + noise * gaussian(r));
            }
        }
        features = new InMemoryFeatures(layers, channels, grid, local, global, "planted features");
        String[] ids = new String[images];
        for (int b = 0; b < images; b++) {
            ids[b] = "image-" + b;
        }
        responses = new Responses(List.of(ids), values);
    }

    /** Bilinear interpolation of a G x G grid at (x, y) in (-1, 1), the cell centres at (2k + 1) / G - 1. */
    private double bilinear(float[] f, int base, double px, double py) {
        double cx = ((px + 1) * grid - 1) / 2;
        double cy = ((py + 1) * grid - 1) / 2;
        double sum = 0;
        for (int row = 0; row < grid; row++) {
            for (int col = 0; col < grid; col++) {
                double w = Math.max(0, 1 - Math.abs(col - cx)) * Math.max(0, 1 - Math.abs(row - cy));
                sum += w * f[base + row * grid + col];
            }
        }
        return sum;
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /**
     * @param folder a folder that is empty, missing, or holds the run made here before (a fit resumes there)
     * @return the run the trainer writes into: these voxels as surface vertices at their coordinates
     * @throws IOException if the folder cannot be created or read
     */
    RunFolder run(Path folder) throws IOException {
        if (Files.exists(folder.resolve(RunFolder.RUN_JSON))) {
            return RunFolder.open(folder);
        }
        VoxelSet set = VoxelSet.ofSurface("planted", IntStream.range(0, voxels).toArray(), coordinates);
        return RunFolder.create(folder, RunInfo.builder("planted").build(), set, null);
    }
}
