package org.brainalign.engine.factortopy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** GELU in double against tabulated values of erf, and the float kernel against the double functions. */
public class GeluTest {

    @Test
    public void erfMatchesTables() {
        // Abramowitz and Stegun, table 7.1, and the complementary tail from the asymptotic series
        assertEquals(0.5204998778130465, Gelu.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, Gelu.erf(1.0), 1e-15);
        assertEquals(-0.9953222650189527, Gelu.erf(-2.0), 1e-15);
        assertEquals(0.9999779095030014, Gelu.erf(3.0), 1e-15);
        assertEquals(1.5374597944280349e-12, Gelu.erfc(5.0), 1e-25);
        assertEquals(0.8413447460685429, Gelu.value(1.0), 1e-15); // GELU(1) = Phi(1)
        assertEquals(-0.15865525393145707, Gelu.value(-1.0), 1e-15);
    }

    @Test
    public void derivativeMatchesFiniteDifferencesOfTheValue() {
        for (double z = -7; z <= 7; z += 0.37) {
            double h = 1e-6;
            double fd = (Gelu.value(z + h) - Gelu.value(z - h)) / (2 * h);
            assertEquals(fd, Gelu.derivative(z), 1e-9, "z = " + z);
        }
    }

    @Test
    public void floatKernelFollowsTheDoubleFunctions() {
        int n = 20001;
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = -10f + 20f * i / (n - 1);
        }
        float[] value = z.clone();
        float[] slope = new float[n];
        Gelu.apply(value, slope, n, new float[Gelu.SCRATCH_ROWS][n]);
        for (int i = 0; i < n; i++) {
            // the Chebyshev fits are exact to 1e-8; evaluating them in float adds up to about 3.7e-7 (simulated
            // beforehand), which is a few float ulps of values near 1
            assertEquals(Gelu.value(z[i]), value[i], 4e-7 * Math.max(1, Math.abs(z[i])), "GELU at " + z[i]);
            assertEquals(Gelu.derivative(z[i]), slope[i], 4e-7, "GELU' at " + z[i]);
        }
        float[] far = { -1e4f, -100f, 100f, 1e4f };
        float[] farSlope = new float[4];
        float[] farValue = far.clone();
        Gelu.apply(farValue, farSlope, 4, new float[Gelu.SCRATCH_ROWS][4]);
        assertEquals(0f, farValue[0], 0f);
        assertEquals(0f, farValue[1], 0f);
        assertEquals(100f, farValue[2], 1e-5f);
        assertEquals(1e4f, farValue[3], 1e-3f);
        assertEquals(0f, farSlope[0], 0f);
        assertEquals(1f, farSlope[3], 1e-6f);
    }
}
