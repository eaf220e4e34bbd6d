package org.brainalign.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;

/**
 * What libtorch itself achieves on this machine, for the benchmarks (bundle org.brainalign.bench) to hold the
 * network's speed against: a matrix product the size of a ViT-B/16's first MLP layer at batch 8 (1576 x 768 times
 * 768 x 3072), and PyTorch's intra-op thread count. Here because every DJL call stays in this bundle.
 */
public final class TorchFloor {

    private static final long TOKENS = 1576;
    private static final long WIDTH = 768;
    private static final long HIDDEN = 3072;
    private static final double FLOP = 2.0 * TOKENS * WIDTH * HIDDEN;

    private TorchFloor() {
    }

    /**
     * Sets PyTorch's intra-op threads; process-wide, so it must come before the first operation sizes the pool.
     *
     * @param requested threads, or 0 to keep PyTorch's own choice (one per core)
     * @return the threads PyTorch uses
     */
    public static int intraOpThreads(int requested) {
        return DjlRuntime.call(() -> {
            DjlRuntime.engine();
            if (requested > 0) {
                JniUtils.setNumThreads(requested);
            }
            return JniUtils.getNumThreads();
        });
    }

    /** @return the engine's name and version, e.g. "PyTorch 2.7.1" */
    public static String engine() {
        return DjlRuntime.call(() -> DjlRuntime.engine().getEngineName() + " " + DjlRuntime.engine().getVersion());
    }

    /**
     * The product as the network's linear layer computes it (x W^T + b), the fastest of several runs, since a shared
     * machine slows some.
     *
     * @param device where to run
     * @param repeats timed runs after one untimed
     * @return GFLOP/s
     */
    public static double linearGflops(ComputeDevice device, int repeats) {
        return DjlRuntime.call(() -> {
            try (NDManager m = NDManager.newBaseManager(device.device(), "PyTorch")) {
                NDArray x = m.randomNormal(new Shape(TOKENS, WIDTH));
                NDArray w = m.randomNormal(new Shape(HIDDEN, WIDTH));
                NDArray b = m.randomNormal(new Shape(HIDDEN));
                Linear.linear(x, w, b).get(0).close();
                double fastest = Double.MAX_VALUE;
                for (int i = 0; i < repeats; i++) {
                    long t0 = System.nanoTime();
                    // reading one value forces the product to finish
                    NDArray y = Linear.linear(x, w, b).get(0);
                    y.getFloat(0, 0);
                    fastest = Math.min(fastest, (System.nanoTime() - t0) / 1e9);
                    y.close();
                }
                return FLOP / fastest / 1e9;
            }
        });
    }

    /**
     * The plain product (x W), averaged over the runs: the rate a training step's products can reach at best.
     *
     * @param device where to run
     * @param repeats timed runs after one untimed
     * @return GFLOP/s
     */
    public static double matMulGflops(ComputeDevice device, int repeats) {
        return DjlRuntime.call(() -> {
            try (NDManager m = NDManager.newBaseManager(device.device(), "PyTorch")) {
                NDArray a = m.randomNormal(new Shape(TOKENS, WIDTH));
                NDArray b = m.randomNormal(new Shape(WIDTH, HIDDEN));
                a.matMul(b).close();
                long t0 = System.nanoTime();
                for (int i = 0; i < repeats; i++) {
                    // reading one value forces the product to finish
                    NDArray c = a.matMul(b);
                    c.getFloat(0, 0);
                    c.close();
                }
                return repeats * FLOP / ((System.nanoTime() - t0) / 1e9) / 1e9;
            }
        });
    }
}
