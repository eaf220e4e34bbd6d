package org.brainalign.engine.factortopy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The symmetric eigensolver against a closed form and against the defining equations. */
public class SymmetricEigenTest {

    @Test
    public void secondDifferenceMatrixHasItsKnownSpectrum() {
        // tridiag(-1, 2, -1) of size n has eigenvalues 2 - 2 cos(k pi / (n + 1)), k = 1..n
        int n = 40;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = 2;
            if (i + 1 < n) {
                a[i][i + 1] = -1;
                a[i + 1][i] = -1;
            }
        }
        double[] values = new SymmetricEigen(a).values();
        for (int k = 1; k <= n; k++) {
            assertEquals(2 - 2 * Math.cos(k * Math.PI / (n + 1)), values[k - 1], 1e-12);
        }
    }

    @Test
    public void randomMatrixIsDiagonalisedByOrthonormalVectors() {
        int n = 57;
        SplittableRandom r = new SplittableRandom(9);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = a[j][i] = 2 * r.nextDouble() - 1;
            }
        }
        double[][] copy = new double[n][];
        for (int i = 0; i < n; i++) {
            copy[i] = a[i].clone();
        }
        SymmetricEigen e = new SymmetricEigen(copy);
        double[][] v = e.vectors();
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) {
                    av += a[i][j] * v[k][j];
                }
                // entries of size 1, n = 57: double rounding leaves about 1e-14
                assertEquals(e.values()[k] * v[k][i], av, 1e-11, "A v = lambda v, vector " + k);
            }
            for (int m = 0; m <= k; m++) {
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    dot += v[k][j] * v[m][j];
                }
                assertEquals(k == m ? 1 : 0, dot, 1e-12);
            }
            if (k > 0) {
                assertEquals(true, e.values()[k] >= e.values()[k - 1]);
            }
        }
    }
}
