package org.brainalign.engine.backbone;

import java.util.Arrays;

import org.brainalign.engine.ComputeDevice;
import org.brainalign.engine.DjlRuntime;
import org.brainalign.io.safetensors.FloatTensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/**
 * A pre-norm Vision Transformer ({@link TransformerSpec}) run by DJL's PyTorch engine. Every supported family loads
 * into this one network: the families differ only in tensor names, layouts and a few switches. Weights live in one
 * native manager for the network's lifetime; each forward pass runs in its own manager and scope, freed before it
 * returns, so repeated batches do not accumulate native memory. The forward pass itself is shared with
 * {@link TrainableTransformer}.
 */
public final class VisionTransformer implements Backbone {

    private final TransformerSpec spec;
    private final Normalization normalization;
    private final ComputeDevice device;
    private final NDManager manager;
    private final TransformerForward forward;
    private final TransformerForward.Weights weights;

    /**
     * Loads the weights onto the device.
     *
     * @param spec the architecture
     * @param source the weights by canonical name
     * @param normalization the input normalisation to report
     * @param device where to run
     * @throws CheckpointException if a tensor is missing or misshapen, naming it and its file
     */
    public VisionTransformer(TransformerSpec spec, TensorSource source, Normalization normalization,
            ComputeDevice device) throws CheckpointException {
        this.spec = spec;
        this.normalization = normalization;
        this.device = device;
        this.forward = new TransformerForward(spec);
        this.manager = DjlRuntime.call(() -> NDManager.newBaseManager(device.device(), "PyTorch"));
        boolean done = false;
        try {
            this.weights = DjlRuntime.call(() -> {
                // the scope frees what the derivation leaves behind (e.g. the class token before its position)
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    TransformerForward.Weights w = forward.derive((name, shape) -> upload(source.tensor(name, shape)),
                            manager);
                    NDScope.unregister(w.arrays());
                    return w;
                }
            });
            done = true;
        } finally {
            if (!done) {
                close();
            }
        }
    }

    /**
     * Copies a tensor into memory PyTorch owns: an array made from a Java buffer only borrows it, and a reshaped view
     * kept as a weight would outlive the buffer once the scope closes the original.
     */
    private NDArray upload(FloatTensor t) {
        NDArray staged = manager.create(t.data(), new Shape(t.shape()));
        NDArray owned = staged.duplicate();
        staged.close();
        return owned;
    }

    /** @return the architecture */
    public TransformerSpec spec() {
        return spec;
    }

    @Override
    public String familyId() {
        return spec.family();
    }

    @Override
    public int layers() {
        return spec.layers();
    }

    @Override
    public int channels() {
        return spec.channels();
    }

    @Override
    public int inputSize() {
        return spec.inputSize();
    }

    @Override
    public int inputChannels() {
        return spec.inputChannels();
    }

    @Override
    public int gridSide() {
        return spec.grid();
    }

    @Override
    public boolean hasClassToken() {
        return spec.classToken();
    }

    @Override
    public Normalization normalization() {
        return normalization;
    }

    @Override
    public ComputeDevice device() {
        return device;
    }

    @Override
    public float[][] hiddenStates(float[] pixels, int batch) {
        return DjlRuntime.call(() -> {
            try (NDManager scope = manager.newSubManager(); NDScope arrays = new NDScope()) {
                arrays.suppressNotUsedWarning();
                float[][] out = new float[spec.layers() + 1][];
                NDArray x = forward.embed(weights, pixels(scope, pixels, batch));
                out[0] = x.toFloatArray();
                TransformerForward.Block[] blocks = weights.blocks();
                for (int l = 0; l < blocks.length; l++) {
                    x = forward.block(blocks[l], x);
                    out[l + 1] = x.toFloatArray();
                }
                return out;
            }
        });
    }

    @Override
    public float[] features(float[] pixels, int batch, int grid) {
        int g = spec.grid();
        float[] w = Resampling.bilinear(g, grid);
        float[] resize = Resampling.kronecker(w, g, w, g);
        return DjlRuntime.call(() -> {
            try (NDManager scope = manager.newSubManager(); NDScope arrays = new NDScope()) {
                arrays.suppressNotUsedWarning();
                NDArray matrix = scope.create(resize, new Shape((long) grid * grid, (long) g * g));
                NDArray x = forward.embed(weights, pixels(scope, pixels, batch));
                NDList perLayer = new NDList();
                for (TransformerForward.Block b : weights.blocks()) {
                    x = forward.block(b, x);
                    NDArray local = matrix.matMul(forward.patches(x));
                    perLayer.add(NDArrays.concat(new NDList(local, forward.global(x, true)), 1));
                }
                return NDArrays.stack(perLayer, 1).toFloatArray();
            }
        });
    }

    private NDArray pixels(NDManager scope, float[] pixels, int batch) {
        long size = spec.inputSize();
        long expected = batch * spec.inputChannels() * size * size;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("expected " + batch + " x " + spec.inputChannels() + " x " + size
                    + " x " + size + " = " + expected + " pixel values, got " + pixels.length);
        }
        return scope.create(pixels, new Shape(batch, spec.inputChannels(), size, size));
    }

    /** Frees the weights. */
    @Override
    public void close() {
        DjlRuntime.call(() -> {
            manager.close();
            return null;
        });
    }

    @Override
    public String toString() {
        return "VisionTransformer" + spec + " on " + device.name();
    }

    /** @return a short description: family, blocks, width, grid */
    public String describe() {
        return spec.family() + ": " + spec.layers() + " blocks of width " + spec.channels() + ", " + spec.heads()
                + " heads, " + spec.grid() + " x " + spec.grid() + " patch grid at " + spec.inputSize() + " px"
                + (spec.registers() > 0 ? ", " + spec.registers() + " registers" : "")
                + " (windows " + Arrays.toString(spec.windows()) + ")";
    }
}
