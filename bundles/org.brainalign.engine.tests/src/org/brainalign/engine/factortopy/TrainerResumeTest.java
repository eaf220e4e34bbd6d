package org.brainalign.engine.factortopy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.brainalign.io.run.RunFolder;
import org.brainalign.io.safetensors.SafetensorsFile;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fit that is stopped and resumed ends with the same bits as one that ran straight through, the checkpoint and the
 * encoder file carry the reference's tensor names and shapes, and cancelling leaves the last epoch's checkpoint.
 */
public class TrainerResumeTest {

    @TempDir
    Path folder;

    private static final PlantedTruth DATA = new PlantedTruth(3, 6, 60, 25, 0.2, 0.05, 17);

    private static TrainingConfig config(int threads) {
        return TrainingConfig.builder().optSeed(5).optBottleneck(8).optHidden(12).optMaxEpochs(3).optPatience(3)
                .optThreads(threads).build();
    }

    private static EncoderTrainer trainer(Path run, TrainingConfig config) throws IOException {
        return EncoderTrainer.builder().setFeatures(DATA.features).setResponses(DATA.responses)
                .setCoordinates(DATA.coordinates).setRunFolder(DATA.run(run)).optConfig(config).build();
    }

    /** Cancels after a number of training steps (the trainer names each step in a sub-task): the "kill". */
    private static final class StopAfter extends NullProgressMonitor {

        private int left;

        StopAfter(int steps) {
            left = steps;
        }

        @Override
        public void subTask(String name) {
            left--;
        }

        @Override
        public boolean isCanceled() {
            return left <= 0;
        }
    }

    @Test
    public void resumedRunEndsWithTheSameBitsAsAnUninterruptedOne() throws Exception {
        FitResult straight = trainer(folder.resolve("straight"), config(2)).fit(new NullProgressMonitor());
        assertEquals(3, straight.curve().rows().size());
        assertFalse(straight.resumed());

        Path run = folder.resolve("interrupted");
        // 55 training images, batch 8: 7 steps per epoch; stop in the middle of epoch 2
        assertThrows(OperationCanceledException.class, () -> trainer(run, config(2)).fit(new StopAfter(10)));
        assertTrue(Files.exists(run.resolve(RunFolder.CHECKPOINT)));
        assertFalse(Files.exists(run.resolve(RunFolder.ENCODER)), "no encoder is written before the fit ends");
        // resumed with another thread count: the numbers do not depend on it
        FitResult resumed = trainer(run, config(1)).fit(new NullProgressMonitor());
        assertTrue(resumed.resumed());
        assertTrue(straight.encoder().parameters().sameBits(resumed.encoder().parameters()));
        assertEquals(straight.bestEpoch(), resumed.bestEpoch());
        assertEquals(straight.bestValidationLoss(), resumed.bestValidationLoss(), 0);
        assertEquals(straight.steps(), resumed.steps());
        List<TrainingCurve.Epoch> a = straight.curve().rows();
        List<TrainingCurve.Epoch> b = resumed.curve().rows();
        for (int e = 0; e < a.size(); e++) {
            assertEquals(a.get(e).trainLoss(), b.get(e).trainLoss(), 0);
            assertEquals(a.get(e).validationLoss(), b.get(e).validationLoss(), 0);
        }
        // the encoder written to disk is the one returned
        FittedEncoder loaded = FittedEncoder.load(run.resolve(RunFolder.ENCODER));
        assertTrue(loaded.parameters().sameBits(resumed.encoder().parameters()));
        assertArrayEquals(resumed.encoder().encoding().get().low(), loaded.encoding().get().low(), 0);
        assertArrayEquals(resumed.encoder().encoding().get().high(), loaded.encoding().get().high(), 0);
        String csv = Files.readString(run.resolve(RunFolder.TRAINING_CURVE));
        assertTrue(csv.startsWith(TrainingCurve.HEADER + "\n1,7,"), csv);
        assertEquals(4, csv.split("\n").length);
    }

    @Test
    public void encoderFileUsesTheReferenceNamesAndShapes() throws Exception {
        FitResult fit = trainer(folder, config(2)).fit(new NullProgressMonitor());
        try (SafetensorsFile st = SafetensorsFile.open(folder.resolve(RunFolder.ENCODER))) {
            int d = 8;
            int h = 12;
            assertArrayEquals(new long[] { d, 6, 1, 1 }, st.info("local_token_bottleneck.2.weight").shape());
            assertArrayEquals(new long[] { d, 6 }, st.info("global_token_bottleneck.0.weight").shape());
            assertArrayEquals(new long[] { h, 192 }, st.info("space_selector_mlp.1.weight").shape());
            assertArrayEquals(new long[] { h }, st.info("layer_selector_mlp.1.bias").shape());
            assertArrayEquals(new long[] { h, h }, st.info("scale_selector_mlp.3.weight").shape());
            assertArrayEquals(new long[] { 2, h }, st.info("space_selector_mlp.5.weight").shape());
            assertArrayEquals(new long[] { 3, h }, st.info("layer_selector_mlp.5.weight").shape());
            assertArrayEquals(new long[] { 1, h }, st.info("scale_selector_mlp.5.weight").shape());
            assertArrayEquals(new long[] { 25, d }, st.info("weight").shape());
            assertArrayEquals(new long[] { 25 }, st.info("bias").shape());
            assertFalse(st.contains("space_selector_mlp.5.bias"));
            assertEquals(2 * 3 + 3 * 5 + 2, st.names().size());
            assertEquals(FittedEncoder.FORMAT, st.metadata().get("format"));
            float[] w = st.readFloats("weight");
            assertEquals(fit.encoder().parameters().weight()[3][5], w[3 * d + 5], 0);
        }
    }

    @Test
    public void cancellingBeforeTheFirstEpochEndsLeavesNothing() throws Exception {
        Path run = folder.resolve("early");
        assertThrows(OperationCanceledException.class, () -> trainer(run, config(2)).fit(new StopAfter(3)));
        assertFalse(Files.exists(run.resolve(RunFolder.CHECKPOINT)));
        assertFalse(Files.exists(run.resolve(RunFolder.ENCODER)));
    }
}
