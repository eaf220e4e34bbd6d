package org.brainalign.workflow.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.Map;

import org.brainalign.io.safetensors.FloatTensor;
import org.junit.jupiter.api.Test;

/** The demo network's weights: the same for the same seed, and position embeddings that follow their closed form. */
public class DemoNetworkTest {

    @Test
    public void theSameSeedGivesTheSameWeightsAndAnotherSeedOthers() {
        LinkedHashMap<String, FloatTensor> a = DemoNetwork.weights(1), b = DemoNetwork.weights(1);
        LinkedHashMap<String, FloatTensor> c = DemoNetwork.weights(2);
        assertEquals(a.keySet().stream().toList(), b.keySet().stream().toList());
        for (Map.Entry<String, FloatTensor> e : a.entrySet()) {
            assertArrayEquals(e.getValue().shape(), b.get(e.getKey()).shape(), e.getKey());
            assertArrayEquals(e.getValue().data(), b.get(e.getKey()).data(), e.getKey());
        }
        String query = "encoder.layer.0.attention.attention.query.weight";
        assertFalse(java.util.Arrays.equals(a.get(query).data(), c.get(query).data()));
        // the position embeddings are fixed, not drawn
        assertArrayEquals(a.get("embeddings.position_embeddings").data(),
                c.get("embeddings.position_embeddings").data());
    }

    @Test
    public void positionEmbeddingsAreSinesAndCosinesOfColumnThenRow() {
        int grid = DemoNetwork.IMAGE / DemoNetwork.PATCH, c = DemoNetwork.WIDTH, quarter = c / 4;
        float[] pe = DemoNetwork.sineCosine(grid).data();
        assertEquals((1 + grid * grid) * c, pe.length);
        for (int k = 0; k < c; k++) {
            assertEquals(0f, pe[k], "the class token has no position");
        }
        int row = 2, col = 5, token = 1 + row * grid + col;
        for (int k : new int[] { 0, 1, quarter - 1 }) {
            double omega = Math.pow(10000, -(double) k / quarter);
            // float rounding of values in [-1, 1]
            double eps = 1e-7;
            assertEquals(Math.sin(col * omega), pe[token * c + k], eps);
            assertEquals(Math.cos(col * omega), pe[token * c + quarter + k], eps);
            assertEquals(Math.sin(row * omega), pe[token * c + 2 * quarter + k], eps);
            assertEquals(Math.cos(row * omega), pe[token * c + 3 * quarter + k], eps);
        }
        assertEquals(Math.sin(1), pe[(1 + 1) * c], 1e-7, "token 2 is row 0, column 1");
        assertEquals(Math.sin(1), pe[(1 + grid) * c + 2 * quarter], 1e-7, "token 1 + grid is row 1, column 0");
    }
}
