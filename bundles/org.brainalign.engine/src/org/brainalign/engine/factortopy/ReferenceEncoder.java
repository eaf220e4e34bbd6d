package org.brainalign.engine.factortopy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference formulation of FactorTopy: MODEL.md transcribed loop by loop in double precision, image by image and
 * layer by layer (bottleneck, then bilinear sampling of every voxel as grid_sample does, then layer and scale mixing
 * and the readout), with a hand-written backward pass that follows the same loops in reverse. It is slow and simple on
 * purpose: the tests check its gradients against finite differences and the fast {@link FusedEncoder} against it,
 * and the benchmark measures how much faster the fused formulation is. Parameters are flat arrays in the reference
 * layout, keyed by the reference names.
 */
public final class ReferenceEncoder {

    /** Smooth L1 switches from quadratic to linear at this residual. */
    static final double HUBER_BETA = 0.1;

    /** Added to p inside the log of the layer-entropy regulariser. */
    static final double ENTROPY_EPS = 1e-8;

    private final EncoderShape shape;
    private final double[][] encodings;
    private final Map<String, double[]> parameters;

    /** What the selectors say for every voxel: position (x, y), layer weights p and scale s. */
    record Selection(double[] x, double[] y, double[][] p, double[] s, double[][][] hidden1, double[][][] hidden2,
            double[][][] pre1, double[][][] pre2) {
    }

    /**
     * @param shape the encoder shape
     * @param encodings the positional encoding of every voxel, N x 192
     * @param parameters flat parameter arrays by reference name (shared: a test may change them between calls)
     */
    public ReferenceEncoder(EncoderShape shape, double[][] encodings, Map<String, double[]> parameters) {
        this.shape = shape;
        this.encodings = encodings;
        this.parameters = parameters;
    }

    /**
     * @param p float parameters
     * @return their values as flat double arrays by reference name
     */
    public static Map<String, double[]> toDouble(EncoderParameters p) {
        Map<String, double[]> map = new LinkedHashMap<>();
        for (ParameterTensor t : p.tensors()) {
            float[] f = t.toFlat();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            map.put(t.name(), d);
        }
        return map;
    }

    /** @return the parameters this encoder reads (shared) */
    public Map<String, double[]> parameters() {
        return parameters;
    }

    private double[] param(String name) {
        double[] v = parameters.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return v;
    }

    /** @return the selector outputs for every voxel, with the activations the backward pass needs */
    Selection select() {
        int n = shape.voxels();
        int h = shape.hidden();
        int enc = EncoderShape.ENCODING;
        int kinds = SelectorKind.values().length;
        double[][][] hid1 = new double[kinds][n][h];
        double[][][] hid2 = new double[kinds][n][h];
        double[][][] pre1 = new double[kinds][n][h];
        double[][][] pre2 = new double[kinds][n][h];
        double[][][] out = new double[kinds][n][];
        for (SelectorKind kind : SelectorKind.values()) {
            String pre = kind.prefix() + "_selector_mlp.";
            double[] w1 = param(pre + "1.weight");
            double[] b1 = param(pre + "1.bias");
            double[] w2 = param(pre + "3.weight");
            double[] b2 = param(pre + "3.bias");
            double[] w3 = param(pre + "5.weight");
            int k = kind.outputs(shape.layers());
            int s = kind.ordinal();
            for (int v = 0; v < n; v++) {
                for (int i = 0; i < h; i++) {
                    double z = b1[i];
                    for (int j = 0; j < enc; j++) {
                        z += w1[i * enc + j] * encodings[v][j];
                    }
                    pre1[s][v][i] = z;
                    hid1[s][v][i] = Gelu.value(z);
                }
                for (int i = 0; i < h; i++) {
                    double z = b2[i];
                    for (int j = 0; j < h; j++) {
                        z += w2[i * h + j] * hid1[s][v][j];
                    }
                    pre2[s][v][i] = z;
                    hid2[s][v][i] = Gelu.value(z);
                }
                out[s][v] = new double[k];
                for (int o = 0; o < k; o++) {
                    double z = 0;
                    for (int j = 0; j < h; j++) {
                        z += w3[o * h + j] * hid2[s][v][j];
                    }
                    out[s][v][o] = z;
                }
            }
        }
        double[] x = new double[n];
        double[] y = new double[n];
        double[][] p = new double[n][];
        double[] sc = new double[n];
        for (int v = 0; v < n; v++) {
            x[v] = Math.tanh(out[SelectorKind.SPACE.ordinal()][v][0]);
            y[v] = Math.tanh(out[SelectorKind.SPACE.ordinal()][v][1]);
            p[v] = softmax(out[SelectorKind.LAYER.ordinal()][v]);
            sc[v] = 1 / (1 + Math.exp(-out[SelectorKind.SCALE.ordinal()][v][0]));
        }
        return new Selection(x, y, p, sc, hid1, hid2, pre1, pre2);
    }

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double[] e = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    /**
     * Predicts the responses to a batch of images.
     *
     * @param local batch x L x C x G x G features
     * @param global batch x L x C features
     * @param batch the number of images
     * @return batch x N predictions
     */
    public double[][] predict(float[] local, float[] global, int batch) {
        double[][] out = new double[batch][];
        run(select(), local, global, batch, null, 0, null, out);
        return out;
    }

    /**
     * Computes the training loss of a batch and, optionally, its gradient.
     *
     * @param local batch x L x C x G x G features
     * @param global batch x L x C features
     * @param batch the number of images
     * @param targets batch x N responses
     * @param regWeight the weight of the regulariser at this step, 0.1 * max(0, 1 - step / 2000) in training
     * @param gradient receives d loss / d parameter by name (allocated here), or null for the loss alone
     * @return the loss: smooth L1 averaged over batch and voxels plus regWeight times the regulariser
     */
    public double loss(float[] local, float[] global, int batch, float[][] targets, double regWeight,
            Map<String, double[]> gradient) {
        Selection sel = select();
        return run(sel, local, global, batch, targets, regWeight, gradient, null);
    }

    private double run(Selection sel, float[] localIn, float[] globalIn, int batch, float[][] targets,
            double regWeight, Map<String, double[]> gradient, double[][] predictions) {
        int n = shape.voxels();
        int nl = shape.layers();
        int c = shape.channels();
        int g = shape.grid();
        int cells = shape.cells();
        int d = shape.bottleneck();
        double[] w = param("weight");
        double[] bias = param("bias");
        boolean backward = gradient != null;
        if (backward) {
            for (Map.Entry<String, double[]> e : parameters.entrySet()) {
                gradient.put(e.getKey(), new double[e.getValue().length]);
            }
        }
        double[][] dp = new double[n][nl];
        double[] ds = new double[n];
        double[] dix = new double[n];
        double[] diy = new double[n];
        double data = 0;
        for (int b = 0; b < batch; b++) {
            // bottleneck of this image, per layer: local'[l][d][cell] and global'[l][d]
            double[][][] loc = new double[nl][d][cells];
            double[][] glo = new double[nl][d];
            for (int l = 0; l < nl; l++) {
                double[] wl = param("local_token_bottleneck." + l + ".weight");
                double[] wg = param("global_token_bottleneck." + l + ".weight");
                int base = ((b * nl) + l) * c;
                for (int o = 0; o < d; o++) {
                    for (int ch = 0; ch < c; ch++) {
                        double wlo = wl[o * c + ch];
                        for (int cell = 0; cell < cells; cell++) {
                            loc[l][o][cell] += wlo * localIn[(base + ch) * cells + cell];
                        }
                        glo[l][o] += wg[o * c + ch] * globalIn[base + ch];
                    }
                }
            }
            // grid_sample of every layer at every voxel's position
            double[][][] sample = new double[nl][n][d];
            for (int l = 0; l < nl; l++) {
                for (int v = 0; v < n; v++) {
                    Bilinear bl = new Bilinear(sel.x[v], sel.y[v], g);
                    for (int q = 0; q < 4; q++) {
                        if (bl.inside[q]) {
                            for (int o = 0; o < d; o++) {
                                sample[l][v][o] += bl.weight[q] * loc[l][o][bl.cell[q]];
                            }
                        }
                    }
                }
            }
            double[][] dloc = backward ? new double[nl * d][cells] : null;
            double[][] dglo = backward ? new double[nl][d] : null;
            if (predictions != null) {
                predictions[b] = new double[n];
            }
            for (int v = 0; v < n; v++) {
                double s = sel.s[v];
                double[] vl = new double[d];
                double[] vg = new double[d];
                for (int l = 0; l < nl; l++) {
                    double pl = sel.p[v][l];
                    for (int o = 0; o < d; o++) {
                        vl[o] += pl * sample[l][v][o];
                        vg[o] += pl * glo[l][o];
                    }
                }
                double yv = 0;
                for (int o = 0; o < d; o++) {
                    yv += ((1 - s) * vl[o] + s * vg[o]) * w[v * d + o];
                }
                yv = yv / d + bias[v];
                if (predictions != null) {
                    predictions[b][v] = yv;
                }
                if (targets == null) {
                    continue;
                }
                double r = yv - targets[b][v];
                data += huber(r);
                if (!backward) {
                    continue;
                }
                double gy = huberSlope(r) / ((double) batch * n);
                gradient.get("bias")[v] += gy;
                double[] gw = gradient.get("weight");
                for (int o = 0; o < d; o++) {
                    double vo = (1 - s) * vl[o] + s * vg[o];
                    gw[v * d + o] += gy * vo / d;
                    double dv = gy * w[v * d + o] / d;
                    ds[v] += dv * (vg[o] - vl[o]);
                    double dvl = (1 - s) * dv;
                    double dvg = s * dv;
                    for (int l = 0; l < nl; l++) {
                        double pl = sel.p[v][l];
                        dp[v][l] += dvl * sample[l][v][o] + dvg * glo[l][o];
                        dglo[l][o] += pl * dvg;
                    }
                }
                Bilinear bl = new Bilinear(sel.x[v], sel.y[v], g);
                for (int l = 0; l < nl; l++) {
                    double pl = sel.p[v][l];
                    for (int q = 0; q < 4; q++) {
                        if (!bl.inside[q]) {
                            continue;
                        }
                        double dweight = 0;
                        for (int o = 0; o < d; o++) {
                            double dsample = pl * (1 - s) * gy * w[v * d + o] / d;
                            dloc[l * d + o][bl.cell[q]] += bl.weight[q] * dsample;
                            dweight += dsample * loc[l][o][bl.cell[q]];
                        }
                        dix[v] += dweight * bl.dWeightDx[q];
                        diy[v] += dweight * bl.dWeightDy[q];
                    }
                }
            }
            if (backward) {
                for (int l = 0; l < nl; l++) {
                    double[] gl = gradient.get("local_token_bottleneck." + l + ".weight");
                    double[] gg = gradient.get("global_token_bottleneck." + l + ".weight");
                    int base = ((b * nl) + l) * c;
                    for (int o = 0; o < d; o++) {
                        for (int ch = 0; ch < c; ch++) {
                            double sum = 0;
                            for (int cell = 0; cell < cells; cell++) {
                                sum += dloc[l * d + o][cell] * localIn[(base + ch) * cells + cell];
                            }
                            gl[o * c + ch] += sum;
                            gg[o * c + ch] += dglo[l][o] * globalIn[base + ch];
                        }
                    }
                }
            }
        }
        if (targets == null) {
            return Double.NaN;
        }
        double loss = data / ((double) batch * n);
        double logL = Math.log(nl);
        double entropy = 0;
        double spread = 0;
        for (int v = 0; v < n; v++) {
            for (int l = 0; l < nl; l++) {
                double pl = sel.p[v][l];
                entropy += pl * Math.log(pl + ENTROPY_EPS);
            }
            spread += (sel.s[v] - 0.5) * (sel.s[v] - 0.5);
        }
        // with one layer the entropy term is 0 / log 1: it is left out
        double reg = (nl > 1 ? entropy / n / logL : 0) + spread / n;
        loss += regWeight * reg;
        if (backward) {
            for (int v = 0; v < n; v++) {
                if (nl > 1) {
                    for (int l = 0; l < nl; l++) {
                        double pl = sel.p[v][l];
                        dp[v][l] += regWeight * (Math.log(pl + ENTROPY_EPS) + pl / (pl + ENTROPY_EPS)) / (n * logL);
                    }
                }
                ds[v] += regWeight * 2 * (sel.s[v] - 0.5) / n;
            }
            backSelectors(sel, dp, ds, dix, diy, gradient);
        }
        return loss;
    }

    private void backSelectors(Selection sel, double[][] dp, double[] ds, double[] dix, double[] diy,
            Map<String, double[]> gradient) {
        int n = shape.voxels();
        int nl = shape.layers();
        int h = shape.hidden();
        int enc = EncoderShape.ENCODING;
        double half = shape.grid() / 2.0;
        for (SelectorKind kind : SelectorKind.values()) {
            String pre = kind.prefix() + "_selector_mlp.";
            double[] w2 = param(pre + "3.weight");
            double[] w3 = param(pre + "5.weight");
            double[] gw1 = gradient.get(pre + "1.weight");
            double[] gb1 = gradient.get(pre + "1.bias");
            double[] gw2 = gradient.get(pre + "3.weight");
            double[] gb2 = gradient.get(pre + "3.bias");
            double[] gw3 = gradient.get(pre + "5.weight");
            int k = kind.outputs(nl);
            int s = kind.ordinal();
            for (int v = 0; v < n; v++) {
                double[] dout = new double[k];
                switch (kind) {
                    case SPACE -> {
                        dout[0] = dix[v] * half * (1 - sel.x[v] * sel.x[v]);
                        dout[1] = diy[v] * half * (1 - sel.y[v] * sel.y[v]);
                    }
                    case LAYER -> {
                        double dot = 0;
                        for (int l = 0; l < nl; l++) {
                            dot += sel.p[v][l] * dp[v][l];
                        }
                        for (int l = 0; l < nl; l++) {
                            dout[l] = sel.p[v][l] * (dp[v][l] - dot);
                        }
                    }
                    case SCALE -> dout[0] = ds[v] * sel.s[v] * (1 - sel.s[v]);
                }
                double[] dh2 = new double[h];
                for (int o = 0; o < k; o++) {
                    for (int j = 0; j < h; j++) {
                        gw3[o * h + j] += dout[o] * sel.hidden2[s][v][j];
                        dh2[j] += dout[o] * w3[o * h + j];
                    }
                }
                double[] dh1 = new double[h];
                for (int i = 0; i < h; i++) {
                    double dz = dh2[i] * Gelu.derivative(sel.pre2[s][v][i]);
                    gb2[i] += dz;
                    for (int j = 0; j < h; j++) {
                        gw2[i * h + j] += dz * sel.hidden1[s][v][j];
                        dh1[j] += dz * w2[i * h + j];
                    }
                }
                for (int i = 0; i < h; i++) {
                    double dz = dh1[i] * Gelu.derivative(sel.pre1[s][v][i]);
                    gb1[i] += dz;
                    for (int j = 0; j < enc; j++) {
                        gw1[i * enc + j] += dz * encodings[v][j];
                    }
                }
            }
        }
    }

    /**
     * @param r residual
     * @return smooth L1 with beta 0.1
     */
    static double huber(double r) {
        double a = Math.abs(r);
        return a < HUBER_BETA ? 0.5 * r * r / HUBER_BETA : a - 0.5 * HUBER_BETA;
    }

    /**
     * @param r residual
     * @return d huber / d r
     */
    static double huberSlope(double r) {
        return Math.abs(r) < HUBER_BETA ? r / HUBER_BETA : Math.signum(r);
    }

    /**
     * The four neighbours grid_sample reads at (x, y) with align_corners false and zero padding: their cells, whether
     * each is inside the grid, their weights and the weights' derivatives by the unnormalised positions ix and iy.
     */
    static final class Bilinear {

        final int[] cell = new int[4];
        final boolean[] inside = new boolean[4];
        final double[] weight = new double[4];
        final double[] dWeightDx = new double[4];
        final double[] dWeightDy = new double[4];

        Bilinear(double x, double y, int g) {
            double ix = ((x + 1) * g - 1) / 2;
            double iy = ((y + 1) * g - 1) / 2;
            int x0 = (int) Math.floor(ix);
            int y0 = (int) Math.floor(iy);
            double fx = ix - x0;
            double fy = iy - y0;
            for (int q = 0; q < 4; q++) {
                int cx = x0 + (q & 1);
                int cy = y0 + (q >> 1);
                inside[q] = cx >= 0 && cx < g && cy >= 0 && cy < g;
                cell[q] = inside[q] ? cy * g + cx : -1;
                double wx = (q & 1) == 0 ? 1 - fx : fx;
                double wy = (q >> 1) == 0 ? 1 - fy : fy;
                weight[q] = wx * wy;
                dWeightDx[q] = ((q & 1) == 0 ? -1 : 1) * wy;
                dWeightDy[q] = ((q >> 1) == 0 ? -1 : 1) * wx;
            }
        }
    }
}
