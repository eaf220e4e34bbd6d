package org.brainalign.engine.factortopy;

import java.util.Arrays;

/**
 * The positional encoding turns a voxel coordinate into the 192 numbers the selector networks read. Coordinates are
 * shifted by the per-axis minimum {@code low} and scaled by one factor so that the longest axis of the voxel cloud
 * spans 0..100; then each axis a and frequency k = 0..31 gives sin and cos of omega_k * pos_a with omega_k =
 * 1000^(-k (1 - 1/32) / 31), flattened as [axis][k][sin, cos]. The bounds belong to the fitted model: predictions for
 * the same voxels must use the bounds of the fit, so they are stored with it.
 */
public final class PositionalEncoding {

    /** The span the longest axis is scaled to. */
    public static final double SPAN = 100;

    private static final double[] OMEGA = new double[EncoderShape.FREQUENCIES];

    static {
        int k1 = EncoderShape.FREQUENCIES - 1;
        double last = 1.0 - 1.0 / EncoderShape.FREQUENCIES;
        for (int k = 0; k < OMEGA.length; k++) {
            OMEGA[k] = StrictMath.pow(1000.0, -k * last / k1);
        }
    }

    private final double[] low;
    private final double[] high;
    private final double scale;

    /**
     * @param low per-axis minimum of the coordinates, three finite values
     * @param high per-axis maximum, three finite values, each at least low
     * @throws IllegalArgumentException if the bounds are not three finite, ordered pairs
     */
    public PositionalEncoding(double[] low, double[] high) {
        if (low == null || high == null || low.length != 3 || high.length != 3) {
            throw new IllegalArgumentException("positional encoding bounds need three values per end");
        }
        double span = 0;
        for (int a = 0; a < 3; a++) {
            if (!Double.isFinite(low[a]) || !Double.isFinite(high[a]) || high[a] < low[a]) {
                throw new IllegalArgumentException("positional encoding bounds " + Arrays.toString(low) + " .. "
                        + Arrays.toString(high) + " are not finite and ordered");
            }
            span = Math.max(span, high[a] - low[a]);
        }
        this.low = low.clone();
        this.high = high.clone();
        // a single voxel (or a cloud of identical coordinates) has no extent: every position is then 0
        this.scale = span > 0 ? SPAN / span : 0;
    }

    /**
     * @param coordinates N x 3 voxel coordinates, all finite
     * @return the encoding whose bounds are the coordinates' per-axis minimum and maximum
     * @throws IllegalArgumentException if there are no coordinates or one is not three finite numbers
     */
    public static PositionalEncoding fit(double[][] coordinates) {
        checkCoordinates(coordinates);
        double[] lo = { Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY };
        double[] hi = { Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY };
        for (double[] c : coordinates) {
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.min(lo[a], c[a]);
                hi[a] = Math.max(hi[a], c[a]);
            }
        }
        return new PositionalEncoding(lo, hi);
    }

    /**
     * @param coordinates candidate N x 3 coordinates
     * @throws IllegalArgumentException naming the first coordinate that is not three finite numbers
     */
    static void checkCoordinates(double[][] coordinates) {
        if (coordinates == null || coordinates.length == 0) {
            throw new IllegalArgumentException("no voxel coordinates were given");
        }
        for (int n = 0; n < coordinates.length; n++) {
            double[] c = coordinates[n];
            if (c == null || c.length != 3) {
                throw new IllegalArgumentException("voxel coordinates must be N x 3, but row " + n + " has "
                        + (c == null ? 0 : c.length) + " values");
            }
            if (!Double.isFinite(c[0]) || !Double.isFinite(c[1]) || !Double.isFinite(c[2])) {
                throw new IllegalArgumentException("the coordinate of voxel " + n + " is not finite: "
                        + Arrays.toString(c));
            }
        }
    }

    /** @return a copy of the per-axis lower bounds */
    public double[] low() {
        return low.clone();
    }

    /** @return a copy of the per-axis upper bounds */
    public double[] high() {
        return high.clone();
    }

    /**
     * @param k a frequency index 0..31
     * @return omega_k
     */
    public static double omega(int k) {
        return OMEGA[k];
    }

    /**
     * Encodes one coordinate.
     *
     * @param coordinate x, y, z
     * @param out receives the 192 values
     */
    public void encode(double[] coordinate, double[] out) {
        int i = 0;
        for (int a = 0; a < 3; a++) {
            double pos = (coordinate[a] - low[a]) * scale;
            for (int k = 0; k < OMEGA.length; k++) {
                double phase = OMEGA[k] * pos;
                out[i++] = StrictMath.sin(phase);
                out[i++] = StrictMath.cos(phase);
            }
        }
    }

    /**
     * @param coordinates N x 3
     * @return the encodings, N x 192, in double precision
     */
    public double[][] encodeAll(double[][] coordinates) {
        double[][] out = new double[coordinates.length][EncoderShape.ENCODING];
        for (int n = 0; n < out.length; n++) {
            encode(coordinates[n], out[n]);
        }
        return out;
    }

    /**
     * @param coordinates N x 3
     * @return the encodings, N x 192, rounded to float
     */
    public float[][] encodeAllFloat(double[][] coordinates) {
        float[][] out = new float[coordinates.length][EncoderShape.ENCODING];
        double[] row = new double[EncoderShape.ENCODING];
        for (int n = 0; n < out.length; n++) {
            encode(coordinates[n], row);
            for (int j = 0; j < row.length; j++) {
                out[n][j] = (float) row[j];
            }
        }
        return out;
    }
}
