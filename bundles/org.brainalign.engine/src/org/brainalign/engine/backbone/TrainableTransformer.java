package org.brainalign.engine.backbone;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.engine.ComputeDevice;
import org.brainalign.engine.DjlRuntime;
import org.brainalign.io.safetensors.FloatTensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * A Vision Transformer that can be trained. Its parameters are the checkpoint's own stored tensors under their own
 * names (a stored tensor holding several canonical ones, such as the position embeddings or SAM's fused q/k/v
 * projection, is one parameter); every forward pass derives the network's weights from them through the family's
 * {@link TensorLayout}, inside the autograd graph, so gradients reach the stored tensors and the trained network can
 * be written back in the checkpoint's layout. The forward pass is the one {@link VisionTransformer} runs.
 * <p>
 * Stored tensors the network does not use (a final norm, a pooler, CLIP's text tower, SAM's neck) are no parameters;
 * {@link #checkpointTensors()} copies them unchanged from the source checkpoint. Each parameter belongs to a block
 * ({@link #blockOf}) or to the embeddings (-1), which is what freezing the first blocks refers to.
 */
public final class TrainableTransformer implements AutoCloseable {

    /** The value {@link #blockOf} gives for the embeddings (patch, class token, positions, registers, pre-norm). */
    public static final int EMBEDDINGS = -1;

    private final TransformerSpec spec;
    private final Normalization normalization;
    private final ComputeDevice device;
    private final Path source;
    private final NDManager manager;
    private final TransformerForward forward;
    private final Map<String, TensorOrigin> origins = new HashMap<>();
    private final LinkedHashMap<String, NDArray> parameters = new LinkedHashMap<>();
    private final Map<String, Integer> blocks = new HashMap<>();

    /** Reads a stored tensor the first time a canonical tensor needs it. */
    @FunctionalInterface
    private interface StoredReader {

        float[] read(TensorOrigin origin) throws CheckpointException;
    }

    private TrainableTransformer(TransformerSpec spec, Normalization normalization, ComputeDevice device, Path source,
            TensorLayout layout, StoredReader reader) throws CheckpointException {
        this.spec = spec;
        this.normalization = normalization;
        this.device = device;
        this.source = source;
        this.forward = new TransformerForward(spec);
        this.manager = DjlRuntime.call(() -> NDManager.newBaseManager(device.device(), "PyTorch"));
        boolean done = false;
        try {
            // one derivation finds every canonical tensor the spec uses, reads its stored tensor once and checks it
            DjlRuntime.call(() -> {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    forward.derive((name, shape) -> {
                        TensorOrigin o = layout.origin(name, shape);
                        origins.put(name, o);
                        if (!parameters.containsKey(o.stored())) {
                            parameters.put(o.stored(), upload(reader.read(o), o.storedShape()));
                        }
                        int block = name.startsWith("blocks.") ? TransformerFamily.blockOf(name) : EMBEDDINGS;
                        Integer before = blocks.putIfAbsent(o.stored(), block);
                        if (before != null && before != block) {
                            throw new IllegalStateException(o.stored() + " holds tensors of two blocks");
                        }
                        return canonical(o);
                    }, manager);
                }
                return null;
            });
            done = true;
        } finally {
            if (!done) {
                close();
            }
        }
    }

    /** Uploads into memory PyTorch allocates itself, so results never depend on where Java put a buffer. */
    private NDArray upload(float[] data, long[] shape) {
        NDArray staged = manager.create(data, new Shape(shape));
        NDArray owned = staged.duplicate();
        NDScope.unregister(staged, owned);
        staged.close();
        return owned;
    }

    private NDArray canonical(TensorOrigin o) {
        NDArray stored = parameters.get(o.stored());
        if (o.isWhole()) {
            return stored.reshape(new Shape(o.shape()));
        }
        return stored.reshape(-1).get(new NDIndex("{}:{}", o.offset(), o.offset() + o.size()))
                .reshape(new Shape(o.shape()));
    }

    /**
     * Opens a checkpoint for training with one of the built-in transformer families.
     *
     * @param checkpoint the checkpoint folder or weights file
     * @param familyId a family id, or null / "auto" to detect it
     * @param options input size and device
     * @return the trainable network; close it when done
     * @throws CheckpointException if no family fits, the family is not a built-in transformer family, or a tensor is
     *         missing or misshapen, naming the file
     * @throws IOException if the files cannot be read
     */
    public static TrainableTransformer open(Path checkpoint, String familyId, BackboneOptions options)
            throws IOException {
        try (Checkpoint c = Checkpoint.open(checkpoint)) {
            BackboneFamily family = familyId == null || familyId.equals("auto")
                    ? BackboneFamilies.detect(c)
                            .orElseThrow(
                                    () -> new CheckpointException(checkpoint + ": no backbone family recognises this "
                                            + "checkpoint; name one"))
                    : BackboneFamilies.get(familyId);
            if (!(family instanceof TransformerFamily f)) {
                throw new CheckpointException(checkpoint + ": backbone family '" + family.id() + "' cannot be "
                        + "trained here (only the built-in transformer families can)");
            }
            String type = c.config().string("model_type");
            if (type != null && !f.modelTypes().contains(type)) {
                throw new CheckpointException(c.config().file() + ": model_type '" + type + "' is not one backbone "
                        + "family '" + f.id() + "' loads (" + String.join(", ", f.modelTypes()) + ")");
            }
            TransformerSpec spec = f.spec(c, options);
            Normalization normalization = c.declaredNormalization(spec.inputChannels())
                    .orElseGet(() -> Normalization.imageNet(spec.inputChannels()));
            return new TrainableTransformer(spec, normalization, DjlRuntime.device(options.device()), c.weightsPath(),
                    f.layout(c, spec), o -> c.tensor(o.stored(), o.storedShape()));
        }
    }

    /**
     * Builds a trainable network from canonical tensors, each its own parameter under its canonical name (for
     * benchmarks and tests with random weights).
     *
     * @param spec the architecture
     * @param weights the weights by canonical name
     * @param normalization the input normalisation to report
     * @param device where to run
     * @return the trainable network; close it when done
     * @throws CheckpointException if the source refuses a tensor
     */
    public static TrainableTransformer of(TransformerSpec spec, TensorSource weights, Normalization normalization,
            ComputeDevice device) throws CheckpointException {
        Map<String, FloatTensor> read = new HashMap<>();
        TensorLayout identity = (name, shape) -> {
            FloatTensor t = weights.tensor(name, shape);
            read.put(name, t);
            return TensorOrigin.whole(name, t.shape());
        };
        return new TrainableTransformer(spec, normalization, device, null, identity,
                o -> read.remove(o.stored()).data());
    }

    /** @return the architecture */
    public TransformerSpec spec() {
        return spec;
    }

    /** @return the input normalisation the checkpoint declares, or ImageNet's */
    public Normalization normalization() {
        return normalization;
    }

    /** @return the device it trains on */
    public ComputeDevice device() {
        return device;
    }

    /** @return the weights file (or shard index) it was read from, or null when built from canonical tensors */
    public Path source() {
        return source;
    }

    /** @return the names of the parameters (stored tensors the network uses), in the order the network uses them */
    public List<String> parameterNames() {
        return List.copyOf(parameters.keySet());
    }

    /**
     * @param name a parameter name
     * @return the live parameter array, on the network's device; updates to it change the network
     * @throws IllegalArgumentException if there is no such parameter
     */
    public NDArray parameter(String name) {
        NDArray p = parameters.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'");
        }
        return p;
    }

    /**
     * @param name a parameter name
     * @return the block the parameter belongs to, or {@link #EMBEDDINGS}
     */
    public int blockOf(String name) {
        parameter(name);
        return blocks.get(name);
    }

    /**
     * Chooses what trains: with k = 0 every parameter; with k > 0 all but the embeddings and blocks 0 to k - 1,
     * whose values then stay exactly as they are. Only parameters that train get gradients.
     *
     * @param k the number of leading blocks to freeze, 0 to {@code layers}
     * @return the names of the parameters that train, in {@link #parameterNames()} order
     * @throws IllegalArgumentException if k is out of range
     */
    public List<String> trainFrom(int k) {
        if (k < 0 || k > spec.layers()) {
            throw new IllegalArgumentException("can freeze 0 to " + spec.layers() + " blocks, not " + k);
        }
        List<String> training = new ArrayList<>();
        DjlRuntime.call(() -> {
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                int block = blocks.get(e.getKey());
                boolean trains = k == 0 || block >= k;
                e.getValue().setRequiresGradient(trains);
                if (trains) {
                    training.add(e.getKey());
                }
            }
            return null;
        });
        return training;
    }

    /** @return the number of parameter elements, trained or frozen */
    public long parameterCount() {
        return parameters.values().stream().mapToLong(NDArray::size).sum();
    }

    /**
     * Runs the network on normalised images and gives the global token of the last block (the class token, or the
     * spatial mean of the patch tokens without one). Inside a gradient collector the pass is recorded for autograd;
     * the caller's NDScope frees its intermediate arrays.
     *
     * @param pixels (B, inputChannels, inputSize, inputSize) normalised values
     * @return (B, C) global tokens
     */
    public NDArray globalToken(NDArray pixels) {
        Shape expected = new Shape(pixels.getShape().get(0), spec.inputChannels(), spec.inputSize(),
                spec.inputSize());
        if (!pixels.getShape().equals(expected)) {
            throw new IllegalArgumentException("expected pixels of shape " + expected + ", got "
                    + pixels.getShape());
        }
        return DjlRuntime.call(() -> {
            TransformerForward.Weights w;
            try {
                w = forward.derive((name, shape) -> canonical(origins.get(name)), pixels.getManager());
            } catch (CheckpointException e) {
                throw new IllegalStateException("every tensor was checked when the network was built", e);
            }
            NDArray x = forward.embed(w, pixels);
            for (TransformerForward.Block b : w.blocks()) {
                x = forward.block(b, x);
            }
            return forward.global(x, false);
        });
    }

    /**
     * Runs the network without recording gradients and gives every hidden state, for checks against
     * {@link VisionTransformer#hiddenStates}.
     *
     * @param pixels B x inputChannels x inputSize x inputSize normalised values, row-major
     * @param batch B
     * @return L + 1 arrays, each B x T x C
     */
    public float[][] hiddenStates(float[] pixels, int batch) {
        return DjlRuntime.call(() -> {
            try (NDManager scope = manager.newSubManager(); NDScope arrays = new NDScope()) {
                arrays.suppressNotUsedWarning();
                long size = spec.inputSize();
                NDArray px = scope.create(pixels, new Shape(batch, spec.inputChannels(), size, size));
                TransformerForward.Weights w;
                try {
                    w = forward.derive((name, shape) -> canonical(origins.get(name)), scope);
                } catch (CheckpointException e) {
                    throw new IllegalStateException("every tensor was checked when the network was built", e);
                }
                float[][] out = new float[spec.layers() + 1][];
                NDArray x = forward.embed(w, px);
                out[0] = x.toFloatArray();
                for (int l = 0; l < spec.layers(); l++) {
                    x = forward.block(w.blocks()[l], x);
                    out[l + 1] = x.toFloatArray();
                }
                return out;
            }
        });
    }

    /**
     * Copies the parameters to the heap.
     *
     * @return every parameter by name, in {@link #parameterNames()} order
     */
    public LinkedHashMap<String, FloatTensor> parameterTensors() {
        return DjlRuntime.call(() -> {
            LinkedHashMap<String, FloatTensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                out.put(e.getKey(), new FloatTensor(e.getValue().getShape().getShape(), e.getValue().toFloatArray()));
            }
            return out;
        });
    }

    /**
     * Replaces parameter values in place (e.g. when resuming training): the arrays stay the same objects, so an
     * optimizer holding them keeps working.
     *
     * @param values new values by parameter name; each must have the parameter's shape
     * @throws IllegalArgumentException naming a parameter that is missing or misshapen
     */
    public void setParameters(Map<String, FloatTensor> values) {
        for (String name : parameters.keySet()) {
            FloatTensor t = values.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no value for parameter '" + name + "'");
            }
            if (!Arrays.equals(t.shape(), parameters.get(name).getShape().getShape())) {
                throw new IllegalArgumentException("parameter '" + name + "' has shape "
                        + parameters.get(name).getShape() + ", not " + Arrays.toString(t.shape()));
            }
        }
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            overwrite(e.getValue(), values.get(e.getKey()).data());
        }
    }

    /**
     * Copies values into an existing array, element for element, without recording gradients; the array keeps its
     * own memory and whether it requires gradients.
     *
     * @param target the array
     * @param values as many values as it has elements, row-major
     */
    public static void overwrite(NDArray target, float[] values) {
        if (values.length != target.size()) {
            throw new IllegalArgumentException("expected " + target.size() + " values, got " + values.length);
        }
        DjlRuntime.call(() -> {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                target.set(new NDIndex("..."), target.getManager().create(values, target.getShape()));
            }
            return null;
        });
    }

    /**
     * All tensors of the checkpoint, under their own names and in file order, with the parameters' current values
     * and every other tensor as stored (read as floats); for a network built from canonical tensors, the parameters.
     *
     * @return the tensors to write as the trained checkpoint's weights
     * @throws IOException if the source checkpoint can no longer be read
     */
    public LinkedHashMap<String, FloatTensor> checkpointTensors() throws IOException {
        LinkedHashMap<String, FloatTensor> trained = parameterTensors();
        if (source == null) {
            return trained;
        }
        LinkedHashMap<String, FloatTensor> out = new LinkedHashMap<>();
        try (Checkpoint c = Checkpoint.open(source)) {
            for (String name : c.tensorNames()) {
                FloatTensor t = trained.get(name);
                out.put(name, t != null ? t : new FloatTensor(c.shape(name), c.tensor(name, c.shape(name))));
            }
        }
        if (!out.keySet().containsAll(trained.keySet())) {
            List<String> lost = new ArrayList<>(trained.keySet());
            lost.removeAll(out.keySet());
            throw new CheckpointException(source + ": tensors " + lost + " are no longer in the checkpoint");
        }
        return out;
    }

    /** Frees the parameters and their gradients. */
    @Override
    public void close() {
        DjlRuntime.call(() -> {
            manager.close();
            return null;
        });
    }

    @Override
    public String toString() {
        return "TrainableTransformer" + spec + " on " + device.name();
    }
}
