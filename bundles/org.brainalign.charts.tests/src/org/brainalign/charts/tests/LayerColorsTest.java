package org.brainalign.charts.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;

import org.brainalign.charts.LayerColors;
import org.junit.jupiter.api.Test;

/**
 * Layer colours against Moreland's published cool-warm table and the paper's dimming rule, recomputed here with the
 * JDK's own HSV conversion.
 */
public class LayerColorsTest {

    /**
     * Rows of Moreland's published "CoolWarmFloat33" table (t, r, g, b in [0, 1]), which matplotlib's coolwarm
     * reproduces: every fourth row, so that both halves and the warm end are covered.
     */
    private static final double[][] PUBLISHED = {
            { 0.0, 0.229805700, 0.298717966, 0.753683153 },
            { 0.125, 0.383013340, 0.509419040, 0.917387822 },
            { 0.25, 0.552953156, 0.688929332, 0.995375608 },
            { 0.375, 0.722193294, 0.813952739, 0.976574709 },
            { 0.5, 0.865395197, 0.865410210, 0.865395561 },
            { 0.625, 0.958852946, 0.769767752, 0.678007945 },
            { 0.75, 0.958003065, 0.602842431, 0.481775914 },
            { 0.875, 0.869186849, 0.378313092, 0.300267182 },
            { 1.0, 0.705673158, 0.015556160, 0.150232812 } };

    private static int r(int rgb) {
        return rgb >> 16 & 0xFF;
    }

    private static int g(int rgb) {
        return rgb >> 8 & 0xFF;
    }

    private static int b(int rgb) {
        return rgb & 0xFF;
    }

    @Test
    public void controlPointsAreExact() {
        assertEquals(0x3B4CC0, LayerColors.rgb(0));
        assertEquals(0xDDDDDD, LayerColors.rgb(0.5));
        assertEquals(0xB40426, LayerColors.rgb(1));
        assertEquals(new Color(59, 76, 192), LayerColors.color(0));
        assertEquals(new Color(180, 4, 38), LayerColors.color(1));
        // outside [0, 1] clamps to the ends
        assertEquals(0x3B4CC0, LayerColors.rgb(-3));
        assertEquals(0xB40426, LayerColors.rgb(7));
        assertThrows(IllegalArgumentException.class, () -> LayerColors.rgb(Double.NaN));
    }

    @Test
    public void matchesThePublishedTableWithinOneStepOf8Bits() {
        for (double[] row : PUBLISHED) {
            int rgb = LayerColors.rgb(row[0]);
            // the table holds unrounded floats; ours is rounded to 8 bits, and the white point and matrix digits
            // of the original computation are not published: one 8-bit step is the tolerance that covers both
            assertEquals(row[1] * 255, r(rgb), 1.0, "red at t = " + row[0]);
            assertEquals(row[2] * 255, g(rgb), 1.0, "green at t = " + row[0]);
            assertEquals(row[3] * 255, b(rgb), 1.0, "blue at t = " + row[0]);
        }
    }

    /**
     * What is monotone in a diverging map: red rises over the cool half (blue to grey) and blue falls over the warm
     * half (grey to red). The red channel is not monotone over the whole map, and cannot be: the control points put
     * red at 221 in the middle and 180 at the warm end (the published table peaks near t = 0.69).
     */
    @Test
    public void redRisesOverTheCoolHalfAndBlueFallsOverTheWarmHalf() {
        int steps = 256;
        for (int i = 1; i <= steps / 2; i++) {
            assertTrue(r(LayerColors.rgb(i / (double) steps)) >= r(LayerColors.rgb((i - 1) / (double) steps)),
                    "red falls at step " + i);
        }
        for (int i = steps / 2 + 1; i <= steps; i++) {
            assertTrue(b(LayerColors.rgb(i / (double) steps)) <= b(LayerColors.rgb((i - 1) / (double) steps)),
                    "blue rises at step " + i);
        }
        assertTrue(r(LayerColors.rgb(0.69)) > r(LayerColors.rgb(1)), "the published map's red peaks inside");
    }

    @Test
    public void layersSpanTheScaleFromFirstToLast() {
        assertEquals(0x3B4CC0, LayerColors.layerRgb(0, 12));
        assertEquals(0xB40426, LayerColors.layerRgb(11, 12));
        assertEquals(LayerColors.rgb(5 / 11.0), LayerColors.layerRgb(5, 12));
        assertEquals(0xDDDDDD, LayerColors.layerRgb(2, 5));
        assertEquals(0x3B4CC0, LayerColors.layerRgb(0, 1));
        assertThrows(IllegalArgumentException.class, () -> LayerColors.layerRgb(12, 12));
        assertThrows(IllegalArgumentException.class, () -> LayerColors.layerRgb(-1, 12));
    }

    @Test
    public void dimmingScalesHsvValueByOnePointTwoMinusEntropyCubed() {
        assertEquals(1.2, LayerColors.dimming(0), 0);
        assertEquals(0.2, LayerColors.dimming(1), 1e-15);
        assertEquals(1.2 - 0.125, LayerColors.dimming(0.5), 1e-15);
        for (int layer = 0; layer < 12; layer++) {
            int rgb = LayerColors.layerRgb(layer, 12);
            for (double e = 0; e <= 1.0001; e += 0.125) {
                // reference: the JDK's HSV conversion, value scaled and clamped to [0, 1]
                float[] hsb = Color.RGBtoHSB(r(rgb), g(rgb), b(rgb), null);
                float v = (float) Math.min(1, hsb[2] * (1 - e * e * e + 0.2));
                int expected = Color.HSBtoRGB(hsb[0], hsb[1], v) & 0xFFFFFF;
                int actual = LayerColors.dimmed(rgb, e);
                // both round to 8 bits, by different routes: one step apart at most
                assertEquals(r(expected), r(actual), 1, "red of layer " + layer + " at entropy " + e);
                assertEquals(g(expected), g(actual), 1, "green of layer " + layer + " at entropy " + e);
                assertEquals(b(expected), b(actual), 1, "blue of layer " + layer + " at entropy " + e);
            }
        }
        // a certain voxel of the first layer is brighter by 1.2: (59, 76, 192) -> (71, 91, 230)
        assertEquals(0x475BE6, LayerColors.dimmed(0x3B4CC0, 0));
        // the grey middle would exceed 255 by 1.2: its value is capped at white
        assertEquals(0xFFFFFF, LayerColors.dimmed(0xDDDDDD, 0));
    }
}
