package org.brainalign.engine.factortopy;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix products of {@link RowKernels} written with the Java Vector API (jdk.incubator.vector), register-blocked
 * as the JIT's own vectorisation cannot be: six destination rows by two vectors of columns stay in registers while
 * every source row passes, so each multiply-add costs a sixth of a load instead of the row kernels' load and store
 * of the destination. Six by two is the most that fits AVX2's sixteen vector registers (twelve sums, the source row's
 * two vectors and one broadcast coefficient); with four rows, as before, a 256-bit step spent as much time on loads,
 * broadcasts and loop control as on multiply-adds, and the product ran about 30 % slower with either vector width.
 * The at most five rows past the blocks of six go two at a time, then one. Per
 * element the sums still run one fused multiply-add at a time in order of the source rows,
 * from the destination's value: the results are the same bits as {@link RowKernels}' loops. This class is loaded
 * only when the module is present (RowKernels decides once, at start-up).
 */
final class SimdKernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    /** Transposed coefficients for {@link #gemmTransposed}, per thread. */
    private static final ThreadLocal<float[][]> TRANSPOSED = ThreadLocal.withInitial(() -> new float[0][]);

    private SimdKernels() {
    }

    /** @return the vector width in bits, which also proves the module can be used */
    static int bits() {
        return SPECIES.vectorBitSize();
    }

    /**
     * y[r] += sum over k of a[r][k] * x[k], for r &lt; rows and k &lt; count, per element in order of k.
     *
     * @param y destination rows
     * @param a coefficient rows, a[r][k]
     * @param x source rows
     * @param rows how many destination rows
     * @param count how many source rows
     * @param n row length
     */
    static void gemm(float[][] y, float[][] a, float[][] x, int rows, int count, int n) {
        int wide = n - n % (2 * LANES);
        int narrow = n - n % LANES;
        // column strips outermost: a strip of every source row (count x two vectors) stays in the first-level cache
        // while all destination rows pass over it
        for (int j = 0; j < wide; j += 2 * LANES) {
            // blocks of six rows, then of two, then one row of two vectors (the hidden layers' 128 rows: 21 x 6 + 2)
            int r = 0;
            for (; r + 5 < rows; r += 6) {
                block6(y, a, x, r, count, j);
            }
            for (; r + 1 < rows; r += 2) {
                block2(y, a, x, r, count, j);
            }
            if (r < rows) {
                block1x2(y[r], a[r], x, count, j);
            }
        }
        for (int j = wide; j < narrow; j += LANES) {
            for (int r = 0; r < rows; r++) {
                block1(y[r], a[r], x, count, j);
            }
        }
        for (int j = narrow; j < n; j++) {
            for (int r = 0; r < rows; r++) {
                float[] ar = a[r];
                float s = y[r][j];
                for (int k = 0; k < count; k++) {
                    s = Math.fma(ar[k], x[k][j], s);
                }
                y[r][j] = s;
            }
        }
    }

    private static void block6(float[][] y, float[][] a, float[][] x, int r, int count, int j) {
        float[] a0 = a[r];
        float[] a1 = a[r + 1];
        float[] a2 = a[r + 2];
        float[] a3 = a[r + 3];
        float[] a4 = a[r + 4];
        float[] a5 = a[r + 5];
        float[] y0 = y[r];
        float[] y1 = y[r + 1];
        float[] y2 = y[r + 2];
        float[] y3 = y[r + 3];
        float[] y4 = y[r + 4];
        float[] y5 = y[r + 5];
        int j1 = j + LANES;
        FloatVector c00 = FloatVector.fromArray(SPECIES, y0, j);
        FloatVector c01 = FloatVector.fromArray(SPECIES, y0, j1);
        FloatVector c10 = FloatVector.fromArray(SPECIES, y1, j);
        FloatVector c11 = FloatVector.fromArray(SPECIES, y1, j1);
        FloatVector c20 = FloatVector.fromArray(SPECIES, y2, j);
        FloatVector c21 = FloatVector.fromArray(SPECIES, y2, j1);
        FloatVector c30 = FloatVector.fromArray(SPECIES, y3, j);
        FloatVector c31 = FloatVector.fromArray(SPECIES, y3, j1);
        FloatVector c40 = FloatVector.fromArray(SPECIES, y4, j);
        FloatVector c41 = FloatVector.fromArray(SPECIES, y4, j1);
        FloatVector c50 = FloatVector.fromArray(SPECIES, y5, j);
        FloatVector c51 = FloatVector.fromArray(SPECIES, y5, j1);
        for (int k = 0; k < count; k++) {
            float[] xk = x[k];
            FloatVector x0 = FloatVector.fromArray(SPECIES, xk, j);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xk, j1);
            FloatVector b = FloatVector.broadcast(SPECIES, a0[k]);
            c00 = x0.fma(b, c00);
            c01 = x1.fma(b, c01);
            b = FloatVector.broadcast(SPECIES, a1[k]);
            c10 = x0.fma(b, c10);
            c11 = x1.fma(b, c11);
            b = FloatVector.broadcast(SPECIES, a2[k]);
            c20 = x0.fma(b, c20);
            c21 = x1.fma(b, c21);
            b = FloatVector.broadcast(SPECIES, a3[k]);
            c30 = x0.fma(b, c30);
            c31 = x1.fma(b, c31);
            b = FloatVector.broadcast(SPECIES, a4[k]);
            c40 = x0.fma(b, c40);
            c41 = x1.fma(b, c41);
            b = FloatVector.broadcast(SPECIES, a5[k]);
            c50 = x0.fma(b, c50);
            c51 = x1.fma(b, c51);
        }
        c00.intoArray(y0, j);
        c01.intoArray(y0, j1);
        c10.intoArray(y1, j);
        c11.intoArray(y1, j1);
        c20.intoArray(y2, j);
        c21.intoArray(y2, j1);
        c30.intoArray(y3, j);
        c31.intoArray(y3, j1);
        c40.intoArray(y4, j);
        c41.intoArray(y4, j1);
        c50.intoArray(y5, j);
        c51.intoArray(y5, j1);
    }

    private static void block2(float[][] y, float[][] a, float[][] x, int r, int count, int j) {
        float[] a0 = a[r];
        float[] a1 = a[r + 1];
        float[] y0 = y[r];
        float[] y1 = y[r + 1];
        int j1 = j + LANES;
        FloatVector c00 = FloatVector.fromArray(SPECIES, y0, j);
        FloatVector c01 = FloatVector.fromArray(SPECIES, y0, j1);
        FloatVector c10 = FloatVector.fromArray(SPECIES, y1, j);
        FloatVector c11 = FloatVector.fromArray(SPECIES, y1, j1);
        for (int k = 0; k < count; k++) {
            float[] xk = x[k];
            FloatVector x0 = FloatVector.fromArray(SPECIES, xk, j);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xk, j1);
            FloatVector b = FloatVector.broadcast(SPECIES, a0[k]);
            c00 = x0.fma(b, c00);
            c01 = x1.fma(b, c01);
            b = FloatVector.broadcast(SPECIES, a1[k]);
            c10 = x0.fma(b, c10);
            c11 = x1.fma(b, c11);
        }
        c00.intoArray(y0, j);
        c01.intoArray(y0, j1);
        c10.intoArray(y1, j);
        c11.intoArray(y1, j1);
    }

    private static void block1x2(float[] y, float[] a, float[][] x, int count, int j) {
        int j1 = j + LANES;
        FloatVector c0 = FloatVector.fromArray(SPECIES, y, j);
        FloatVector c1 = FloatVector.fromArray(SPECIES, y, j1);
        for (int k = 0; k < count; k++) {
            float[] xk = x[k];
            FloatVector b = FloatVector.broadcast(SPECIES, a[k]);
            c0 = FloatVector.fromArray(SPECIES, xk, j).fma(b, c0);
            c1 = FloatVector.fromArray(SPECIES, xk, j1).fma(b, c1);
        }
        c0.intoArray(y, j);
        c1.intoArray(y, j1);
    }

    private static void block1(float[] y, float[] a, float[][] x, int count, int j) {
        FloatVector c = FloatVector.fromArray(SPECIES, y, j);
        for (int k = 0; k < count; k++) {
            c = FloatVector.fromArray(SPECIES, x[k], j).fma(FloatVector.broadcast(SPECIES, a[k]), c);
        }
        c.intoArray(y, j);
    }

    /**
     * y[i] += sum over r of a[r][i] * x[r], for i &lt; outRows and r &lt; rows, per element in order of r: the
     * coefficients are transposed into scratch once, then it is {@link #gemm}.
     *
     * @param y destination rows
     * @param a coefficient rows, a[r][i]
     * @param x source rows
     * @param outRows how many destination rows
     * @param rows how many source rows
     * @param n row length
     */
    static void gemmTransposed(float[][] y, float[][] a, float[][] x, int outRows, int rows, int n) {
        float[][] at = TRANSPOSED.get();
        if (at.length < outRows || at.length > 0 && at[0].length < rows) {
            at = new float[Math.max(outRows, at.length)][Math.max(rows, at.length > 0 ? at[0].length : 0)];
            TRANSPOSED.set(at);
        }
        for (int r = 0; r < rows; r++) {
            float[] ar = a[r];
            for (int i = 0; i < outRows; i++) {
                at[i][r] = ar[i];
            }
        }
        gemm(y, at, x, outRows, rows, n);
    }

    /**
     * GELU in place and its derivative, as {@link Gelu#apply}: both Clenshaw recurrences run in registers over one
     * vector of elements at a time, operation for operation as the plain loops run them (the same bits).
     *
     * @param z pre-activations, replaced by GELU(z)
     * @param dz receives dGELU/dz at the original z
     * @param n how many leading elements
     */
    static void gelu(float[] z, float[] dz, int n) {
        float[] p = Gelu.PHI_FIT;
        float[] r = Gelu.SLOPE_FIT;
        float clamp = Gelu.CLAMP;
        FloatVector half = FloatVector.broadcast(SPECIES, 0.5f);
        FloatVector minusOne = FloatVector.broadcast(SPECIES, -1f);
        int j = 0;
        // two vectors at a time: each recurrence is a chain of dependent multiply-adds, so one vector's two chains
        // leave the multiply-add units waiting on their latency; two vectors' four chains keep them busy
        for (; j + 2 * LANES <= n; j += 2 * LANES) {
            int j1 = j + LANES;
            FloatVector x0 = FloatVector.fromArray(SPECIES, z, j);
            FloatVector x1 = FloatVector.fromArray(SPECIES, z, j1);
            FloatVector t0 = x0.mul(1f / clamp).max(-1f).min(1f);
            FloatVector t1 = x1.mul(1f / clamp).max(-1f).min(1f);
            FloatVector v0 = t0.mul(2f).fma(t0, minusOne).mul(2f);
            FloatVector v1 = t1.mul(2f).fma(t1, minusOne).mul(2f);
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector b0 = a0;
            FloatVector c0 = a0;
            FloatVector d0 = a0;
            FloatVector a1 = a0;
            FloatVector b1 = a0;
            FloatVector c1 = a0;
            FloatVector d1 = a0;
            for (int k = p.length - 1; k > 1; k -= 2) {
                FloatVector rk = FloatVector.broadcast(SPECIES, r[k]);
                FloatVector pk = FloatVector.broadcast(SPECIES, p[k]);
                FloatVector rk1 = FloatVector.broadcast(SPECIES, r[k - 1]);
                FloatVector pk1 = FloatVector.broadcast(SPECIES, p[k - 1]);
                a0 = v0.fma(b0, rk.sub(a0));
                c0 = v0.fma(d0, pk.sub(c0));
                a1 = v1.fma(b1, rk.sub(a1));
                c1 = v1.fma(d1, pk.sub(c1));
                b0 = v0.fma(a0, rk1.sub(b0));
                d0 = v0.fma(c0, pk1.sub(d0));
                b1 = v1.fma(a1, rk1.sub(b1));
                d1 = v1.fma(c1, pk1.sub(d1));
            }
            FloatVector r1 = FloatVector.broadcast(SPECIES, r[1]);
            FloatVector p1 = FloatVector.broadcast(SPECIES, p[1]);
            a0 = v0.fma(b0, r1.sub(a0));
            c0 = v0.fma(d0, p1.sub(c0));
            a1 = v1.fma(b1, r1.sub(a1));
            c1 = v1.fma(d1, p1.sub(c1));
            FloatVector r0 = FloatVector.broadcast(SPECIES, r[0]);
            FloatVector p0 = FloatVector.broadcast(SPECIES, p[0]);
            FloatVector mask0 = x0.add(clamp).mul(1e4f).add(1f).max(0f).min(1f);
            FloatVector mask1 = x1.add(clamp).mul(1e4f).add(1f).max(0f).min(1f);
            FloatVector u0 = v0.mul(0.5f);
            FloatVector u1 = v1.mul(0.5f);
            t0.fma(u0.fma(a0, r0.sub(b0)), half).mul(mask0).intoArray(dz, j);
            t1.fma(u1.fma(a1, r0.sub(b1)), half).mul(mask1).intoArray(dz, j1);
            x0.mul(t0.fma(u0.fma(c0, p0.sub(d0)), half).mul(mask0)).intoArray(z, j);
            x1.mul(t1.fma(u1.fma(c1, p0.sub(d1)), half).mul(mask1)).intoArray(z, j1);
        }
        for (; j < n; j += LANES) {
            VectorMask<Float> in = SPECIES.indexInRange(j, n);
            FloatVector x = FloatVector.fromArray(SPECIES, z, j, in);
            FloatVector t = x.mul(1f / clamp).max(-1f).min(1f);
            FloatVector u2 = t.mul(2f).fma(t, minusOne).mul(2f);
            FloatVector a = FloatVector.zero(SPECIES);
            FloatVector b = a;
            FloatVector c = a;
            FloatVector d = a;
            for (int k = p.length - 1; k > 1; k -= 2) {
                a = u2.fma(b, FloatVector.broadcast(SPECIES, r[k]).sub(a));
                c = u2.fma(d, FloatVector.broadcast(SPECIES, p[k]).sub(c));
                b = u2.fma(a, FloatVector.broadcast(SPECIES, r[k - 1]).sub(b));
                d = u2.fma(c, FloatVector.broadcast(SPECIES, p[k - 1]).sub(d));
            }
            a = u2.fma(b, FloatVector.broadcast(SPECIES, r[1]).sub(a));
            c = u2.fma(d, FloatVector.broadcast(SPECIES, p[1]).sub(c));
            FloatVector mask = x.add(clamp).mul(1e4f).add(1f).max(0f).min(1f);
            FloatVector u = u2.mul(0.5f);
            FloatVector slope = t.fma(u.fma(a, FloatVector.broadcast(SPECIES, r[0]).sub(b)), half).mul(mask);
            FloatVector phi = t.fma(u.fma(c, FloatVector.broadcast(SPECIES, p[0]).sub(d)), half).mul(mask);
            slope.intoArray(dz, j, in);
            x.mul(phi).intoArray(z, j, in);
        }
    }
}
