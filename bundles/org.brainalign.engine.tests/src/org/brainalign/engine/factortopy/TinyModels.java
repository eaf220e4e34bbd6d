package org.brainalign.engine.factortopy;

import java.util.SplittableRandom;

/** Small models and data shared by the encoder tests. */
final class TinyModels {

    /** GELU(1) = Phi(1), from tables of the normal distribution. */
    static final double GELU_ONE = 0.8413447460685429;

    private TinyModels() {
    }

    /**
     * A one-voxel model with L = 2, C = 2, D = 2, H = 2 whose selectors ignore the coordinate: every hidden unit of
     * the second layer is GELU(1), so the last layer alone sets x, y, p and s.
     */
    static EncoderParameters handModel(double x, double y, double p0, double s) {
        EncoderShape shape = new EncoderShape(2, 2, 8, 1, 2, 2);
        EncoderParameters p = new EncoderParameters(shape);
        for (SelectorKind k : SelectorKind.values()) {
            EncoderParameters.Selector sel = p.selector(k);
            sel.b1.rows()[0][0] = 1f; // h1 = (GELU(1), GELU(0)) = (Phi(1), 0)
            sel.b2.rows()[0][0] = 1f; // W2 = 0, so h2 = (GELU(1), GELU(1))
            sel.b2.rows()[0][1] = 1f;
        }
        float[][] space = p.selector(SelectorKind.SPACE).w3.rows();
        space[0][0] = (float) (atanh(x) / GELU_ONE);
        space[1][0] = (float) (atanh(y) / GELU_ONE);
        p.selector(SelectorKind.LAYER).w3.rows()[0][0] = (float) (Math.log(p0 / (1 - p0)) / GELU_ONE);
        p.selector(SelectorKind.SCALE).w3.rows()[0][0] = (float) (Math.log(s / (1 - s)) / GELU_ONE);
        // local bottlenecks: identity and diag(2, -1); global: rows (1, 1), (0, 0) and (0, 0), (1, -1)
        p.local(0)[0][0] = 1f;
        p.local(0)[1][1] = 1f;
        p.local(1)[0][0] = 2f;
        p.local(1)[1][1] = -1f;
        p.global(0)[0][0] = 1f;
        p.global(0)[0][1] = 1f;
        p.global(1)[1][0] = 1f;
        p.global(1)[1][1] = -1f;
        p.weight()[0][0] = 0.5f;
        p.weight()[0][1] = -1f;
        p.bias()[0] = 0.25f;
        return p;
    }

    static double atanh(double v) {
        return 0.5 * Math.log((1 + v) / (1 - v));
    }

    /** A model with every parameter random, the last selector layers included, so voxels spread over the grid. */
    static EncoderParameters randomModel(EncoderShape shape, long seed, double lastLayerScale) {
        EncoderParameters p = EncoderParameters.initial(shape, seed);
        SplittableRandom r = new SplittableRandom(seed + 1);
        for (SelectorKind k : SelectorKind.values()) {
            for (float[] row : p.selector(k).w3.rows()) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) ((2 * r.nextDouble() - 1) * lastLayerScale);
                }
            }
        }
        return p;
    }

    static float[] random(int n, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((2 * r.nextDouble() - 1) * scale);
        }
        return v;
    }

    static double[][] randomCoordinates(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] c = new double[n][3];
        for (double[] row : c) {
            row[0] = -40 + 80 * r.nextDouble();
            row[1] = -60 + 50 * r.nextDouble();
            row[2] = 10 * r.nextDouble();
        }
        return c;
    }
}
