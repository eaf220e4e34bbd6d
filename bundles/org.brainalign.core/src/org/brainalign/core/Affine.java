package org.brainalign.core;

import java.util.Arrays;

/**
 * An affine is the 4 x 4 matrix that maps voxel indices (i, j, k) to world coordinates (x, y, z) in millimetres, in
 * the RAS+ convention that nibabel and the NIfTI standard use: x grows to the subject's Right, y to Anterior, z to
 * Superior. The last row is always (0, 0, 0, 1). Instances are immutable.
 */
public final class Affine {

    private static final String[][] AXIS_LETTERS = { { "L", "R" }, { "P", "A" }, { "I", "S" } };

    private final double[] m; // row-major 4 x 4

    private Affine(double[] rowMajor) {
        this.m = rowMajor;
    }

    /**
     * Creates an affine from its first three rows.
     *
     * @param rows a 3 x 4 or 4 x 4 matrix, row by row; a fourth row, if given, must be (0, 0, 0, 1)
     * @return the affine
     * @throws IllegalArgumentException if the matrix has the wrong size, is not finite, or its last row is not
     *         (0, 0, 0, 1)
     */
    public static Affine of(double[][] rows) {
        if (rows.length != 3 && rows.length != 4) {
            throw new IllegalArgumentException("an affine needs 3 or 4 rows, got " + rows.length);
        }
        double[] m = new double[16];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != 4) {
                throw new IllegalArgumentException("row " + r + " of an affine needs 4 values, got " + rows[r].length);
            }
            System.arraycopy(rows[r], 0, m, 4 * r, 4);
        }
        if (rows.length == 4 && (m[12] != 0 || m[13] != 0 || m[14] != 0 || m[15] != 1)) {
            throw new IllegalArgumentException("the last row of an affine must be (0, 0, 0, 1), got "
                    + Arrays.toString(Arrays.copyOfRange(m, 12, 16)));
        }
        m[15] = 1;
        for (double v : m) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("an affine must hold finite numbers, got " + Arrays.toString(m));
            }
        }
        return new Affine(m);
    }

    /**
     * Creates an affine from 16 (or 12) values in row-major order.
     *
     * @param rowMajor the values
     * @return the affine
     */
    public static Affine ofRowMajor(double... rowMajor) {
        if (rowMajor.length != 12 && rowMajor.length != 16) {
            throw new IllegalArgumentException("an affine needs 12 or 16 values, got " + rowMajor.length);
        }
        double[][] rows = new double[rowMajor.length / 4][4];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rowMajor, 4 * r, rows[r], 0, 4);
        }
        return of(rows);
    }

    /** @return the identity: voxel indices are world millimetres */
    public static Affine identity() {
        return scaling(1, 1, 1);
    }

    /**
     * @param dx voxel size along i
     * @param dy voxel size along j
     * @param dz voxel size along k
     * @return the diagonal affine with these voxel sizes and no translation (NIfTI's "pixdim" fallback)
     */
    public static Affine scaling(double dx, double dy, double dz) {
        return ofRowMajor(dx, 0, 0, 0, 0, dy, 0, 0, 0, 0, dz, 0);
    }

    /**
     * @param row 0..3
     * @param col 0..3
     * @return one element
     */
    public double get(int row, int col) {
        return m[4 * row + col];
    }

    /** @return a copy of the 16 values, row by row */
    public double[] toRowMajor() {
        return m.clone();
    }

    /** @return a copy as a 4 x 4 array */
    public double[][] toRows() {
        double[][] rows = new double[4][];
        for (int r = 0; r < 4; r++) {
            rows[r] = Arrays.copyOfRange(m, 4 * r, 4 * r + 4);
        }
        return rows;
    }

    /**
     * Maps a voxel position to world coordinates.
     *
     * @param i first voxel index (may be fractional)
     * @param j second voxel index
     * @param k third voxel index
     * @return (x, y, z) in world millimetres
     */
    public double[] voxelToWorld(double i, double j, double k) {
        return new double[] { m[0] * i + m[1] * j + m[2] * k + m[3], m[4] * i + m[5] * j + m[6] * k + m[7],
                m[8] * i + m[9] * j + m[10] * k + m[11] };
    }

    /**
     * Maps world coordinates to a (fractional) voxel position.
     *
     * @param x world x in mm
     * @param y world y in mm
     * @param z world z in mm
     * @return (i, j, k)
     * @throws IllegalStateException if the affine is singular
     */
    public double[] worldToVoxel(double x, double y, double z) {
        double[] inv = inverse().m;
        return new double[] { inv[0] * x + inv[1] * y + inv[2] * z + inv[3],
                inv[4] * x + inv[5] * y + inv[6] * z + inv[7], inv[8] * x + inv[9] * y + inv[10] * z + inv[11] };
    }

    /**
     * @param other the affine applied first
     * @return this * other, the affine that applies other, then this
     */
    public Affine multiply(Affine other) {
        double[] r = new double[16];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += m[4 * i + k] * other.m[4 * k + j];
                }
                r[4 * i + j] = s;
            }
        }
        return new Affine(r);
    }

    /** @return the determinant of the 3 x 3 rotation-zoom-shear part */
    public double determinant() {
        return m[0] * (m[5] * m[10] - m[6] * m[9]) - m[1] * (m[4] * m[10] - m[6] * m[8])
                + m[2] * (m[4] * m[9] - m[5] * m[8]);
    }

    /**
     * @return the inverse affine, world to voxel
     * @throws IllegalStateException if the 3 x 3 part is singular
     */
    public Affine inverse() {
        double det = determinant();
        double scale = 0;
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                scale = Math.max(scale, Math.abs(m[4 * r + c]));
            }
        }
        if (scale == 0 || Math.abs(det) <= 1e-12 * scale * scale * scale) {
            throw new IllegalStateException("the affine is singular and has no inverse: " + this);
        }
        double[] a = m;
        double[] r = new double[16];
        r[0] = (a[5] * a[10] - a[6] * a[9]) / det;
        r[1] = (a[2] * a[9] - a[1] * a[10]) / det;
        r[2] = (a[1] * a[6] - a[2] * a[5]) / det;
        r[4] = (a[6] * a[8] - a[4] * a[10]) / det;
        r[5] = (a[0] * a[10] - a[2] * a[8]) / det;
        r[6] = (a[2] * a[4] - a[0] * a[6]) / det;
        r[8] = (a[4] * a[9] - a[5] * a[8]) / det;
        r[9] = (a[1] * a[8] - a[0] * a[9]) / det;
        r[10] = (a[0] * a[5] - a[1] * a[4]) / det;
        for (int i = 0; i < 3; i++) {
            r[4 * i + 3] = -(r[4 * i] * a[3] + r[4 * i + 1] * a[7] + r[4 * i + 2] * a[11]);
        }
        r[15] = 1;
        return new Affine(r);
    }

    /** @return the voxel sizes: the lengths of the first three columns of the 3 x 3 part */
    public double[] voxelSizes() {
        double[] z = new double[3];
        for (int c = 0; c < 3; c++) {
            z[c] = Math.sqrt(m[c] * m[c] + m[4 + c] * m[4 + c] + m[8 + c] * m[8 + c]);
        }
        return z;
    }

    /**
     * The orientation code, one letter per voxel axis naming the world direction that axis increases towards, as
     * nibabel's {@code aff2axcodes} gives it: "RAS" for an affine whose i runs Left to Right, j Posterior to Anterior
     * and k Inferior to Superior; "LAS" for the radiological storage FSL's MNI templates use. Oblique affines take the
     * nearest axis: the columns are made orthonormal (the polar factor, as nibabel's SVD does) and each voxel axis in
     * turn takes the world axis it moves along most, among those not yet taken.
     *
     * @return three letters from R/L, A/P, S/I; a voxel axis with no extent gets "?"
     */
    public String orientation() {
        double[] rs = new double[9];
        double[] zooms = voxelSizes();
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                rs[3 * r + c] = zooms[c] == 0 ? 0 : m[4 * r + c] / zooms[c];
            }
        }
        double[] q = polarFactor(rs);
        StringBuilder code = new StringBuilder(3);
        for (int in = 0; in < 3; in++) {
            int best = -1;
            double bestAbs = 1e-8;
            for (int out = 0; out < 3; out++) {
                double v = Math.abs(q[3 * out + in]);
                if (v > bestAbs) {
                    bestAbs = v;
                    best = out;
                }
            }
            if (best < 0) {
                code.append('?');
                continue;
            }
            code.append(AXIS_LETTERS[best][q[3 * best + in] > 0 ? 1 : 0]);
            for (int c = 0; c < 3; c++) {
                q[3 * best + c] = 0;
            }
        }
        return code.toString();
    }

    /**
     * The nearest orthogonal matrix to a 3 x 3 matrix (its polar factor), by Higham's iteration Q <- (Q + Q^-T) / 2,
     * which equals U V^T of the singular value decomposition. A singular matrix is returned as it is.
     */
    private static double[] polarFactor(double[] a) {
        double[] q = a.clone();
        for (int it = 0; it < 100; it++) {
            double det = q[0] * (q[4] * q[8] - q[5] * q[7]) - q[1] * (q[3] * q[8] - q[5] * q[6])
                    + q[2] * (q[3] * q[7] - q[4] * q[6]);
            if (Math.abs(det) < 1e-12) {
                return q;
            }
            // inverse transpose = cofactor matrix / det
            double[] cof = { q[4] * q[8] - q[5] * q[7], q[5] * q[6] - q[3] * q[8], q[3] * q[7] - q[4] * q[6],
                    q[2] * q[7] - q[1] * q[8], q[0] * q[8] - q[2] * q[6], q[1] * q[6] - q[0] * q[7],
                    q[1] * q[5] - q[2] * q[4], q[2] * q[3] - q[0] * q[5], q[0] * q[4] - q[1] * q[3] };
            double change = 0;
            for (int i = 0; i < 9; i++) {
                double next = 0.5 * (q[i] + cof[i] / det);
                change = Math.max(change, Math.abs(next - q[i]));
                q[i] = next;
            }
            if (change < 1e-15) {
                break;
            }
        }
        return q;
    }

    /**
     * @param other another affine
     * @param tolerance the largest absolute difference allowed in any element
     * @return whether the two map voxels to the same place within the tolerance
     */
    public boolean approxEquals(Affine other, double tolerance) {
        for (int i = 0; i < 16; i++) {
            if (Math.abs(m[i] - other.m[i]) > tolerance) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Affine a && Arrays.equals(m, a.m);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(m);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int r = 0; r < 4; r++) {
            b.append(r == 0 ? "[" : ", [");
            for (int c = 0; c < 4; c++) {
                b.append(c == 0 ? "" : ", ").append(m[4 * r + c]);
            }
            b.append(']');
        }
        return b.append(']').toString();
    }
}
