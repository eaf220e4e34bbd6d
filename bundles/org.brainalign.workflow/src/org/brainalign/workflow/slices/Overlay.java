package org.brainalign.workflow.slices;

/**
 * An overlay is a volume drawn in the viewer with its display settings: colormap, window, opacity, a threshold at
 * or below which it is transparent (one-sided on the value, or two-sided on its magnitude so that negative values
 * such as r or R² below zero show too), filled or as outlines of its labels, how it is resampled onto the viewer's
 * grid, and optionally an entropy volume that dims its colours (the layer map of a fitted run is shown this way).
 * The volume the viewer opened is the first, opaque overlay; others are drawn over it in order, and an underlay
 * (anatomy) under it.
 */
public final class Overlay {

    private ViewedVolume volume;
    private Colormap colormap;
    private WindowLevel window;
    private double opacity;
    private double threshold;
    private boolean outline;
    private boolean visible = true;
    private boolean twoSided;
    private Resampling resampling = Resampling.NEAREST;
    private ViewedVolume dimming;

    /**
     * The settings a user changes, as one value, so that a change can be undone by restoring the settings before it.
     *
     * @param colormap the colormap
     * @param window the window
     * @param opacity the opacity
     * @param threshold the threshold
     * @param twoSided whether the threshold applies to the magnitude
     * @param outline whether only outlines are drawn
     * @param visible whether it is drawn
     * @param resampling how it is resampled
     */
    public record Settings(Colormap colormap, WindowLevel window, double opacity, double threshold, boolean twoSided,
            boolean outline, boolean visible, Resampling resampling) {
    }

    private Overlay(ViewedVolume volume, Colormap colormap, WindowLevel window, double opacity, double threshold) {
        this.volume = volume;
        this.colormap = colormap;
        this.window = window;
        this.opacity = opacity;
        this.threshold = threshold;
    }

    /**
     * @param volume the volume the viewer opened
     * @param colormap its colormap (an atlas always gets {@link Colormap#LABELS})
     * @return an opaque overlay showing every voxel, with the volume's automatic window
     */
    public static Overlay base(ViewedVolume volume, Colormap colormap) {
        return new Overlay(volume, volume.isAtlas() ? Colormap.LABELS : colormap, volume.autoWindow(), 1,
                Double.NEGATIVE_INFINITY);
    }

    /**
     * @param volume an anatomical or mean functional volume to draw under the others
     * @return an opaque grey overlay with the volume's automatic window, smoothed by trilinear resampling
     */
    public static Overlay under(ViewedVolume volume) {
        Overlay o = new Overlay(volume, Colormap.GREY, volume.autoWindow(), 1, Double.NEGATIVE_INFINITY);
        o.resampling = Resampling.TRILINEAR;
        return o;
    }

    /**
     * @param volume a volume to draw over the base
     * @return an overlay with defaults that suit it: an atlas in label colours at half opacity, label 0 hidden; any
     *         other map in hot, at 70 % opacity, hiding values at or below the bottom of its automatic window
     */
    public static Overlay over(ViewedVolume volume) {
        if (volume.isAtlas()) {
            return new Overlay(volume, Colormap.LABELS, volume.autoWindow(), 0.5, 0);
        }
        WindowLevel w = volume.autoWindow();
        return new Overlay(volume, Colormap.HOT, w, 0.7, w.low());
    }

    /** @return the volume */
    public ViewedVolume volume() {
        return volume;
    }

    /**
     * Shows another volume of the same file (a 4-D series), keeping every setting.
     *
     * @param next the volume, on the same grid
     * @throws IllegalArgumentException if it lies on another grid
     */
    public void setVolume(ViewedVolume next) {
        if (!next.grid().sameSpace(volume.grid(), 1e-4)) {
            throw new IllegalArgumentException(next.name() + " does not lie on the grid of " + volume.name());
        }
        this.volume = next;
    }

    /** @return the current settings */
    public Settings settings() {
        return new Settings(colormap, window, opacity, threshold, twoSided, outline, visible, resampling);
    }

    /** @param s settings to restore (from {@link #settings()}) */
    public void restore(Settings s) {
        colormap = s.colormap();
        window = s.window();
        opacity = s.opacity();
        threshold = s.threshold();
        twoSided = s.twoSided();
        outline = s.outline();
        visible = s.visible();
        resampling = s.resampling();
    }

    /** @return whether the threshold applies to the magnitude (|value| above it is drawn, negative values too) */
    public boolean twoSided() {
        return twoSided;
    }

    /** @param twoSided whether the threshold applies to the magnitude */
    public void setTwoSided(boolean twoSided) {
        this.twoSided = twoSided;
    }

    /** @return how it is resampled onto the viewer's grid when it lies on another */
    public Resampling resampling() {
        return resampling;
    }

    /** @param resampling how to resample it */
    public void setResampling(Resampling resampling) {
        this.resampling = resampling;
    }

    /** @return the colormap */
    public Colormap colormap() {
        return colormap;
    }

    /** @param colormap the new colormap */
    public void setColormap(Colormap colormap) {
        this.colormap = colormap;
    }

    /** @return the display window */
    public WindowLevel window() {
        return window;
    }

    /** @param window the new display window */
    public void setWindow(WindowLevel window) {
        this.window = window;
    }

    /** @return the opacity, 0 (invisible) to 1 (opaque) */
    public double opacity() {
        return opacity;
    }

    /** @param opacity the new opacity, clamped to 0 .. 1 */
    public void setOpacity(double opacity) {
        this.opacity = Math.min(1, Math.max(0, opacity));
    }

    /**
     * @return the threshold: voxels whose value (or, two-sided, whose magnitude) is at or below it are not drawn
     */
    public double threshold() {
        return threshold;
    }

    /** @param threshold the new threshold (negative infinity draws everything finite) */
    public void setThreshold(double threshold) {
        this.threshold = threshold;
    }

    /** @return whether only the outlines of regions are drawn (the edges between different values) */
    public boolean outline() {
        return outline;
    }

    /** @param outline whether to draw outlines instead of filled regions */
    public void setOutline(boolean outline) {
        this.outline = outline;
    }

    /** @return whether it is drawn at all */
    public boolean visible() {
        return visible;
    }

    /** @param visible whether to draw it */
    public void setVisible(boolean visible) {
        this.visible = visible;
    }

    /** @return the entropy volume dimming the colours, or null */
    public ViewedVolume dimming() {
        return dimming;
    }

    /**
     * @param entropy a normalised-entropy volume on the same grid (0 certain .. 1 uniform), or null for none
     * @throws IllegalArgumentException if it lies on another grid
     */
    public void setDimming(ViewedVolume entropy) {
        if (entropy != null && !entropy.grid().sameSpace(volume.grid(), 1e-4)) {
            throw new IllegalArgumentException("the entropy map " + entropy.name() + " does not lie on the grid of "
                    + volume.name());
        }
        this.dimming = entropy;
    }

    /**
     * @param value a voxel value
     * @return whether a voxel with that value is drawn
     */
    public boolean shows(float value) {
        return !Float.isNaN(value) && (twoSided ? Math.abs(value) : value) > threshold;
    }

    @Override
    public String toString() {
        return volume.name();
    }
}
