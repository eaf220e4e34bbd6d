package org.brainalign.workflow.slices;

import java.util.Locale;

import org.brainalign.charts.LayerColors;

/**
 * A colormap turns a value's place in the display window (0 to 1) into a colour. Grey and hot suit anatomy and score
 * maps, coolwarm suits signed maps, the layer map colours a preferred-layer map by network layer on the one layer
 * scale BrainAlign uses everywhere ({@link LayerColors}, first layer blue, last red), one colour per whole layer, and
 * labels gives each integer label of an atlas its own colour.
 */
public enum Colormap {

    /** Black to white. */
    GREY("grey"),
    /** Black through red and yellow to white. */
    HOT("hot"),
    /** Blue through light grey to red (Moreland's cool-warm, matplotlib's "coolwarm"). */
    COOLWARM("coolwarm"),
    /** The layer scale by whole layers: the window's low end is the first layer, its high end the last. */
    LAYERS("layers"),
    /** A distinct colour per integer label, independent of the window. */
    LABELS("labels");

    private static final int STEPS = 256;

    private final String id;
    private int[] table;

    Colormap(String id) {
        this.id = id;
    }

    /** @return the name preferences and the command line use, e.g. "coolwarm" */
    public String id() {
        return id;
    }

    /**
     * @param id a colormap's name, any case
     * @param fallback what to return for an unknown name
     * @return the colormap
     */
    public static Colormap of(String id, Colormap fallback) {
        for (Colormap c : values()) {
            if (c.id.equals(id == null ? null : id.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        return fallback;
    }

    /**
     * The colour of a voxel value.
     *
     * @param value the value
     * @param window the display window
     * @return the colour as 0xRRGGBB
     */
    public int rgb(double value, WindowLevel window) {
        return switch (this) {
            case LABELS -> labelRgb((long) Math.rint(value));
            case LAYERS -> {
                // one colour per whole layer, spread over the layers of the window
                double first = Math.rint(window.low());
                double last = Math.rint(window.high());
                double layer = Math.min(last, Math.max(first, Math.rint(value)));
                yield last == first ? LayerColors.rgb(0) : lookup((layer - first) / (last - first));
            }
            default -> lookup(window.fraction(value));
        };
    }

    /**
     * @param t a place on the scale, 0 to 1
     * @return the colour there, from a 256-step table, as 0xRRGGBB
     */
    public int lookup(double t) {
        int[] lut = table;
        if (lut == null) {
            lut = new int[STEPS];
            for (int s = 0; s < STEPS; s++) {
                lut[s] = exact(s / (STEPS - 1.0));
            }
            table = lut;
        }
        return lut[(int) Math.round(Math.min(1, Math.max(0, t)) * (STEPS - 1))];
    }

    /**
     * @param t a place on the scale, 0 to 1
     * @return the colour computed exactly (no table), as 0xRRGGBB
     */
    public int exact(double t) {
        return switch (this) {
            case GREY -> grey(t);
            case HOT -> rgb(t * 3, t * 3 - 1, t * 3 - 2);
            case COOLWARM, LAYERS -> LayerColors.rgb(t);
            case LABELS -> labelRgb(Math.round(t * 255));
        };
    }

    private static int grey(double t) {
        int g = channel(t);
        return g << 16 | g << 8 | g;
    }

    private static int rgb(double r, double g, double b) {
        return channel(r) << 16 | channel(g) << 8 | channel(b);
    }

    private static int channel(double v) {
        return (int) Math.round(255 * Math.min(1, Math.max(0, v)));
    }

    /**
     * A colour for an atlas label: hues a golden angle apart, so that neighbouring labels differ, in three
     * brightness steps; label 0 is black.
     *
     * @param label the label
     * @return the colour as 0xRRGGBB
     */
    public static int labelRgb(long label) {
        if (label == 0) {
            return 0;
        }
        double hue = (label * 0.6180339887498949) % 1.0;
        hue = hue < 0 ? hue + 1 : hue;
        double value = 1.0 - 0.15 * Math.floorMod(label, 3);
        return hsv(hue, 0.75, value);
    }

    private static int hsv(double h, double s, double v) {
        double sector = h * 6;
        int i = (int) Math.floor(sector) % 6;
        double f = sector - Math.floor(sector);
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        return switch (i) {
            case 0 -> rgb(v, t, p);
            case 1 -> rgb(q, v, p);
            case 2 -> rgb(p, v, t);
            case 3 -> rgb(p, q, v);
            case 4 -> rgb(t, p, v);
            default -> rgb(v, p, q);
        };
    }
}
