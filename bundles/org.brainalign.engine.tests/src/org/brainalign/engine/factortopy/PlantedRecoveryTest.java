package org.brainalign.engine.factortopy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training recovers a planted answer: responses made from a known layer, position and scale per voxel on random
 * features are fitted from scratch, and the fitted selectors must name the planted layer for at least 90 % of the
 * voxels and place them within 1/8 of the image width (0.25 in the (-1, 1) coordinates) on average.
 */
public class PlantedRecoveryTest {

    @TempDir
    Path folder;

    @Test
    public void selectorsFindThePlantedLayerAndPosition() throws Exception {
        PlantedTruth truth = new PlantedTruth(4, 12, 320, 120, 0.1, 0.05, 7);
        TrainingConfig config = TrainingConfig.builder().optSeed(3).optBottleneck(16).optHidden(32)
                .optLearningRate(3e-3).optMaxEpochs(12).optPatience(12).optRegularisation(0.1, 300).build();
        FitResult fit = EncoderTrainer.builder().setFeatures(truth.features).setResponses(truth.responses)
                .setCoordinates(truth.coordinates).setRunFolder(truth.run(folder)).optConfig(config).build()
                .fit(new NullProgressMonitor());
        SelectorOutputs sel = fit.encoder().selectors(truth.coordinates);
        int right = 0;
        double posError = 0;
        for (int v = 0; v < truth.voxels; v++) {
            right += sel.preferredLayer(v) == truth.layer[v] ? 1 : 0;
            posError += Math.hypot(sel.x()[v] - truth.x[v], sel.y()[v] - truth.y[v]);
        }
        posError /= truth.voxels;
        assertTrue(right >= 0.9 * truth.voxels, right + " of " + truth.voxels + " preferred layers recovered");
        assertTrue(posError < 0.25, "mean position error " + posError);
    }
}
