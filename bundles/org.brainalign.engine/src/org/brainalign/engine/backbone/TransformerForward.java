package org.brainalign.engine.backbone;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/**
 * The forward pass of a {@link TransformerSpec} network on NDArrays, one implementation for inference
 * ({@link VisionTransformer}, weights derived once at load) and training ({@link TrainableTransformer}, weights
 * derived from the stored tensors in every step, inside the autograd graph). Every operation here is differentiable,
 * so the same code serves both. Callers run it inside {@code DjlRuntime.call} and an NDScope that frees the
 * intermediate arrays.
 */
final class TransformerForward {

    /** Attention scores computed at once, in floats: bounds the memory of SAM's global attention over 4096 tokens. */
    private static final long SCORE_BUDGET = 32L << 20;

    /** The canonical tensors of {@link TensorSource} as NDArrays. */
    @FunctionalInterface
    interface CanonicalArrays {

        /**
         * @param name a canonical name
         * @param shape the canonical shape; -1 marks a dimension the checkpoint decides
         * @return the tensor in the canonical shape
         * @throws CheckpointException if it is missing or misshapen
         */
        NDArray get(String name, long... shape) throws CheckpointException;
    }

    /** One block's weights; relH/relW are (q, d, k) ready for a batched product, or null. */
    record Block(NDArray norm1Weight, NDArray norm1Bias, NDArray q, NDArray qBias, NDArray k, NDArray kBias,
            NDArray v, NDArray vBias, NDArray proj, NDArray projBias, NDArray scale1, NDArray norm2Weight,
            NDArray norm2Bias, NDArray fc1, NDArray fc1Bias, NDArray fc2, NDArray fc2Bias, NDArray scale2, int window,
            NDArray relH, NDArray relW) {

        void collect(List<NDArray> into) {
            for (NDArray a : new NDArray[] { norm1Weight, norm1Bias, q, qBias, k, kBias, v, vBias, proj, projBias,
                    scale1, norm2Weight, norm2Bias, fc1, fc1Bias, fc2, fc2Bias, scale2, relH, relW }) {
                if (a != null) {
                    into.add(a);
                }
            }
        }
    }

    /**
     * The weights as the forward pass uses them: the class token with its position embedding added, the position
     * embeddings interpolated to the input grid, missing biases as zeros, relative position tables expanded.
     */
    record Weights(NDArray patchWeight, NDArray patchBias, NDArray classRow, NDArray registers, NDArray positions,
            NDArray preNormWeight, NDArray preNormBias, Block[] blocks) {

        /** @return every array, for keeping them out of a scope that frees the intermediates of their derivation */
        NDList arrays() {
            List<NDArray> all = new ArrayList<>();
            for (NDArray a : new NDArray[] { patchWeight, patchBias, classRow, registers, positions, preNormWeight,
                    preNormBias }) {
                if (a != null) {
                    all.add(a);
                }
            }
            for (Block b : blocks) {
                b.collect(all);
            }
            return new NDList(all);
        }
    }

    private final TransformerSpec spec;
    private final Shape widthShape;

    /** @param spec the architecture */
    TransformerForward(TransformerSpec spec) {
        this.spec = spec;
        this.widthShape = new Shape(spec.channels());
    }

    /**
     * Derives the forward pass's weights from the canonical tensors; constants (zero biases, interpolation matrices,
     * gather indices) are created in the given manager.
     *
     * @param canonical the canonical tensors
     * @param manager where constants go
     * @return the weights
     * @throws CheckpointException if a tensor is missing or misshapen
     */
    Weights derive(CanonicalArrays canonical, NDManager manager) throws CheckpointException {
        long c = spec.channels();
        int p = spec.patch();
        NDArray patchWeight = canonical.get("patch.weight", c, spec.inputChannels(), p, p);
        NDArray patchBias = spec.patchBias() ? canonical.get("patch.bias", c) : manager.zeros(widthShape);
        NDArray classRow = null;
        if (spec.classToken()) {
            NDArray cls = canonical.get("cls", c);
            if (spec.classPosition()) {
                cls = cls.add(canonical.get("pos.cls", c));
            }
            classRow = cls.reshape(1, 1, c);
        }
        NDArray positions = spec.positionGrid() > 0
                ? positionGrid(canonical.get("pos.grid", spec.positionGrid(), spec.positionGrid(), c), manager)
                : null;
        NDArray registers = spec.registers() > 0
                ? canonical.get("registers", spec.registers(), c).reshape(1, spec.registers(), c)
                : null;
        NDArray preNormWeight = spec.preNorm() ? canonical.get("prenorm.weight", c) : null;
        NDArray preNormBias = spec.preNorm() ? canonical.get("prenorm.bias", c) : null;
        Block[] blocks = new Block[spec.layers()];
        for (int l = 0; l < spec.layers(); l++) {
            blocks[l] = block(canonical, manager, l);
        }
        return new Weights(patchWeight, patchBias, classRow, registers, positions, preNormWeight, preNormBias, blocks);
    }

    private Block block(CanonicalArrays canonical, NDManager manager, int l) throws CheckpointException {
        String b = "blocks." + l + ".";
        long c = spec.channels();
        long h = spec.mlpHidden();
        long fc1Rows = spec.swiglu() ? 2 * h : h;
        int window = spec.windows()[l];
        NDArray relH = null;
        NDArray relW = null;
        if (spec.relativePositions()) {
            int side = window > 0 ? window : spec.grid();
            relH = relativeTable(canonical.get(b + "relh", -1, spec.headDim()), side, manager);
            relW = relativeTable(canonical.get(b + "relw", -1, spec.headDim()), side, manager);
        }
        return new Block(canonical.get(b + "norm1.weight", c), canonical.get(b + "norm1.bias", c),
                canonical.get(b + "q.weight", c, c), qkvBias(canonical, manager, b + "q.bias"),
                canonical.get(b + "k.weight", c, c), qkvBias(canonical, manager, b + "k.bias"),
                canonical.get(b + "v.weight", c, c), qkvBias(canonical, manager, b + "v.bias"),
                canonical.get(b + "proj.weight", c, c), canonical.get(b + "proj.bias", c),
                spec.layerScale() ? canonical.get(b + "ls1", c) : null,
                canonical.get(b + "norm2.weight", c), canonical.get(b + "norm2.bias", c),
                canonical.get(b + "fc1.weight", fc1Rows, c), canonical.get(b + "fc1.bias", fc1Rows),
                canonical.get(b + "fc2.weight", c, h), canonical.get(b + "fc2.bias", c),
                spec.layerScale() ? canonical.get(b + "ls2", c) : null, window, relH, relW);
    }

    private NDArray qkvBias(CanonicalArrays canonical, NDManager manager, String name) throws CheckpointException {
        return spec.qkvBias() ? canonical.get(name, spec.channels()) : manager.zeros(widthShape);
    }

    /**
     * Turns (G, G, C) trained position embeddings into (g * g, C) for the grid at the input size: bicubic
     * interpolation (antialiased, or by torch.hub's scale factor, when the spec says so) as one product with the
     * Kronecker matrix of the separable weights, as F.interpolate does on (1, C, G, G).
     */
    private NDArray positionGrid(NDArray trained, NDManager manager) {
        int big = spec.positionGrid();
        int g = spec.grid();
        long c = spec.channels();
        NDArray flat = trained.reshape((long) big * big, c);
        if (big == g) {
            return flat;
        }
        float[] w;
        if (spec.antialiasedPositions()) {
            w = Resampling.antialiasedBicubic(big, g);
        } else if (spec.positionOffset() > 0) {
            w = Resampling.bicubic(big, g, (g + spec.positionOffset()) / big);
        } else {
            w = Resampling.bicubic(big, g);
        }
        Shape shape = new Shape((long) g * g, (long) big * big);
        return manager.create(Resampling.kronecker(w, big, w, big), shape).matMul(flat);
    }

    /**
     * Builds the (q, d, k) table of relative position embeddings for a square attention window of side q = k: entry
     * [i][.][j] is the stored embedding for offset i - j, after linear interpolation of the stored table to 2q - 1
     * offsets when its length differs (as SAM does).
     */
    private static NDArray relativeTable(NDArray stored, int side, NDManager manager) {
        long length = stored.getShape().get(0);
        long d = stored.getShape().get(1);
        int needed = 2 * side - 1;
        NDArray table = stored;
        if (length != needed) {
            NDArray resize = manager.create(Resampling.bilinear((int) length, needed), new Shape(needed, length));
            table = resize.matMul(stored);
        }
        long[] index = new long[(int) (side * d * side)];
        for (int i = 0; i < side; i++) {
            for (int k = 0; k < d; k++) {
                for (int j = 0; j < side; j++) {
                    index[(int) ((i * d + k) * side + j)] = (i - j + side - 1) * d + k;
                }
            }
        }
        return table.take(manager.create(index, new Shape(side, d, side)));
    }

    /**
     * Embeds normalised images: patch convolution, position embeddings, class token and registers, pre-norm.
     *
     * @param w the weights
     * @param pixels (B, inputChannels, inputSize, inputSize)
     * @return the first hidden state (B, T, C)
     */
    NDArray embed(Weights w, NDArray pixels) {
        long batch = pixels.getShape().get(0);
        long c = spec.channels();
        long g = spec.grid();
        NDArray x = Conv2d.conv2d(pixels, w.patchWeight(), w.patchBias(), new Shape(spec.patch(), spec.patch()))
                .get(0);
        x = x.reshape(batch, c, g * g).transpose(0, 2, 1);
        if (w.positions() != null) {
            x = x.add(w.positions());
        }
        NDList parts = new NDList();
        if (w.classRow() != null) {
            parts.add(w.classRow().broadcast(batch, 1, c));
        }
        if (w.registers() != null) {
            parts.add(w.registers().broadcast(batch, spec.registers(), c));
        }
        if (!parts.isEmpty()) {
            parts.add(x);
            x = NDArrays.concat(parts, 1);
        }
        if (w.preNormWeight() != null) {
            x = LayerNorm.layerNorm(x, widthShape, w.preNormWeight(), w.preNormBias(), spec.eps()).get(0);
        }
        return x;
    }

    /**
     * Runs one block.
     *
     * @param b its weights
     * @param x (B, T, C) tokens
     * @return the block's output (B, T, C)
     */
    NDArray block(Block b, NDArray x) {
        NDArray h = LayerNorm.layerNorm(x, widthShape, b.norm1Weight(), b.norm1Bias(), spec.eps()).get(0);
        NDArray a = b.window() > 0 ? windowedAttention(b, h) : attention(b, h, spec.grid());
        a = Linear.linear(a, b.proj(), b.projBias()).get(0);
        if (b.scale1() != null) {
            a = a.mul(b.scale1());
        }
        x = x.add(a);
        h = LayerNorm.layerNorm(x, widthShape, b.norm2Weight(), b.norm2Bias(), spec.eps()).get(0);
        h = Linear.linear(h, b.fc1(), b.fc1Bias()).get(0);
        if (spec.swiglu()) {
            NDList halves = h.split(2, h.getShape().dimension() - 1);
            h = halves.get(0).mul(Activation.sigmoid(halves.get(0))).mul(halves.get(1));
        } else {
            h = activate(h);
        }
        h = Linear.linear(h, b.fc2(), b.fc2Bias()).get(0);
        if (b.scale2() != null) {
            h = h.mul(b.scale2());
        }
        return x.add(h);
    }

    /**
     * @param x (B, T, C) tokens
     * @return the patch tokens (B, g * g, C), without class token and registers
     */
    NDArray patches(NDArray x) {
        return spec.prefixTokens() > 0 ? x.get(new NDIndex(":, {}:, :", spec.prefixTokens())) : x;
    }

    /**
     * @param x (B, T, C) tokens
     * @param keepDimension whether to keep the token axis, (B, 1, C), or drop it, (B, C)
     * @return the global token: the class token, or the spatial mean of the patch tokens without one
     */
    NDArray global(NDArray x, boolean keepDimension) {
        NDArray global = spec.classToken()
                ? x.get(new NDIndex(":, 0:1, :"))
                : patches(x).mean(new int[] { 1 }, true);
        return keepDimension ? global : global.squeeze(1);
    }

    private NDArray activate(NDArray h) {
        return switch (spec.activation()) {
            // DJL's PyTorch gelu is torch's exact (erf) form
            case GELU -> Activation.gelu(h);
            case GELU_TANH -> {
                NDArray inner = h.add(h.pow(3).mul(0.044715f)).mul((float) Math.sqrt(2 / Math.PI));
                yield h.mul(inner.tanh().add(1f)).mul(0.5f);
            }
            case QUICK_GELU -> h.mul(Activation.sigmoid(h.mul(1.702f)));
            case RELU -> Activation.relu(h);
            case SILU -> h.mul(Activation.sigmoid(h));
        };
    }

    /** SAM's windowed attention: pad the grid to whole windows, attend within each window, crop back. */
    private NDArray windowedAttention(Block b, NDArray h) {
        long batch = h.getShape().get(0);
        int g = spec.grid();
        int w = b.window();
        long c = spec.channels();
        int padded = (g + w - 1) / w * w;
        int n = padded / w;
        NDArray grid = h.reshape(batch, g, g, c);
        if (padded != g) {
            // zeros after the norm, as SAM pads
            NDManager m = h.getManager();
            grid = NDArrays.concat(new NDList(grid, m.zeros(new Shape(batch, padded - g, g, c))), 1);
            grid = NDArrays.concat(new NDList(grid, m.zeros(new Shape(batch, padded, padded - g, c))), 2);
        }
        NDArray windows = grid.reshape(batch, n, w, n, w, c).transpose(0, 1, 3, 2, 4, 5)
                .reshape(batch * n * n, (long) w * w, c);
        NDArray out = attention(b, windows, w);
        out = out.reshape(batch, n, n, w, w, c).transpose(0, 1, 3, 2, 4, 5).reshape(batch, padded, padded, c);
        if (padded != g) {
            out = out.get(new NDIndex(":, :{}, :{}, :", g, g));
        }
        return out.reshape(batch, (long) g * g, c);
    }

    /**
     * Multi-head self-attention over (N, T, C) tokens; with relative positions, T must be a side x side grid. Scores
     * are computed in chunks of heads so that no more than {@link #SCORE_BUDGET} of them exist at once.
     */
    private NDArray attention(Block b, NDArray h, int side) {
        long n = h.getShape().get(0);
        long t = h.getShape().get(1);
        long c = spec.channels();
        int heads = spec.heads();
        long d = spec.headDim();
        NDArray q = split(Linear.linear(h, b.q(), b.qBias()).get(0), n, t, heads, d);
        NDArray k = split(Linear.linear(h, b.k(), b.kBias()).get(0), n, t, heads, d);
        NDArray v = split(Linear.linear(h, b.v(), b.vBias()).get(0), n, t, heads, d);
        float scale = (float) (1 / Math.sqrt(d));
        long rows = n * heads;
        long chunk = Math.max(1, SCORE_BUDGET / (t * t));
        NDList outs = new NDList();
        for (long start = 0; start < rows; start += chunk) {
            long end = Math.min(rows, start + chunk);
            boolean whole = start == 0 && end == rows;
            NDArray qc = whole ? q : q.get(new NDIndex("{}:{}", start, end));
            NDArray kc = whole ? k : k.get(new NDIndex("{}:{}", start, end));
            NDArray vc = whole ? v : v.get(new NDIndex("{}:{}", start, end));
            NDArray scores = qc.matMul(kc.transpose(0, 2, 1)).mul(scale);
            if (b.relH() != null) {
                scores = addRelativePositions(scores, qc, b, side, end - start);
            }
            outs.add(scores.softmax(-1).matMul(vc));
        }
        NDArray out = outs.size() == 1 ? outs.get(0) : NDArrays.concat(outs, 0);
        return out.reshape(n, heads, t, d).transpose(0, 2, 1, 3).reshape(n, t, c);
    }

    private static NDArray split(NDArray x, long n, long t, int heads, long d) {
        return x.reshape(n, t, heads, d).transpose(0, 2, 1, 3).reshape(n * heads, t, d);
    }

    /** Adds SAM's decomposed relative position terms q . R_h[y, y'] + q . R_w[x, x'] to (rows, s*s, s*s) scores. */
    private static NDArray addRelativePositions(NDArray scores, NDArray q, Block b, int side, long rows) {
        long s = side;
        long d = q.getShape().get(2);
        NDArray grid = q.reshape(rows, s, s, d);
        // rows along the height: (y, rows * x, d) x (y, d, y') -> (y, rows, x, y') -> (rows, y, x, y')
        NDArray relH = grid.transpose(1, 0, 2, 3).reshape(s, rows * s, d).matMul(b.relH()).reshape(s, rows, s, s)
                .transpose(1, 0, 2, 3);
        // columns along the width: (x, rows * y, d) x (x, d, x') -> (x, rows, y, x') -> (rows, y, x, x')
        NDArray relW = grid.transpose(2, 0, 1, 3).reshape(s, rows * s, d).matMul(b.relW()).reshape(s, rows, s, s)
                .transpose(1, 2, 0, 3);
        return scores.reshape(rows, s, s, s, s).add(relH.expandDims(4)).add(relW.expandDims(3))
                .reshape(rows, s * s, s * s);
    }
}
