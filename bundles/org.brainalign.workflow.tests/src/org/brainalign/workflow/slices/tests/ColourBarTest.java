package org.brainalign.workflow.slices.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.brainalign.charts.LayerColors;
import org.brainalign.core.Affine;
import org.brainalign.core.data.LabelTable;
import org.brainalign.core.VolumeGrid;
import org.brainalign.workflow.slices.Colormap;
import org.brainalign.workflow.slices.ColourBar;
import org.brainalign.workflow.slices.Overlay;
import org.brainalign.workflow.slices.ViewedVolume;
import org.brainalign.workflow.slices.WindowLevel;
import org.junit.jupiter.api.Test;

/**
 * Colour bars and two-sided thresholds: a signed map's bar spans its window with 0 marked where it lies, a layer
 * map's legend has one swatch per layer in the layer scale's colours (the charts' LayerColors, first layer at 0,
 * last at 1), an atlas has none; a two-sided threshold draws the values whose magnitude exceeds it.
 */
public class ColourBarTest {

    private static final VolumeGrid GRID = new VolumeGrid(new int[] { 2, 2, 2 },
            Affine.ofRowMajor(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0));

    private static Overlay map(String name, float... values) {
        return Overlay.over(new ViewedVolume(name, GRID, values, new LabelTable(Map.of()), "float32", 1));
    }

    @Test
    public void aSignedMapsBarMarksZero() {
        Overlay r = map("pearson_r.nii.gz", -0.6f, -0.3f, -0.1f, 0, 0.1f, 0.2f, 0.4f, 0.8f);
        r.setColormap(Colormap.COOLWARM);
        r.setWindow(new WindowLevel(-1, 0.5));
        ColourBar bar = ColourBar.of(r).orElseThrow();
        assertFalse(bar.isLegend());
        assertEquals(3, bar.ticks().size());
        assertArrayEquals(new double[] { 0, -1 }, bar.ticks().get(0));
        // 0 lies two thirds of the way from -1 to 0.5
        assertArrayEquals(new double[] { 2 / 3.0, 0 }, bar.ticks().get(1), 1e-12);
        assertArrayEquals(new double[] { 1, 0.5 }, bar.ticks().get(2));
        assertEquals(Colormap.COOLWARM.lookup(0), bar.rgbAt(0));
        assertEquals(Colormap.COOLWARM.lookup(1), bar.rgbAt(1));
        r.setWindow(new WindowLevel(0.1, 0.8));
        assertEquals(2, ColourBar.of(r).orElseThrow().ticks().size());
    }

    @Test
    public void aLayerMapHasALegendOfItsLayers() {
        Overlay layers = map("preferred_layer.nii.gz", 1, 2, 3, 4, 5, 6, 0, 0);
        layers.setColormap(Colormap.LAYERS);
        layers.setWindow(new WindowLevel(1, 6));
        ColourBar bar = ColourBar.of(layers).orElseThrow();
        assertTrue(bar.isLegend());
        assertEquals(6, bar.legend().size());
        for (int l = 1; l <= 6; l++) {
            assertEquals(Integer.toString(l), bar.legend().get(l - 1).label());
            // the one layer scale: layer l of 6 sits at (l - 1) / 5; the table has 256 steps
            int expected = LayerColors.rgb(Math.round((l - 1) / 5.0 * 255) / 255.0);
            assertEquals(expected, bar.legend().get(l - 1).rgb(), "layer " + l);
        }
    }

    @Test
    public void anAtlasHasNoBar() {
        Overlay atlas = map("aal.nii.gz", 0, 1, 2, 3, 0, 1, 2, 3);
        atlas.setColormap(Colormap.LABELS);
        assertTrue(ColourBar.of(atlas).isEmpty());
    }

    @Test
    public void aTwoSidedThresholdDrawsNegativeValuesToo() {
        Overlay r = map("pearson_r.nii.gz", 0, 0, 0, 0, 0, 0, 0, 0);
        r.setThreshold(0.2);
        assertFalse(r.shows(-0.3f));
        assertFalse(r.shows(0.15f));
        assertTrue(r.shows(0.25f));
        r.setTwoSided(true);
        assertTrue(r.shows(-0.3f));
        assertTrue(r.shows(0.25f));
        assertFalse(r.shows(-0.15f));
        assertFalse(r.shows(0.1f));
        assertFalse(r.shows(Float.NaN));
        assertTrue(ColourBar.of(r).orElseThrow().title().contains("|value|"));
    }
}
