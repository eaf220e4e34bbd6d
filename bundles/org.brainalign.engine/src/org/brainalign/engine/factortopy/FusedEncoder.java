package org.brainalign.engine.factortopy;

import java.util.Arrays;

/**
 * The fast CPU formulation of FactorTopy, in float: the same function as {@link ReferenceEncoder}, organised around
 * where the time goes at paper scale (package documentation). Each step it runs the three selector networks over all
 * voxels, feature-major in blocks of voxels (the first layers of the three as one product), the bottlenecks as matrix
 * products into a token table laid out [layer][cell][image][channel], sorts the voxels by the grid cell their position
 * falls in, and then, group by group, reads the at most four neighbour cells and the global token of every layer once
 * for all the group's voxels while it samples, mixes layers and scales, reads out, takes the loss and writes every
 * gradient (readout, mixing weights, position, tokens). The token gradients go back through the bottlenecks, the
 * mixing gradients through the selector heads and networks. All products are written as row updates
 * ({@link RowKernels}) that the JIT vectorises.
 * <p>
 * Work is split into a fixed number of parts (voxel ranges, layers), each writing its own outputs and partial sums,
 * which are added in part order: the result is the same bits for any number of threads.
 */
public final class FusedEncoder {

    /** Voxel ranges per pass; fixed so that partial sums, and hence results, do not depend on the thread count. */
    public static final int PARTS = 4;

    private static final int KINDS = SelectorKind.values().length;

    private final EncoderShape shape;
    private final int maxBatch;
    private final Workers workers;
    private final float[][] encodings;
    private final int n;
    private final int nl;
    private final int c;
    private final int g;
    private final int cells;
    private final int slots;
    private final int d;
    private final int h;
    private final int[] outputs = new int[KINDS];

    /** The first layers of the three selectors as one 3H x 192 matrix (rows shared with the parameters). */
    private final float[][] w1All;
    /** Per selector, the second and last layers transposed, for the backward pass. */
    private final float[][][] w2t;
    private final float[][][] w3t;
    /** Voxel blocks: each part's voxels cut into blocks of at most {@value #SELECTOR_BLOCK}. */
    private final int[] blockStart;
    private final int[] firstBlock = new int[PARTS + 1];
    /** Positional encodings per block, feature-major: [block][192][voxel in block]. */
    private final float[][][] encodingsT;
    /** Selector activations and GELU slopes per kind and block, feature-major: [kind][block][unit][voxel]. */
    private float[][][][] act1;
    private float[][][][] slope1;
    private float[][][][] act2;
    private float[][][][] slope2;
    private float[][][] headGrad;

    private final float[] posX;
    private final float[] posY;
    private final float[] scale;
    private final float[][] layerWeights;

    private final float[][][][] tokens;
    private final float[][][] inputs;
    private final float[][][] localT;
    private final float[][][] globalT;

    private final int[] keys;
    private final int[] order;

    private final Part[] parts = new Part[PARTS];
    private EncoderParameters prepared;

    /** Wall time spent in the phases of {@link #step}, for the benchmark (bench fit): see {@link #PHASES}. */
    public final long[] phaseNanos = new long[5];

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory
            .getThreadMXBean();

    /** On one thread the phases are timed in CPU time, which other work on the machine does not inflate. */
    private long clock() {
        return workers.threads() == 1 ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** The phases of a training step. */
    public static final String[] PHASES = { "selectors forward", "bottleneck forward",
            "sampling, loss and its gradients",
            "bottleneck backward", "selectors backward" };
    private double lastData;
    private double lastReg;

    /**
     * Voxels per block of the selector passes, which run feature-major: every matrix row then holds a block of voxels,
     * long enough for the vectorised loops to run at full speed.
     */
    public static final int SELECTOR_BLOCK = 256;

    /** Voxels per block of the sampling pass. */
    static final int SAMPLE_BLOCK = 12;

    /** One selector's gradient, summed over a part's voxels. */
    private final class SelectorGrad {

        final float[][] w1 = new float[h][EncoderShape.ENCODING];
        final float[] b1 = new float[h];
        final float[][] w2 = new float[h][h];
        final float[] b2 = new float[h];
        final float[][] w3;

        SelectorGrad(int outputs) {
            w3 = new float[outputs][h];
        }

        void clear() {
            for (float[] row : w1) {
                Arrays.fill(row, 0f);
            }
            for (float[] row : w2) {
                Arrays.fill(row, 0f);
            }
            for (float[] row : w3) {
                Arrays.fill(row, 0f);
            }
            Arrays.fill(b1, 0f);
            Arrays.fill(b2, 0f);
        }
    }

    /** Scratch and partial sums of one part. */
    private final class Part {

        final float[][] tt;
        final float[][] rows;
        final float[][] dRows;
        final float[][] u = new float[SAMPLE_BLOCK][];
        final float[][] coef = new float[SAMPLE_BLOCK][];
        final float[][] blockW = new float[SAMPLE_BLOCK][];
        final float[][] blockDw = new float[SAMPLE_BLOCK][];
        final float[] mix;
        final float[] dmix;
        final float[] slope;
        final float[] acc;
        final double[] dp;
        final double[] localMix;
        final int[] slotCell = new int[5];
        final int[] slotCorner = new int[5];
        final float[][] z1;
        final float[][] s1;
        final float[][] z2;
        final float[][] s2;
        final float[][] scratch1;
        final float[][] scratchSlope1;
        final float[][] scratch2;
        final float[][] scratchSlope2;
        final float[][] outT;
        final float[][] dg;
        final float[][] dz2;
        final float[][] dz1;
        final float[][] z1vm;
        final float[][] z2vm;
        final float[][] pe = new float[SELECTOR_BLOCK][];
        final float[][] gelu;
        final SelectorGrad[] selectorGrad = new SelectorGrad[KINDS];
        /** Token gradients of this part's voxels, [layer][cell or global] rows of batch x D. */
        float[][][] dTokens;
        final float[][] q = new float[SAMPLE_BLOCK][];
        final float[][] mixRows = new float[SAMPLE_BLOCK][];
        final boolean[] touched;
        double data;
        double entropy;
        double spread;

        Part() {
            int q = 5 * nl * maxBatch;
            tt = new float[d][q];
            rows = new float[q][];
            dRows = new float[5 * nl][];
            for (int v = 0; v < SAMPLE_BLOCK; v++) {
                u[v] = new float[q];
                coef[v] = new float[q];
                this.q[v] = new float[maxBatch * d];
                mixRows[v] = new float[5 * nl];
            }

            int kMax = Math.max(2, nl);
            z1 = new float[KINDS * h][];
            s1 = new float[KINDS * h][];
            z2 = new float[h][];
            s2 = new float[h][];
            scratch1 = new float[KINDS * h][SELECTOR_BLOCK];
            scratchSlope1 = new float[KINDS * h][SELECTOR_BLOCK];
            scratch2 = new float[h][SELECTOR_BLOCK];
            scratchSlope2 = new float[h][SELECTOR_BLOCK];
            outT = new float[kMax][SELECTOR_BLOCK];
            dg = new float[h][SELECTOR_BLOCK];
            dz2 = new float[h][SELECTOR_BLOCK];
            dz1 = new float[h][SELECTOR_BLOCK];
            z1vm = new float[SELECTOR_BLOCK][h];
            z2vm = new float[SELECTOR_BLOCK][h];
            mix = new float[5 * nl];
            dmix = new float[5 * nl];
            slope = new float[maxBatch];
            acc = new float[maxBatch];
            dp = new double[nl];
            localMix = new double[nl];
            gelu = new float[Gelu.SCRATCH_ROWS][SELECTOR_BLOCK];
            touched = new boolean[slots];
        }

        SelectorGrad selectorGrad(int kind) {
            if (selectorGrad[kind] == null) {
                selectorGrad[kind] = new SelectorGrad(outputs[kind]);
            }
            return selectorGrad[kind];
        }
    }

    /**
     * @param shape the encoder shape
     * @param encodings positional encodings of the N voxels, N x 192 (shared)
     * @param maxBatch the largest batch that will be passed
     * @param workers the threads to use
     */
    public FusedEncoder(EncoderShape shape, float[][] encodings, int maxBatch, Workers workers) {
        this.shape = shape;
        this.maxBatch = maxBatch;
        this.workers = workers;
        this.encodings = encodings;
        this.n = shape.voxels();
        this.nl = shape.layers();
        this.c = shape.channels();
        this.g = shape.grid();
        this.cells = shape.cells();
        this.slots = cells + 1;
        this.d = shape.bottleneck();
        this.h = shape.hidden();
        if (encodings.length != n) {
            throw new IllegalArgumentException(encodings.length + " encodings for " + n + " voxels");
        }
        for (SelectorKind k : SelectorKind.values()) {
            outputs[k.ordinal()] = k.outputs(nl);
        }
        w1All = new float[KINDS * h][];
        w2t = new float[KINDS][h][h];
        w3t = new float[KINDS][][];
        for (int k = 0; k < KINDS; k++) {
            w3t[k] = new float[h][outputs[k]];
        }
        int blocks = 0;
        for (int p = 0; p < PARTS; p++) {
            firstBlock[p] = blocks;
            blocks += (from(p + 1, n) - from(p, n) + SELECTOR_BLOCK - 1) / SELECTOR_BLOCK;
        }
        firstBlock[PARTS] = blocks;
        blockStart = new int[blocks + 1];
        for (int p = 0; p < PARTS; p++) {
            int v = from(p, n);
            for (int b = firstBlock[p]; b < firstBlock[p + 1]; b++) {
                blockStart[b] = v;
                v = Math.min(v + SELECTOR_BLOCK, from(p + 1, n));
            }
        }
        blockStart[blocks] = n;
        encodingsT = new float[blocks][EncoderShape.ENCODING][];
        for (int b = 0; b < blocks; b++) {
            int cnt = blockStart[b + 1] - blockStart[b];
            for (int j = 0; j < EncoderShape.ENCODING; j++) {
                float[] row = new float[cnt];
                for (int r = 0; r < cnt; r++) {
                    row[r] = encodings[blockStart[b] + r][j];
                }
                encodingsT[b][j] = row;
            }
        }
        posX = new float[n];
        posY = new float[n];
        scale = new float[n];
        layerWeights = new float[n][nl];
        tokens = new float[nl][slots][maxBatch][d];
        inputs = new float[nl][maxBatch * slots][c];
        localT = new float[nl][c][d];
        globalT = new float[nl][c][d];
        keys = new int[n];
        order = new int[n];
        for (int i = 0; i < PARTS; i++) {
            parts[i] = new Part();
        }
    }

    /** @return the encoder shape */
    EncoderShape shape() {
        return shape;
    }

    /** @return x of every voxel after {@link #prepare} */
    float[] x() {
        return posX;
    }

    /** @return y of every voxel after {@link #prepare} */
    float[] y() {
        return posY;
    }

    /** @return s of every voxel after {@link #prepare} */
    float[] scale() {
        return scale;
    }

    /** @return p(n, l) after {@link #prepare} */
    float[][] layerWeights() {
        return layerWeights;
    }

    /** @return the data term of the last step: smooth L1 averaged over batch and voxels */
    double lastDataLoss() {
        return lastData;
    }

    /** @return the regulariser of the last step, before weighting */
    double lastRegulariser() {
        return lastReg;
    }

    private static int from(int part, int count) {
        return (int) ((long) part * count / PARTS);
    }

    /**
     * Runs the selector networks for the given parameters; predictions then use them.
     *
     * @param prm the parameters
     * @param training whether to keep the activations a backward pass needs
     */
    void prepare(EncoderParameters prm, boolean training) {
        for (SelectorKind k : SelectorKind.values()) {
            EncoderParameters.Selector sel = prm.selector(k);
            float[][] w1 = sel.w1.rows();
            for (int i = 0; i < h; i++) {
                w1All[k.ordinal() * h + i] = w1[i];
            }
            RowKernels.transpose(sel.w2.rows(), w2t[k.ordinal()]);
            RowKernels.transpose(sel.w3.rows(), w3t[k.ordinal()]);
        }
        if (training && act1 == null) {
            int blocks = blockStart.length - 1;
            act1 = new float[KINDS][blocks][][];
            slope1 = new float[KINDS][blocks][][];
            act2 = new float[KINDS][blocks][][];
            slope2 = new float[KINDS][blocks][][];
            for (int k = 0; k < KINDS; k++) {
                for (int b = 0; b < blocks; b++) {
                    int cnt = blockStart[b + 1] - blockStart[b];
                    act1[k][b] = new float[h][cnt];
                    slope1[k][b] = new float[h][cnt];
                    act2[k][b] = new float[h][cnt];
                    slope2[k][b] = new float[h][cnt];
                }
            }
            headGrad = new float[KINDS][][];
            for (int k = 0; k < KINDS; k++) {
                headGrad[k] = new float[n][outputs[k]];
            }
        }
        workers.run(PARTS, part -> selectorsForward(prm, part, training));
        prepared = prm;
    }

    private void selectorsForward(EncoderParameters prm, int part, boolean training) {
        Part ps = parts[part];
        double[] out = new double[Math.max(2, nl)];
        for (int blk = firstBlock[part]; blk < firstBlock[part + 1]; blk++) {
            int v0 = blockStart[blk];
            int cnt = blockStart[blk + 1] - v0;
            // first layers of the three selectors as one product, rows kind * H + unit
            for (int k = 0; k < KINDS; k++) {
                float[] b1 = prm.selector(SelectorKind.values()[k]).b1.rows()[0];
                for (int i = 0; i < h; i++) {
                    int row = k * h + i;
                    ps.z1[row] = training ? act1[k][blk][i] : ps.scratch1[row];
                    ps.s1[row] = training ? slope1[k][blk][i] : ps.scratchSlope1[row];
                    Arrays.fill(ps.z1[row], 0, cnt, b1[i]);
                }
            }
            RowKernels.gemm(ps.z1, w1All, encodingsT[blk], KINDS * h, EncoderShape.ENCODING, cnt);
            for (int row = 0; row < KINDS * h; row++) {
                Gelu.apply(ps.z1[row], ps.s1[row], cnt, ps.gelu);
            }
            for (int k = 0; k < KINDS; k++) {
                EncoderParameters.Selector sel = prm.selector(SelectorKind.values()[k]);
                float[] b2 = sel.b2.rows()[0];
                float[][] in = training ? act1[k][blk] : Arrays.copyOfRange(ps.scratch1, k * h, (k + 1) * h);
                for (int i = 0; i < h; i++) {
                    ps.z2[i] = training ? act2[k][blk][i] : ps.scratch2[i];
                    ps.s2[i] = training ? slope2[k][blk][i] : ps.scratchSlope2[i];
                    Arrays.fill(ps.z2[i], 0, cnt, b2[i]);
                }
                RowKernels.gemm(ps.z2, sel.w2.rows(), in, h, h, cnt);
                for (int i = 0; i < h; i++) {
                    Gelu.apply(ps.z2[i], ps.s2[i], cnt, ps.gelu);
                }
                int ko = outputs[k];
                for (int o = 0; o < ko; o++) {
                    Arrays.fill(ps.outT[o], 0, cnt, 0f);
                }
                RowKernels.gemm(ps.outT, sel.w3.rows(), ps.z2, ko, h, cnt);
                for (int r = 0; r < cnt; r++) {
                    for (int o = 0; o < ko; o++) {
                        out[o] = ps.outT[o][r];
                    }
                    head(SelectorKind.values()[k], v0 + r, out);
                }
            }
        }
    }

    private void head(SelectorKind kind, int v, double[] out) {
        switch (kind) {
            case SPACE -> {
                posX[v] = (float) Math.tanh(out[0]);
                posY[v] = (float) Math.tanh(out[1]);
            }
            case LAYER -> {
                double max = Double.NEGATIVE_INFINITY;
                for (int l = 0; l < nl; l++) {
                    max = Math.max(max, out[l]);
                }
                double sum = 0;
                double[] e = new double[nl];
                for (int l = 0; l < nl; l++) {
                    e[l] = Math.exp(out[l] - max);
                    sum += e[l];
                }
                for (int l = 0; l < nl; l++) {
                    layerWeights[v][l] = (float) (e[l] / sum);
                }
            }
            case SCALE -> scale[v] = (float) (1 / (1 + Math.exp(-out[0])));
        }
    }

    /**
     * One training step's loss and gradient.
     *
     * @param prm the parameters
     * @param local batch x L x C x G x G features
     * @param global batch x L x C features
     * @param batch images in the batch, at most the maximum given at construction
     * @param targets batch x N responses
     * @param regWeight the regulariser's weight at this step
     * @param grads receives the gradient (overwritten)
     * @return the loss: smooth L1 averaged over batch and voxels plus regWeight times the regulariser
     */
    public double step(EncoderParameters prm, float[] local, float[] global, int batch, float[][] targets,
            double regWeight,
            EncoderParameters grads) {
        long t0 = clock();
        prepare(prm, true);
        long t1 = clock();
        // no grads.clear(): every gradient row is zeroed by the task that fills it, in parallel
        bottleneckForward(prm, local, global, batch);
        long t2 = clock();
        sortByCell();
        workers.run(PARTS, part -> sample(prm, part, batch, targets, regWeight, grads, null));
        long t3 = clock();
        workers.run(nl, l -> bottleneckBackward(l, batch, grads));
        long t4 = clock();
        workers.run(PARTS, part -> selectorsBackward(prm, part));
        reduceSelectorGrads(grads);
        long t5 = clock();
        phaseNanos[0] += t1 - t0;
        phaseNanos[1] += t2 - t1;
        phaseNanos[2] += t3 - t2;
        phaseNanos[3] += t4 - t3;
        phaseNanos[4] += t5 - t4;
        double data = 0;
        double entropy = 0;
        double spread = 0;
        for (Part ps : parts) {
            data += ps.data;
            entropy += ps.entropy;
            spread += ps.spread;
        }
        lastData = data / ((double) batch * n);
        lastReg = (nl > 1 ? entropy / n / Math.log(nl) : 0) + spread / n;
        return lastData + regWeight * lastReg;
    }

    /**
     * Predicts a batch with the parameters last given to {@link #prepare}.
     *
     * @param local batch x L x C x G x G features
     * @param global batch x L x C features
     * @param batch images in the batch
     * @param out receives batch x N predictions
     */
    void predict(float[] local, float[] global, int batch, float[][] out) {
        if (prepared == null) {
            throw new IllegalStateException("prepare must come first");
        }
        EncoderParameters prm = prepared;
        bottleneckForward(prm, local, global, batch);
        sortByCell();
        workers.run(PARTS, part -> sample(prm, part, batch, null, 0, null, out));
    }

    private void bottleneckForward(EncoderParameters prm, float[] local, float[] global, int batch) {
        if (batch > maxBatch) {
            throw new IllegalArgumentException("a batch of " + batch + " is more than the " + maxBatch + " planned");
        }
        workers.run(nl, l -> {
            RowKernels.transpose(prm.local(l), localT[l]);
            RowKernels.transpose(prm.global(l), globalT[l]);
            float[][] in = inputs[l];
            for (int b = 0; b < batch; b++) {
                int base = (b * nl + l) * c;
                for (int k = 0; k < c; k++) {
                    int at = (base + k) * cells;
                    for (int cell = 0; cell < cells; cell++) {
                        in[b * slots + cell][k] = local[at + cell];
                    }
                    in[b * slots + cells][k] = global[base + k];
                }
                // every cell's tokens, then the global token: products of the cells' inputs with the bottleneck
                float[][] out = new float[slots][];
                float[][] coefficients = new float[slots][];
                for (int cell = 0; cell < slots; cell++) {
                    out[cell] = tokens[l][cell][b];
                    coefficients[cell] = in[b * slots + cell];
                    Arrays.fill(out[cell], 0f);
                }
                RowKernels.gemm(out, coefficients, localT[l], cells, c, d);
                RowKernels.gemm(new float[][] { out[cells] }, new float[][] { coefficients[cells] }, globalT[l], 1, c,
                        d);
            }
        });
    }

    /** Orders voxels by the cell of their top-left sampling neighbour, then by number (a stable counting sort). */
    private void sortByCell() {
        int side = g + 1;
        int[] count = new int[side * side + 1];
        for (int v = 0; v < n; v++) {
            int x0 = corner(posX[v]);
            int y0 = corner(posY[v]);
            int key = (y0 + 1) * side + (x0 + 1);
            keys[v] = key;
            count[key + 1]++;
        }
        for (int k = 1; k < count.length; k++) {
            count[k] += count[k - 1];
        }
        for (int v = 0; v < n; v++) {
            order[count[keys[v]]++] = v;
        }
    }

    /** @return floor of the unnormalised position, within -1 .. G - 1 */
    private int corner(float pos) {
        float i = ((pos + 1f) * g - 1f) * 0.5f;
        int f = (int) Math.floor(i);
        return Math.max(-1, Math.min(g - 1, f));
    }

    private void sample(EncoderParameters prm, int part, int batch, float[][] targets, double regWeight,
            EncoderParameters grads, float[][] predictions) {
        Part ps = parts[part];
        ps.data = 0;
        ps.entropy = 0;
        ps.spread = 0;
        boolean backward = grads != null;
        if (backward && ps.dTokens == null) {
            ps.dTokens = new float[nl][slots][maxBatch * d];
        }
        int lo = from(part, n);
        int hi = from(part + 1, n);
        int side = g + 1;
        float[][] weight = prm.weight();
        float[] bias = prm.bias();
        for (int i = lo; i < hi;) {
            int key = keys[order[i]];
            int end = i + 1;
            while (end < hi && keys[order[end]] == key) {
                end++;
            }
            int x0 = key % side - 1;
            int y0 = key / side - 1;
            int ns = 0;
            for (int q = 0; q < 4; q++) {
                int cx = x0 + (q & 1);
                int cy = y0 + (q >> 1);
                if (cx >= 0 && cx < g && cy >= 0 && cy < g) {
                    ps.slotCell[ns] = cy * g + cx;
                    ps.slotCorner[ns++] = q;
                }
            }
            ps.slotCell[ns] = cells;
            ps.slotCorner[ns++] = 4;
            int qn = ns * nl * batch;
            for (int sl = 0; sl < ns; sl++) {
                int cell = ps.slotCell[sl];
                if (backward) {
                    ps.touched[cell] = true;
                }
                for (int l = 0; l < nl; l++) {
                    for (int b = 0; b < batch; b++) {
                        ps.rows[(sl * nl + l) * batch + b] = tokens[l][cell][b];
                    }
                    if (backward) {
                        ps.dRows[sl * nl + l] = ps.dTokens[l][cell];
                    }
                }
            }
            for (int k = 0; k < d; k++) {
                float[] row = ps.tt[k];
                for (int q = 0; q < qn; q++) {
                    row[q] = ps.rows[q][k];
                }
            }
            for (int blk = i; blk < end; blk += SAMPLE_BLOCK) {
                int cnt = Math.min(SAMPLE_BLOCK, end - blk);
                for (int r = 0; r < cnt; r++) {
                    ps.blockW[r] = weight[order[blk + r]];
                    Arrays.fill(ps.u[r], 0, qn, 0f);
                }
                RowKernels.gemm(ps.u, ps.blockW, ps.tt, cnt, d, qn);
                for (int r = 0; r < cnt; r++) {
                    voxel(ps, order[blk + r], r, ns, x0, y0, batch, bias, targets, regWeight, grads, predictions);
                }
                if (backward) {
                    for (int r = 0; r < cnt; r++) {
                        ps.blockDw[r] = grads.weight()[order[blk + r]];
                        Arrays.fill(ps.blockDw[r], 0f);
                    }
                    RowKernels.gemm(ps.blockDw, ps.coef, ps.rows, cnt, qn, d);
                    // token gradients as rows of batch x D: dT[l][cell][b, :] += sum over voxels of mix * slope_b w / D
                    RowKernels.gemmTransposed(ps.dRows, ps.mixRows, ps.q, ns * nl, cnt, batch * d);
                }
            }
            i = end;
        }
    }

    /**
     * Finishes one voxel of a group: its predictions from the dot products u of its readout weight with the group's
     * tokens, and in training its loss, readout gradient, token-gradient coefficients and selector-head gradients.
     */
    private void voxel(Part ps, int v, int r, int ns, int x0, int y0, int batch, float[] bias, float[][] targets,
            double regWeight, EncoderParameters grads, float[][] predictions) {
        float[] u = ps.u[r];
        float[] coefOut = ps.coef[r];
        float sv = scale[v];
        float[] pv = layerWeights[v];
        float ix = ((posX[v] + 1f) * g - 1f) * 0.5f;
        float iy = ((posY[v] + 1f) * g - 1f) * 0.5f;
        float fx = ix - x0;
        float fy = iy - y0;
        float[] mix = ps.mix;
        int local = ns - 1;
        for (int sl = 0; sl < local; sl++) {
            int q = ps.slotCorner[sl];
            float wc = ((q & 1) == 0 ? 1f - fx : fx) * ((q >> 1) == 0 ? 1f - fy : fy);
            for (int l = 0; l < nl; l++) {
                mix[sl * nl + l] = pv[l] * (1f - sv) * wc;
            }
        }
        for (int l = 0; l < nl; l++) {
            mix[local * nl + l] = pv[l] * sv;
        }
        int terms = ns * nl;
        float invD = 1f / d;
        float[] slope = ps.slope;
        // eight independent sums (one per image), each over the terms in order
        float[] sums = ps.acc;
        Arrays.fill(sums, 0, batch, 0f);
        for (int j = 0; j < terms; j++) {
            float m = mix[j];
            int at = j * batch;
            for (int b = 0; b < batch; b++) {
                sums[b] = Math.fma(m, u[at + b], sums[b]);
            }
        }
        for (int b = 0; b < batch; b++) {
            float yb = Math.fma(sums[b], invD, bias[v]);
            if (predictions != null) {
                predictions[b][v] = yb;
            }
            if (targets != null) {
                float res = yb - targets[b][v];
                ps.data += ReferenceEncoder.huber(res);
                slope[b] = (float) (ReferenceEncoder.huberSlope(res) / ((double) batch * n));
            }
        }
        if (grads == null) {
            return;
        }
        float[] dmix = ps.dmix;
        for (int j = 0; j < terms; j++) {
            float acc = 0f;
            float mj = mix[j] * invD;
            for (int b = 0; b < batch; b++) {
                acc = Math.fma(slope[b], u[j * batch + b], acc);
                coefOut[j * batch + b] = mj * slope[b];
            }
            dmix[j] = acc * invD;
        }
        System.arraycopy(mix, 0, ps.mixRows[r], 0, terms);
        float[] w = ps.blockW[r];
        float[] qr = ps.q[r];
        for (int b = 0; b < batch; b++) {
            // copy, then scale in place: the same index on both sides lets the loop vectorise
            int at = b * d;
            System.arraycopy(w, 0, qr, at, d);
            float sb = slope[b] * invD;
            for (int k = at; k < at + d; k++) {
                qr[k] *= sb;
            }
        }
        float db = 0f;
        for (int b = 0; b < batch; b++) {
            db += slope[b];
        }
        grads.bias()[v] = db;
        headGradients(ps, v, ns, fx, fy, regWeight);
    }

    /** Back through the bilinear weights, the layer and scale mixing, the regulariser and the three heads. */
    private void headGradients(Part ps, int v, int ns, float fx, float fy, double regWeight) {
        double sv = scale[v];
        float[] pv = layerWeights[v];
        float[] dmix = ps.dmix;
        int local = ns - 1;
        double dix = 0;
        double diy = 0;
        double[] dp = ps.dp;
        double[] localMix = ps.localMix;
        Arrays.fill(localMix, 0);
        for (int sl = 0; sl < local; sl++) {
            int q = ps.slotCorner[sl];
            double wx = (q & 1) == 0 ? 1 - fx : fx;
            double wy = (q >> 1) == 0 ? 1 - fy : fy;
            double wc = wx * wy;
            double dwc = 0;
            int at = sl * nl;
            for (int l = 0; l < nl; l++) {
                double dm = dmix[at + l];
                localMix[l] += dm * wc;
                dwc += dm * pv[l];
            }
            dwc *= 1 - sv;
            dix += dwc * ((q & 1) == 0 ? -wy : wy);
            diy += dwc * ((q >> 1) == 0 ? -wx : wx);
        }
        // v = (1 - s) v_local + s v_global: through the mixing weights p_l and the scale s
        double ds = 0;
        for (int l = 0; l < nl; l++) {
            double global = dmix[local * nl + l];
            dp[l] = localMix[l] * (1 - sv) + global * sv;
            ds += pv[l] * (global - localMix[l]);
        }
        if (nl > 1) {
            double logL = Math.log(nl);
            for (int l = 0; l < nl; l++) {
                double pl = pv[l];
                double lg = Math.log(pl + ReferenceEncoder.ENTROPY_EPS);
                ps.entropy += pl * lg;
                dp[l] += regWeight * (lg + pl / (pl + ReferenceEncoder.ENTROPY_EPS)) / (n * logL);
            }
        }
        ps.spread += (sv - 0.5) * (sv - 0.5);
        ds += regWeight * 2 * (sv - 0.5) / n;
        double half = g / 2.0;
        float[] space = headGrad[SelectorKind.SPACE.ordinal()][v];
        space[0] = (float) (dix * half * (1 - (double) posX[v] * posX[v]));
        space[1] = (float) (diy * half * (1 - (double) posY[v] * posY[v]));
        double dot = 0;
        for (int l = 0; l < nl; l++) {
            dot += pv[l] * dp[l];
        }
        float[] layer = headGrad[SelectorKind.LAYER.ordinal()][v];
        for (int l = 0; l < nl; l++) {
            layer[l] = (float) (pv[l] * (dp[l] - dot));
        }
        headGrad[SelectorKind.SCALE.ordinal()][v][0] = (float) (ds * sv * (1 - sv));
    }

    private void bottleneckBackward(int l, int batch, EncoderParameters grads) {
        // add the parts' token gradients into part 0's table, in part order
        float[][] sum = parts[0].dTokens[l];
        boolean[] any = new boolean[slots];
        int width = batch * d;
        for (int p = 0; p < PARTS; p++) {
            Part ps = parts[p];
            for (int cell = 0; cell < slots; cell++) {
                if (!ps.touched[cell]) {
                    continue;
                }
                any[cell] = true;
                if (p > 0) {
                    RowKernels.add(ps.dTokens[l][cell], sum[cell], width);
                }
            }
        }
        int rowsUsed = 0;
        float[][] xs = new float[batch * cells][];
        float[][] ds = new float[batch * cells][];
        int[] at = new int[batch * cells];
        for (int cell = 0; cell < cells; cell++) {
            if (any[cell]) {
                for (int b = 0; b < batch; b++) {
                    xs[rowsUsed] = inputs[l][b * slots + cell];
                    ds[rowsUsed] = sum[cell];
                    at[rowsUsed++] = b * d;
                }
            }
        }
        float[] coef = new float[Math.max(rowsUsed, batch)];
        float[][] gl = grads.local(l);
        for (float[] row : gl) {
            Arrays.fill(row, 0f);
        }
        for (int k = 0; k < d; k++) {
            for (int r = 0; r < rowsUsed; r++) {
                coef[r] = ds[r][at[r] + k];
            }
            RowKernels.combine(gl[k], coef, xs, rowsUsed, c);
        }
        float[][] xg = new float[batch][];
        for (int b = 0; b < batch; b++) {
            xg[b] = inputs[l][b * slots + cells];
        }
        float[][] gg = grads.global(l);
        for (float[] row : gg) {
            Arrays.fill(row, 0f);
        }
        for (int k = 0; k < d; k++) {
            for (int b = 0; b < batch; b++) {
                coef[b] = sum[cells][b * d + k];
            }
            RowKernels.combine(gg[k], coef, xg, batch, c);
        }
    }

    private void selectorsBackward(EncoderParameters prm, int part) {
        Part ps = parts[part];
        for (int k = 0; k < KINDS; k++) {
            SelectorGrad acc = ps.selectorGrad(k);
            acc.clear();
        }
        for (int blk = firstBlock[part]; blk < firstBlock[part + 1]; blk++) {
            int v0 = blockStart[blk];
            int cnt = blockStart[blk + 1] - v0;
            for (int r = 0; r < cnt; r++) {
                ps.pe[r] = encodings[v0 + r];
            }
            for (int k = 0; k < KINDS; k++) {
                EncoderParameters.Selector sel = prm.selector(SelectorKind.values()[k]);
                SelectorGrad acc = ps.selectorGrad(k);
                int ko = outputs[k];
                float[][] dout = ps.outT;
                for (int r = 0; r < cnt; r++) {
                    float[] g = headGrad[k][v0 + r];
                    for (int o = 0; o < ko; o++) {
                        dout[o][r] = g[o];
                    }
                }
                // last layer: dG2 = W3^T dout, dW3 += dout Z2^T
                for (int i = 0; i < h; i++) {
                    Arrays.fill(ps.dg[i], 0, cnt, 0f);
                }
                RowKernels.gemm(ps.dg, w3t[k], dout, h, ko, cnt);
                RowKernels.transpose(act2[k][blk], ps.z2vm, h, cnt);
                RowKernels.gemm(acc.w3, dout, ps.z2vm, ko, cnt, h);
                // second layer
                float[][] s2 = slope2[k][blk];
                for (int i = 0; i < h; i++) {
                    RowKernels.multiply(ps.dg[i], s2[i], ps.dz2[i], cnt);
                    acc.b2[i] += RowKernels.sum(ps.dz2[i], cnt);
                }
                RowKernels.transpose(act1[k][blk], ps.z1vm, h, cnt);
                RowKernels.gemm(acc.w2, ps.dz2, ps.z1vm, h, cnt, h);
                for (int i = 0; i < h; i++) {
                    Arrays.fill(ps.dg[i], 0, cnt, 0f);
                }
                RowKernels.gemm(ps.dg, w2t[k], ps.dz2, h, h, cnt);
                // first layer
                float[][] s1 = slope1[k][blk];
                for (int i = 0; i < h; i++) {
                    RowKernels.multiply(ps.dg[i], s1[i], ps.dz1[i], cnt);
                    acc.b1[i] += RowKernels.sum(ps.dz1[i], cnt);
                }
                RowKernels.gemm(acc.w1, ps.dz1, ps.pe, h, cnt, EncoderShape.ENCODING);
            }
        }
    }

    private void reduceSelectorGrads(EncoderParameters grads) {
        for (int k = 0; k < KINDS; k++) {
            EncoderParameters.Selector sel = grads.selector(SelectorKind.values()[k]);
            float[][] w1 = sel.w1.rows();
            float[] b1 = sel.b1.rows()[0];
            float[][] w2 = sel.w2.rows();
            float[] b2 = sel.b2.rows()[0];
            float[][] w3 = sel.w3.rows();
            for (ParameterTensor t : new ParameterTensor[] { sel.w1, sel.b1, sel.w2, sel.b2, sel.w3 }) {
                t.clear();
            }
            for (Part ps : parts) {
                SelectorGrad acc = ps.selectorGrad(k);
                for (int i = 0; i < h; i++) {
                    RowKernels.add(acc.w1[i], w1[i], EncoderShape.ENCODING);
                    RowKernels.add(acc.w2[i], w2[i], h);
                }
                RowKernels.add(acc.b1, b1, h);
                RowKernels.add(acc.b2, b2, h);
                for (int o = 0; o < outputs[k]; o++) {
                    RowKernels.add(acc.w3[o], w3[o], h);
                }
            }
        }
        // the token gradients are consumed: clear every cell any part wrote (part 0 holds the sums), ready for the
        // next step
        for (int cell = 0; cell < slots; cell++) {
            boolean any = false;
            for (Part ps : parts) {
                any |= ps.touched[cell];
            }
            if (!any) {
                continue;
            }
            for (Part ps : parts) {
                if (ps.touched[cell] || ps == parts[0]) {
                    for (int l = 0; l < nl; l++) {
                        Arrays.fill(ps.dTokens[l][cell], 0f);
                    }
                }
                ps.touched[cell] = false;
            }
        }
    }
}
