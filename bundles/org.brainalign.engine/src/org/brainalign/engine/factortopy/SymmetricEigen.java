package org.brainalign.engine.factortopy;

/**
 * The eigendecomposition of a real symmetric matrix, A = V^T diag(values) V with the eigenvectors as the rows of V:
 * Householder reduction to tridiagonal form, then the QL algorithm with implicit Wilkinson shifts, both accumulating
 * the orthogonal transformations row by row so that the inner loops run along contiguous rows. In double precision;
 * O(n^3).
 */
final class SymmetricEigen {

    private final double[] values;
    private final double[][] vectors;

    /**
     * @param matrix a symmetric n x n matrix; it is overwritten
     */
    SymmetricEigen(double[][] matrix) {
        int n = matrix.length;
        double[][] a = matrix;
        // q holds the accumulated transformation with its rows as basis vectors: at the end row i is eigenvector i
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            q[i][i] = 1;
        }
        double[] v = new double[n];
        double[] w = new double[n];
        double[] row = new double[n];
        for (int k = 0; k + 2 < n; k++) {
            // the Householder vector that zeroes column k below the subdiagonal
            double norm = 0;
            for (int i = k + 1; i < n; i++) {
                norm += a[i][k] * a[i][k];
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                continue;
            }
            double alpha = a[k + 1][k] > 0 ? -norm : norm;
            java.util.Arrays.fill(v, 0);
            for (int i = k + 1; i < n; i++) {
                v[i] = a[i][k];
            }
            v[k + 1] -= alpha;
            double vn = 0;
            for (int i = k + 1; i < n; i++) {
                vn += v[i] * v[i];
            }
            vn = Math.sqrt(vn);
            if (vn == 0) {
                continue;
            }
            for (int i = k + 1; i < n; i++) {
                v[i] /= vn;
            }
            // A <- H A H with H = I - 2 v v^T: p = A v, w = p - (v^T p) v, A <- A - 2 v w^T - 2 w v^T
            double kk = 0;
            for (int i = k; i < n; i++) {
                double s = 0;
                double[] ai = a[i];
                for (int j = k + 1; j < n; j++) {
                    s += ai[j] * v[j];
                }
                w[i] = s;
                kk += v[i] * s;
            }
            for (int i = k; i < n; i++) {
                w[i] -= kk * v[i];
            }
            for (int i = k; i < n; i++) {
                double[] ai = a[i];
                double vi = 2 * v[i];
                double wi = 2 * w[i];
                for (int j = k; j < n; j++) {
                    ai[j] -= vi * w[j] + wi * v[j];
                }
            }
            // rows of q: q <- H q, q_r -= 2 v_r (v^T q)
            java.util.Arrays.fill(row, 0);
            for (int i = k + 1; i < n; i++) {
                double vi = v[i];
                double[] qi = q[i];
                for (int j = 0; j < n; j++) {
                    row[j] += vi * qi[j];
                }
            }
            for (int i = k + 1; i < n; i++) {
                double vi = 2 * v[i];
                double[] qi = q[i];
                for (int j = 0; j < n; j++) {
                    qi[j] -= vi * row[j];
                }
            }
        }
        double[] d = new double[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a[i][i];
            e[i] = i + 1 < n ? a[i + 1][i] : 0;
        }
        ql(d, e, q);
        // sort ascending, moving the vectors along
        for (int i = 0; i < n - 1; i++) {
            int min = i;
            for (int j = i + 1; j < n; j++) {
                if (d[j] < d[min]) {
                    min = j;
                }
            }
            if (min != i) {
                double t = d[i];
                d[i] = d[min];
                d[min] = t;
                double[] r = q[i];
                q[i] = q[min];
                q[min] = r;
            }
        }
        this.values = d;
        this.vectors = q;
    }

    /** QL iterations with implicit shifts on the tridiagonal (d, e), rotating the rows of q along. */
    private static void ql(double[] d, double[] e, double[][] q) {
        int n = d.length;
        double[] tmp = new double[n];
        for (int l = 0; l < n; l++) {
            for (int iter = 0; iter < 100; iter++) {
                int m = l;
                while (m + 1 < n) {
                    double scale = Math.abs(d[m]) + Math.abs(d[m + 1]);
                    if (Math.abs(e[m]) <= 1e-15 * scale) {
                        break;
                    }
                    m++;
                }
                if (m == l) {
                    break;
                }
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = Math.hypot(g, 1);
                g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
                double s = 1;
                double c = 1;
                double p = 0;
                int i = m - 1;
                boolean underflow = false;
                for (; i >= l; i--) {
                    double f = s * e[i];
                    double b = c * e[i];
                    r = Math.hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0) {
                        d[i + 1] -= p;
                        e[m] = 0;
                        underflow = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                    double[] qi = q[i];
                    double[] qn = q[i + 1];
                    for (int k = 0; k < n; k++) {
                        tmp[k] = qn[k];
                    }
                    for (int k = 0; k < n; k++) {
                        qn[k] = s * qi[k] + c * tmp[k];
                    }
                    for (int k = 0; k < n; k++) {
                        qi[k] = c * qi[k] - s * tmp[k];
                    }
                }
                if (underflow) {
                    continue;
                }
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
        }
    }

    /** @return the eigenvalues, ascending (shared) */
    double[] values() {
        return values;
    }

    /** @return the eigenvectors as rows, in the order of the values (shared) */
    double[][] vectors() {
        return vectors;
    }
}
