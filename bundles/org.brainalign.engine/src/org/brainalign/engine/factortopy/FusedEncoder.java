package org.brainalign.engine.factortopy;

import java.util.Arrays;

/**
 * The fast CPU formulation of FactorTopy, in float: the same function as {@link ReferenceEncoder}, organised around
 * where the time goes at paper scale (package documentation). Each step it runs the three selector networks over all
 * voxels, the bottlenecks as matrix products into a token table laid out [layer][cell][image][channel], sorts the
 * voxels by the grid cell their position falls in, and then, group by group, reads the at most four neighbour cells and
 * the global token of every layer once for all the group's voxels while it samples, mixes layers and scales, reads out,
 * takes the loss and writes every gradient (readout, mixing weights, position, tokens). The token gradients go back
 * through the bottlenecks, the mixing gradients through the selector heads and networks.
 * <p>
 * Work is split into a fixed number of parts (voxel ranges, layers), each writing its own outputs and partial sums,
 * which are added in part order: the result is the same bits for any number of threads.
 */
final class FusedEncoder {

    /** Voxel ranges per pass; fixed so that partial sums, and hence results, do not depend on the thread count. */
    static final int PARTS = 4;

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

    private final float[][][] w1t;
    private final float[][][] w2t;
    private float[][][] act1;
    private float[][][] slope1;
    private float[][][] act2;
    private float[][][] slope2;
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
    private double lastData;
    private double lastReg;

    /** Scratch and partial sums of one part. */
    private final class Part {
        final float[][] tt;
        final float[][] rows;
        final float[][] dRows;
        final float[][] u = new float[4][];
        final float[][] coef = new float[4][];
        final float[] mix;
        final float[] dmix;
        final float[] slope;
        final int[] slotCell = new int[5];
        final int[] slotCorner = new int[5];
        final float[] z1a;
        final float[] z1b;
        final float[] s1a;
        final float[] s1b;
        final float[] z2a;
        final float[] z2b;
        final float[] s2a;
        final float[] s2b;
        final float[] dg;
        final float[][] gelu;
        final float[][] dz2 = new float[4][];
        final float[][] dz1 = new float[4][];
        final float[][][] selectorGrad = new float[KINDS][][];
        float[][][][] dTokens;
        final boolean[] touched;
        double data;
        double entropy;
        double spread;

        Part() {
            int q = slots > cells ? 5 * nl * maxBatch : nl * maxBatch;
            tt = new float[d][q];
            rows = new float[q][];
            dRows = new float[q][];
            for (int v = 0; v < 4; v++) {
                u[v] = new float[q];
                coef[v] = new float[q];
                dz2[v] = new float[h];
                dz1[v] = new float[h];
            }
            mix = new float[5 * nl];
            dmix = new float[5 * nl];
            slope = new float[maxBatch];
            z1a = new float[h];
            z1b = new float[h];
            s1a = new float[h];
            s1b = new float[h];
            z2a = new float[h];
            z2b = new float[h];
            s2a = new float[h];
            s2b = new float[h];
            dg = new float[h];
            gelu = new float[3][h];
            touched = new boolean[slots];
        }

        /** Selector gradient accumulators: per kind w1 (H rows), b1, w2 (H rows), b2, w3 (K rows), flattened. */
        float[][] selectorGrad(int kind) {
            if (selectorGrad[kind] == null) {
                float[][] a = new float[2 * h + 2 + outputs[kind]][];
                for (int i = 0; i < h; i++) {
                    a[i] = new float[EncoderShape.ENCODING];
                    a[h + 1 + i] = new float[h];
                }
                a[h] = new float[h];
                a[2 * h + 1] = new float[h];
                for (int o = 0; o < outputs[kind]; o++) {
                    a[2 * h + 2 + o] = new float[h];
                }
                selectorGrad[kind] = a;
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
    FusedEncoder(EncoderShape shape, float[][] encodings, int maxBatch, Workers workers) {
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
        w1t = new float[KINDS][EncoderShape.ENCODING][h];
        w2t = new float[KINDS][h][h];
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
            RowKernels.transpose(sel.w1.rows(), w1t[k.ordinal()]);
            RowKernels.transpose(sel.w2.rows(), w2t[k.ordinal()]);
        }
        if (training && act1 == null) {
            act1 = new float[KINDS][n][h];
            slope1 = new float[KINDS][n][h];
            act2 = new float[KINDS][n][h];
            slope2 = new float[KINDS][n][h];
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
        int lo = from(part, n);
        int hi = from(part + 1, n);
        double[] out = new double[Math.max(2, nl)];
        for (int k = 0; k < KINDS; k++) {
            EncoderParameters.Selector sel = prm.selector(SelectorKind.values()[k]);
            float[] b1 = sel.b1.rows()[0];
            float[] b2 = sel.b2.rows()[0];
            float[][] w3 = sel.w3.rows();
            for (int v = lo; v < hi; v += 2) {
                boolean pair = v + 1 < hi;
                float[] z1a = training ? act1[k][v] : ps.z1a;
                float[] s1a = training ? slope1[k][v] : ps.s1a;
                float[] z2a = training ? act2[k][v] : ps.z2a;
                float[] s2a = training ? slope2[k][v] : ps.s2a;
                float[] z1b = pair && training ? act1[k][v + 1] : ps.z1b;
                float[] s1b = pair && training ? slope1[k][v + 1] : ps.s1b;
                float[] z2b = pair && training ? act2[k][v + 1] : ps.z2b;
                float[] s2b = pair && training ? slope2[k][v + 1] : ps.s2b;
                System.arraycopy(b1, 0, z1a, 0, h);
                System.arraycopy(b1, 0, z1b, 0, h);
                float[] peB = pair ? encodings[v + 1] : encodings[v];
                RowKernels.combine2(z1a, encodings[v], z1b, peB, w1t[k], EncoderShape.ENCODING, h);
                Gelu.apply(z1a, s1a, h, ps.gelu);
                Gelu.apply(z1b, s1b, h, ps.gelu);
                System.arraycopy(b2, 0, z2a, 0, h);
                System.arraycopy(b2, 0, z2b, 0, h);
                RowKernels.combine2(z2a, z1a, z2b, z1b, w2t[k], h, h);
                Gelu.apply(z2a, s2a, h, ps.gelu);
                Gelu.apply(z2b, s2b, h, ps.gelu);
                for (int m = 0; m < (pair ? 2 : 1); m++) {
                    float[] z2 = m == 0 ? z2a : z2b;
                    for (int o = 0; o < outputs[k]; o++) {
                        out[o] = RowKernels.dot(z2, w3[o], h);
                    }
                    head(SelectorKind.values()[k], v + m, out);
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
    double step(EncoderParameters prm, float[] local, float[] global, int batch, float[][] targets, double regWeight,
            EncoderParameters grads) {
        prepare(prm, true);
        grads.clear();
        bottleneckForward(prm, local, global, batch);
        sortByCell();
        workers.run(PARTS, part -> sample(prm, part, batch, targets, regWeight, grads, null));
        workers.run(nl, l -> bottleneckBackward(l, batch, grads));
        workers.run(PARTS, part -> selectorsBackward(prm, part));
        reduceSelectorGrads(grads);
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
                float[][][] t = tokens[l];
                int cell = 0;
                for (; cell + 1 < cells; cell += 2) {
                    Arrays.fill(t[cell][b], 0f);
                    Arrays.fill(t[cell + 1][b], 0f);
                    RowKernels.combine2(t[cell][b], in[b * slots + cell], t[cell + 1][b], in[b * slots + cell + 1],
                            localT[l], c, d);
                }
                for (; cell < cells; cell++) {
                    Arrays.fill(t[cell][b], 0f);
                    RowKernels.combine(t[cell][b], in[b * slots + cell], localT[l], c, d);
                }
                Arrays.fill(t[cells][b], 0f);
                RowKernels.combine(t[cells][b], in[b * slots + cells], globalT[l], c, d);
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
            ps.dTokens = new float[nl][slots][maxBatch][d];
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
                        int q = (sl * nl + l) * batch + b;
                        ps.rows[q] = tokens[l][cell][b];
                        if (backward) {
                            ps.dRows[q] = ps.dTokens[l][cell][b];
                        }
                    }
                }
            }
            for (int k = 0; k < d; k++) {
                float[] row = ps.tt[k];
                for (int q = 0; q < qn; q++) {
                    row[q] = ps.rows[q][k];
                }
            }
            for (int blk = i; blk < end; blk += 4) {
                int cnt = Math.min(4, end - blk);
                for (int v = 0; v < cnt; v += 2) {
                    float[] u0 = ps.u[v];
                    Arrays.fill(u0, 0, qn, 0f);
                    if (v + 1 < cnt) {
                        float[] u1 = ps.u[v + 1];
                        Arrays.fill(u1, 0, qn, 0f);
                        RowKernels.combine2(u0, weight[order[blk + v]], u1, weight[order[blk + v + 1]], ps.tt, d, qn);
                    } else {
                        RowKernels.combine(u0, weight[order[blk + v]], ps.tt, d, qn);
                    }
                }
                for (int v = 0; v < cnt; v++) {
                    voxel(ps, order[blk + v], ps.u[v], ps.coef[v], ns, x0, y0, batch, weight, bias, targets, regWeight,
                            grads, predictions);
                }
                if (backward) {
                    float[][] a = ps.coef;
                    if (cnt == 4) {
                        float[] w0 = weight[order[blk]];
                        float[] w1 = weight[order[blk + 1]];
                        float[] w2 = weight[order[blk + 2]];
                        float[] w3 = weight[order[blk + 3]];
                        for (int q = 0; q < qn; q++) {
                            RowKernels.axpy4(a[0][q], w0, a[1][q], w1, a[2][q], w2, a[3][q], w3, ps.dRows[q], d);
                        }
                    } else {
                        for (int v = 0; v < cnt; v++) {
                            float[] wv = weight[order[blk + v]];
                            for (int q = 0; q < qn; q++) {
                                RowKernels.axpy(a[v][q], wv, ps.dRows[q], d);
                            }
                        }
                    }
                }
            }
            i = end;
        }
    }

    /**
     * Finishes one voxel of a group: its predictions from the dot products u of its readout weight with the group's
     * tokens, and in training its loss, readout gradient, token-gradient coefficients and selector-head gradients.
     */
    private void voxel(Part ps, int v, float[] u, float[] coefOut, int ns, int x0, int y0, int batch,
            float[][] weight, float[] bias, float[][] targets, double regWeight, EncoderParameters grads,
            float[][] predictions) {
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
        for (int b = 0; b < batch; b++) {
            float acc = 0f;
            for (int j = 0; j < terms; j++) {
                acc = Math.fma(mix[j], u[j * batch + b], acc);
            }
            float yb = Math.fma(acc, invD, bias[v]);
            if (predictions != null) {
                predictions[b][v] = yb;
            }
            if (targets != null) {
                float r = yb - targets[b][v];
                ps.data += ReferenceEncoder.huber(r);
                slope[b] = (float) (ReferenceEncoder.huberSlope(r) / ((double) batch * n));
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
        RowKernels.combine(grads.weight()[v], coefOut, ps.rows, terms * batch, d);
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
        double ds = 0;
        double[] dp = new double[nl];
        for (int sl = 0; sl < local; sl++) {
            int q = ps.slotCorner[sl];
            double wx = (q & 1) == 0 ? 1 - fx : fx;
            double wy = (q >> 1) == 0 ? 1 - fy : fy;
            double wc = wx * wy;
            double dwc = 0;
            for (int l = 0; l < nl; l++) {
                double dm = dmix[sl * nl + l];
                dp[l] += dm * (1 - sv) * wc;
                ds -= dm * pv[l] * wc;
                dwc += dm * pv[l] * (1 - sv);
            }
            dix += dwc * ((q & 1) == 0 ? -wy : wy);
            diy += dwc * ((q >> 1) == 0 ? -wx : wx);
        }
        for (int l = 0; l < nl; l++) {
            double dm = dmix[local * nl + l];
            dp[l] += dm * sv;
            ds += dm * pv[l];
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
        float[][][] sum = parts[0].dTokens[l];
        boolean[] any = new boolean[slots];
        for (int p = 0; p < PARTS; p++) {
            Part ps = parts[p];
            for (int cell = 0; cell < slots; cell++) {
                if (!ps.touched[cell]) {
                    continue;
                }
                any[cell] = true;
                if (p > 0) {
                    for (int b = 0; b < batch; b++) {
                        RowKernels.add(ps.dTokens[l][cell][b], sum[cell][b], d);
                    }
                }
            }
        }
        int rowsUsed = 0;
        float[][] xs = new float[batch * cells][];
        float[][] ds = new float[batch * cells][];
        for (int cell = 0; cell < cells; cell++) {
            if (any[cell]) {
                for (int b = 0; b < batch; b++) {
                    xs[rowsUsed] = inputs[l][b * slots + cell];
                    ds[rowsUsed++] = sum[cell][b];
                }
            }
        }
        float[] coef = new float[Math.max(rowsUsed, batch)];
        float[][] gl = grads.local(l);
        for (int k = 0; k < d; k++) {
            for (int r = 0; r < rowsUsed; r++) {
                coef[r] = ds[r][k];
            }
            RowKernels.combine(gl[k], coef, xs, rowsUsed, c);
        }
        float[][] xg = new float[batch][];
        for (int b = 0; b < batch; b++) {
            xg[b] = inputs[l][b * slots + cells];
        }
        float[][] gg = grads.global(l);
        for (int k = 0; k < d; k++) {
            for (int b = 0; b < batch; b++) {
                coef[b] = sum[cells][b][k];
            }
            RowKernels.combine(gg[k], coef, xg, batch, c);
        }
    }

    private void selectorsBackward(EncoderParameters prm, int part) {
        Part ps = parts[part];
        int lo = from(part, n);
        int hi = from(part + 1, n);
        for (int k = 0; k < KINDS; k++) {
            EncoderParameters.Selector sel = prm.selector(SelectorKind.values()[k]);
            float[][] w2 = sel.w2.rows();
            float[][] w3 = sel.w3.rows();
            int ko = outputs[k];
            float[][] acc = ps.selectorGrad(k);
            for (float[] row : acc) {
                Arrays.fill(row, 0f);
            }
            float[] gb1 = acc[h];
            float[] gb2 = acc[2 * h + 1];
            for (int v0 = lo; v0 < hi; v0 += 4) {
                int cnt = Math.min(4, hi - v0);
                for (int m = 0; m < cnt; m++) {
                    int v = v0 + m;
                    float[] dout = headGrad[k][v];
                    float[] dg = ps.dg;
                    Arrays.fill(dg, 0f);
                    RowKernels.combine(dg, dout, w3, ko, h);
                    for (int o = 0; o < ko; o++) {
                        RowKernels.axpy(dout[o], act2[k][v], acc[2 * h + 2 + o], h);
                    }
                    RowKernels.multiply(dg, slope2[k][v], ps.dz2[m], h);
                    RowKernels.add(ps.dz2[m], gb2, h);
                    Arrays.fill(dg, 0f);
                    RowKernels.combine(dg, ps.dz2[m], w2, h, h);
                    RowKernels.multiply(dg, slope1[k][v], ps.dz1[m], h);
                    RowKernels.add(ps.dz1[m], gb1, h);
                }
                if (cnt == 4) {
                    float[][] z2 = ps.dz2;
                    float[][] z1 = ps.dz1;
                    float[][] a1 = act1[k];
                    for (int i = 0; i < h; i++) {
                        RowKernels.axpy4(z2[0][i], a1[v0], z2[1][i], a1[v0 + 1], z2[2][i], a1[v0 + 2], z2[3][i],
                                a1[v0 + 3], acc[h + 1 + i], h);
                        RowKernels.axpy4(z1[0][i], encodings[v0], z1[1][i], encodings[v0 + 1], z1[2][i],
                                encodings[v0 + 2], z1[3][i], encodings[v0 + 3], acc[i], EncoderShape.ENCODING);
                    }
                } else {
                    for (int m = 0; m < cnt; m++) {
                        for (int i = 0; i < h; i++) {
                            RowKernels.axpy(ps.dz2[m][i], act1[k][v0 + m], acc[h + 1 + i], h);
                            RowKernels.axpy(ps.dz1[m][i], encodings[v0 + m], acc[i], EncoderShape.ENCODING);
                        }
                    }
                }
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
            for (Part ps : parts) {
                float[][] acc = ps.selectorGrad(k);
                for (int i = 0; i < h; i++) {
                    RowKernels.add(acc[i], w1[i], EncoderShape.ENCODING);
                    RowKernels.add(acc[h + 1 + i], w2[i], h);
                }
                RowKernels.add(acc[h], b1, h);
                RowKernels.add(acc[2 * h + 1], b2, h);
                for (int o = 0; o < outputs[k]; o++) {
                    RowKernels.add(acc[2 * h + 2 + o], w3[o], h);
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
                        for (float[] row : ps.dTokens[l][cell]) {
                            Arrays.fill(row, 0f);
                        }
                    }
                }
                ps.touched[cell] = false;
            }
        }
    }
}
