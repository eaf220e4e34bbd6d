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
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/**
 * A pre-norm Vision Transformer ({@link TransformerSpec}) run by DJL's PyTorch engine. Every supported family loads
 * into this one network: the families differ only in tensor names, layouts and a few switches. Weights live in one
 * native manager for the network's lifetime; each forward pass runs in its own manager and scope, freed before it
 * returns, so repeated batches do not accumulate native memory.
 */
public final class VisionTransformer implements Backbone {

    /** Attention scores computed at once, in floats: bounds the memory of SAM's global attention over 4096 tokens. */
    private static final long SCORE_BUDGET = 32L << 20;

    private final TransformerSpec spec;
    private final Normalization normalization;
    private final ComputeDevice device;
    private final NDManager manager;
    private final NDArray patchWeight;
    private final NDArray patchBias;
    private final NDArray classRow;
    private final NDArray registers;
    private final NDArray positions;
    private final NDArray preNormWeight;
    private final NDArray preNormBias;
    private final Block[] blocks;
    private final Shape widthShape;

    /** One block's weights; relH/relW are (q, d, k) ready for a batched product, or null. */
    private record Block(NDArray norm1Weight, NDArray norm1Bias, NDArray q, NDArray qBias, NDArray k, NDArray kBias,
            NDArray v, NDArray vBias, NDArray proj, NDArray projBias, NDArray scale1, NDArray norm2Weight,
            NDArray norm2Bias, NDArray fc1, NDArray fc1Bias, NDArray fc2, NDArray fc2Bias, NDArray scale2, int window,
            NDArray relH, NDArray relW) {
    }

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
        this.widthShape = new Shape(spec.channels());
        this.manager = DjlRuntime.call(() -> NDManager.newBaseManager(device.device(), "PyTorch"));
        boolean done = false;
        try {
            long c = spec.channels();
            int p = spec.patch();
            patchWeight = upload(source.tensor("patch.weight", c, spec.inputChannels(), p, p));
            patchBias = upload(spec.patchBias() ? source.tensor("patch.bias", c)
                    : new FloatTensor(new long[] {c}, new float[(int) c]));
            float[] cls = null;
            if (spec.classToken()) {
                cls = source.tensor("cls", c).data().clone();
                if (spec.classPosition()) {
                    float[] pos = source.tensor("pos.cls", c).data();
                    for (int i = 0; i < cls.length; i++) {
                        cls[i] += pos[i];
                    }
                }
            }
            classRow = cls == null ? null : upload(new FloatTensor(new long[] {1, 1, c}, cls));
            registers = spec.registers() > 0
                    ? upload(reshape(source.tensor("registers", spec.registers(), c), 1, spec.registers(), c))
                    : null;
            positions = spec.positionGrid() > 0 ? upload(positionGrid(source.tensor("pos.grid", spec.positionGrid(),
                    spec.positionGrid(), c))) : null;
            preNormWeight = spec.preNorm() ? upload(source.tensor("prenorm.weight", c)) : null;
            preNormBias = spec.preNorm() ? upload(source.tensor("prenorm.bias", c)) : null;
            blocks = new Block[spec.layers()];
            for (int l = 0; l < spec.layers(); l++) {
                blocks[l] = loadBlock(source, l);
            }
            done = true;
        } finally {
            if (!done) {
                close();
            }
        }
    }

    private Block loadBlock(TensorSource source, int l) throws CheckpointException {
        String b = "blocks." + l + ".";
        long c = spec.channels();
        long h = spec.mlpHidden();
        long fc1Rows = spec.swiglu() ? 2 * h : h;
        int window = spec.windows()[l];
        NDArray relH = null;
        NDArray relW = null;
        if (spec.relativePositions()) {
            int side = window > 0 ? window : spec.grid();
            relH = upload(relativeTable(source.tensor(b + "relh", -1, spec.headDim()), side));
            relW = upload(relativeTable(source.tensor(b + "relw", -1, spec.headDim()), side));
        }
        return new Block(upload(source.tensor(b + "norm1.weight", c)), upload(source.tensor(b + "norm1.bias", c)),
                upload(source.tensor(b + "q.weight", c, c)), qkvBias(source, b + "q.bias"),
                upload(source.tensor(b + "k.weight", c, c)), qkvBias(source, b + "k.bias"),
                upload(source.tensor(b + "v.weight", c, c)), qkvBias(source, b + "v.bias"),
                upload(source.tensor(b + "proj.weight", c, c)), upload(source.tensor(b + "proj.bias", c)),
                spec.layerScale() ? upload(source.tensor(b + "ls1", c)) : null,
                upload(source.tensor(b + "norm2.weight", c)), upload(source.tensor(b + "norm2.bias", c)),
                upload(source.tensor(b + "fc1.weight", fc1Rows, c)), upload(source.tensor(b + "fc1.bias", fc1Rows)),
                upload(source.tensor(b + "fc2.weight", c, h)), upload(source.tensor(b + "fc2.bias", c)),
                spec.layerScale() ? upload(source.tensor(b + "ls2", c)) : null, window, relH, relW);
    }

    private NDArray qkvBias(TensorSource source, String name) throws CheckpointException {
        long c = spec.channels();
        return upload(spec.qkvBias() ? source.tensor(name, c) : new FloatTensor(new long[] {c}, new float[(int) c]));
    }

    private NDArray upload(FloatTensor t) {
        return DjlRuntime.call(() -> manager.create(t.data(), new Shape(t.shape())));
    }

    private static FloatTensor reshape(FloatTensor t, long... shape) {
        return new FloatTensor(shape, t.data());
    }

    /** Interpolates (G, G, C) trained position embeddings to the grid at the input size, as (g * g, C). */
    private FloatTensor positionGrid(FloatTensor trained) {
        int big = spec.positionGrid();
        int g = spec.grid();
        int c = spec.channels();
        float[] data = trained.data();
        if (big != g) {
            // planes of one channel each, resized by separable weights, as F.interpolate does on (1, C, G, G)
            float[] planes = new float[c * big * big];
            for (int i = 0; i < big * big; i++) {
                for (int ch = 0; ch < c; ch++) {
                    planes[ch * big * big + i] = data[i * c + ch];
                }
            }
            float[] w = spec.antialiasedPositions() ? Resampling.antialiasedBicubic(big, g)
                    : Resampling.bicubic(big, g);
            float[] resized = Resampling.resize(planes, c, big, big, w, w);
            data = new float[g * g * c];
            for (int i = 0; i < g * g; i++) {
                for (int ch = 0; ch < c; ch++) {
                    data[i * c + ch] = resized[ch * g * g + i];
                }
            }
        }
        return new FloatTensor(new long[] {(long) g * g, c}, data);
    }

    /**
     * Builds the (q, d, k) table of relative position embeddings for a square attention window of side q = k: entry
     * [i][.][j] is the stored embedding for offset i - j, after linear interpolation of the stored table to 2q - 1
     * offsets when its length differs (as SAM does).
     */
    private static FloatTensor relativeTable(FloatTensor stored, int side) {
        int length = (int) stored.shape()[0];
        int d = (int) stored.shape()[1];
        int needed = 2 * side - 1;
        float[] table = stored.data();
        if (length != needed) {
            float[] w = Resampling.bilinear(length, needed);
            float[] resized = new float[needed * d];
            for (int o = 0; o < needed; o++) {
                for (int i = 0; i < length; i++) {
                    float wi = w[o * length + i];
                    if (wi != 0) {
                        for (int k = 0; k < d; k++) {
                            resized[o * d + k] += wi * table[i * d + k];
                        }
                    }
                }
            }
            table = resized;
        }
        float[] out = new float[side * d * side];
        for (int i = 0; i < side; i++) {
            for (int j = 0; j < side; j++) {
                int offset = i - j + side - 1;
                for (int k = 0; k < d; k++) {
                    out[(i * d + k) * side + j] = table[offset * d + k];
                }
            }
        }
        return new FloatTensor(new long[] {side, d, side}, out);
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
                NDArray x = embed(scope, pixels, batch);
                out[0] = x.toFloatArray();
                for (int l = 0; l < blocks.length; l++) {
                    x = block(blocks[l], x, batch);
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
                NDArray x = embed(scope, pixels, batch);
                NDList perLayer = new NDList();
                for (Block b : blocks) {
                    x = block(b, x, batch);
                    NDArray patches = spec.prefixTokens() > 0 ? x.get(new NDIndex(":, {}:, :", spec.prefixTokens()))
                            : x;
                    NDArray local = matrix.matMul(patches);
                    NDArray global = spec.classToken() ? x.get(new NDIndex(":, 0:1, :"))
                            : patches.mean(new int[] {1}, true);
                    perLayer.add(NDArrays.concat(new NDList(local, global), 1));
                }
                return NDArrays.stack(perLayer, 1).toFloatArray();
            }
        });
    }

    private NDArray embed(NDManager scope, float[] pixels, int batch) {
        long size = spec.inputSize();
        long expected = batch * spec.inputChannels() * size * size;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("expected " + batch + " x " + spec.inputChannels() + " x " + size
                    + " x " + size + " = " + expected + " pixel values, got " + pixels.length);
        }
        long c = spec.channels();
        long g = spec.grid();
        NDArray px = scope.create(pixels, new Shape(batch, spec.inputChannels(), size, size));
        NDArray x = Conv2d.conv2d(px, patchWeight, patchBias, new Shape(spec.patch(), spec.patch())).get(0);
        x = x.reshape(batch, c, g * g).transpose(0, 2, 1);
        if (positions != null) {
            x = x.add(positions);
        }
        NDList parts = new NDList();
        if (classRow != null) {
            parts.add(classRow.broadcast(batch, 1, c));
        }
        if (registers != null) {
            parts.add(registers.broadcast(batch, spec.registers(), c));
        }
        if (!parts.isEmpty()) {
            parts.add(x);
            x = NDArrays.concat(parts, 1);
        }
        if (preNormWeight != null) {
            x = LayerNorm.layerNorm(x, widthShape, preNormWeight, preNormBias, spec.eps()).get(0);
        }
        return x;
    }

    private NDArray block(Block b, NDArray x, int batch) {
        NDArray h = LayerNorm.layerNorm(x, widthShape, b.norm1Weight(), b.norm1Bias(), spec.eps()).get(0);
        NDArray a = b.window() > 0 ? windowedAttention(b, h, batch) : attention(b, h, spec.grid());
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
    private NDArray windowedAttention(Block b, NDArray h, int batch) {
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
                .reshape((long) batch * n * n, (long) w * w, c);
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
