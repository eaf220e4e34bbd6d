package org.brainalign.engine.finetune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.DjlRuntime;
import org.brainalign.engine.backbone.BackboneOptions;
import org.brainalign.engine.backbone.TrainableTransformer;
import org.brainalign.engine.features.Preprocessing;
import org.brainalign.io.safetensors.FloatTensor;
import org.brainalign.io.safetensors.SafetensorsFile;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;

/**
 * An image classifier: a Vision Transformer with a linear head on its global token (the class token of the last
 * block, or the spatial mean of its patch tokens for a network without one; no final norm), giving one logit per
 * class. It is what fine-tuning trains end to end with {@link TensorAdamW} and cross-entropy, and what a fine-tuned
 * checkpoint folder loads back as ({@link #open}). A new head starts at zero, so before training every logit is 0 and
 * the first class is predicted for every image.
 */
public final class ImageClassifier implements AutoCloseable {

    /** The head's file in a fine-tuned checkpoint folder. */
    public static final String HEAD_FILE = "classifier.safetensors";

    /** The head's description (classes, feature, training record) in a fine-tuned checkpoint folder. */
    public static final String DESCRIPTION_FILE = "classifier.json";

    /** The head weight's tensor name, (classes, C), as in Hugging Face's image classification models. */
    public static final String WEIGHT = "classifier.weight";

    /** The head bias's tensor name, (classes). */
    public static final String BIAS = "classifier.bias";

    /** The format tag of {@link #DESCRIPTION_FILE}. */
    static final String FORMAT = "brainalign-classifier-1";

    private final TrainableTransformer network;
    private final List<String> classes;
    private final NDManager manager;
    private NDArray weight;
    private NDArray bias;
    private TensorAdamW optimizer;

    /**
     * What one training step did.
     *
     * @param loss the batch's mean cross-entropy before the update
     * @param correct images of the batch the classifier got right before the update
     */
    public record Step(double loss, int correct) {
    }

    /**
     * Puts a zero head on a network.
     *
     * @param network the network; the classifier closes it
     * @param classes the class names, at least two
     */
    public ImageClassifier(TrainableTransformer network, List<String> classes) {
        if (classes.size() < 2) {
            throw new IllegalArgumentException("a classifier needs at least two classes, got " + classes);
        }
        this.network = network;
        this.classes = List.copyOf(classes);
        this.manager = DjlRuntime.call(() -> NDManager.newBaseManager(network.device().device(), "PyTorch"));
        long c = network.spec().channels();
        DjlRuntime.call(() -> {
            weight = manager.zeros(new Shape(classes.size(), c));
            bias = manager.zeros(new Shape(classes.size()));
            return null;
        });
    }

    /**
     * Loads a fine-tuned checkpoint folder: the backbone (as any checkpoint, at the input size it was fine-tuned at)
     * and the head beside it.
     *
     * @param folder the folder fine-tuning wrote
     * @param family the backbone family id, or "auto"
     * @param device where to run
     * @return the classifier; close it when done
     * @throws FineTuneException if the head or its description is missing or damaged, naming the file
     * @throws IOException if the backbone cannot be loaded or a file cannot be read
     */
    public static ImageClassifier open(Path folder, String family, DevicePreference device) throws IOException {
        Path description = folder.resolve(DESCRIPTION_FILE);
        if (!Files.isRegularFile(description)) {
            throw new FineTuneException(description + ": missing; this is not a folder fine-tuning wrote");
        }
        List<String> classes = new ArrayList<>();
        int inputSize;
        try {
            JsonObject json = JsonParser.parseString(Files.readString(description)).getAsJsonObject();
            if (!FORMAT.equals(json.get("format").getAsString())) {
                throw new FineTuneException(description + ": not a classifier description (format "
                        + json.get("format") + ")");
            }
            JsonArray names = json.getAsJsonArray("classes");
            for (JsonElement e : names) {
                classes.add(e.getAsString());
            }
            // the head was trained at this input size, which may not be the family's default
            inputSize = json.get("input_size").getAsInt();
        } catch (RuntimeException e) {
            throw new FineTuneException(description + ": damaged (" + e.getMessage() + ")", e);
        }
        TrainableTransformer network = TrainableTransformer.open(folder, family,
                new BackboneOptions(inputSize, device));
        ImageClassifier classifier;
        try {
            classifier = new ImageClassifier(network, classes);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        try {
            classifier.setHead(readHead(folder.resolve(HEAD_FILE), classes.size(), network.spec().channels()));
            return classifier;
        } catch (IOException | RuntimeException e) {
            classifier.close();
            throw e;
        }
    }

    private static Map<String, FloatTensor> readHead(Path file, int classes, long channels) throws IOException {
        Map<String, FloatTensor> values = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : List.of(WEIGHT, BIAS)) {
                if (!f.contains(name)) {
                    throw new FineTuneException(file + ": tensor '" + name + "' is missing");
                }
                values.put(name, new FloatTensor(f.info(name).shape(), f.readFloats(name)));
            }
        }
        if (!Arrays.equals(values.get(WEIGHT).shape(), new long[] { classes, channels })
                || !Arrays.equals(values.get(BIAS).shape(), new long[] { classes })) {
            throw new FineTuneException(file + ": the head's shapes do not fit " + classes + " classes and a "
                    + "backbone of width " + channels);
        }
        return values;
    }

    /** @return the class names, in logit order */
    public List<String> classes() {
        return classes;
    }

    /** @return the network under the head */
    public TrainableTransformer network() {
        return network;
    }

    /** @return the resize and normalisation images need, the same as feature extraction uses */
    public Preprocessing preprocessing() {
        return new Preprocessing(network.spec().inputSize(), network.normalization());
    }

    /**
     * Prepares training: the head and every parameter after the first k blocks train (with k = 0, all of them), the
     * rest stays exactly as it is.
     *
     * @param freezeFirst k, the number of leading blocks to freeze (with them the embeddings), 0 to layers
     * @param settings AdamW's hyper-parameters
     * @return the names of the network parameters that train
     */
    public List<String> startTraining(int freezeFirst, TensorAdamW.Settings settings) {
        List<String> training = network.trainFrom(freezeFirst);
        LinkedHashMap<String, NDArray> updated = new LinkedHashMap<>();
        DjlRuntime.call(() -> {
            for (String name : training) {
                updated.put(name, network.parameter(name));
            }
            weight.setRequiresGradient(true);
            bias.setRequiresGradient(true);
            updated.put(WEIGHT, weight);
            updated.put(BIAS, bias);
            return null;
        });
        optimizer = new TensorAdamW(updated, settings, manager);
        return training;
    }

    /** @return the optimizer, once training started, else null */
    public TensorAdamW optimizer() {
        return optimizer;
    }

    /**
     * One training step: forward, mean cross-entropy, backward, TensorAdamW update, gradients zeroed.
     *
     * @param pixels B x inputChannels x inputSize x inputSize normalised values
     * @param labels the B class numbers
     * @param learningRate this step's learning rate
     * @return the loss and the correct count, both before the update
     */
    public Step step(float[] pixels, int[] labels, double learningRate) {
        if (optimizer == null) {
            throw new IllegalStateException("call startTraining first");
        }
        int b = labels.length;
        float[] target = new float[b * classes.size()];
        for (int i = 0; i < b; i++) {
            target[i * classes.size() + check(labels[i])] = 1;
        }
        return DjlRuntime.call(() -> {
            double loss;
            float[] logits;
            try (NDManager scope = manager.newSubManager(); NDScope arrays = new NDScope()) {
                arrays.suppressNotUsedWarning();
                NDArray px = input(scope, pixels, b);
                NDArray onehot = scope.create(target, new Shape(b, classes.size()));
                try (GradientCollector collector = DjlRuntime.engine().newGradientCollector()) {
                    NDArray out = head(network.globalToken(px));
                    // cross-entropy with mean reduction, as F.cross_entropy: -sum(log softmax at the label) / B
                    NDArray l = out.logSoftmax(1).mul(onehot).sum().neg().div(b);
                    collector.backward(l);
                    loss = l.getFloat();
                    logits = out.toFloatArray();
                }
                optimizer.update(learningRate);
            }
            return new Step(loss, correct(logits, labels));
        });
    }

    private int check(int label) {
        if (label < 0 || label >= classes.size()) {
            throw new IllegalArgumentException("label " + label + " is not one of " + classes.size() + " classes");
        }
        return label;
    }

    /**
     * Classifies a batch without recording gradients.
     *
     * @param pixels B x inputChannels x inputSize x inputSize normalised values
     * @param batch B
     * @return B x classes logits, row-major
     */
    public float[] logits(float[] pixels, int batch) {
        return DjlRuntime.call(() -> {
            try (NDManager scope = manager.newSubManager(); NDScope arrays = new NDScope()) {
                arrays.suppressNotUsedWarning();
                return head(network.globalToken(input(scope, pixels, batch))).toFloatArray();
            }
        });
    }

    private NDArray head(NDArray tokens) {
        return Linear.linear(tokens, weight, bias).get(0);
    }

    /** Copies pixels into memory PyTorch allocates, so the arithmetic never depends on a Java buffer's alignment. */
    private NDArray input(NDManager scope, float[] pixels, int batch) {
        long s = network.spec().inputSize();
        long expected = (long) batch * network.spec().inputChannels() * s * s;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " pixel values for " + batch + " images, got "
                    + pixels.length);
        }
        return scope.create(pixels, new Shape(batch, network.spec().inputChannels(), s, s)).duplicate();
    }

    /**
     * @param logits B x classes, row-major
     * @param labels the B true classes
     * @return how many rows have their largest logit (the first, among equal ones) at the true class
     */
    public static int correct(float[] logits, int[] labels) {
        int k = logits.length / labels.length;
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            if (argmax(logits, i * k, k) == labels[i]) {
                right++;
            }
        }
        return right;
    }

    /**
     * @param values an array
     * @param from the first index of the row
     * @param count the row's length
     * @return the position of the row's largest value, the first among equal ones
     */
    static int argmax(float[] values, int from, int count) {
        int best = 0;
        for (int j = 1; j < count; j++) {
            if (values[from + j] > values[from + best]) {
                best = j;
            }
        }
        return best;
    }

    /**
     * Measures the share of images classified right (no augmentation: the preprocessing of extraction).
     *
     * @param images the images with their true classes
     * @param batchSize images per forward pass
     * @param monitor progress in images; cancelling stops before the next batch
     * @return correct / images, 0 for no images
     * @throws org.brainalign.engine.features.ImageReadException if an image cannot be decoded, naming it
     * @throws OperationCanceledException if cancelled
     * @throws IOException if preparing images fails otherwise
     */
    public double accuracy(List<ImageFolder.LabelledImage> images, int batchSize, IProgressMonitor monitor)
            throws IOException {
        if (images.isEmpty()) {
            return 0;
        }
        SubMonitor progress = SubMonitor.convert(monitor, images.size());
        Preprocessing prep = preprocessing();
        int right = 0;
        try (BatchLoader loader = new BatchLoader()) {
            Future<BatchLoader.Batch> next = loader.submit(images, range(0, Math.min(batchSize, images.size())),
                    prep.valuesPerImage(), (position, image) -> prep.apply(image));
            for (int from = 0; from < images.size(); from += batchSize) {
                if (progress.isCanceled()) {
                    throw new OperationCanceledException();
                }
                BatchLoader.Batch batch = BatchLoader.await(next);
                int after = from + batchSize;
                if (after < images.size()) {
                    next = loader.submit(images, range(after, Math.min(after + batchSize, images.size())),
                            prep.valuesPerImage(), (position, image) -> prep.apply(image));
                }
                right += correct(logits(batch.pixels(), batch.labels().length), batch.labels());
                progress.worked(batch.labels().length);
            }
        }
        return (double) right / images.size();
    }

    /**
     * @param from first value
     * @param to after the last value
     * @return from, from + 1, ..., to - 1
     */
    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** @return the head's weight and bias, copied to the heap */
    public LinkedHashMap<String, FloatTensor> headTensors() {
        return DjlRuntime.call(() -> {
            LinkedHashMap<String, FloatTensor> out = new LinkedHashMap<>();
            out.put(WEIGHT, new FloatTensor(weight.getShape().getShape(), weight.toFloatArray()));
            out.put(BIAS, new FloatTensor(bias.getShape().getShape(), bias.toFloatArray()));
            return out;
        });
    }

    /**
     * Replaces the head's values in place (when loading or resuming); the arrays stay the same objects.
     *
     * @param values {@link #WEIGHT} and {@link #BIAS}, of the head's shapes
     * @throws IllegalArgumentException if one is missing or misshapen
     */
    public void setHead(Map<String, FloatTensor> values) {
        for (String name : List.of(WEIGHT, BIAS)) {
            FloatTensor t = values.get(name);
            NDArray current = name.equals(WEIGHT) ? weight : bias;
            if (t == null || !Arrays.equals(t.shape(), current.getShape().getShape())) {
                throw new IllegalArgumentException("head tensor '" + name + "' is missing or misshapen");
            }
        }
        TrainableTransformer.overwrite(weight, values.get(WEIGHT).data());
        TrainableTransformer.overwrite(bias, values.get(BIAS).data());
    }

    /** Frees the network, the head and the optimizer's moments. */
    @Override
    public void close() {
        DjlRuntime.call(() -> {
            manager.close();
            return null;
        });
        network.close();
    }
}
