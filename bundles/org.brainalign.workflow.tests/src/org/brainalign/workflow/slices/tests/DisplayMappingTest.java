package org.brainalign.workflow.slices.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;

import org.brainalign.charts.LayerColors;
import org.brainalign.workflow.slices.Colormap;
import org.brainalign.workflow.slices.Viewport;
import org.brainalign.workflow.slices.WindowLevel;
import org.junit.jupiter.api.Test;

/** Window/level, colormaps and the viewport, against closed-form values. */
public class DisplayMappingTest {

    @Test
    public void windowMapsLinearlyAndClamps() {
        WindowLevel w = new WindowLevel(100, 300);
        assertEquals(0, w.fraction(50));
        assertEquals(0.25, w.fraction(150), 1e-15);
        assertEquals(1, w.fraction(1e9));
        assertEquals(200, w.level());
        assertEquals(200, w.width());
        assertEquals(new WindowLevel(150, 250), WindowLevel.ofLevelWidth(200, 100));
        // drag 10 px right and 4 px down at 2 values per pixel: width 220, level 208
        WindowLevel d = w.dragged(10, 4, 2);
        assertEquals(220, d.width(), 1e-12);
        assertEquals(208, d.level(), 1e-12);
        assertEquals(0, w.dragged(-1000, 0, 1).width());
        assertThrows(IllegalArgumentException.class, () -> new WindowLevel(2, 1));
        assertEquals(1, new WindowLevel(5, 5).fraction(5));
        assertEquals(0, new WindowLevel(5, 5).fraction(4.9));
    }

    @Test
    public void colormapsHaveTheirDefiningColours() {
        WindowLevel unit = new WindowLevel(0, 1);
        assertEquals(0x000000, Colormap.GREY.rgb(0, unit));
        assertEquals(0xFFFFFF, Colormap.GREY.rgb(1, unit));
        assertEquals(0x808080, Colormap.GREY.rgb(128 / 255.0, unit));
        // hot: red reaches full at 1/3, green at 2/3, blue at 1
        assertEquals(0xFF0000, Colormap.HOT.exact(1 / 3.0));
        assertEquals(0xFFFF00, Colormap.HOT.exact(2 / 3.0));
        assertEquals(0xFFFFFF, Colormap.HOT.exact(1));
        assertEquals(LayerColors.COOL_RGB, Colormap.COOLWARM.rgb(-5, unit));
        assertEquals(LayerColors.NEUTRAL_RGB, Colormap.COOLWARM.exact(0.5));
        assertEquals(LayerColors.WARM_RGB, Colormap.COOLWARM.rgb(7, unit));
        assertEquals(Colormap.GREY, Colormap.of("nonsense", Colormap.GREY));
        assertEquals(Colormap.LAYERS, Colormap.of("Layers", Colormap.GREY));
    }

    @Test
    public void layerMapColoursWholeLayers() {
        WindowLevel twelve = new WindowLevel(0, 11);
        assertEquals(LayerColors.layerRgb(0, 12), Colormap.LAYERS.rgb(0, twelve));
        assertEquals(LayerColors.layerRgb(11, 12), Colormap.LAYERS.rgb(11, twelve));
        // a value is rounded to its layer before colouring; the 256-step table is within one step of the exact colour
        assertEquals(Colormap.LAYERS.rgb(5, twelve), Colormap.LAYERS.rgb(5.4, twelve));
        int exact = LayerColors.layerRgb(5, 12);
        int shown = Colormap.LAYERS.rgb(5, twelve);
        for (int shift = 0; shift <= 16; shift += 8) {
            assertEquals((exact >> shift) & 0xFF, (shown >> shift) & 0xFF, 3);
        }
    }

    @Test
    public void labelColoursDifferBetweenLabels() {
        Set<Integer> seen = new HashSet<>();
        for (int label = 1; label <= 120; label++) {
            seen.add(Colormap.labelRgb(label));
        }
        assertEquals(120, seen.size());
        assertEquals(0, Colormap.labelRgb(0));
        assertNotEquals(Colormap.labelRgb(43), Colormap.labelRgb(44));
    }

    @Test
    public void viewportFitsKeepsMillimetresSquareAndZoomsAboutTheMouse() {
        Viewport v = new Viewport();
        // 17 x 21 pixels of 4 x 8 mm (68 x 168 mm) in a 400 x 336 canvas: the height limits, 2 points per mm
        Viewport.Placement p = v.place(17, 21, 4, 8, 400, 336);
        assertEquals(8, p.pixelWidth(), 1e-12);
        assertEquals(16, p.pixelHeight(), 1e-12);
        assertEquals((400 - 136) / 2.0, p.x(), 1e-12);
        assertEquals(0, p.y(), 1e-12);
        double col = p.column(150);
        double row = p.row(100);
        v.zoomAt(2, 17, 21, 4, 8, 400, 336, 150, 100);
        Viewport.Placement z = v.place(17, 21, 4, 8, 400, 336);
        assertEquals(16, z.pixelWidth(), 1e-12);
        assertEquals(col, z.column(150), 1e-9);
        assertEquals(row, z.row(100), 1e-9);
        v.pan(10, -5);
        assertEquals(z.x() + 10, v.place(17, 21, 4, 8, 400, 336).x(), 1e-9);
        v.zoomAt(1e6, 17, 21, 4, 8, 400, 336, 0, 0);
        assertEquals(Viewport.MAX_ZOOM, v.zoom());
        v.reset();
        assertEquals(p, v.place(17, 21, 4, 8, 400, 336));
    }
}
