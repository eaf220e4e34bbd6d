package org.brainalign.workflow.slices.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.brainalign.charts.LayerColors;
import org.brainalign.core.Affine;
import org.brainalign.core.data.LabelTable;
import org.brainalign.core.VolumeGrid;
import org.brainalign.workflow.slices.Colormap;
import org.brainalign.workflow.slices.Overlay;
import org.brainalign.workflow.slices.SlicePlane;
import org.brainalign.workflow.slices.SliceRendering;
import org.brainalign.workflow.slices.ViewedVolume;
import org.brainalign.workflow.slices.VolumeView;
import org.brainalign.workflow.slices.WindowLevel;
import org.junit.jupiter.api.Test;

/** Compositing of overlays on a small synthetic grid, pixel by pixel against hand-computed colours. */
public class SliceRenderingTest {

    private static final VolumeGrid GRID = new VolumeGrid(new int[] { 5, 5, 1 }, Affine.identity());

    private static VolumeView view(float baseValue) {
        float[] base = new float[25];
        java.util.Arrays.fill(base, baseValue);
        VolumeView view = new VolumeView(new ViewedVolume("base", GRID, base, null, "", 1), Colormap.GREY, false);
        view.base().setWindow(new WindowLevel(0, 1));
        return view;
    }

    /** A 3 x 3 square of label 4 in the middle of the 5 x 5 slice. */
    private static ViewedVolume square() {
        float[] labels = new float[25];
        for (int j = 1; j <= 3; j++) {
            for (int i = 1; i <= 3; i++) {
                labels[GRID.index(i, j, 0)] = 4;
            }
        }
        return new ViewedVolume("atlas", GRID, labels, new LabelTable(Map.of(4, "FFA")), "", 1);
    }

    private static int at(int[] rgb, int i, int j) {
        // neurological axial slice of an RAS grid: column = i, row = 4 - j
        return rgb[(4 - j) * 5 + i];
    }

    @Test
    public void baseIsWindowedGrey() {
        assertEquals(0xFFFFFF, at(SliceRendering.render(view(1), SlicePlane.AXIAL), 2, 2));
        assertEquals(0x000000, at(SliceRendering.render(view(-3), SlicePlane.AXIAL), 2, 2));
    }

    @Test
    public void filledLabelsBlendWithOpacityAndHideLabelZero() {
        VolumeView view = view(1);
        Overlay o = Overlay.over(square());
        o.setOpacity(0.5);
        view.addOverlay(o);
        int[] rgb = SliceRendering.render(view, SlicePlane.AXIAL);
        int c = Colormap.labelRgb(4);
        int expected = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            // weights 128/256 each, as the renderer blends in 8-bit fixed point
            expected |= ((0xFF * 128 + ((c >> shift) & 0xFF) * 128) >> 8) << shift;
        }
        assertEquals(expected, at(rgb, 2, 2));
        assertEquals(0xFFFFFF, at(rgb, 0, 0));
    }

    @Test
    public void outlinesKeepOnlyTheEdgeOfARegion() {
        VolumeView view = view(0);
        Overlay o = Overlay.over(square());
        o.setOpacity(1);
        o.setOutline(true);
        view.addOverlay(o);
        int[] rgb = SliceRendering.render(view, SlicePlane.AXIAL);
        int c = Colormap.labelRgb(4);
        assertEquals(c, at(rgb, 1, 1));
        assertEquals(c, at(rgb, 2, 3));
        assertEquals(0, at(rgb, 2, 2), "the centre of the square is not an edge");
        assertEquals(0, at(rgb, 4, 4));
    }

    @Test
    public void thresholdHidesLowValuesAndEntropyDimsLayerColours() {
        VolumeView view = view(0);
        float[] layer = new float[25];
        float[] entropy = new float[25];
        for (int p = 0; p < 25; p++) {
            layer[p] = p % 12;
            entropy[p] = 1;
        }
        ViewedVolume map = new ViewedVolume("layer", GRID, layer, null, "", 1);
        Overlay o = Overlay.over(map);
        o.setColormap(Colormap.LAYERS);
        o.setWindow(new WindowLevel(0, 11));
        o.setOpacity(1);
        o.setThreshold(0.5);
        o.setDimming(new ViewedVolume("entropy", GRID, entropy, null, "", 1));
        view.addOverlay(o);
        int[] rgb = SliceRendering.render(view, SlicePlane.AXIAL);
        // voxel (0, 0) holds layer 0, at the threshold: not drawn
        assertEquals(0, at(rgb, 0, 0));
        // voxel (1, 0) holds layer 1, dimmed to a fifth (entropy 1)
        int undimmed = Colormap.LAYERS.rgb(1, new WindowLevel(0, 11));
        assertEquals(LayerColors.dimmed(undimmed, 1), at(rgb, 1, 0));
        assertEquals(((undimmed >> 16) & 0xFF) / 5.0, (at(rgb, 1, 0) >> 16) & 0xFF, 1);
    }
}
