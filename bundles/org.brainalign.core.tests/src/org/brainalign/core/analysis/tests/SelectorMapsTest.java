package org.brainalign.core.analysis.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.brainalign.core.analysis.SelectorMaps;
import org.junit.jupiter.api.Test;

/** Per-voxel quantities of selector maps against closed-form cases. */
public class SelectorMapsTest {

    private static float[] fill(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static SelectorMaps maps(float[][] p) {
        int n = p.length;
        return SelectorMaps.of(p, fill(n, 0), fill(n, 0), fill(n, 0.5f), null, null);
    }

    @Test
    public void oneHotWeightsHaveZeroEntropyAndDepthAtTheirLayer() {
        SelectorMaps m = maps(new float[][] { { 1, 0, 0, 0, 0 }, { 0, 0, 1, 0, 0 }, { 0, 0, 0, 0, 1 } });
        assertArrayEquals(new int[] { 0, 2, 4 }, m.preferredLayers());
        // one-hot: sum p log p = 0 exactly; depth = l / (L - 1) exactly for L = 5
        assertArrayEquals(new double[] { 0, 0, 0 }, m.entropies(), 0);
        assertArrayEquals(new double[] { 0, 0.5, 1 }, m.depths(), 0);
    }

    @Test
    public void uniformWeightsHaveEntropyOne() {
        // 0.25 is exact in float32; -4 * 0.25 ln 0.25 / ln 4 is 1 to a few ulps
        SelectorMaps m = maps(new float[][] { { 0.25f, 0.25f, 0.25f, 0.25f } });
        assertEquals(1, m.entropy(0), 1e-15);
        assertEquals(0.5, m.depth(0), 1e-15);
        // a tie goes to the lowest layer
        assertEquals(0, m.preferredLayer(0));
    }

    @Test
    public void mixedWeightsByHand() {
        // p = (0.5, 0.25, 0.25): depth = (0.25 * 1 + 0.25 * 2) / 2; entropy 0.946394630357186 from numpy
        SelectorMaps m = maps(new float[][] { { 0.5f, 0.25f, 0.25f }, { 0.1f, 0.2f, 0.7f } });
        assertEquals(0.375, m.depth(0), 1e-15);
        assertEquals(0.946394630357186, m.entropy(0), 1e-12);
        assertEquals(0, m.preferredLayer(0));
        assertEquals(2, m.preferredLayer(1));
        // depth from the float32 weights as stored, (1 * 0.2f + 2 * 0.7f) / 2, summed in double
        assertEquals((0.2f + 2 * (double) 0.7f) / 2, m.depth(1), 1e-15);
        assertArrayEquals(new double[] { 0.1f, 0.2f, 0.7f }, m.layerWeights(1), 0);
    }

    @Test
    public void missingScoresAreNaN() {
        SelectorMaps m = maps(new float[][] { { 1, 0 }, { 0, 1 } });
        assertTrue(Double.isNaN(m.r2(0)) && Double.isNaN(m.pearson(1)));
        SelectorMaps scored = SelectorMaps.of(new float[][] { { 1, 0 }, { 0, 1 } }, fill(2, 0.5f), fill(2, -0.5f),
                fill(2, 1), new float[] { 0.3f, -0.1f }, new float[] { 0.6f, 0.1f });
        assertEquals(0.3f, scored.r2(0));
        assertEquals(0.1f, scored.pearson(1));
        assertEquals(-0.5f, scored.y(1));
    }

    @Test
    public void aSingleLayerHasDepthAndEntropyZero() {
        SelectorMaps m = maps(new float[][] { { 1 }, { 1 } });
        assertEquals(0, m.depth(1));
        assertEquals(0, m.entropy(1));
    }

    @Test
    public void rowsThatAreNotProbabilitiesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> maps(new float[][] { { 1, 0 }, { 0.6f, 0.6f } }));
        assertTrue(e.getMessage().contains("voxel 1") && e.getMessage().contains("sum to"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> maps(new float[][] { { 1.5f, -0.5f } }));
        assertTrue(e.getMessage().contains("not a probability"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> maps(new float[][] { { Float.NaN, 1 } }));
    }

    @Test
    public void arraysOfTheWrongLengthOrRangeAreRefused() {
        float[][] p = { { 1, 0 }, { 0, 1 } };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SelectorMaps.of(p, fill(3, 0), fill(2, 0), fill(2, 0), null, null));
        assertTrue(e.getMessage().contains("x map has 3 values for 2 voxels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SelectorMaps.of(p, fill(2, 0), fill(2, 0), fill(2, 1.2f), null, null));
        assertTrue(e.getMessage().contains("scale of voxel 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SelectorMaps.of(new float[][] { { 1, 0 }, { 1 } }, fill(2, 0), fill(2, 0), fill(2, 0), null,
                        null));
        assertThrows(IllegalArgumentException.class,
                () -> SelectorMaps.ofRows(2, new float[] { 1, 0, 1 }, fill(1, 0), fill(1, 0), fill(1, 0), null,
                        null));
    }

    @Test
    public void rowStorageMatchesArrayOfRows() {
        float[] rows = { 0.2f, 0.8f, 0.9f, 0.1f };
        SelectorMaps m = SelectorMaps.ofRows(2, rows, fill(2, 0), fill(2, 0), fill(2, 0), null, null);
        assertEquals(2, m.voxelCount());
        assertEquals(0.9f, m.layerWeight(1, 0));
        assertArrayEquals(rows, m.layerWeightRows());
        assertArrayEquals(new int[] { 1, 0 }, m.preferredLayers());
    }
}
