package org.brainalign.engine.factortopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.brainalign.core.data.Responses;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;

/** Scores of an encoder on responses made from its own predictions, where R^2 and r are known in closed form. */
public class EncoderEvaluatorTest {

    @Test
    public void shiftedPredictionsScoreAsTheFormulasSay() throws Exception {
        EncoderShape shape = new EncoderShape(2, 3, 8, 6, 4, 5);
        FittedEncoder encoder = new FittedEncoder(TinyModels.randomModel(shape, 41, 2.0), null);
        double[][] coords = TinyModels.randomCoordinates(6, 42);
        int images = 9;
        float[] local = TinyModels.random(images * 2 * 3 * 64, 43, 1.0);
        float[] global = TinyModels.random(images * 2 * 3, 44, 1.0);
        InMemoryFeatures features = new InMemoryFeatures(2, 3, 8, local, global, "test features");
        int[] all = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
        float[][] pred = encoder.predict(features, all, coords, 2, new NullProgressMonitor());
        // responses = prediction + 0.25 * (voxel + 1): r = 1 everywhere, R^2 = 1 - n c^2 / SStot
        float[][] values = new float[images][6];
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            ids.add("i" + i);
            for (int v = 0; v < 6; v++) {
                values[i][v] = pred[i][v] + 0.25f * (v + 1);
            }
        }
        int[] held = { 1, 4, 5, 8 };
        float[] ceiling = { 0.5f, 1f, 0.25f, 0f, 0.9f, 1f };
        EncoderEvaluator.Scores s = EncoderEvaluator.evaluate(encoder, features, new Responses(ids, values), coords,
                held, ceiling, 1, new NullProgressMonitor());
        for (int v = 0; v < 6; v++) {
            double mean = 0;
            for (int i : held) {
                mean += values[i][v];
            }
            mean /= held.length;
            double ssTot = 0;
            for (int i : held) {
                ssTot += (values[i][v] - mean) * (values[i][v] - mean);
            }
            double c = 0.25 * (v + 1);
            // float predictions of magnitude ~1 carry 6e-8 relative errors: 1e-5 covers their effect on the sums
            assertEquals(1 - held.length * c * c / ssTot, s.rSquared()[v], 1e-5 * (1 + held.length * c * c / ssTot));
            assertEquals(1, s.pearson()[v], 1e-5);
            assertEquals(Math.min(100, 100 / Math.max(ceiling[v], 1e-14)), s.algonauts()[v], 1e-3);
        }
        assertEquals(0, s.unscoredVoxels());
        // a response that is not finite leaves its voxel unscored, counted, and out of the means
        values[4][2] = Float.NaN;
        values[8][5] = Float.POSITIVE_INFINITY;
        EncoderEvaluator.Scores partial = EncoderEvaluator.evaluate(encoder, features, new Responses(ids, values),
                coords, held, ceiling, 1, new NullProgressMonitor());
        assertEquals(2, partial.unscoredVoxels());
        assertEquals(1, partial.nonFinite()[2]);
        assertEquals(1, partial.nonFinite()[5]);
        assertTrue(Float.isNaN(partial.rSquared()[2]) && Float.isNaN(partial.rSquared()[5]));
        double mean = 0;
        for (int v : new int[] { 0, 1, 3, 4 }) {
            assertEquals(s.rSquared()[v], partial.rSquared()[v], 0, "voxel " + v + " is untouched");
            mean += s.rSquared()[v] / 4;
        }
        assertEquals(mean, partial.meanRSquared(), 1e-6);
        EncoderInputException e = assertThrows(EncoderInputException.class, () -> EncoderEvaluator.evaluate(encoder,
                features, new Responses(ids, values).selectVoxels(new int[] { 0, 1 }), coords, held, null, 1,
                new NullProgressMonitor()));
        assertEquals("The responses have 2 voxels but the encoder predicts 6.", e.getMessage());
    }
}
