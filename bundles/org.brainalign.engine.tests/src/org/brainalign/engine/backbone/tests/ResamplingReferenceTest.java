package org.brainalign.engine.backbone.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.brainalign.engine.backbone.Resampling;
import org.brainalign.engine.tests.ReferenceFixtures;
import org.brainalign.io.npy.NpyArray;
import org.brainalign.io.npy.Npz;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resampling weights against PyTorch's F.interpolate (releng/reference/generate.py read each kind's weight matrix
 * off by resizing unit impulses), and the 8 x 8 token-grid resize against F.interpolate(size=(8, 8),
 * mode="bilinear", align_corners=False) of random grids of the sides the families produce.
 */
class ResamplingReferenceTest {

    /**
     * Weights are at most a few float32 products and sums (PyTorch computes them in float32 for the antialiased
     * kinds); 1e-6 is a few units in the last place of values up to 1.
     */
    private static final double WEIGHT_TOLERANCE = 1e-6;

    /** Grid values are N(0, 1), sums of up to 4 products in float32: 1e-5 covers the rounding of both sides. */
    private static final double GRID_TOLERANCE = 1e-5;

    private static Map<String, NpyArray> reference;

    /** torch.hub DINOv2's rule: F.interpolate by the scale factor (out + 0.1) / in. */
    private static Map<String, NpyArray> hub;

    @BeforeAll
    static void read(@TempDir Path dir) throws IOException {
        Path folder = ReferenceFixtures.copy("resampling", dir, "reference.npz", "hub.npz");
        reference = ReferenceFixtures.arrays(folder);
        hub = Npz.read(folder.resolve("hub.npz"));
    }

    private static void assertWeights(String kind, Kind weights) {
        int checked = 0;
        for (Map.Entry<String, NpyArray> e : reference.entrySet()) {
            String[] parts = e.getKey().split("_");
            if (!e.getKey().startsWith(kind + "_") || parts.length != kind.split("_").length + 2) {
                continue;
            }
            int in = Integer.parseInt(parts[parts.length - 2]);
            int out = Integer.parseInt(parts[parts.length - 1]);
            float[] expected = e.getValue().toFloatArray();
            float[] actual = weights.of(in, out);
            assertEquals(expected.length, actual.length, e.getKey());
            double d = ReferenceFixtures.maxDifference(expected, 0, actual, 0, expected.length);
            assertTrue(d < WEIGHT_TOLERANCE, e.getKey() + ": weights differ from F.interpolate by " + d);
            checked++;
        }
        assertTrue(checked >= 4, "the fixture has only " + checked + " cases of " + kind);
    }

    @FunctionalInterface
    private interface Kind {

        float[] of(int in, int out);
    }

    @Test
    void bilinearIsFInterpolateWithoutAntialias() {
        assertWeights("bilinear", Resampling::bilinear);
    }

    /** SAM resizes its relative position tables with mode="linear": the same weights as bilinear along one axis. */
    @Test
    void linearModeHasTheBilinearWeights() {
        assertWeights("linear", Resampling::bilinear);
    }

    @Test
    void bicubicIsFInterpolateWithoutAntialias() {
        assertWeights("bicubic", Resampling::bicubic);
    }

    /**
     * Given a scale factor, PyTorch places the samples with it rather than with in / out; for torch.hub's (out + 0.1)
     * / in that moves the weights by far more than the tolerance, so the size-based weights must not pass.
     */
    @Test
    void bicubicByScaleFactorIsFInterpolateWithThatScaleFactor() {
        int checked = 0;
        for (Map.Entry<String, NpyArray> e : hub.entrySet()) {
            if (!e.getKey().startsWith("bicubic_hub_")) {
                continue;
            }
            String[] parts = e.getKey().split("_");
            int in = Integer.parseInt(parts[2]);
            int out = Integer.parseInt(parts[3]);
            float[] expected = e.getValue().toFloatArray();
            float[] actual = Resampling.bicubic(in, out, (out + 0.1) / in);
            assertEquals(expected.length, actual.length, e.getKey());
            double d = ReferenceFixtures.maxDifference(expected, 0, actual, 0, expected.length);
            assertTrue(d < WEIGHT_TOLERANCE, e.getKey() + ": weights differ from F.interpolate by " + d);
            double bySize = ReferenceFixtures.maxDifference(expected, 0, Resampling.bicubic(in, out), 0,
                    expected.length);
            assertTrue(bySize > 1e-3, e.getKey() + ": the size-based weights are within " + bySize);
            checked++;
        }
        assertTrue(checked >= 4, "the fixture has only " + checked + " scale-factor cases");
    }

    /** DINOv2's 37 x 37 position grid (518 px) to 16 x 16 (224 px) by the torch.hub rule, as F.interpolate does. */
    @Test
    void positionGridResizesByTheTorchHubScaleFactorAsFInterpolate() {
        float[] in = ReferenceFixtures.array(hub, "grid_37", 1, 2, 37, 37).toFloatArray();
        float[] expected = ReferenceFixtures.array(hub, "grid_37_hub_16", 1, 2, 16, 16).toFloatArray();
        float[] w = Resampling.bicubic(37, 16, 16.1 / 37);
        float[] actual = Resampling.resize(in, 2, 37, 37, w, w);
        double d = ReferenceFixtures.maxDifference(expected, 0, actual, 0, expected.length);
        assertTrue(d < GRID_TOLERANCE, "the 37 -> 16 grid differs from F.interpolate by " + d);
    }

    @Test
    void antialiasedBilinearIsFInterpolateWithAntialias() {
        assertWeights("bilinear_aa", Resampling::antialiasedBilinear);
    }

    @Test
    void antialiasedBicubicIsFInterpolateWithAntialias() {
        assertWeights("bicubic_aa", Resampling::antialiasedBicubic);
    }

    /**
     * Grids of side 4 (enlarged), 14 (ViT-B/16 at 224 px), 16 (DINOv2 at 224 px), 37 (DINOv2 at 518 px) and 64 (SAM)
     * to 8 x 8, both as separable sums and as the single Kronecker matrix the backbones multiply by.
     */
    @Test
    void tokenGridsResizeTo8By8AsFInterpolate() {
        for (int side : new int[] { 4, 14, 16, 37, 64 }) {
            NpyArray grid = reference.get("grid_" + side);
            int channels = grid.shape()[1];
            float[] in = grid.toFloatArray();
            float[] expected = ReferenceFixtures.array(reference, "grid_" + side + "_to_8", 1, channels, 8, 8)
                    .toFloatArray();
            float[] w = Resampling.bilinear(side, 8);
            float[] separable = Resampling.resize(in, channels, side, side, w, w);
            assertTrue(ReferenceFixtures.maxDifference(expected, 0, separable, 0, expected.length) < GRID_TOLERANCE,
                    "side " + side);
            float[] matrix = Resampling.kronecker(w, side, w, side);
            int cells = side * side;
            for (int c = 0; c < channels; c++) {
                for (int o = 0; o < 64; o++) {
                    double s = 0;
                    for (int i = 0; i < cells; i++) {
                        s += matrix[o * cells + i] * in[c * cells + i];
                    }
                    assertEquals(expected[c * 64 + o], s, GRID_TOLERANCE, "side " + side + " via the matrix");
                }
            }
        }
    }
}
