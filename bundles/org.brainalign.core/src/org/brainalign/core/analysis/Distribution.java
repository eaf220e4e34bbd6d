package org.brainalign.core.analysis;

import java.util.Arrays;

/**
 * A distribution summarises a set of per-voxel values (depths, scores) by the finite ones among them: their count,
 * mean, standard deviation (population form, dividing by the count, as numpy's default), extremes and quartiles.
 * Quartiles interpolate linearly between order statistics, as numpy's default percentile does: the q-quantile of n
 * sorted values v is v[h] + (h - floor h)(v[floor h + 1] - v[floor h]) with h = (n - 1) q. With no finite value every
 * statistic is NaN and the count 0.
 *
 * @param count the number of finite values summarised
 * @param mean their mean
 * @param sd their standard deviation (population)
 * @param min the smallest
 * @param q1 the first quartile
 * @param median the median
 * @param q3 the third quartile
 * @param max the largest
 */
public record Distribution(int count, double mean, double sd, double min, double q1, double median, double q3,
        double max) {

    /** The distribution of no values. */
    public static final Distribution EMPTY = new Distribution(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN);

    /**
     * Summarises the finite values among some.
     *
     * @param values the values; NaN and infinities are left out
     * @return the distribution
     */
    public static Distribution of(double[] values) {
        double[] v = new double[values.length];
        int n = 0;
        for (double d : values) {
            if (Double.isFinite(d)) {
                v[n++] = d;
            }
        }
        return ofFinite(Arrays.copyOf(v, n));
    }

    /**
     * Summarises the finite values at some positions.
     *
     * @param values per-voxel values
     * @param positions the positions to take
     * @return the distribution
     */
    public static Distribution of(double[] values, int[] positions) {
        double[] v = new double[positions.length];
        int n = 0;
        for (int p : positions) {
            if (Double.isFinite(values[p])) {
                v[n++] = values[p];
            }
        }
        return ofFinite(Arrays.copyOf(v, n));
    }

    private static Distribution ofFinite(double[] v) {
        if (v.length == 0) {
            return EMPTY;
        }
        Arrays.sort(v);
        double sum = 0;
        for (double d : v) {
            sum += d;
        }
        double mean = sum / v.length;
        double squares = 0;
        for (double d : v) {
            squares += (d - mean) * (d - mean);
        }
        return new Distribution(v.length, mean, Math.sqrt(squares / v.length), v[0], quantile(v, 0.25),
                quantile(v, 0.5), quantile(v, 0.75), v[v.length - 1]);
    }

    /**
     * The q-quantile of sorted values, interpolated linearly (numpy's default).
     *
     * @param sorted finite values, ascending, at least one
     * @param q in [0, 1]
     * @return the quantile
     */
    public static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        if (lo >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    /** @return the interquartile range q3 - q1 */
    public double iqr() {
        return q3 - q1;
    }
}
