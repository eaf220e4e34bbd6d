package org.brainalign.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.brainalign.engine.factortopy.EncoderShape;
import org.junit.jupiter.api.Test;

/** The step's arithmetic as bench fit prints it, against the model's layers counted one by one. */
public class StepCostTest {

    @Test
    public void paperScaleCountsEveryLayerOnce() {
        int n = 37_984;
        int batch = 8;
        StepCost cost = StepCost.of(EncoderShape.of(12, 768, 8, n), batch);
        // per voxel, forward: Linear(192, 128), Linear(128, 128), Linear(128, K) for K = 2 (space), 12 (layer),
        // 1 (scale)
        double space = 192 * 128 + 128 * 128 + 128 * 2;
        double layer = 192 * 128 + 128 * 128 + 128 * 12;
        double scale = 192 * 128 + 128 * 128 + 128 * 1;
        assertEquals(n * (space + layer + scale), cost.selectorsForward(), 0);
        // backward: both products of the last two layers (input and weight gradients), the weight gradient only of
        // the first (the encoding is not learned)
        double back = 0;
        for (int k : new int[] { 2, 12, 1 }) {
            back += 2 * 128 * k + 2 * 128 * 128 + 192 * 128;
        }
        assertEquals(n * back, cost.selectorsBackward(), 0);
        // bottlenecks: every image, layer, and 64 cells plus the global token, 768 -> 128
        assertEquals(8.0 * 12 * 65 * 768 * 128, cost.bottleneckForward(), 0);
        assertEquals(cost.bottleneckForward(), cost.bottleneckBackward(), 0);
        // sampling: 4 neighbours and the global token per layer and image, a dot product of 128 with the readout,
        // then the readout's and the tokens' gradients, as many again each
        assertEquals(3.0 * n * 8 * 12 * 5 * 128, cost.sampling(), 0);
        // 19.6 G multiply-adds: the package documentation's "about 19 G" (11 G selectors, 7 G sampling, 1.2 G
        // bottlenecks)
        assertEquals(39.3e9, cost.flops(), 0.05e9);
        double sum = 0;
        for (double p : cost.phases()) {
            sum += p;
        }
        assertEquals(cost.flops(), 2 * sum, 0);
    }
}
