package org.brainalign.engine.factortopy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.brainalign.core.Permutations;
import org.brainalign.core.data.Responses;
import org.brainalign.io.run.RunFolder;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

/**
 * The encoder trainer fits a FactorTopy encoder to responses from cached features (MODEL.md, "Loss and its
 * schedule"): smooth L1 plus the fading regulariser, AdamW, batches in a seeded random order, early stopping on a
 * seeded validation split, and a checkpoint in the run folder after every epoch. Given the same inputs and seed it
 * produces the same bits, whatever the thread count, and a run that was killed or cancelled continues from its last
 * checkpoint to exactly the result it would have reached uninterrupted. Build one with {@link #builder()}.
 */
public final class EncoderTrainer {

    private final FeatureSource features;
    private final Responses responses;
    private final double[][] coordinates;
    private final RunFolder run;
    private final TrainingConfig config;
    private final int[] images;

    private EncoderTrainer(Builder b) {
        features = b.features;
        responses = b.responses;
        coordinates = b.coordinates;
        run = b.run;
        config = b.config;
        images = b.images;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the configuration */
    public TrainingConfig config() {
        return config;
    }

    /**
     * Fits the encoder, continuing from the run folder's checkpoint if there is one, and writes the best encoder
     * (lowest validation loss), the training curve and the checkpoint into the run folder, through the run folder,
     * which
     * names them ({@value RunFolder#ENCODER}, {@value RunFolder#TRAINING_CURVE}, {@value RunFolder#CHECKPOINT}).
     *
     * @param monitor progress in training steps (images per second in the sub-task); cancelling stops within one
     *        step, leaving the last epoch's checkpoint
     * @return the fit
     * @throws IOException if the inputs are unusable (nothing is written then), the features cannot be read, or a
     *         file cannot be written
     * @throws org.eclipse.core.runtime.OperationCanceledException if cancelled
     */
    public FitResult fit(IProgressMonitor monitor) throws IOException {
        List<String> warnings = new ArrayList<>();
        int[] voxels = checkInputs(warnings);
        double[][] coords = new double[voxels.length][];
        for (int i = 0; i < voxels.length; i++) {
            coords[i] = coordinates[voxels[i]];
        }
        int[] pool = images != null ? images.clone() : range(features.imageCount());
        int nVal = (int) Math.max(1, Math.round(pool.length * config.validationFraction()));
        if (pool.length - nVal < 1) {
            throw new EncoderInputException("A fit needs at least two images (one to train, one to validate), got "
                    + pool.length);
        }
        Permutations.shuffle(pool, new SplittableRandom(stream(config.seed(), 1)));
        int[] validation = Arrays.copyOfRange(pool, 0, nVal);
        int[] train = Arrays.copyOfRange(pool, nVal, pool.length);
        Arrays.sort(validation);
        Arrays.sort(train);
        String split = train.length + ":" + Integer.toHexString(Arrays.hashCode(train)) + "/" + validation.length
                + ":" + Integer.toHexString(Arrays.hashCode(validation));

        EncoderShape shape = new EncoderShape(features.layers(), features.channels(), features.grid(), voxels.length,
                config.bottleneck(), config.hidden());
        PositionalEncoding encoding = PositionalEncoding.fit(coords);
        Path checkpointFile = run.checkpointFile();
        TrainingCheckpoint state;
        boolean resumed = Files.exists(checkpointFile);
        if (resumed) {
            state = TrainingCheckpoint.read(checkpointFile, shape, config, encoding, split);
        } else {
            state = new TrainingCheckpoint(EncoderParameters.initial(shape, config.seed()),
                    new EncoderAdamW(shape, config.learningRate(), config.beta1(), config.beta2(), config.eps(),
                            config.weightDecay()));
        }

        int batch = config.batchSize();
        int stepsPerEpoch = (train.length + batch - 1) / batch;
        int valBatches = (validation.length + batch - 1) / batch;
        int epochsLeft = state.finished ? 0 : config.maxEpochs() - state.epochs;
        SubMonitor sub = SubMonitor.convert(monitor, "Fitting FactorTopy to " + voxels.length + " voxels",
                Math.max(0, epochsLeft) * (stepsPerEpoch + valBatches) + 1);
        try (Workers workers = new Workers(config.threads())) {
            FusedEncoder fused = new FusedEncoder(shape, encoding.encodeAllFloat(coords), batch, workers);
            EncoderParameters grads = state.parameters.zerosLike();
            BatchReader reader = new BatchReader(features, batch);
            float[][] targets = new float[batch][];
            float[][] predictions = new float[batch][voxels.length];
            boolean all = voxels.length == responses.voxelCount();
            while (!state.finished && state.epochs < config.maxEpochs()) {
                int epoch = state.epochs;
                int[] order = train.clone();
                Permutations.shuffle(order, new SplittableRandom(stream(config.seed(), 100 + epoch)));
                long started = System.nanoTime();
                double lossSum = 0;
                double dataSum = 0;
                double regWeight = 0;
                for (int s = 0; s < stepsPerEpoch; s++) {
                    // SubMonitor checks only every 20th tiny split: ask every step, so a cancel stops within one
                    checkCanceled(sub);
                    sub.split(1);
                    int from = s * batch;
                    int b = Math.min(batch, order.length - from);
                    reader.read(order, from, b);
                    for (int i = 0; i < b; i++) {
                        targets[i] = row(order[from + i], voxels, all);
                    }
                    regWeight = config.regularisationWeightAt(state.steps);
                    lossSum += fused.step(state.parameters, reader.local(), reader.global(), b, targets, regWeight,
                            grads);
                    dataSum += fused.lastDataLoss();
                    state.optimizer.update(state.parameters, grads, workers);
                    state.steps++;
                    double seconds = (System.nanoTime() - started) / 1e9;
                    sub.subTask(String.format(Locale.ROOT, "epoch %d of %s%d: step %d of %d, %.1f images/s",
                            epoch + 1, mayStopEarly(epoch, state.badEpochs, config) ? "at most " : "",
                            config.maxEpochs(), s + 1, stepsPerEpoch, (from + b) / seconds));
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                double val = validationLoss(fused, state.parameters, reader, validation, voxels, all, predictions,
                        sub);
                state.epochs++;
                state.curve.add(new TrainingCurve.Epoch(state.epochs, state.steps, lossSum / stepsPerEpoch,
                        dataSum / stepsPerEpoch, val, regWeight, seconds, train.length / seconds));
                if (val < state.bestValidationLoss) {
                    state.bestValidationLoss = val;
                    state.bestEpoch = state.epochs;
                    state.badEpochs = 0;
                    state.best.copyFrom(state.parameters);
                } else {
                    state.badEpochs++;
                }
                state.finished = state.badEpochs >= config.patience() || state.epochs >= config.maxEpochs();
                state.write(checkpointFile, config, encoding, split);
                state.curve.write(run.trainingCurveFile());
            }
        }
        // the epochs are over, and with them the sub-task's word on them: the stages after the fit cannot stop early
        sub.subTask("");
        FittedEncoder encoder = new FittedEncoder(state.best, encoding);
        Map<String, String> meta = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> e : config.toMap().entrySet()) {
            meta.put("config." + e.getKey(), e.getValue());
        }
        meta.put("best_epoch", Integer.toString(state.bestEpoch));
        meta.put("best_validation_loss", Double.toString(state.bestValidationLoss));
        encoder.save(run.encoderFile(), meta);
        state.curve.write(run.trainingCurveFile());
        sub.done();
        return new FitResult(encoder, voxels, train, validation, state.curve, state.bestEpoch,
                state.bestValidationLoss, state.badEpochs >= config.patience(), resumed, state.steps,
                List.copyOf(warnings));
    }

    /**
     * Whether the fit may still end before its last epoch, so that its progress says "of at most": only the end of an
     * epoch before the last can stop it early, and only when the bad epochs counted so far, plus one for each such
     * epoch left, can reach the patience.
     *
     * @param epoch the epoch under way, from 0
     * @param badEpochs the epochs without improvement counted before it
     * @param config the configuration (its maximum epochs and patience)
     * @return whether an early stop can still happen
     */
    static boolean mayStopEarly(int epoch, int badEpochs, TrainingConfig config) {
        int endsBeforeTheLast = config.maxEpochs() - 1 - epoch;
        return endsBeforeTheLast > 0 && badEpochs + endsBeforeTheLast >= config.patience();
    }

    private float[] row(int image, int[] voxels, boolean all) {
        float[] r = responses.row(image);
        if (all) {
            return r;
        }
        float[] kept = new float[voxels.length];
        for (int i = 0; i < voxels.length; i++) {
            kept[i] = r[voxels[i]];
        }
        return kept;
    }

    private double validationLoss(FusedEncoder fused, EncoderParameters params, BatchReader reader, int[] validation,
            int[] voxels, boolean all, float[][] predictions, SubMonitor sub) throws IOException {
        fused.prepare(params, false);
        int batch = config.batchSize();
        double sum = 0;
        for (int from = 0; from < validation.length; from += batch) {
            checkCanceled(sub);
            sub.split(1);
            int b = Math.min(batch, validation.length - from);
            reader.read(validation, from, b);
            fused.predict(reader.local(), reader.global(), b, predictions);
            for (int i = 0; i < b; i++) {
                float[] t = row(validation[from + i], voxels, all);
                double s = 0;
                for (int v = 0; v < voxels.length; v++) {
                    s += ReferenceEncoder.huber(predictions[i][v] - t[v]);
                }
                sum += s;
            }
        }
        return sum / ((double) validation.length * voxels.length);
    }

    /**
     * Checks the inputs and chooses the voxels to fit.
     *
     * @return the voxel positions kept
     */
    private int[] checkInputs(List<String> warnings) throws EncoderInputException {
        if (features.imageCount() != responses.imageCount()) {
            throw new EncoderInputException(features.description() + " have " + features.imageCount()
                    + " images but the responses have " + responses.imageCount());
        }
        int n = responses.voxelCount();
        if (coordinates.length != n) {
            throw new EncoderInputException(coordinates.length + " voxel coordinates were given for " + n
                    + " voxels of responses");
        }
        try {
            PositionalEncoding.checkCoordinates(coordinates);
        } catch (IllegalArgumentException e) {
            throw new EncoderInputException(e.getMessage());
        }
        int[] pool = images != null ? images : range(features.imageCount());
        for (int i : pool) {
            if (i < 0 || i >= features.imageCount()) {
                throw new EncoderInputException("Image " + i + " was asked for but " + features.description()
                        + " have " + features.imageCount() + " images");
            }
        }
        boolean[] bad = new boolean[n];
        int badCount = 0;
        int firstImage = -1;
        int firstVoxel = -1;
        for (int i : pool) {
            float[] r = responses.row(i);
            for (int v = 0; v < n; v++) {
                if (!bad[v] && Float.isNaN(r[v])) {
                    bad[v] = true;
                    badCount++;
                    if (firstVoxel < 0) {
                        firstVoxel = v;
                        firstImage = i;
                    }
                }
            }
        }
        if (badCount > 0 && config.nanPolicy() == TrainingConfig.NanPolicy.STOP) {
            String voxels = badCount == 1 ? " voxel contain" : " voxels contain";
            throw new EncoderInputException("The responses of " + badCount + voxels + " NaN (first: voxel "
                    + firstVoxel + " for image " + firstImage + ")");
        }
        if (badCount == n) {
            throw new EncoderInputException("The responses of every voxel contain NaN: there is nothing to fit");
        }
        if (n - badCount > EncoderShape.MAX_VOXELS) {
            throw new EncoderInputException((n - badCount) + " voxels are more than the " + EncoderShape.MAX_VOXELS
                    + " an encoder supports");
        }
        if (badCount > 0) {
            warnings.add(badCount + " of " + n + " voxels were left out because their responses contain NaN "
                    + "(first: voxel " + firstVoxel + ")");
        }
        int[] kept = new int[n - badCount];
        int k = 0;
        for (int v = 0; v < n; v++) {
            if (!bad[v]) {
                kept[k++] = v;
            }
        }
        return kept;
    }

    private static void checkCanceled(IProgressMonitor monitor) {
        if (monitor.isCanceled()) {
            throw new OperationCanceledException();
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** A seed for stream k derived from the run's seed, so that split and epochs draw independent numbers. */
    static long stream(long seed, long k) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (k + 1))).nextLong();
    }

    /** Builds an {@link EncoderTrainer}: the features, responses, coordinates and run folder are required. */
    public static final class Builder {

        private FeatureSource features;
        private Responses responses;
        private double[][] coordinates;
        private RunFolder run;
        private TrainingConfig config = TrainingConfig.defaults();
        private int[] images;

        private Builder() {
        }

        /**
         * @param value the cached features; image i is row i of the responses
         * @return this builder
         */
        public Builder setFeatures(FeatureSource value) {
            features = value;
            return this;
        }

        /**
         * @param value images x voxels responses
         * @return this builder
         */
        public Builder setResponses(Responses value) {
            responses = value;
            return this;
        }

        /**
         * @param value N x 3 voxel coordinates, in the order of the responses' columns
         * @return this builder
         */
        public Builder setCoordinates(double[][] value) {
            coordinates = value;
            return this;
        }

        /**
         * @param value the run that receives the checkpoint, the curve and the fitted encoder; a fit resumes from
         *        the checkpoint it finds there
         * @return this builder
         */
        public Builder setRunFolder(RunFolder value) {
            run = value;
            return this;
        }

        /**
         * @param value the training configuration (default: the reference's)
         * @return this builder
         */
        public Builder optConfig(TrainingConfig value) {
            config = java.util.Objects.requireNonNull(value);
            return this;
        }

        /**
         * @param value the images to train and validate on (default: all); held-out test images are left out here
         * @return this builder
         */
        public Builder optImages(int[] value) {
            images = value.clone();
            return this;
        }

        /**
         * @return the trainer
         * @throws IllegalStateException if a required input is missing
         */
        public EncoderTrainer build() {
            if (features == null || responses == null || coordinates == null || run == null) {
                throw new IllegalStateException("a trainer needs features, responses, coordinates and a run folder");
            }
            return new EncoderTrainer(this);
        }
    }
}
