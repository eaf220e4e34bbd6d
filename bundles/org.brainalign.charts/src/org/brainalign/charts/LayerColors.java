package org.brainalign.charts;

import java.awt.Color;

/**
 * Layer colours: the one colour scale BrainAlign uses for network layers everywhere (viewer, charts, report), from the
 * first layer in blue through grey to the last layer in red. It is the cool-warm diverging map of K. Moreland
 * ("Diverging Color Maps for Scientific Visualization", 2009), which matplotlib ships as "coolwarm" and which the
 * paper uses for preferred layers.
 * <p>
 * Formula. The map is fixed by three control points in sRGB: cool (59, 76, 192) at t = 0, the neutral grey
 * (221, 221, 221) at t = 0.5 and warm (180, 4, 38) at t = 1. Each end colour is converted to CIELAB (sRGB primaries,
 * D65 white) and then to Moreland's polar form Msh: M = |Lab|, s = acos(L / M), h = atan2(b, a). The grey is
 * (M, s, h) = (88, 0, h'), where 88 is max(M_cool, M_warm, 88) and h' is the end colour's hue turned by
 * s * sqrt(88^2 - M^2) / (M * sin s) (towards negative hue for the cool end, whose hue is below -pi/3, positive for
 * the warm end), so that hue changes evenly with perceptual distance near grey. For t below 0.5, M, s and h are
 * interpolated linearly between cool and grey with u = 2t; above, between grey and warm with u = 2t - 1. The result
 * goes back through CIELAB to sRGB, clamped to [0, 1] and rounded to 8 bits. At t = 0, 0.5 and 1 this returns the
 * control points exactly.
 * <p>
 * Dimming. A voxel whose layer weights are spread (normalised entropy e near 1) is shown darker: its HSV value
 * (brightness) is multiplied by 1.2 - e^3 (the paper's "1 - e^3 + 0.2") and clamped to [0, 1], hue and saturation
 * unchanged. A confident voxel (e = 0) is therefore slightly brighter than the scale's colour, an uncertain one
 * (e = 1) at a fifth of it.
 */
public final class LayerColors {

    /** The first layer's colour, (59, 76, 192). */
    public static final int COOL_RGB = 0x3B4CC0;

    /** The middle of the scale, (221, 221, 221). */
    public static final int NEUTRAL_RGB = 0xDDDDDD;

    /** The last layer's colour, (180, 4, 38). */
    public static final int WARM_RGB = 0xB40426;

    /** Moreland's lightest point for the neutral middle (CIELAB L*). */
    private static final double NEUTRAL_M = 88;

    /** sRGB primaries to CIE XYZ (IEC 61966-2-1), rows X, Y, Z. */
    private static final double[][] RGB_TO_XYZ = {
            { 0.4124564, 0.3575761, 0.1804375 },
            { 0.2126729, 0.7151522, 0.0721750 },
            { 0.0193339, 0.1191920, 0.9503041 } };

    /** Computed as the exact inverse, so that a colour converted there and back is unchanged. */
    private static final double[][] XYZ_TO_RGB = invert(RGB_TO_XYZ);

    /** D65 white: the XYZ of sRGB (1, 1, 1) under the matrix above. */
    private static final double[] WHITE = { row(0), row(1), row(2) };

    private static final double[] COOL = msh(COOL_RGB);
    private static final double[] WARM = msh(WARM_RGB);
    private static final double[] NEUTRAL_FROM_COOL = { NEUTRAL_M, 0, spunHue(COOL, NEUTRAL_M) };
    private static final double[] NEUTRAL_FROM_WARM = { NEUTRAL_M, 0, spunHue(WARM, NEUTRAL_M) };

    private LayerColors() {
    }

    /**
     * The colour of a position on the scale.
     *
     * @param t position from 0 (first layer) to 1 (last layer); values outside are clamped
     * @return the colour as 0xRRGGBB
     * @throws IllegalArgumentException if t is NaN
     */
    public static int rgb(double t) {
        if (Double.isNaN(t)) {
            throw new IllegalArgumentException("a position on the layer colour scale may not be NaN");
        }
        double u = Math.min(1, Math.max(0, t));
        if (u == 0) {
            return COOL_RGB;
        }
        if (u == 1) {
            return WARM_RGB;
        }
        double[] from;
        double[] to;
        double w;
        if (u < 0.5) {
            from = COOL;
            to = NEUTRAL_FROM_COOL;
            w = 2 * u;
        } else {
            from = NEUTRAL_FROM_WARM;
            to = WARM;
            w = 2 * u - 1;
        }
        double m = from[0] + w * (to[0] - from[0]);
        double s = from[1] + w * (to[1] - from[1]);
        double h = from[2] + w * (to[2] - from[2]);
        return labToRgb(m * Math.cos(s), m * Math.sin(s) * Math.cos(h), m * Math.sin(s) * Math.sin(h));
    }

    /**
     * @param t position from 0 (first layer) to 1 (last layer); values outside are clamped
     * @return the colour
     */
    public static Color color(double t) {
        return new Color(rgb(t));
    }

    /**
     * The colour of one layer of a network.
     *
     * @param layer the layer, 0-based
     * @param layerCount the number of layers L, at least 1; layer 0 is cool, layer L - 1 warm
     * @return the colour as 0xRRGGBB
     */
    public static int layerRgb(int layer, int layerCount) {
        if (layerCount < 1 || layer < 0 || layer >= layerCount) {
            throw new IllegalArgumentException("layer " + layer + " is not one of " + layerCount + " layers");
        }
        return rgb(layerCount == 1 ? 0 : layer / (double) (layerCount - 1));
    }

    /**
     * @param layer the layer, 0-based
     * @param layerCount the number of layers L, at least 1
     * @return the colour of that layer
     */
    public static Color layerColor(int layer, int layerCount) {
        return new Color(layerRgb(layer, layerCount));
    }

    /**
     * The brightness factor for a voxel's normalised entropy: 1.2 - e^3.
     *
     * @param entropy normalised entropy of the layer weights, 0 (one layer) to 1 (uniform); clamped to [0, 1]
     * @return the factor, from 1.2 (certain) down to 0.2 (uniform)
     */
    public static double dimming(double entropy) {
        double e = Math.min(1, Math.max(0, entropy));
        return 1 - e * e * e + 0.2;
    }

    /**
     * Dims (or, for a certain voxel, brightens) a colour by its entropy: HSV value times {@link #dimming(double)},
     * clamped to [0, 1].
     *
     * @param rgb the colour as 0xRRGGBB
     * @param entropy normalised entropy, 0 to 1
     * @return the dimmed colour as 0xRRGGBB
     */
    public static int dimmed(int rgb, double entropy) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        int max = Math.max(r, Math.max(g, b));
        if (max == 0) {
            return rgb & 0xFFFFFF;
        }
        // scaling all three channels by k scales the HSV value by k and keeps hue and saturation; the value may
        // not exceed 1, so k is capped at 255 / max
        double k = Math.min(dimming(entropy), 255.0 / max);
        return channel(r * k) << 16 | channel(g * k) << 8 | channel(b * k);
    }

    private static int channel(double v) {
        return (int) Math.min(255, Math.max(0, Math.round(v)));
    }

    // ---- colour science: sRGB <-> CIELAB <-> Msh ----------------------------------------------------------------

    private static double[] msh(int rgb) {
        double[] lab = rgbToLab(rgb);
        double m = Math.sqrt(lab[0] * lab[0] + lab[1] * lab[1] + lab[2] * lab[2]);
        return new double[] { m, Math.acos(lab[0] / m), Math.atan2(lab[2], lab[1]) };
    }

    /**
     * Moreland's hue adjustment when interpolating from a saturated colour towards an unsaturated one of M = mNeutral.
     */
    private static double spunHue(double[] saturated, double mNeutral) {
        double m = saturated[0];
        double s = saturated[1];
        double h = saturated[2];
        if (m >= mNeutral) {
            return h;
        }
        double spin = s * Math.sqrt(mNeutral * mNeutral - m * m) / (m * Math.sin(s));
        return h > -Math.PI / 3 ? h + spin : h - spin;
    }

    private static double[] rgbToLab(int rgb) {
        double[] linear = { linear(((rgb >> 16) & 0xFF) / 255.0), linear(((rgb >> 8) & 0xFF) / 255.0),
                linear((rgb & 0xFF) / 255.0) };
        double[] xyz = multiply(RGB_TO_XYZ, linear);
        double fx = f(xyz[0] / WHITE[0]);
        double fy = f(xyz[1] / WHITE[1]);
        double fz = f(xyz[2] / WHITE[2]);
        return new double[] { 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz) };
    }

    private static int labToRgb(double l, double a, double b) {
        double fy = (l + 16) / 116;
        double fx = fy + a / 500;
        double fz = fy - b / 200;
        double[] xyz = { WHITE[0] * fInverse(fx), WHITE[1] * fInverse(fy), WHITE[2] * fInverse(fz) };
        double[] linear = multiply(XYZ_TO_RGB, xyz);
        int out = 0;
        for (double c : linear) {
            double v = Math.min(1, Math.max(0, gamma(Math.min(1, Math.max(0, c)))));
            out = out << 8 | (int) Math.round(v * 255);
        }
        return out;
    }

    private static double linear(double c) {
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static double gamma(double c) {
        return c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
    }

    private static final double DELTA = 6.0 / 29;

    private static double f(double t) {
        return t > DELTA * DELTA * DELTA ? Math.cbrt(t) : t / (3 * DELTA * DELTA) + 4.0 / 29;
    }

    private static double fInverse(double f) {
        return f > DELTA ? f * f * f : 3 * DELTA * DELTA * (f - 4.0 / 29);
    }

    private static double row(int i) {
        return RGB_TO_XYZ[i][0] + RGB_TO_XYZ[i][1] + RGB_TO_XYZ[i][2];
    }

    private static double[] multiply(double[][] m, double[] v) {
        return new double[] { m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
                m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
                m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2] };
    }

    private static double[][] invert(double[][] m) {
        double a = m[0][0], b = m[0][1], c = m[0][2];
        double d = m[1][0], e = m[1][1], f = m[1][2];
        double g = m[2][0], h = m[2][1], i = m[2][2];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        return new double[][] {
                { (e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det },
                { (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det },
                { (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det } };
    }
}
