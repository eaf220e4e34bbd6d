package org.brainalign.engine.factortopy;

/**
 * GELU, the exact (erf) form z * Phi(z), where Phi is the standard normal distribution function, and its derivative
 * Phi(z) + z * phi(z). The double-precision functions are accurate to about 1e-15 and serve the reference
 * implementation; the float kernel evaluates Chebyshev fits of Phi and of the derivative with plain arithmetic so that
 * the JIT vectorises it (Java has no erf, and Math.exp in a loop would not vectorise). The fits are computed here, at
 * class initialisation, from the double functions with StrictMath, so every run uses the same coefficients.
 */
final class Gelu {

    /** Beyond |z| > CLAMP the float kernel treats Phi as 0 or 1: Phi(-6) = 1e-9. */
    static final float CLAMP = 6f;

    /** Scratch rows {@link #apply} needs. */
    static final int SCRATCH_ROWS = 5;

    private static final int DEGREE = 17;
    private static final int NODES = 64;
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    /** The fits' coefficients P0 .. P17 (Phi) and R0 .. R17 (the derivative), for {@link SimdKernels#gelu}. */
    static final float[] PHI_FIT = new float[DEGREE + 1];
    static final float[] SLOPE_FIT = new float[DEGREE + 1];

    private static final float P0, P1, P2, P3, P4, P5, P6, P7, P8, P9, P10, P11, P12, P13, P14, P15, P16, P17;
    private static final float R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13, R14, R15, R16, R17;

    static {
        // Phi(6t) - 0.5 and gelu'(6t) - 0.5 are odd in t: fit (f(6t) - 0.5) / t as a series in u = 2t^2 - 1
        double[] p = fit(false);
        double[] r = fit(true);
        for (int k = 0; k <= DEGREE; k++) {
            PHI_FIT[k] = (float) p[k];
            SLOPE_FIT[k] = (float) r[k];
        }
        P0 = (float) p[0];
        P1 = (float) p[1];
        P2 = (float) p[2];
        P3 = (float) p[3];
        P4 = (float) p[4];
        P5 = (float) p[5];
        P6 = (float) p[6];
        P7 = (float) p[7];
        P8 = (float) p[8];
        P9 = (float) p[9];
        P10 = (float) p[10];
        P11 = (float) p[11];
        P12 = (float) p[12];
        P13 = (float) p[13];
        P14 = (float) p[14];
        P15 = (float) p[15];
        P16 = (float) p[16];
        P17 = (float) p[17];
        R0 = (float) r[0];
        R1 = (float) r[1];
        R2 = (float) r[2];
        R3 = (float) r[3];
        R4 = (float) r[4];
        R5 = (float) r[5];
        R6 = (float) r[6];
        R7 = (float) r[7];
        R8 = (float) r[8];
        R9 = (float) r[9];
        R10 = (float) r[10];
        R11 = (float) r[11];
        R12 = (float) r[12];
        R13 = (float) r[13];
        R14 = (float) r[14];
        R15 = (float) r[15];
        R16 = (float) r[16];
        R17 = (float) r[17];
    }

    private Gelu() {
    }

    private static double[] fit(boolean derivative) {
        double[] values = new double[NODES];
        double[] nodes = new double[NODES];
        for (int j = 0; j < NODES; j++) {
            double u = StrictMath.cos(Math.PI * (j + 0.5) / NODES);
            double t = StrictMath.sqrt((u + 1) / 2);
            double z = CLAMP * t;
            double f = derivative ? derivative(z) : phi(z);
            nodes[j] = u;
            values[j] = (f - 0.5) / t;
        }
        double[] c = new double[DEGREE + 1];
        for (int k = 0; k <= DEGREE; k++) {
            double s = 0;
            for (int j = 0; j < NODES; j++) {
                s += values[j] * StrictMath.cos(k * Math.PI * (j + 0.5) / NODES);
            }
            c[k] = (k == 0 ? 1.0 : 2.0) * s / NODES;
        }
        return c;
    }

    /**
     * @param x any value
     * @return erf(x), to about 1e-15
     */
    static double erf(double x) {
        double a = Math.abs(x);
        if (a < 2) {
            // Maclaurin series: at |x| < 2 the largest term is below 10, so little is lost to cancellation
            double x2 = x * x;
            double term = x;
            double sum = x;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return 2 * INV_SQRT_PI * sum;
        }
        double e = 1 - erfcLarge(a);
        return x < 0 ? -e : e;
    }

    /**
     * @param x any value
     * @return erfc(x) = 1 - erf(x), with full relative accuracy in the upper tail
     */
    static double erfc(double x) {
        if (x >= 2) {
            return erfcLarge(x);
        }
        if (x <= -2) {
            return 2 - erfcLarge(-x);
        }
        return 1 - erf(x);
    }

    /** Continued fraction erfc(x) = exp(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))). */
    private static double erfcLarge(double x) {
        double tiny = 1e-300;
        double f = x;
        double c = f;
        double d = 0;
        for (int n = 1; n < 5000; n++) {
            double an = n / 2.0;
            d = x + an * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = x + an / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return StrictMath.exp(-x * x) * INV_SQRT_PI / f;
    }

    /**
     * @param z any value
     * @return Phi(z), the standard normal distribution function
     */
    static double phi(double z) {
        return 0.5 * erfc(-z * SQRT_HALF);
    }

    /**
     * @param z any value
     * @return the standard normal density at z
     */
    static double density(double z) {
        return INV_SQRT_2PI * StrictMath.exp(-0.5 * z * z);
    }

    /**
     * @param z any value
     * @return GELU(z) = z Phi(z)
     */
    static double value(double z) {
        return z * phi(z);
    }

    /**
     * @param z any value
     * @return dGELU/dz = Phi(z) + z phi(z)
     */
    static double derivative(double z) {
        return phi(z) + z * density(z);
    }

    /**
     * Applies GELU in place and stores its derivative, in float. Each pass advances both Clenshaw recurrences (the
     * derivative's and Phi's) by a few coefficients: the JIT vectorises only loops whose bodies are small enough to
     * unroll, so the work is split into short loops that keep the recurrences' state in the scratch rows, and
     * running the two side by side halves the loads and stores per multiply-add.
     *
     * @param z pre-activations, replaced by GELU(z)
     * @param dz receives dGELU/dz at the original z
     * @param n how many leading elements
     * @param scratch {@value #SCRATCH_ROWS} rows of at least n floats
     */
    static void apply(float[] z, float[] dz, int n, float[][] scratch) {
        if (RowKernels.SIMD) {
            SimdKernels.gelu(z, dz, n);
            return;
        }
        applyLoops(z, dz, n, scratch);
    }

    /** {@link #apply} as plain loops, whichever path is chosen: the same bits. */
    static void applyLoops(float[] z, float[] dz, int n, float[][] scratch) {
        float[] twoU = scratch[0];
        float[] ra = scratch[1];
        float[] rb = scratch[2];
        float[] pa = scratch[3];
        float[] pb = scratch[4];
        for (int j = 0; j < n; j++) {
            float t = Math.min(Math.max(z[j] * (1f / CLAMP), -1f), 1f);
            twoU[j] = 2f * Math.fma(2f * t, t, -1f);
            ra[j] = 0f;
            rb[j] = 0f;
            pa[j] = 0f;
            pb[j] = 0f;
        }
        for (int j = 0; j < n; j++) {
            float u2 = twoU[j];
            float a = ra[j];
            float b = rb[j];
            float c = pa[j];
            float d = pb[j];
            a = Math.fma(u2, b, R17 - a);
            c = Math.fma(u2, d, P17 - c);
            b = Math.fma(u2, a, R16 - b);
            d = Math.fma(u2, c, P16 - d);
            a = Math.fma(u2, b, R15 - a);
            c = Math.fma(u2, d, P15 - c);
            b = Math.fma(u2, a, R14 - b);
            d = Math.fma(u2, c, P14 - d);
            a = Math.fma(u2, b, R13 - a);
            c = Math.fma(u2, d, P13 - c);
            b = Math.fma(u2, a, R12 - b);
            d = Math.fma(u2, c, P12 - d);
            ra[j] = a;
            rb[j] = b;
            pa[j] = c;
            pb[j] = d;
        }
        for (int j = 0; j < n; j++) {
            float u2 = twoU[j];
            float a = ra[j];
            float b = rb[j];
            float c = pa[j];
            float d = pb[j];
            a = Math.fma(u2, b, R11 - a);
            c = Math.fma(u2, d, P11 - c);
            b = Math.fma(u2, a, R10 - b);
            d = Math.fma(u2, c, P10 - d);
            a = Math.fma(u2, b, R9 - a);
            c = Math.fma(u2, d, P9 - c);
            b = Math.fma(u2, a, R8 - b);
            d = Math.fma(u2, c, P8 - d);
            a = Math.fma(u2, b, R7 - a);
            c = Math.fma(u2, d, P7 - c);
            b = Math.fma(u2, a, R6 - b);
            d = Math.fma(u2, c, P6 - d);
            ra[j] = a;
            rb[j] = b;
            pa[j] = c;
            pb[j] = d;
        }
        for (int j = 0; j < n; j++) {
            float u2 = twoU[j];
            float a = ra[j];
            float b = rb[j];
            float c = pa[j];
            float d = pb[j];
            a = Math.fma(u2, b, R5 - a);
            c = Math.fma(u2, d, P5 - c);
            b = Math.fma(u2, a, R4 - b);
            d = Math.fma(u2, c, P4 - d);
            a = Math.fma(u2, b, R3 - a);
            c = Math.fma(u2, d, P3 - c);
            b = Math.fma(u2, a, R2 - b);
            d = Math.fma(u2, c, P2 - d);
            ra[j] = a;
            rb[j] = b;
            pa[j] = c;
            pb[j] = d;
        }
        for (int j = 0; j < n; j++) {
            float u2 = twoU[j];
            float a = ra[j];
            float b = rb[j];
            float c = pa[j];
            float d = pb[j];
            a = Math.fma(u2, b, R1 - a);
            c = Math.fma(u2, d, P1 - c);
            ra[j] = a;
            rb[j] = b;
            pa[j] = c;
            pb[j] = d;
        }
        for (int j = 0; j < n; j++) {
            float x = z[j];
            float t = Math.min(Math.max(x * (1f / CLAMP), -1f), 1f);
            // far below -CLAMP both are zero; the mask keeps the fits' last ulps from growing with |z|
            float mask = Math.min(Math.max((x + CLAMP) * 1e4f + 1f, 0f), 1f);
            float u = 0.5f * twoU[j];
            dz[j] = Math.fma(t, Math.fma(u, ra[j], R0 - rb[j]), 0.5f) * mask;
            z[j] = x * (Math.fma(t, Math.fma(u, pa[j], P0 - pb[j]), 0.5f) * mask);
        }
    }
}
