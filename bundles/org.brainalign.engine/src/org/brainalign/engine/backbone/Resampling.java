package org.brainalign.engine.backbone;

/**
 * One-dimensional resampling weights, the building block of every image and token-grid resize in the engine. A
 * resampling of a line of {@code in} samples to {@code out} samples is an {@code out x in} matrix of weights (row
 * {@code o} holds the weights of output sample {@code o}); a two-dimensional resize applies one matrix along the
 * height and one along the width. Pixel centres are at half-integers ("align_corners = false"), as in PyTorch's
 * {@code F.interpolate} and PIL.
 * <p>
 * Three kinds are provided, each matching a reference exactly (up to float rounding):
 * <ul>
 * <li>{@link #bilinear}: {@code F.interpolate(mode="bilinear", align_corners=False, antialias=False)} (also
 * {@code mode="linear"}): two taps, the source coordinate clamped at 0, the upper tap clamped at the last sample.
 * When shrinking this ignores samples between the taps (no antialiasing), as PyTorch does.</li>
 * <li>{@link #bicubic}: {@code F.interpolate(mode="bicubic", align_corners=False, antialias=False)}: four taps of
 * Keys' cubic convolution with a = -0.75, taps outside the line clamped to the border sample; given an output
 * size, or a scale factor (which PyTorch uses to place the samples).</li>
 * <li>{@link #antialiasedBilinear} and {@link #antialiasedBicubic}: PIL's {@code Image.resize} and PyTorch's
 * {@code antialias=True}: a triangle (or a = -0.5 cubic) filter whose support grows with the shrink factor, weights
 * normalised over the taps inside the line. When enlarging, the triangle filter gives the same weights as
 * {@link #bilinear}.</li>
 * </ul>
 */
public final class Resampling {

    private Resampling() {
    }

    /**
     * @param in samples in
     * @param out samples out
     * @return the {@code out x in} weights of PyTorch's non-antialiased (bi)linear interpolation, row-major
     */
    public static float[] bilinear(int in, int out) {
        check(in, out);
        double scale = (double) in / out;
        float[] w = new float[out * in];
        for (int o = 0; o < out; o++) {
            double src = Math.max(0, scale * (o + 0.5) - 0.5);
            int i0 = Math.min((int) src, in - 1);
            int i1 = Math.min(i0 + 1, in - 1);
            double t = src - i0;
            w[o * in + i0] += (float) (1 - t);
            w[o * in + i1] += (float) t;
        }
        return w;
    }

    /**
     * @param in samples in
     * @param out samples out
     * @return the {@code out x in} weights of PyTorch's non-antialiased bicubic interpolation (a = -0.75), row-major
     */
    public static float[] bicubic(int in, int out) {
        check(in, out);
        return bicubicWithStep(in, out, (double) in / out);
    }

    /**
     * PyTorch's non-antialiased bicubic interpolation given a scale factor rather than an output size
     * ({@code F.interpolate(scale_factor=s, mode="bicubic", align_corners=False)}): PyTorch makes {@code floor(in *
     * s)} outputs but places them with the given factor, output {@code o} reading input {@code (o + 0.5) / s - 0.5},
     * which differs from {@link #bicubic(int, int)} whenever {@code in * s} is not a whole number.
     *
     * @param in samples in
     * @param out samples out (PyTorch's is {@code floor(in * scaleFactor)})
     * @param scaleFactor the scale factor, positive
     * @return the {@code out x in} weights, row-major
     */
    public static float[] bicubic(int in, int out, double scaleFactor) {
        check(in, out);
        if (!(scaleFactor > 0) || Double.isInfinite(scaleFactor)) {
            throw new IllegalArgumentException("the scale factor must be positive, got " + scaleFactor);
        }
        return bicubicWithStep(in, out, 1 / scaleFactor);
    }

    /** Output {@code o} reads input {@code (o + 0.5) * scale - 0.5}, scale being input samples per output sample. */
    private static float[] bicubicWithStep(int in, int out, double scale) {
        double a = -0.75;
        float[] w = new float[out * in];
        for (int o = 0; o < out; o++) {
            double src = scale * (o + 0.5) - 0.5;
            int i0 = (int) Math.floor(src);
            double t = src - i0;
            double[] k = { cubicOuter(t + 1, a), cubicInner(t, a), cubicInner(1 - t, a), cubicOuter(2 - t, a) };
            for (int j = 0; j < 4; j++) {
                int i = Math.clamp(i0 - 1 + j, 0, in - 1);
                w[o * in + i] += (float) k[j];
            }
        }
        return w;
    }

    /**
     * @param in samples in
     * @param out samples out
     * @return the {@code out x in} weights of PIL's bilinear resize (PyTorch {@code antialias=True}), row-major
     */
    public static float[] antialiasedBilinear(int in, int out) {
        return antialiased(in, out, 1.0, x -> {
            double ax = Math.abs(x);
            return ax < 1 ? 1 - ax : 0;
        });
    }

    /**
     * @param in samples in
     * @param out samples out
     * @return the {@code out x in} weights of PIL's bicubic resize (PyTorch {@code antialias=True}, a = -0.5),
     *         row-major
     */
    public static float[] antialiasedBicubic(int in, int out) {
        double a = -0.5;
        return antialiased(in, out, 2.0, x -> {
            double ax = Math.abs(x);
            return ax < 1 ? cubicInner(ax, a) : ax < 2 ? cubicOuter(ax, a) : 0;
        });
    }

    /**
     * Resizes a stack of planes with separable weights: {@code out[p][y][x] = sum wy[y][i] wx[x][j] in[p][i][j]}.
     *
     * @param in planes x inHeight x inWidth, row-major
     * @param planes number of planes
     * @param inHeight input height
     * @param inWidth input width
     * @param wy the {@code outHeight x inHeight} weights
     * @param wx the {@code outWidth x inWidth} weights
     * @return planes x outHeight x outWidth, row-major
     */
    public static float[] resize(float[] in, int planes, int inHeight, int inWidth, float[] wy, float[] wx) {
        int outHeight = wy.length / inHeight;
        int outWidth = wx.length / inWidth;
        int[] rowsFrom = new int[outHeight];
        int[] rowsTo = new int[outHeight];
        taps(wy, inHeight, rowsFrom, rowsTo);
        int[] colsFrom = new int[outWidth];
        int[] colsTo = new int[outWidth];
        taps(wx, inWidth, colsFrom, colsTo);
        float[] out = new float[planes * outHeight * outWidth];
        double[] row = new double[inWidth];
        // rows first into a double buffer per output row, then columns: exact separable sums, no 8-bit rounding
        for (int p = 0; p < planes; p++) {
            int base = p * inHeight * inWidth;
            for (int y = 0; y < outHeight; y++) {
                java.util.Arrays.fill(row, 0);
                for (int i = rowsFrom[y]; i < rowsTo[y]; i++) {
                    float wyi = wy[y * inHeight + i];
                    int rowStart = base + i * inWidth;
                    for (int j = 0; j < inWidth; j++) {
                        row[j] += wyi * in[rowStart + j];
                    }
                }
                int outRow = (p * outHeight + y) * outWidth;
                for (int x = 0; x < outWidth; x++) {
                    double s = 0;
                    int wRow = x * inWidth;
                    for (int j = colsFrom[x]; j < colsTo[x]; j++) {
                        s += wx[wRow + j] * row[j];
                    }
                    out[outRow + x] = (float) s;
                }
            }
        }
        return out;
    }

    /** Finds, per output sample, the range of inputs with non-zero weight (filters have small support). */
    private static void taps(float[] w, int in, int[] from, int[] to) {
        for (int o = 0; o < from.length; o++) {
            int first = 0;
            while (first < in && w[o * in + first] == 0) {
                first++;
            }
            int last = in;
            while (last > first && w[o * in + last - 1] == 0) {
                last--;
            }
            from[o] = first;
            to[o] = last;
        }
    }

    /**
     * The weights of a two-dimensional resize as one matrix (the Kronecker product of the two 1-D matrices), for
     * applying to flattened grids with a single matrix product.
     *
     * @param wy the {@code outHeight x inHeight} weights
     * @param inHeight input height
     * @param wx the {@code outWidth x inWidth} weights
     * @param inWidth input width
     * @return {@code (outHeight * outWidth) x (inHeight * inWidth)}, row-major, output and input cells row by row
     */
    public static float[] kronecker(float[] wy, int inHeight, float[] wx, int inWidth) {
        int outHeight = wy.length / inHeight;
        int outWidth = wx.length / inWidth;
        int cols = inHeight * inWidth;
        float[] m = new float[outHeight * outWidth * cols];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                int r = (y * outWidth + x) * cols;
                for (int i = 0; i < inHeight; i++) {
                    float a = wy[y * inHeight + i];
                    if (a == 0) {
                        continue;
                    }
                    for (int j = 0; j < inWidth; j++) {
                        m[r + i * inWidth + j] = a * wx[x * inWidth + j];
                    }
                }
            }
        }
        return m;
    }

    private interface Filter {

        double at(double x);
    }

    private static float[] antialiased(int in, int out, double support, Filter filter) {
        check(in, out);
        double scale = (double) in / out;
        double filterScale = Math.max(scale, 1.0);
        double reach = support * filterScale;
        float[] w = new float[out * in];
        double[] k = new double[in];
        for (int o = 0; o < out; o++) {
            double centre = scale * (o + 0.5);
            // (int) truncates toward zero, as the C implementations do
            int min = Math.max((int) (centre - reach + 0.5), 0);
            int max = Math.min((int) (centre + reach + 0.5), in);
            double total = 0;
            for (int i = min; i < max; i++) {
                k[i] = filter.at((i - centre + 0.5) / filterScale);
                total += k[i];
            }
            for (int i = min; i < max; i++) {
                w[o * in + i] = (float) (total == 0 ? 0 : k[i] / total);
            }
        }
        return w;
    }

    private static double cubicInner(double x, double a) {
        return ((a + 2) * x - (a + 3)) * x * x + 1;
    }

    private static double cubicOuter(double x, double a) {
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    }

    private static void check(int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("cannot resample " + in + " samples to " + out);
        }
    }
}
