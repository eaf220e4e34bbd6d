package org.brainalign.engine.finetune;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.brainalign.core.Permutations;
import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.backbone.BackboneOptions;
import org.brainalign.engine.backbone.Checkpoint;
import org.brainalign.engine.backbone.TrainableTransformer;
import org.brainalign.engine.backbone.TransformerSpec;
import org.brainalign.io.safetensors.SafetensorsWriter;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Fine-tuning trains a backbone, with a linear classification head on its global token, on an {@link ImageFolder}:
 * cross-entropy, {@link TensorAdamW} end to end or with the first blocks (and the embeddings) frozen, random resized
 * crops
 * and horizontal flips ({@link Augmentation}), a seeded stratified validation split whose accuracy is measured
 * before training and after every epoch. The result is a checkpoint folder in the input's own layout (config.json,
 * model.safetensors with every tensor under its original name) plus the head beside it (classifier.safetensors,
 * classifier.json), so it loads as a backbone of its family like any other checkpoint.
 * <p>
 * A run is resumable: its state is saved in the output folder at the end of every epoch, every few minutes and when
 * it is cancelled, and the same command with the same settings continues from there and ends exactly as an
 * uninterrupted run would (every random draw depends only on the seed and its position in the run; see
 * docs/finetune.md for what "exactly" needs). Build one with {@link #builder()}.
 */
public final class FineTuner {

    /** How the learning rate changes over the steps. */
    public enum Schedule {
        /** The learning rate throughout. */
        CONSTANT,
        /** Half a cosine from the learning rate at the first step to zero after the last. */
        COSINE
    }

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final Path checkpoint;
    private final String family;
    private final Path images;
    private final Path output;
    private final int epochs;
    private final double learningRate;
    private final int batchSize;
    private final int freezeFirst;
    private final long seed;
    private final DevicePreference device;
    private final int inputSize;
    private final double validationFraction;
    private final TensorAdamW.Settings adamW;
    private final double minCropScale;
    private final boolean flip;
    private final Schedule schedule;
    private final Duration saveInterval;

    private FineTuner(Builder b) {
        this.checkpoint = b.checkpoint;
        this.family = b.family;
        this.images = b.images;
        this.output = b.output;
        this.epochs = b.epochs;
        this.learningRate = b.learningRate;
        this.batchSize = b.batchSize;
        this.freezeFirst = b.freezeFirst;
        this.seed = b.seed;
        this.device = b.device;
        this.inputSize = b.inputSize;
        this.validationFraction = b.validationFraction;
        this.adamW = b.adamW;
        this.minCropScale = b.minCropScale;
        this.flip = b.flip;
        this.schedule = b.schedule;
        this.saveInterval = b.saveInterval;
    }

    /** @return a builder; the backbone, the images and the output are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs (or resumes) the fine-tuning and writes the fine-tuned checkpoint folder.
     *
     * @param monitor progress in images (training and validation); cancelling stops before the next batch and saves
     *        the state, so the same command resumes
     * @return the accuracies and the output folder
     * @throws FineTuneException if the images, the output folder or a saved state do not fit, naming the file
     * @throws org.brainalign.engine.backbone.CheckpointException if the backbone cannot be loaded or trained
     * @throws org.brainalign.engine.features.ImageReadException if an image cannot be decoded, naming it
     * @throws OperationCanceledException if cancelled (the state is saved first)
     * @throws IOException if files cannot be read or written
     */
    public FineTuneResult run(IProgressMonitor monitor) throws IOException {
        ImageFolder folder = ImageFolder.scan(images);
        ImageFolder.Split split = folder.split(validationFraction, seed);
        int n = split.training().size();
        int v = split.validation().size();
        SubMonitor progress = SubMonitor.convert(monitor, "Fine-tuning on " + n + " images",
                epochs * n + (epochs + 1) * v);
        Path stateFile = prepareOutput();
        progress.subTask("Reading the backbone " + checkpoint);
        String hash;
        try (Checkpoint c = Checkpoint.open(checkpoint)) {
            hash = c.contentHash();
        }
        TrainableTransformer network = TrainableTransformer.open(checkpoint, family, new BackboneOptions(inputSize,
                device));
        ImageClassifier classifier;
        try {
            if (freezeFirst > network.spec().layers()) {
                throw new FineTuneException(checkpoint + ": cannot freeze the first " + freezeFirst + " blocks of a "
                        + "backbone with " + network.spec().layers());
            }
            classifier = new ImageClassifier(network, folder.classes());
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
        try (classifier) {
            classifier.startTraining(freezeFirst, adamW);
            Map<String, String> settings = settings(network, folder, hash);
            FineTuneState state = Files.isRegularFile(stateFile)
                    ? FineTuneState.read(stateFile, settings, classifier)
                    : new FineTuneState();
            progress.worked((Double.isNaN(state.untrainedAccuracy) ? 0 : v) + state.epoch * (n + v)
                    + state.position);
            try {
                train(classifier, split, state, progress, stateFile, settings);
            } catch (OperationCanceledException e) {
                progress.subTask("Cancelled: saving the state to resume from");
                state.write(stateFile, settings, classifier);
                throw e;
            }
            FineTuneResult result = new FineTuneResult(output, network.spec().family(), folder.classes(), n, v,
                    state.untrainedAccuracy, state.history, state.resumed);
            progress.subTask("Writing the fine-tuned checkpoint to " + output);
            write(classifier, result, hash);
            Files.deleteIfExists(stateFile);
            return result;
        }
    }

    /** The loop over epochs and batches; the state is consistent whenever it throws OperationCanceledException. */
    private void train(ImageClassifier classifier, ImageFolder.Split split, FineTuneState state, SubMonitor progress,
            Path stateFile, Map<String, String> settings) throws IOException {
        List<ImageFolder.LabelledImage> training = split.training();
        int n = training.size();
        int v = split.validation().size();
        if (Double.isNaN(state.untrainedAccuracy)) {
            progress.subTask("Measuring the untrained head on " + v + " validation images");
            state.untrainedAccuracy = classifier.accuracy(split.validation(), batchSize, progress.newChild(v));
        }
        Augmentation augmentation = new Augmentation(classifier.preprocessing(), minCropScale, flip);
        int valuesPerImage = classifier.preprocessing().valuesPerImage();
        long stepsPerEpoch = (n + batchSize - 1) / batchSize;
        long lastSave = System.nanoTime();
        try (BatchLoader loader = new BatchLoader()) {
            while (state.epoch < epochs) {
                int epoch = state.epoch;
                int[] order = Permutations.of(n, new SplittableRandom(Seeds.mix(seed, Seeds.ORDER, epoch)));
                BatchLoader.Transform augment = (position, image) -> augmentation.apply(image,
                        new SplittableRandom(Seeds.mix(seed, Seeds.AUGMENT, epoch, position)));
                long nanos = 0;
                int stepped = 0;
                Future<BatchLoader.Batch> next = state.position < n
                        ? loader.submit(training, slice(order, state.position), valuesPerImage, augment)
                        : null;
                while (state.position < n) {
                    if (progress.isCanceled()) {
                        throw new OperationCanceledException();
                    }
                    long start = System.nanoTime();
                    BatchLoader.Batch batch = BatchLoader.await(next);
                    int after = state.position + batch.labels().length;
                    next = after < n ? loader.submit(training, slice(order, after), valuesPerImage, augment) : null;
                    long step = epoch * stepsPerEpoch + state.position / batchSize;
                    ImageClassifier.Step s = classifier.step(batch.pixels(), batch.labels(),
                            learningRate(step, epochs * stepsPerEpoch));
                    if (!Double.isFinite(s.loss())) {
                        throw new FineTuneException(images + ": training diverged at step " + (step + 1) + " (loss "
                                + s.loss() + "); try a smaller learning rate");
                    }
                    state.lossSum += s.loss() * batch.labels().length;
                    state.correct += s.correct();
                    state.position = after;
                    nanos += System.nanoTime() - start;
                    stepped += batch.labels().length;
                    progress.worked(batch.labels().length);
                    progress.subTask(String.format(Locale.ROOT, "Epoch %d of %d: %d of %d images, %.1f images/s, "
                            + "loss %.4f", epoch + 1, epochs, state.position, n, stepped / (nanos / 1e9),
                            state.lossSum / state.position));
                    if (System.nanoTime() - lastSave >= saveInterval.toNanos() && state.position < n) {
                        state.write(stateFile, settings, classifier);
                        lastSave = System.nanoTime();
                    }
                }
                progress.subTask("Epoch " + (epoch + 1) + " of " + epochs + ": validating on " + v + " images");
                double accuracy = classifier.accuracy(split.validation(), batchSize, progress.newChild(v));
                state.history.add(new FineTuneResult.Epoch(epoch + 1, accuracy, state.lossSum / n,
                        (double) state.correct / n, stepped == 0 ? 0 : stepped / (nanos / 1e9)));
                state.epoch++;
                state.position = 0;
                state.lossSum = 0;
                state.correct = 0;
                if (state.epoch < epochs) {
                    state.write(stateFile, settings, classifier);
                    lastSave = System.nanoTime();
                }
            }
        }
    }

    private int[] slice(int[] order, int from) {
        int to = Math.min(order.length, from + batchSize);
        int[] positions = new int[to - from];
        System.arraycopy(order, from, positions, 0, positions.length);
        return positions;
    }

    /**
     * @param step the step, from 0
     * @param steps all steps of the run
     * @return the step's learning rate under the schedule
     */
    double learningRate(long step, long steps) {
        return switch (schedule) {
            case CONSTANT -> learningRate;
            case COSINE -> learningRate * 0.5 * (1 + StrictMath.cos(Math.PI * step / steps));
        };
    }

    /** Checks the output folder is new, empty or an interrupted run's; returns where the state goes. */
    private Path prepareOutput() throws IOException {
        Path state = output.resolve(FineTuneState.FILE);
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new FineTuneException(output + ": is a file; the fine-tuned checkpoint is written as a folder");
        }
        if (Files.isDirectory(output) && Files.isSameFile(output, configurationFolder())) {
            throw new FineTuneException(output + ": is the backbone's own folder; write the fine-tuned checkpoint "
                    + "to another folder");
        }
        if (Files.isDirectory(output) && !Files.isRegularFile(state)) {
            if (Files.isRegularFile(output.resolve(ImageClassifier.DESCRIPTION_FILE))) {
                throw new FineTuneException(output + ": already holds a finished fine-tuning; choose another output "
                        + "folder or delete this one");
            }
            try (Stream<Path> s = Files.list(output)) {
                if (s.findAny().isPresent()) {
                    throw new FineTuneException(output + ": not empty and holds no interrupted fine-tuning; choose "
                            + "a new or empty output folder");
                }
            }
        }
        Files.createDirectories(output);
        return state;
    }

    private Path configurationFolder() {
        return Files.isDirectory(checkpoint) ? checkpoint : checkpoint.toAbsolutePath().getParent();
    }

    /** The settings a resumption must repeat; values are exact strings (doubles as Java prints them). */
    private Map<String, String> settings(TrainableTransformer network, ImageFolder folder, String hash)
            throws IOException {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("family", network.spec().family());
        s.put("checkpoint_sha256", hash);
        s.put("input_size", Integer.toString(network.spec().inputSize()));
        s.put("images", folder.fingerprint());
        s.put("classes", String.join("/", folder.classes()));
        s.put("validation_fraction", Double.toString(validationFraction));
        s.put("seed", Long.toString(seed));
        s.put("epochs", Integer.toString(epochs));
        s.put("batch_size", Integer.toString(batchSize));
        s.put("learning_rate", Double.toString(learningRate));
        s.put("schedule", schedule.name().toLowerCase(Locale.ROOT));
        s.put("beta1", Double.toString(adamW.beta1()));
        s.put("beta2", Double.toString(adamW.beta2()));
        s.put("eps", Double.toString(adamW.eps()));
        s.put("weight_decay", Double.toString(adamW.weightDecay()));
        s.put("freeze_first", Integer.toString(freezeFirst));
        s.put("min_crop_scale", Double.toString(minCropScale));
        s.put("flip", Boolean.toString(flip));
        return s;
    }

    /** Writes the checkpoint folder; each file atomically, the head's description last as the completion mark. */
    private void write(ImageClassifier classifier, FineTuneResult result, String hash) throws IOException {
        Map<String, String> pt = Map.of("format", "pt");
        SafetensorsWriter.write(output.resolve("model.safetensors"), classifier.network().checkpointTensors(), pt);
        for (String name : List.of("config.json", "preprocessor_config.json")) {
            Path from = configurationFolder().resolve(name);
            if (Files.isRegularFile(from)) {
                Path temporary = output.resolve(name + ".partial");
                Files.copy(from, temporary, StandardCopyOption.REPLACE_EXISTING);
                Files.move(temporary, output.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
        if (!Files.isRegularFile(configurationFolder().resolve("config.json"))) {
            // a native checkpoint records no architecture: what its family did not read from the tensors (from a
            // sidecar, a library's config file or the library's constants) goes beside the result, in the sidecar
            // users write, so the tensors (under the input's own names) load back as the same network with the
            // same preprocessing, wherever the result is moved
            TransformerSpec spec = classifier.network().spec();
            JsonObject sidecar = new JsonObject();
            sidecar.addProperty("heads", spec.heads());
            sidecar.addProperty("layer_norm_eps", spec.eps());
            sidecar.addProperty("hidden_act", spec.activation().configName());
            sidecar.addProperty("image_size", spec.inputSize());
            sidecar.add("image_mean", numbers(classifier.network().normalization().mean()));
            sidecar.add("image_std", numbers(classifier.network().normalization().std()));
            Path target = Checkpoint.sidecar(output.resolve("model.safetensors"));
            Path temporary = output.resolve(target.getFileName() + ".partial");
            Files.writeString(temporary, GSON.toJson(sidecar), StandardCharsets.UTF_8);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        SafetensorsWriter.write(output.resolve(ImageClassifier.HEAD_FILE), classifier.headTensors(), pt);
        Path description = output.resolve(ImageClassifier.DESCRIPTION_FILE);
        Path temporary = output.resolve(ImageClassifier.DESCRIPTION_FILE + ".partial");
        Files.writeString(temporary, GSON.toJson(describe(classifier, result, hash)), StandardCharsets.UTF_8);
        Files.move(temporary, description, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private JsonObject describe(ImageClassifier classifier, FineTuneResult result, String hash) {
        TrainableTransformer network = classifier.network();
        JsonObject json = new JsonObject();
        json.addProperty("format", ImageClassifier.FORMAT);
        json.add("classes", strings(result.classes()));
        json.addProperty("family", result.family());
        json.addProperty("head", ImageClassifier.HEAD_FILE);
        json.addProperty("feature", network.spec().classToken()
                ? "class token of the last block"
                : "mean of the last block's patch tokens");
        json.addProperty("input_size", network.spec().inputSize());
        JsonObject normalization = new JsonObject();
        normalization.add("mean", numbers(network.normalization().mean()));
        normalization.add("std", numbers(network.normalization().std()));
        json.add("normalization", normalization);
        JsonObject training = new JsonObject();
        training.addProperty("source_checkpoint", checkpoint.toAbsolutePath().toString());
        training.addProperty("source_sha256", hash);
        training.addProperty("images", images.toAbsolutePath().toString());
        training.addProperty("training_images", result.trainingImages());
        training.addProperty("validation_images", result.validationImages());
        training.addProperty("epochs", epochs);
        training.addProperty("batch_size", batchSize);
        training.addProperty("learning_rate", learningRate);
        training.addProperty("schedule", schedule.name().toLowerCase(Locale.ROOT));
        training.addProperty("weight_decay", adamW.weightDecay());
        training.addProperty("beta1", adamW.beta1());
        training.addProperty("beta2", adamW.beta2());
        training.addProperty("eps", adamW.eps());
        training.addProperty("freeze_first", freezeFirst);
        training.addProperty("seed", seed);
        training.addProperty("validation_fraction", validationFraction);
        training.addProperty("min_crop_scale", minCropScale);
        training.addProperty("flip", flip);
        training.addProperty("untrained_accuracy", result.untrainedAccuracy());
        JsonArray epochsJson = new JsonArray();
        for (FineTuneResult.Epoch e : result.epochs()) {
            epochsJson.add(e.toJson());
        }
        training.add("epoch_records", epochsJson);
        training.addProperty("best_accuracy", result.bestAccuracy());
        training.addProperty("best_epoch", result.bestEpoch());
        json.add("finetune", training);
        return json;
    }

    private static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    private static JsonArray numbers(float[] values) {
        JsonArray a = new JsonArray();
        for (float f : values) {
            a.add(f);
        }
        return a;
    }

    /**
     * Collects a fine-tuning's settings: {@code setX} for the required ones, {@code optX} for those with defaults.
     */
    public static final class Builder {

        private Path checkpoint;
        private String family = "auto";
        private Path images;
        private Path output;
        private int epochs = 5;
        private double learningRate = 1e-4;
        private int batchSize = 16;
        private int freezeFirst;
        private long seed;
        private DevicePreference device = DevicePreference.CPU;
        private int inputSize;
        private double validationFraction = 0.2;
        private TensorAdamW.Settings adamW = TensorAdamW.Settings.TORCH_DEFAULTS;
        private double minCropScale = Augmentation.DEFAULT_MIN_SCALE;
        private boolean flip = true;
        private Schedule schedule = Schedule.CONSTANT;
        private Duration saveInterval = Duration.ofMinutes(10);

        private Builder() {
        }

        /**
         * @param checkpointPath the checkpoint folder or weights file
         * @param familyId its family id, or "auto" (or null) to detect it
         * @return this builder
         */
        public Builder setBackbone(Path checkpointPath, String familyId) {
            this.checkpoint = checkpointPath;
            this.family = familyId == null ? "auto" : familyId;
            return this;
        }

        /**
         * @param folder the image folder, one sub-folder per class
         * @return this builder
         */
        public Builder setImages(Path folder) {
            this.images = folder;
            return this;
        }

        /**
         * @param folder the folder to write the fine-tuned checkpoint to (new, empty, or an interrupted run's)
         * @return this builder
         */
        public Builder setOutput(Path folder) {
            this.output = folder;
            return this;
        }

        /**
         * @param count passes over the training images (default 5)
         * @return this builder
         */
        public Builder optEpochs(int count) {
            this.epochs = positive(count, "epochs");
            return this;
        }

        /**
         * @param rate AdamW's learning rate (default 1e-4)
         * @return this builder
         */
        public Builder optLearningRate(double rate) {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("the learning rate must be positive, got " + rate);
            }
            this.learningRate = rate;
            return this;
        }

        /**
         * @param size images per step (default 16)
         * @return this builder
         */
        public Builder optBatchSize(int size) {
            this.batchSize = positive(size, "batch size");
            return this;
        }

        /**
         * @param blocks how many leading blocks (with them the embeddings) stay frozen; 0 trains everything
         *        (default), the block count trains the head alone
         * @return this builder
         */
        public Builder optFreezeFirst(int blocks) {
            if (blocks < 0) {
                throw new IllegalArgumentException("the number of frozen blocks cannot be negative, got " + blocks);
            }
            this.freezeFirst = blocks;
            return this;
        }

        /**
         * @param value the seed of the validation split, the image order and the augmentation (default 0)
         * @return this builder
         */
        public Builder optSeed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * @param preference where to train (default the CPU)
         * @return this builder
         */
        public Builder optDevice(DevicePreference preference) {
            this.device = Objects.requireNonNull(preference);
            return this;
        }

        /**
         * @param size the square input side, 0 for the family's default (default 0)
         * @return this builder
         */
        public Builder optInputSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("the input size cannot be negative, got " + size);
            }
            this.inputSize = size;
            return this;
        }

        /**
         * @param fraction the share of each class held out for validation (default 0.2)
         * @return this builder
         */
        public Builder optValidationFraction(double fraction) {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("the validation fraction must lie between 0 and 1, got "
                        + fraction);
            }
            this.validationFraction = fraction;
            return this;
        }

        /**
         * @param settings AdamW's betas, eps and weight decay (default torch's: 0.9, 0.999, 1e-8, 0.01)
         * @return this builder
         */
        public Builder optAdamW(TensorAdamW.Settings settings) {
            this.adamW = Objects.requireNonNull(settings);
            return this;
        }

        /**
         * @param scale the smallest share of an image's area a random crop covers, in (0, 1] (default 0.08, as
         *        torchvision; 1 crops nothing away but still varies the aspect ratio)
         * @return this builder
         */
        public Builder optMinCropScale(double scale) {
            if (!(scale > 0 && scale <= 1)) {
                throw new IllegalArgumentException("the smallest crop scale must lie in (0, 1], got " + scale);
            }
            this.minCropScale = scale;
            return this;
        }

        /**
         * @param enabled whether half the training images are mirrored left to right (default true)
         * @return this builder
         */
        public Builder optFlip(boolean enabled) {
            this.flip = enabled;
            return this;
        }

        /**
         * @param value how the learning rate changes over the steps (default constant)
         * @return this builder
         */
        public Builder optSchedule(Schedule value) {
            this.schedule = Objects.requireNonNull(value);
            return this;
        }

        /**
         * @param interval how often, at most, the state is saved within an epoch (default 10 minutes; it is also
         *        saved after every epoch and when cancelled)
         * @return this builder
         */
        public Builder optSaveInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("the save interval cannot be negative");
            }
            this.saveInterval = interval;
            return this;
        }

        /**
         * @return the fine-tuner
         * @throws IllegalStateException if the backbone, the images or the output is not set
         */
        public FineTuner build() {
            if (checkpoint == null || images == null || output == null) {
                throw new IllegalStateException("set the backbone, the images and the output");
            }
            return new FineTuner(this);
        }

        private static int positive(int value, String what) {
            if (value <= 0) {
                throw new IllegalArgumentException("the " + what + " must be positive, got " + value);
            }
            return value;
        }
    }
}
