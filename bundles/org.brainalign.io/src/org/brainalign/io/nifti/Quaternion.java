package org.brainalign.io.nifti;

/**
 * Conversions between the unit quaternion (a, b, c, d) of a NIfTI qform and its 3 x 3 rotation matrix, following the
 * formulas of the NIfTI-1 standard; a is not stored but recovered as sqrt(1 - b^2 - c^2 - d^2).
 */
final class Quaternion {

    private Quaternion() {
    }

    /**
     * @param b quatern_b
     * @param c quatern_c
     * @param d quatern_d
     * @param storedAsFloat32 whether b, c, d were stored in single precision (NIfTI-1), which sets how far below
     *        zero 1 - b^2 - c^2 - d^2 may fall from rounding alone
     * @return the rotation matrix, row-major
     */
    static double[] toRotation(double b, double c, double d, boolean storedAsFloat32) {
        double w2 = 1 - (b * b + c * c + d * d);
        double a;
        // nibabel accepts rounding noise of 3 machine epsilons below zero as a = 0
        double tolerance = 3 * (storedAsFloat32 ? Math.ulp(1f) : Math.ulp(1d));
        if (w2 >= 0) {
            a = Math.sqrt(w2);
        } else if (w2 >= -tolerance) {
            a = 0;
        } else {
            // not a unit quaternion: use its direction (as the NIfTI reference library does) rather than fail
            double n = Math.sqrt(b * b + c * c + d * d);
            b /= n;
            c /= n;
            d /= n;
            a = 0;
        }
        return new double[] { a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
                2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b), 2 * (b * d - a * c),
                2 * (c * d + a * b), a * a + d * d - c * c - b * b };
    }

    /**
     * @param r a proper rotation matrix (determinant +1), row-major
     * @return (a, b, c, d) with a >= 0
     */
    static double[] fromRotation(double[] r) {
        double trace = r[0] + r[4] + r[8];
        double a;
        double b;
        double c;
        double d;
        // pick the largest of the four squared components to divide by, for accuracy
        if (trace > 0) {
            double s = 2 * Math.sqrt(trace + 1);
            a = s / 4;
            b = (r[7] - r[5]) / s;
            c = (r[2] - r[6]) / s;
            d = (r[3] - r[1]) / s;
        } else if (r[0] >= r[4] && r[0] >= r[8]) {
            double s = 2 * Math.sqrt(1 + r[0] - r[4] - r[8]);
            a = (r[7] - r[5]) / s;
            b = s / 4;
            c = (r[1] + r[3]) / s;
            d = (r[2] + r[6]) / s;
        } else if (r[4] >= r[8]) {
            double s = 2 * Math.sqrt(1 + r[4] - r[0] - r[8]);
            a = (r[2] - r[6]) / s;
            b = (r[1] + r[3]) / s;
            c = s / 4;
            d = (r[5] + r[7]) / s;
        } else {
            double s = 2 * Math.sqrt(1 + r[8] - r[0] - r[4]);
            a = (r[3] - r[1]) / s;
            b = (r[2] + r[6]) / s;
            c = (r[5] + r[7]) / s;
            d = s / 4;
        }
        if (a < 0) {
            return new double[] { -a, -b, -c, -d };
        }
        return new double[] { a, b, c, d };
    }

    /**
     * The orthogonal matrix nearest to a 3 x 3 matrix (its polar factor), by the iteration Q <- (Q + Q^-T) / 2; a
     * singular matrix yields the identity.
     *
     * @param m row-major 3 x 3
     * @return row-major orthogonal 3 x 3
     */
    static double[] nearestRotation(double[] m) {
        double[] q = m.clone();
        for (int it = 0; it < 100; it++) {
            double det = q[0] * (q[4] * q[8] - q[5] * q[7]) - q[1] * (q[3] * q[8] - q[5] * q[6])
                    + q[2] * (q[3] * q[7] - q[4] * q[6]);
            if (Math.abs(det) < 1e-12) {
                return new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
            }
            double[] invT = { (q[4] * q[8] - q[5] * q[7]) / det, (q[5] * q[6] - q[3] * q[8]) / det,
                    (q[3] * q[7] - q[4] * q[6]) / det, (q[2] * q[7] - q[1] * q[8]) / det,
                    (q[0] * q[8] - q[2] * q[6]) / det, (q[1] * q[6] - q[0] * q[7]) / det,
                    (q[1] * q[5] - q[2] * q[4]) / det, (q[2] * q[3] - q[0] * q[5]) / det,
                    (q[0] * q[4] - q[1] * q[3]) / det };
            double change = 0;
            for (int i = 0; i < 9; i++) {
                double next = (q[i] + invT[i]) / 2;
                change = Math.max(change, Math.abs(next - q[i]));
                q[i] = next;
            }
            if (change < 1e-15) {
                break;
            }
        }
        return q;
    }
}
