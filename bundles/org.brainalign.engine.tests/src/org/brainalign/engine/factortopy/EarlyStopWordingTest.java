package org.brainalign.engine.factortopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's progress says "of at most" only while an early stop can still happen, and clears its sub-task when
 * its epochs are over, so that the stages after a fit do not inherit its word on them.
 */
public class EarlyStopWordingTest {

    @TempDir
    Path folder;

    private static TrainingConfig config(int maxEpochs, int patience) {
        return TrainingConfig.builder().optSeed(5).optBottleneck(8).optHidden(12).optMaxEpochs(maxEpochs)
                .optPatience(patience).optThreads(1).build();
    }

    @Test
    public void anEarlyStopIsPossibleWhileTheBadEpochsCanStillReachThePatience() {
        // one bad epoch ends it: the end of any epoch but the last may
        TrainingConfig one = config(4, 1);
        assertTrue(EncoderTrainer.mayStopEarly(0, 0, one));
        assertTrue(EncoderTrainer.mayStopEarly(2, 0, one));
        assertFalse(EncoderTrainer.mayStopEarly(3, 0, one), "the last epoch ends the fit anyway");
        // five bad epochs in a row are needed, and only two epochs end before the last
        for (int epoch = 0; epoch < 3; epoch++) {
            assertFalse(EncoderTrainer.mayStopEarly(epoch, 0, config(3, 5)), "epoch " + epoch);
        }
        // two needed: at epoch 3 of 0..4 only epoch 3's own end is left before the last one
        TrainingConfig two = config(5, 2);
        assertTrue(EncoderTrainer.mayStopEarly(2, 0, two));
        assertFalse(EncoderTrainer.mayStopEarly(3, 0, two));
        assertTrue(EncoderTrainer.mayStopEarly(3, 1, two), "one bad epoch already counted");
    }

    @Test
    public void aFitWhoseEpochsAllRunNeverSaysAtMostAndClearsItsSubTask() throws Exception {
        PlantedTruth data = new PlantedTruth(3, 6, 60, 25, 0.2, 0.05, 17);
        List<String> subTasks = new ArrayList<>();
        EncoderTrainer.builder().setFeatures(data.features).setResponses(data.responses)
                .setCoordinates(data.coordinates).setRunFolder(data.run(folder)).optConfig(config(3, 3)).build()
                .fit(new NullProgressMonitor() {

                    @Override
                    public void subTask(String name) {
                        subTasks.add(name);
                    }
                });
        assertTrue(subTasks.stream().anyMatch(t -> t.startsWith("epoch 3 of 3: step ")), subTasks.toString());
        assertTrue(subTasks.stream().noneMatch(t -> t.contains("at most")), subTasks.toString());
        assertEquals("", subTasks.get(subTasks.size() - 1), "the last word clears the sub-task");
    }
}
