package org.brainalign.engine.backbone.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.brainalign.engine.backbone.Resampling;
import org.junit.jupiter.api.Test;

/** Resampling weights against closed-form cases of PyTorch's and PIL's definitions. */
class ResamplingTest {

    /** Weights are sums of a few float32 products: 1e-6 covers their rounding and nothing else. */
    private static final double EPS = 1e-6;

    private static float[] apply(float[] w, float[] line) {
        int in = line.length;
        float[] out = new float[w.length / in];
        for (int o = 0; o < out.length; o++) {
            double s = 0;
            for (int i = 0; i < in; i++) {
                s += w[o * in + i] * line[i];
            }
            out[o] = (float) s;
        }
        return out;
    }

    private static float[] ramp(int n) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    @Test
    void everyKindKeepsConstantsAndIsTheIdentityAtTheSameSize() {
        for (int[] sizes : new int[][] { { 4, 8 }, { 14, 8 }, { 64, 8 }, { 37, 16 }, { 5, 3 }, { 8, 8 } }) {
            int in = sizes[0];
            int out = sizes[1];
            for (float[] w : new float[][] { Resampling.bilinear(in, out), Resampling.bicubic(in, out),
                    Resampling.antialiasedBilinear(in, out), Resampling.antialiasedBicubic(in, out) }) {
                float[] constant = new float[in];
                java.util.Arrays.fill(constant, 2.5f);
                for (float v : apply(w, constant)) {
                    assertEquals(2.5, v, EPS);
                }
                if (in == out) {
                    assertArrayEquals(ramp(in), apply(w, ramp(in)), (float) EPS);
                }
            }
        }
    }

    /** Upsampling 4 to 8: source coordinate (o + 0.5) / 2 - 0.5, clamped to [0, 3]; a ramp gives it back. */
    @Test
    void bilinearUpsamplingOfARampIsTheClampedSourceCoordinate() {
        float[] out = apply(Resampling.bilinear(4, 8), ramp(4));
        for (int o = 0; o < 8; o++) {
            assertEquals(Math.clamp((o + 0.5) / 2 - 0.5, 0, 3), out[o], EPS);
        }
    }

    /**
     * Without antialiasing, halving averages each pair (source 2o + 0.5) and quartering averages the middle two of
     * each four, ignoring the outer two, exactly as F.interpolate(antialias=False) does.
     */
    @Test
    void bilinearShrinkingIgnoresSamplesBetweenTheTaps() {
        float[] x = { 3, 5, -1, 7, 2, 2, 8, 0 };
        assertArrayEquals(new float[] { 4, 3, 2, 4 }, apply(Resampling.bilinear(8, 4), x), (float) EPS);
        assertArrayEquals(new float[] { 2, 5 }, apply(Resampling.bilinear(8, 2), x), (float) EPS);
    }

    /**
     * Keys' cubic convolution with a = -0.5 (PIL's bicubic, unstretched when enlarging) reproduces linear functions
     * wherever all four taps are inside the line; PyTorch's a = -0.75 does not, so its weights are checked directly.
     */
    @Test
    void bicubicWeightsAreKeysConvolution() {
        int in = 6;
        int out = 13;
        float[] y = apply(Resampling.antialiasedBicubic(in, out), ramp(in));
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double src = scale * (o + 0.5) - 0.5;
            if (Math.floor(src) - 1 >= 0 && Math.floor(src) + 2 <= in - 1) {
                assertEquals(src, y[o], 1e-5);
            }
        }
        float[] w = Resampling.bicubic(4, 8);
        // output 3 sits at source 1.25: t = 0.25, weights cc2(1.25), cc1(0.25), cc1(0.75), cc2(1.75)
        double a = -0.75;
        double t = 0.25;
        double[] expected = { ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a,
                ((a + 2) * t - (a + 3)) * t * t + 1, ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1,
                ((a * (2 - t) - 5 * a) * (2 - t) + 8 * a) * (2 - t) - 4 * a };
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], w[3 * 4 + i], EPS);
        }
    }

    /**
     * PIL's bilinear (triangle) filter at a 2x reduction is stretched to a support of two input samples each side:
     * weights (1, 3, 3, 1) / 8 around the output centre, renormalised at the borders ((3, 3, 1) / 7). So it is not
     * a box average of pairs; a line constant over pairs (a, a, b, b, ...) gives a/8 + 3b/4 + c/8 inside.
     */
    @Test
    void antialiasedBilinearHalvingHasTheStretchedTriangleWeights() {
        float[] w = Resampling.antialiasedBilinear(8, 4);
        assertArrayEquals(new float[] { 3f / 7, 3f / 7, 1f / 7, 0, 0, 0, 0, 0 }, java.util.Arrays.copyOfRange(w, 0, 8),
                (float) EPS);
        assertArrayEquals(new float[] { 0, 1f / 8, 3f / 8, 3f / 8, 1f / 8, 0, 0, 0 },
                java.util.Arrays.copyOfRange(w, 8, 16), (float) EPS);
        float[] pairs = { 1, 1, 5, 5, -3, -3, 2, 2 };
        float[] y = apply(w, pairs);
        assertEquals(1 / 8.0 + 5 * 0.75 - 3 / 8.0, y[1], EPS);
        // a linear ramp is reproduced inside (the filter is symmetric): centres 2o + 0.5
        float[] r = apply(w, ramp(8));
        assertEquals(2.5, r[1], EPS);
        assertEquals(4.5, r[2], EPS);
    }

    /** An integer reduction by k with the triangle stretched by k: a ramp still lands on the output centres. */
    @Test
    void antialiasedBilinearKeepsARampAwayFromBorders() {
        int in = 40;
        int out = 8;
        float[] y = apply(Resampling.antialiasedBilinear(in, out), ramp(in));
        for (int o = 2; o < out - 2; o++) {
            assertEquals(5 * (o + 0.5) - 0.5, y[o], 1e-5);
        }
    }

    /** When enlarging, PIL's triangle filter is not stretched, and equals plain bilinear interpolation. */
    @Test
    void antialiasedBilinearEqualsBilinearWhenEnlarging() {
        for (int[] s : new int[][] { { 4, 8 }, { 3, 7 }, { 16, 224 }, { 28, 30 } }) {
            assertArrayEquals(Resampling.bilinear(s[0], s[1]), Resampling.antialiasedBilinear(s[0], s[1]),
                    (float) EPS);
        }
    }

    /** Separable 2-D resizing equals the single Kronecker matrix, and resizes a plane ramp in both axes. */
    @Test
    void twoDimensionalResizeIsSeparable() {
        int h = 4;
        int w = 6;
        float[] plane = new float[2 * h * w];
        for (int p = 0; p < 2; p++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    plane[(p * h + y) * w + x] = p * 100 + 10 * y + x;
                }
            }
        }
        float[] wy = Resampling.bilinear(h, 8);
        float[] wx = Resampling.bilinear(w, 8);
        float[] out = Resampling.resize(plane, 2, h, w, wy, wx);
        float[] m = Resampling.kronecker(wy, h, wx, w);
        for (int p = 0; p < 2; p++) {
            float[] one = java.util.Arrays.copyOfRange(plane, p * h * w, (p + 1) * h * w);
            float[] viaMatrix = apply(m, one);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    double sy = Math.clamp((y + 0.5) * h / 8 - 0.5, 0, h - 1);
                    double sx = Math.clamp((x + 0.5) * w / 8 - 0.5, 0, w - 1);
                    assertEquals(p * 100 + 10 * sy + sx, out[(p * 8 + y) * 8 + x], 1e-4);
                    assertEquals(out[(p * 8 + y) * 8 + x], viaMatrix[y * 8 + x], 1e-4);
                }
            }
        }
    }
}
