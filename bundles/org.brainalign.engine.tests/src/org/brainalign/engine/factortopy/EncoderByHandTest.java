package org.brainalign.engine.factortopy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The forward pass against values worked out by hand (MODEL.md, "Forward pass"): a one-voxel model with L = 2,
 * C = 2, D = 2 whose selectors are set through their last layer, on features that are nonzero where the voxel samples.
 */
public class EncoderByHandTest {

    /** Local features of one image, L = 2, C = 2, 8 x 8: layer 0 channel 0 reads 1, 2, 3, 4 at the four cells. */
    private static float[] localFeatures(int c00, int c01, int c10, int c11) {
        float[] f = new float[2 * 2 * 64];
        int[] cells = { c00, c01, c10, c11 };
        for (int q = 0; q < 4; q++) {
            f[(0 * 2 + 0) * 64 + cells[q]] = q + 1; // sample of layer 0, channel 0: mean of 1..4 = 2.5
            f[(0 * 2 + 1) * 64 + cells[q]] = q == 3 ? 4 : 0; // layer 0, channel 1: 1.0
            f[(1 * 2 + 0) * 64 + cells[q]] = 4; // layer 1, channel 0: 4
            f[(1 * 2 + 1) * 64 + cells[q]] = -2; // layer 1, channel 1: -2
        }
        return f;
    }

    /**
     * x, y, p and s are set through float weights of the selectors' last layer, so they carry relative errors of
     * about 6e-8; y moves by at most about 10 per unit of any of them here, hence 1e-6.
     */
    private static final double SET_THROUGH_FLOAT = 1e-6;

    /** Global features: layer 0 (1, 3), layer 1 (2, 5); after the bottlenecks (4, 0) and (0, -3). */
    private static final float[] GLOBAL = { 1, 3, 2, 5 };

    @Test
    public void positionalEncodingFollowsTheFormula() {
        double[][] coords = { { 0, 0, 0 }, { 10, 5, 2 }, { 20, 0, 1 } };
        PositionalEncoding pe = PositionalEncoding.fit(coords);
        double[] out = new double[192];
        pe.encode(coords[1], out);
        // low (0, 0, 0), longest axis 20 -> scale 5: positions (50, 25, 10)
        assertEquals(Math.sin(50), out[0], 1e-12);
        assertEquals(Math.cos(50), out[1], 1e-12);
        double omega1 = Math.pow(1000, -1.0 / 32); // k = 1: exponent -(1 - 1/32) / 31 = -1/32
        assertEquals(Math.sin(50 * omega1), out[2], 1e-12);
        assertEquals(Math.cos(50 * omega1), out[3], 1e-12);
        assertEquals(Math.sin(25), out[64], 1e-12);
        double omega31 = Math.pow(1000, -31.0 / 32);
        assertEquals(1.24e-3, omega31, 1e-5); // MODEL.md: "down to about 1.24e-3"
        assertEquals(Math.sin(10 * omega31), out[190], 1e-12);
        assertEquals(Math.cos(10 * omega31), out[191], 1e-12);
        pe.encode(coords[0], out);
        assertEquals(0, out[128], 0);
        assertEquals(1, out[129], 0);
    }

    @Test
    public void initialSelectorsPutEveryVoxelAtTheCentreWithUniformWeights() throws Exception {
        // last selector layers zero: x = y = 0 -> ix = iy = 3.5, the four cells (3,3) (3,4) (4,3) (4,4) at 1/4 each;
        // p = (1/2, 1/2), s = 1/2
        EncoderParameters p = TinyModels.handModel(0.5, 0.5, 0.5, 0.5);
        for (SelectorKind k : SelectorKind.values()) {
            p.selector(k).w3.clear();
        }
        float[] local = localFeatures(27, 28, 35, 36);
        // samples (2.5, 1) and diag(2, -1) (4, -2) = (8, 2); v_local = (5.25, 1.5); v_global = (2, -1.5)
        // v = (3.625, 0); y = (3.625 * 0.5 + 0 * -1) / 2 + 0.25
        double expected = 1.15625;
        assertEquals(expected, reference(p).predict(local, GLOBAL, 1)[0][0], 1e-12);
        assertEquals(expected, fused(p, local), FLOAT);
    }

    @Test
    public void sampleAtAChosenPositionLayerAndScale() throws Exception {
        // x = 0.25 -> ix = 4.5, y = -0.5 -> iy = 1.5: cells (row 1, col 4) = 12, 13, 20, 21 at 1/4 each
        EncoderParameters p = TinyModels.handModel(0.25, -0.5, 0.75, 0.2);
        float[] local = localFeatures(12, 13, 20, 21);
        // v_local = 0.75 (2.5, 1) + 0.25 (8, 2) = (3.875, 1.25); v_global = 0.75 (4, 0) + 0.25 (0, -3) = (3, -0.75)
        // v = 0.8 v_local + 0.2 v_global = (3.7, 0.85); y = (3.7 * 0.5 - 0.85) / 2 + 0.25 = 0.75
        assertEquals(0.75, reference(p).predict(local, GLOBAL, 1)[0][0], SET_THROUGH_FLOAT);
        assertEquals(0.75, fused(p, local), SET_THROUGH_FLOAT);
    }

    @Test
    public void neighboursOutsideTheGridCountAsZero() throws Exception {
        // x = -0.95 -> ix = -0.3: columns -1 (outside) and 0 at weights 0.3 and 0.7;
        // y = 0.95 -> iy = 7.3: rows 7 and 8 (outside) at 0.7 and 0.3: only cell (7, 0) = 56 counts, at 0.49
        EncoderParameters p = TinyModels.handModel(-0.95, 0.95, 0.75, 0.2);
        float[] local = new float[2 * 2 * 64];
        local[(0 * 2 + 0) * 64 + 56] = 10;
        local[(1 * 2 + 0) * 64 + 56] = 1;
        local[(1 * 2 + 1) * 64 + 56] = 1;
        // cells that a wrong rule would read (wrapping, clamping to the border, align_corners true) hold noise
        local[(0 * 2 + 0) * 64 + 57] = 100;
        local[(0 * 2 + 0) * 64 + 48] = 100;
        local[(0 * 2 + 0) * 64 + 7] = 100;
        local[(0 * 2 + 0) * 64 + 63] = 100;
        // samples: layer 0 0.49 (10, 0) = (4.9, 0); layer 1 0.49 diag(2, -1) (1, 1) = (0.98, -0.49)
        // v_local = 0.75 (4.9, 0) + 0.25 (0.98, -0.49) = (3.92, -0.1225); v_global = (3, -0.75)
        // v = 0.8 v_local + 0.2 v_global = (3.736, -0.248); y = (3.736 * 0.5 + 0.248) / 2 + 0.25 = 1.308
        assertEquals(1.308, reference(p).predict(local, GLOBAL, 1)[0][0], SET_THROUGH_FLOAT);
        assertEquals(1.308, fused(p, local), SET_THROUGH_FLOAT);
    }

    /** Float arithmetic on values of order 1 to 10 with a handful of roundings. */
    private static final double FLOAT = 1e-6;

    /** The prediction of the fast path, through the public predict of a fitted encoder. */
    private static double fused(EncoderParameters p, float[] local) throws Exception {
        FittedEncoder encoder = new FittedEncoder(p, null);
        InMemoryFeatures f = new InMemoryFeatures(2, 2, 8, local, GLOBAL, "hand features");
        return encoder.predict(f, new int[] { 0 }, new double[][] { { 0, 0, 0 } }, 1,
                new org.eclipse.core.runtime.NullProgressMonitor())[0][0];
    }

    private static ReferenceEncoder reference(EncoderParameters p) {
        double[][] pe = new double[1][192];
        return new ReferenceEncoder(p.shape(), pe, ReferenceEncoder.toDouble(p));
    }
}
