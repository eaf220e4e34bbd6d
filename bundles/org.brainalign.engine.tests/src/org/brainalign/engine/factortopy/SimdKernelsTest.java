package org.brainalign.engine.factortopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels against the plain loops that serve where the module is absent: the same bits, element for
 * element, at the shapes the encoder uses and at lengths no vector width divides. The test runtime is started with
 * jdk.incubator.vector, as the product is, so the fast path is the one under test.
 */
public class SimdKernelsTest {

    private static final int[][] SHAPES = {
            // rows, count, n: the selectors' products, sampling's dot products and readout gradients, odd tails;
            // rows past the blocks of six: 2 (2, 8, 14, 20, 128 = 21 x 6 + 2), 2 + 2 (10), 2 + 2 + 1 (11, 23),
            // 2 + 1 (3, 9), 1 (7)
            { 384, 192, 256 }, { 128, 128, 200 }, { 12, 128, 480 }, { 7, 480, 128 }, { 5, 3, 37 }, { 1, 1, 1 },
            { 6, 9, 17 }, { 3, 15, 250 }, { 10, 20, 64 }, { 11, 7, 40 }, { 14, 33, 48 }, { 23, 5, 33 },
            { 2, 64, 96 }, { 20, 6, 70 }, { 9, 13, 52 }, { 8, 8, 8 } };

    @Test
    public void theTestRuntimeUsesTheVectorApi() {
        assertTrue(CpuKernels.vectorApi(), CpuKernels.describe());
        // the build's avx2-kernels run limits the JIT to AVX2 and says so: its vectors must be 256 bits wide then
        String bits = System.getProperty("brainalign.test.vectorBits");
        if (bits != null) {
            assertEquals(Integer.parseInt(bits), SimdKernels.bits(), CpuKernels.describe());
        }
    }

    @Test
    public void productsAreTheLoopsBitForBit() {
        SplittableRandom r = new SplittableRandom(17);
        for (int[] s : SHAPES) {
            float[][] a = random(s[0], s[1], r);
            float[][] x = random(s[1], s[2], r);
            float[][] y0 = random(s[0], s[2], r);
            float[][] expected = copy(y0);
            float[][] actual = copy(y0);
            RowKernels.gemmLoops(expected, a, x, s[0], s[1], s[2]);
            SimdKernels.gemm(actual, a, x, s[0], s[1], s[2]);
            assertSameBits(expected, actual, "gemm " + s[0] + " x " + s[1] + " x " + s[2]);
        }
    }

    @Test
    public void transposedProductsAreTheLoopsBitForBit() {
        SplittableRandom r = new SplittableRandom(18);
        for (int[] s : SHAPES) {
            // y[i] += sum over r of a[r][i] x[r]: outRows = s[0], rows = s[1]
            float[][] a = random(s[1], s[0], r);
            float[][] x = random(s[1], s[2], r);
            float[][] y0 = random(s[0], s[2], r);
            float[][] expected = copy(y0);
            float[][] actual = copy(y0);
            RowKernels.gemmTransposedLoops(expected, a, x, s[0], s[1], s[2]);
            SimdKernels.gemmTransposed(actual, a, x, s[0], s[1], s[2]);
            assertSameBits(expected, actual, "transposed " + s[0] + " x " + s[1] + " x " + s[2]);
        }
    }

    @Test
    public void transposeMovesEveryValueOfTheBlockAndNothingElse() {
        SplittableRandom r = new SplittableRandom(20);
        // row counts below, at and past the eight rows taken at a time; a block inside larger arrays
        for (int[] s : new int[][] { { 128, 256 }, { 7, 5 }, { 8, 1 }, { 9, 17 }, { 23, 3 }, { 1, 1 } }) {
            float[][] in = random(s[0] + 2, s[1] + 3, r);
            float[][] out = random(s[1] + 1, s[0] + 4, r);
            float[][] before = copy(out);
            RowKernels.transpose(in, out, s[0], s[1]);
            for (int c = 0; c < out.length; c++) {
                for (int row = 0; row < out[c].length; row++) {
                    float expected = c < s[1] && row < s[0] ? in[row][c] : before[c][row];
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[c][row]),
                            s[0] + " x " + s[1] + " at " + c + ", " + row);
                }
            }
        }
    }

    @Test
    public void geluIsTheLoopsBitForBit() {
        SplittableRandom r = new SplittableRandom(19);
        for (int n : new int[] { 1, 15, 16, 17, 31, 32, 33, 47, 255, 256, 1001 }) {
            float[] z = new float[n];
            for (int j = 0; j < n; j++) {
                // most within the fits' range, some beyond the clamp on either side, a few exact zeros
                z[j] = j % 37 == 0 ? 0f : (float) (r.nextGaussian() * (j % 5 == 0 ? 20 : 2));
            }
            float[] expected = z.clone();
            float[] actual = z.clone();
            float[] expectedSlope = new float[n];
            float[] actualSlope = new float[n];
            Gelu.applyLoops(expected, expectedSlope, n, new float[Gelu.SCRATCH_ROWS][n]);
            SimdKernels.gelu(actual, actualSlope, n);
            for (int j = 0; j < n; j++) {
                assertEquals(Float.floatToRawIntBits(expected[j]), Float.floatToRawIntBits(actual[j]),
                        "GELU at " + z[j]);
                assertEquals(Float.floatToRawIntBits(expectedSlope[j]), Float.floatToRawIntBits(actualSlope[j]),
                        "GELU' at " + z[j]);
            }
        }
    }

    private static float[][] random(int rows, int cols, SplittableRandom r) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) (2 * r.nextDouble() - 1);
            }
        }
        return m;
    }

    private static float[][] copy(float[][] m) {
        float[][] c = new float[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    private static void assertSameBits(float[][] expected, float[][] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(Float.floatToRawIntBits(expected[i][j]), Float.floatToRawIntBits(actual[i][j]),
                        what + " at " + i + ", " + j);
            }
        }
    }
}
