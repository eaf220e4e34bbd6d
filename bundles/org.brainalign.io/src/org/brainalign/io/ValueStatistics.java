package org.brainalign.io;

/**
 * Value statistics summarise the values of an array or image as nibabel users check them: minimum, maximum, sum and
 * mean of the finite values, how many values are finite, how many are not (NaN, infinities), and how many are
 * non-zero.
 *
 * @param min smallest finite value (NaN if none)
 * @param max largest finite value (NaN if none)
 * @param sum sum of the finite values, accumulated in double precision
 * @param mean sum / finiteCount (NaN if none)
 * @param finiteCount number of finite values
 * @param nonFiniteCount number of NaN or infinite values
 * @param nonZeroCount number of finite values other than zero
 */
public record ValueStatistics(double min, double max, double sum, double mean, long finiteCount, long nonFiniteCount,
        long nonZeroCount) {

    /** Accumulates values one by one. */
    public static final class Accumulator {

        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private double sum;
        private double compensation; // Kahan-Babuska: sums of millions of values stay exact to ~1e-16
        private long finite;
        private long nonFinite;
        private long nonZero;

        /**
         * @param v one value
         */
        public void add(double v) {
            if (!Double.isFinite(v)) {
                nonFinite++;
                return;
            }
            finite++;
            if (v != 0) {
                nonZero++;
            }
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
            double t = sum + v;
            compensation += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }

        /** @return the statistics of the values added so far */
        public ValueStatistics result() {
            double s = sum + compensation;
            return finite == 0
                    ? new ValueStatistics(Double.NaN, Double.NaN, 0, Double.NaN, 0, nonFinite, 0)
                    : new ValueStatistics(min, max, s, s / finite, finite, nonFinite, nonZero);
        }
    }
}
