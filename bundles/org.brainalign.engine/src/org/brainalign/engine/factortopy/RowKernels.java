package org.brainalign.engine.factortopy;

/**
 * The inner loops of the fused encoder. Each updates one destination row with scaled source rows, every array
 * indexed by the same loop counter from 0: written so, the JIT turns them into SIMD fused multiply-adds (different
 * offsets into possibly aliased arrays would make it give up). Math.fma rounds once, so the results are the same bits
 * whether a loop is vectorised or not.
 * <p>
 * The matrix products go to {@link SimdKernels} when the Java Vector API (module jdk.incubator.vector) was given to
 * the JVM: decided once, at class initialisation, so the JIT folds the choice away. Both paths give the same bits.
 */
final class RowKernels {

    /** System property that turns the Vector API path off, to compare the two paths in one installation. */
    static final String SCALAR_PROPERTY = "brainalign.kernels.scalar";

    /** Whether the matrix products run on the Vector API. */
    static final boolean SIMD = simdUsable();

    private RowKernels() {
    }

    private static boolean simdUsable() {
        if (Boolean.getBoolean(SCALAR_PROPERTY)) {
            return false;
        }
        try {
            return SimdKernels.bits() > 0;
        } catch (LinkageError e) {
            // no jdk.incubator.vector in this JVM (or not visible to this bundle): the plain loops serve
            return false;
        }
    }

    /**
     * y += a * x over the first n elements.
     *
     * @param a scale
     * @param x source row
     * @param y destination row
     * @param n length
     */
    static void axpy(float a, float[] x, float[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] = Math.fma(a, x[j], y[j]);
        }
    }

    /**
     * y += a0 x0 + a1 x1 + a2 x2 + a3 x3 over the first n elements, added in that order.
     *
     * @param a0 scale of x0
     * @param x0 source row
     * @param a1 scale of x1
     * @param x1 source row
     * @param a2 scale of x2
     * @param x2 source row
     * @param a3 scale of x3
     * @param x3 source row
     * @param y destination row
     * @param n length
     */
    static void axpy4(float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3, float[] x3,
            float[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] = Math.fma(a3, x3[j], Math.fma(a2, x2[j], Math.fma(a1, x1[j], Math.fma(a0, x0[j], y[j]))));
        }
    }

    /**
     * y += sum over k &lt; count of a[k] * rows[k], in order of k.
     *
     * @param y destination row
     * @param a scales
     * @param rows source rows
     * @param count how many rows
     * @param n row length
     */
    static void combine(float[] y, float[] a, float[][] rows, int count, int n) {
        int k = 0;
        for (; k + 3 < count; k += 4) {
            axpy4(a[k], rows[k], a[k + 1], rows[k + 1], a[k + 2], rows[k + 2], a[k + 3], rows[k + 3], y, n);
        }
        for (; k < count; k++) {
            axpy(a[k], rows[k], y, n);
        }
    }

    /**
     * Two destinations from the same four sources: y0 += p0 x0 + p1 x1 + p2 x2 + p3 x3 and y1 += q0 x0 + ... + q3 x3,
     * each added in that order, so every source element is loaded once for both.
     */
    private static void axpy4x2(float p0, float p1, float p2, float p3, float q0, float q1, float q2, float q3,
            float[] x0, float[] x1, float[] x2, float[] x3, float[] y0, float[] y1, int n) {
        for (int j = 0; j < n; j++) {
            float v0 = x0[j];
            float v1 = x1[j];
            float v2 = x2[j];
            float v3 = x3[j];
            y0[j] = Math.fma(p3, v3, Math.fma(p2, v2, Math.fma(p1, v1, Math.fma(p0, v0, y0[j]))));
            y1[j] = Math.fma(q3, v3, Math.fma(q2, v2, Math.fma(q1, v1, Math.fma(q0, v0, y1[j]))));
        }
    }

    /**
     * Two destinations from the same eight sources, each added in order of the sources: per element ten loads and two
     * stores feed sixteen multiply-adds (four sources at a time need twelve loads and four stores for as many), and
     * the sums are the same bits as two passes of four.
     */
    private static void axpy8x2(float[] p, float[] q, int k, float[] x0, float[] x1, float[] x2, float[] x3,
            float[] x4, float[] x5, float[] x6, float[] x7, float[] y0, float[] y1, int n) {
        float p0 = p[k];
        float p1 = p[k + 1];
        float p2 = p[k + 2];
        float p3 = p[k + 3];
        float p4 = p[k + 4];
        float p5 = p[k + 5];
        float p6 = p[k + 6];
        float p7 = p[k + 7];
        float q0 = q[k];
        float q1 = q[k + 1];
        float q2 = q[k + 2];
        float q3 = q[k + 3];
        float q4 = q[k + 4];
        float q5 = q[k + 5];
        float q6 = q[k + 6];
        float q7 = q[k + 7];
        for (int j = 0; j < n; j++) {
            float v0 = x0[j];
            float v1 = x1[j];
            float v2 = x2[j];
            float v3 = x3[j];
            float v4 = x4[j];
            float v5 = x5[j];
            float v6 = x6[j];
            float v7 = x7[j];
            float s = Math.fma(p3, v3, Math.fma(p2, v2, Math.fma(p1, v1, Math.fma(p0, v0, y0[j]))));
            float t = Math.fma(q3, v3, Math.fma(q2, v2, Math.fma(q1, v1, Math.fma(q0, v0, y1[j]))));
            y0[j] = Math.fma(p7, v7, Math.fma(p6, v6, Math.fma(p5, v5, Math.fma(p4, v4, s))));
            y1[j] = Math.fma(q7, v7, Math.fma(q6, v6, Math.fma(q5, v5, Math.fma(q4, v4, t))));
        }
    }

    /**
     * A block matrix product: y[r] += sum over k of a[r][k] * x[k], for r &lt; rows and k &lt; count. Eight source rows
     * at a time are applied to the destination rows two by two, which stay in the first-level cache, so each source
     * row is read once per block and each source element once per pair of destinations; per element the sums run in
     * order of k.
     *
     * @param y destination rows
     * @param a coefficient rows, a[r][k]
     * @param x source rows
     * @param rows how many destination rows
     * @param count how many source rows
     * @param n row length
     */
    static void gemm(float[][] y, float[][] a, float[][] x, int rows, int count, int n) {
        if (SIMD) {
            SimdKernels.gemm(y, a, x, rows, count, n);
            return;
        }
        gemmLoops(y, a, x, rows, count, n);
    }

    /** {@link #gemm} as plain loops, whichever path is chosen: the same bits. */
    static void gemmLoops(float[][] y, float[][] a, float[][] x, int rows, int count, int n) {
        // destination rows in tiles of about 24 KB, so that a tile stays in the first-level cache while every source
        // row passes once; the sums per element still run in order of k
        int tile = Math.max(2, (6144 / Math.max(1, n)) & ~1);
        for (int r0 = 0; r0 < rows; r0 += tile) {
            int r1 = Math.min(rows, r0 + tile);
            int k = 0;
            for (; k + 7 < count; k += 8) {
                float[] x0 = x[k];
                float[] x1 = x[k + 1];
                float[] x2 = x[k + 2];
                float[] x3 = x[k + 3];
                float[] x4 = x[k + 4];
                float[] x5 = x[k + 5];
                float[] x6 = x[k + 6];
                float[] x7 = x[k + 7];
                int r = r0;
                for (; r + 1 < r1; r += 2) {
                    axpy8x2(a[r], a[r + 1], k, x0, x1, x2, x3, x4, x5, x6, x7, y[r], y[r + 1], n);
                }
                if (r < r1) {
                    float[] p = a[r];
                    axpy4(p[k], x0, p[k + 1], x1, p[k + 2], x2, p[k + 3], x3, y[r], n);
                    axpy4(p[k + 4], x4, p[k + 5], x5, p[k + 6], x6, p[k + 7], x7, y[r], n);
                }
            }
            for (; k + 3 < count; k += 4) {
                float[] x0 = x[k];
                float[] x1 = x[k + 1];
                float[] x2 = x[k + 2];
                float[] x3 = x[k + 3];
                int r = r0;
                for (; r + 1 < r1; r += 2) {
                    float[] p = a[r];
                    float[] q = a[r + 1];
                    axpy4x2(p[k], p[k + 1], p[k + 2], p[k + 3], q[k], q[k + 1], q[k + 2], q[k + 3], x0, x1, x2, x3,
                            y[r], y[r + 1], n);
                }
                if (r < r1) {
                    float[] p = a[r];
                    axpy4(p[k], x0, p[k + 1], x1, p[k + 2], x2, p[k + 3], x3, y[r], n);
                }
            }
            for (; k < count; k++) {
                for (int r = r0; r < r1; r++) {
                    axpy(a[r][k], x[k], y[r], n);
                }
            }
        }
    }

    /**
     * The product with transposed coefficients, as weight gradients need it: y[i] += sum over r of a[r][i] * x[r], for
     * i &lt; outRows and r &lt; rows, destination rows two by two, each pair finished while it is in the first-level
     * cache; per element the sums run in order of r.
     *
     * @param y destination rows
     * @param a coefficient rows, a[r][i]
     * @param x source rows
     * @param outRows how many destination rows
     * @param rows how many source rows
     * @param n row length
     */
    static void gemmTransposed(float[][] y, float[][] a, float[][] x, int outRows, int rows, int n) {
        if (SIMD) {
            SimdKernels.gemmTransposed(y, a, x, outRows, rows, n);
            return;
        }
        gemmTransposedLoops(y, a, x, outRows, rows, n);
    }

    /** {@link #gemmTransposed} as plain loops, whichever path is chosen: the same bits. */
    static void gemmTransposedLoops(float[][] y, float[][] a, float[][] x, int outRows, int rows, int n) {
        float[] cp = new float[8];
        float[] cq = new float[8];
        int i = 0;
        for (; i + 1 < outRows; i += 2) {
            float[] y0 = y[i];
            float[] y1 = y[i + 1];
            int r = 0;
            for (; r + 7 < rows; r += 8) {
                for (int m = 0; m < 8; m++) {
                    cp[m] = a[r + m][i];
                    cq[m] = a[r + m][i + 1];
                }
                axpy8x2(cp, cq, 0, x[r], x[r + 1], x[r + 2], x[r + 3], x[r + 4], x[r + 5], x[r + 6], x[r + 7], y0, y1,
                        n);
            }
            for (; r + 3 < rows; r += 4) {
                float[] a0 = a[r];
                float[] a1 = a[r + 1];
                float[] a2 = a[r + 2];
                float[] a3 = a[r + 3];
                axpy4x2(a0[i], a1[i], a2[i], a3[i], a0[i + 1], a1[i + 1], a2[i + 1], a3[i + 1], x[r], x[r + 1],
                        x[r + 2], x[r + 3], y0, y1, n);
            }
            for (; r < rows; r++) {
                axpy(a[r][i], x[r], y0, n);
                axpy(a[r][i + 1], x[r], y1, n);
            }
        }
        if (i < outRows) {
            float[] yi = y[i];
            int r = 0;
            for (; r + 3 < rows; r += 4) {
                axpy4(a[r][i], x[r], a[r + 1][i], x[r + 1], a[r + 2][i], x[r + 2], a[r + 3][i], x[r + 3], yi, n);
            }
            for (; r < rows; r++) {
                axpy(a[r][i], x[r], yi, n);
            }
        }
    }

    /**
     * z = x * y element by element.
     *
     * @param x a row
     * @param y a row
     * @param z destination
     * @param n length
     */
    static void multiply(float[] x, float[] y, float[] z, int n) {
        for (int j = 0; j < n; j++) {
            z[j] = x[j] * y[j];
        }
    }

    /**
     * y += x element by element.
     *
     * @param x a row
     * @param y destination
     * @param n length
     */
    static void add(float[] x, float[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += x[j];
        }
    }

    /**
     * @param x a row
     * @param n length
     * @return the sum of the first n elements, in order
     */
    static float sum(float[] x, int n) {
        float s = 0f;
        for (int j = 0; j < n; j++) {
            s += x[j];
        }
        return s;
    }

    /**
     * Transposes the leading block of a matrix, eight source rows at a time: each destination row gets eight
     * neighbouring values per pass, and the eight source rows are read in step. Twice as fast as 8 x 8 tiles at the
     * selectors' 128 x 256 (the tiles' inner loops were too short for the JIT and checked bounds on eight arrays per
     * element).
     *
     * @param in source rows, at least rows x cols
     * @param out destination rows, at least cols x rows
     * @param rows rows of the block
     * @param cols columns of the block
     */
    static void transpose(float[][] in, float[][] out, int rows, int cols) {
        int r = 0;
        for (; r + 7 < rows; r += 8) {
            float[] a0 = in[r];
            float[] a1 = in[r + 1];
            float[] a2 = in[r + 2];
            float[] a3 = in[r + 3];
            float[] a4 = in[r + 4];
            float[] a5 = in[r + 5];
            float[] a6 = in[r + 6];
            float[] a7 = in[r + 7];
            for (int c = 0; c < cols; c++) {
                float[] o = out[c];
                o[r] = a0[c];
                o[r + 1] = a1[c];
                o[r + 2] = a2[c];
                o[r + 3] = a3[c];
                o[r + 4] = a4[c];
                o[r + 5] = a5[c];
                o[r + 6] = a6[c];
                o[r + 7] = a7[c];
            }
        }
        for (; r < rows; r++) {
            float[] a = in[r];
            for (int c = 0; c < cols; c++) {
                out[c][r] = a[c];
            }
        }
    }

    /**
     * @param rows source, r x c
     * @param out destination, c x r
     */
    static void transpose(float[][] rows, float[][] out) {
        for (int r = 0; r < rows.length; r++) {
            float[] row = rows[r];
            for (int c = 0; c < row.length; c++) {
                out[c][r] = row[c];
            }
        }
    }
}
