package org.brainalign.engine.backbone.tests;

/**
 * A deliberately plain, loop-by-loop Vision Transformer in double precision, written from the architecture
 * descriptions (Hugging Face ViT / CLIP / DINOv2 / SAM modelling code) independently of the DJL network: an
 * independent second implementation for tests. It covers class token, registers, pre-norm, layer scale, the MLP
 * activations, and SAM's zero-padded windowed attention with decomposed relative positions. Slow; tiny networks only.
 */
final class ReferenceTransformer {

    /** Switches of the reference forward pass. */
    record Options(boolean classToken, int registers, boolean preNorm, boolean layerScale, String activation,
            double eps, int[] windows, boolean relativePositions) {
    }

    private final RandomCheckpoint r;
    private final Options o;
    private final int c;
    private final int g;

    ReferenceTransformer(RandomCheckpoint r, Options o) {
        this.r = r;
        this.o = o;
        this.c = r.arch.channels();
        this.g = r.arch.grid();
    }

    /**
     * @param pixels B x in x S x S
     * @param batch B
     * @return L + 1 hidden states, each B x T x C
     */
    float[][] hidden(float[] pixels, int batch) {
        int prefix = (o.classToken() ? 1 : 0) + o.registers();
        int t = prefix + g * g;
        float[][] out = new float[r.arch.layers() + 1][batch * t * c];
        for (int b = 0; b < batch; b++) {
            double[][] x = embed(pixels, b, prefix);
            store(out[0], x, b);
            for (int l = 0; l < r.arch.layers(); l++) {
                x = block(x, l, prefix);
                store(out[l + 1], x, b);
            }
        }
        return out;
    }

    private void store(float[] into, double[][] x, int b) {
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < c; k++) {
                into[(b * x.length + i) * c + k] = (float) x[i][k];
            }
        }
    }

    private double[][] embed(float[] pixels, int b, int prefix) {
        int p = r.arch.patch();
        int in = r.arch.inChannels();
        int s = r.arch.image();
        float[] w = r.data("patch.weight");
        float[] bias = r.data("patch.bias");
        double[][] x = new double[prefix + g * g][c];
        for (int gy = 0; gy < g; gy++) {
            for (int gx = 0; gx < g; gx++) {
                double[] token = x[prefix + gy * g + gx];
                for (int k = 0; k < c; k++) {
                    double sum = bias[k];
                    for (int ch = 0; ch < in; ch++) {
                        for (int py = 0; py < p; py++) {
                            for (int px = 0; px < p; px++) {
                                sum += w[((k * in + ch) * p + py) * p + px]
                                        * pixels[((b * in + ch) * s + gy * p + py) * s + gx * p + px];
                            }
                        }
                    }
                    token[k] = sum + r.data("pos.grid")[(gy * g + gx) * c + k];
                }
            }
        }
        if (o.classToken()) {
            for (int k = 0; k < c; k++) {
                x[0][k] = r.data("cls")[k] + r.data("pos.cls")[k];
            }
        }
        for (int i = 0; i < o.registers(); i++) {
            for (int k = 0; k < c; k++) {
                x[1 + i][k] = r.data("registers")[i * c + k];
            }
        }
        return o.preNorm() ? norm(x, "prenorm") : x;
    }

    private double[][] norm(double[][] x, String name) {
        float[] w = r.data(name + ".weight");
        float[] b = r.data(name + ".bias");
        double[][] y = new double[x.length][c];
        for (int i = 0; i < x.length; i++) {
            double mean = 0;
            for (double v : x[i]) {
                mean += v;
            }
            mean /= c;
            double var = 0;
            for (double v : x[i]) {
                var += (v - mean) * (v - mean);
            }
            var /= c;
            for (int k = 0; k < c; k++) {
                y[i][k] = (x[i][k] - mean) / Math.sqrt(var + o.eps()) * w[k] + b[k];
            }
        }
        return y;
    }

    private double[] linear(double[] v, String name, int rows) {
        float[] w = r.data(name + ".weight");
        float[] b = r.data(name + ".bias");
        int cols = v.length;
        double[] y = new double[rows];
        for (int j = 0; j < rows; j++) {
            double s = b[j];
            for (int k = 0; k < cols; k++) {
                s += w[j * cols + k] * v[k];
            }
            y[j] = s;
        }
        return y;
    }

    private double act(double v) {
        return switch (o.activation()) {
            case "gelu" -> 0.5 * v * (1 + TestData.erf(v / Math.sqrt(2)));
            case "quick_gelu" -> v / (1 + Math.exp(-1.702 * v));
            default -> throw new IllegalArgumentException(o.activation());
        };
    }

    private double[][] block(double[][] x, int l, int prefix) {
        String b = "blocks." + l + ".";
        double[][] h = norm(x, b + "norm1");
        double[][] a = o.windows()[l] > 0 ? windowed(h, l, o.windows()[l]) : attend(h, l, g);
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double[] proj = linear(a[i], b + "proj", c);
            y[i] = new double[c];
            for (int k = 0; k < c; k++) {
                y[i][k] = x[i][k] + proj[k] * (o.layerScale() ? r.data(b + "ls1")[k] : 1);
            }
        }
        double[][] h2 = norm(y, b + "norm2");
        int rows = (int) r.get(b + "fc1.weight").shape()[0];
        for (int i = 0; i < y.length; i++) {
            double[] m = linear(h2[i], b + "fc1", rows);
            if (o.activation().equals("swiglu")) {
                // SwiGLU: silu of the first half times the second half
                double[] gated = new double[rows / 2];
                for (int j = 0; j < gated.length; j++) {
                    gated[j] = m[j] / (1 + Math.exp(-m[j])) * m[gated.length + j];
                }
                m = gated;
            } else {
                for (int j = 0; j < m.length; j++) {
                    m[j] = act(m[j]);
                }
            }
            double[] f = linear(m, b + "fc2", c);
            for (int k = 0; k < c; k++) {
                y[i][k] += f[k] * (o.layerScale() ? r.data(b + "ls2")[k] : 1);
            }
        }
        return y;
    }

    /** Pads the normalised grid with zero tokens to whole windows, attends per window, crops. */
    private double[][] windowed(double[][] h, int l, int w) {
        int padded = (g + w - 1) / w * w;
        double[][] out = new double[g * g][];
        for (int wy = 0; wy < padded / w; wy++) {
            for (int wx = 0; wx < padded / w; wx++) {
                double[][] window = new double[w * w][];
                for (int y = 0; y < w; y++) {
                    for (int x = 0; x < w; x++) {
                        int gy = wy * w + y;
                        int gx = wx * w + x;
                        window[y * w + x] = gy < g && gx < g ? h[gy * g + gx] : new double[c];
                    }
                }
                double[][] a = attend(window, l, w);
                for (int y = 0; y < w; y++) {
                    for (int x = 0; x < w; x++) {
                        int gy = wy * w + y;
                        int gx = wx * w + x;
                        if (gy < g && gx < g) {
                            out[gy * g + gx] = a[y * w + x];
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Multi-head attention; with relative positions the tokens are a side x side grid (no prefix tokens). */
    private double[][] attend(double[][] h, int l, int side) {
        String b = "blocks." + l + ".";
        int n = h.length;
        int heads = r.arch.heads();
        int d = c / heads;
        double[][] q = new double[n][];
        double[][] k = new double[n][];
        double[][] v = new double[n][];
        for (int i = 0; i < n; i++) {
            q[i] = linear(h[i], b + "q", c);
            k[i] = linear(h[i], b + "k", c);
            v[i] = linear(h[i], b + "v", c);
        }
        float[] relH = o.relativePositions() ? r.data(b + "relh") : null;
        float[] relW = o.relativePositions() ? r.data(b + "relw") : null;
        double[][] out = new double[n][c];
        for (int head = 0; head < heads; head++) {
            int off = head * d;
            for (int i = 0; i < n; i++) {
                double[] s = new double[n];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    double dot = 0;
                    for (int e = 0; e < d; e++) {
                        dot += q[i][off + e] * k[j][off + e];
                    }
                    s[j] = dot / Math.sqrt(d);
                    if (relH != null) {
                        int dy = i / side - j / side + side - 1;
                        int dx = i % side - j % side + side - 1;
                        for (int e = 0; e < d; e++) {
                            s[j] += q[i][off + e] * (relH[dy * d + e] + relW[dx * d + e]);
                        }
                    }
                    max = Math.max(max, s[j]);
                }
                double total = 0;
                for (int j = 0; j < n; j++) {
                    s[j] = Math.exp(s[j] - max);
                    total += s[j];
                }
                for (int j = 0; j < n; j++) {
                    for (int e = 0; e < d; e++) {
                        out[i][off + e] += s[j] / total * v[j][off + e];
                    }
                }
            }
        }
        return out;
    }
}
