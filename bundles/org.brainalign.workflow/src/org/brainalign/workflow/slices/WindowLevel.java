package org.brainalign.workflow.slices;

/**
 * A window (display range) maps values to brightness: values at or below {@code low} show as the colormap's first
 * colour, values at or above {@code high} as its last, and values between linearly in between. Radiologists call the
 * same thing window and level: the level is the window's centre, the width its extent.
 *
 * @param low the value shown darkest
 * @param high the value shown brightest; not below low
 */
public record WindowLevel(double low, double high) {

    /**
     * @throws IllegalArgumentException if an end is not finite or high is below low
     */
    public WindowLevel {
        if (!Double.isFinite(low) || !Double.isFinite(high) || high < low) {
            throw new IllegalArgumentException("a display window needs finite ends with low <= high, got " + low
                    + " .. " + high);
        }
    }

    /**
     * @param level the centre of the window
     * @param width the window's extent, not negative
     * @return the window
     */
    public static WindowLevel ofLevelWidth(double level, double width) {
        return new WindowLevel(level - width / 2, level + width / 2);
    }

    /** @return the centre */
    public double level() {
        return (low + high) / 2;
    }

    /** @return the extent */
    public double width() {
        return high - low;
    }

    /**
     * @param value a value
     * @return its place in the window, from 0 (at or below low) to 1 (at or above high); NaN stays NaN
     */
    public double fraction(double value) {
        if (high == low) {
            return value >= high ? 1 : 0;
        }
        double t = (value - low) / (high - low);
        return t < 0 ? 0 : t > 1 ? 1 : t;
    }

    /**
     * The window after a drag with the right mouse button, as in most viewers: dragging right widens the window
     * (less contrast), dragging down raises the level (darker image).
     *
     * @param dx horizontal drag in screen pixels
     * @param dy vertical drag in screen pixels, positive downwards
     * @param valuesPerPixel how much the window moves per pixel, e.g. the data range / 500
     * @return the new window
     */
    public WindowLevel dragged(double dx, double dy, double valuesPerPixel) {
        double width = Math.max(0, width() + dx * valuesPerPixel);
        return ofLevelWidth(level() + dy * valuesPerPixel, width);
    }
}
