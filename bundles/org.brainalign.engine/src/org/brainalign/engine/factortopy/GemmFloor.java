package org.brainalign.engine.factortopy;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The machine's floor for the fused step: the speed of a plain float matrix product of the shape that dominates the
 * step (the three selectors' first layers, 3H x 192 by 192 x a block of voxels), run by the same kernel, in the same
 * parts, on the same threads, over as many voxels. Its operands stay in cache, as the fused kernels try to keep
 * theirs, so a step cannot be expected to run faster than its multiply-adds at this speed.
 */
public final class GemmFloor {

    private final Workers workers;
    private final int voxels;
    private final int rows;
    private final float[][] weights;
    private final float[][][] sources;
    private final float[][][] destinations;

    /**
     * @param shape the encoder shape (hidden units and voxels)
     * @param workers the threads the step runs on
     */
    public GemmFloor(EncoderShape shape, Workers workers) {
        this.workers = workers;
        this.voxels = shape.voxels();
        this.rows = SelectorKind.values().length * shape.hidden();
        SplittableRandom r = new SplittableRandom(3);
        weights = random(rows, EncoderShape.ENCODING, r);
        sources = new float[FusedEncoder.PARTS][][];
        destinations = new float[FusedEncoder.PARTS][][];
        for (int p = 0; p < FusedEncoder.PARTS; p++) {
            sources[p] = random(EncoderShape.ENCODING, FusedEncoder.SELECTOR_BLOCK, r);
            destinations[p] = new float[rows][FusedEncoder.SELECTOR_BLOCK];
        }
    }

    private static float[][] random(int rows, int cols, SplittableRandom r) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) (r.nextDouble() - 0.5);
            }
        }
        return m;
    }

    /** @return multiply-adds of one {@link #seconds} run */
    public double multiplyAdds() {
        return (double) rows * EncoderShape.ENCODING * voxels;
    }

    /** @return wall seconds of one product over all voxels */
    public double seconds() {
        long t0 = System.nanoTime();
        workers.run(FusedEncoder.PARTS, part -> {
            int count = (int) ((long) (part + 1) * voxels / FusedEncoder.PARTS)
                    - (int) ((long) part * voxels / FusedEncoder.PARTS);
            float[][] y = destinations[part];
            for (int v = 0; v < count; v += FusedEncoder.SELECTOR_BLOCK) {
                int cnt = Math.min(FusedEncoder.SELECTOR_BLOCK, count - v);
                for (float[] row : y) {
                    Arrays.fill(row, 0, cnt, 0f);
                }
                RowKernels.gemm(y, weights, sources[part], rows, EncoderShape.ENCODING, cnt);
            }
        });
        return (System.nanoTime() - t0) / 1e9;
    }
}
