package org.brainalign.workflow.slices;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A colour bar says what the colours of a map mean: for a continuous map, its colormap from the low end of the
 * window to the high end with the two values written under it (and 0 between them when the window spans it, which
 * a signed map such as r needs); for a layer map, its legend, one swatch per network layer with the layer's number.
 * The viewer draws one per map shown, and so does every exported PNG.
 *
 * @param title what the map is (the volume's name), with "|value|" appended when its threshold is two-sided
 * @param colormap the colormap
 * @param window the window the colours span
 * @param legend for a layer map the swatches, first layer first; empty for a continuous map
 */
public record ColourBar(String title, Colormap colormap, WindowLevel window, List<Swatch> legend) {

    /**
     * One entry of a legend.
     *
     * @param label what it stands for, e.g. "1" for the first layer
     * @param rgb its colour, 0xRRGGBB
     */
    public record Swatch(String label, int rgb) {
    }

    /**
     * @param overlay an overlay
     * @return its colour bar, or empty for an atlas in label colours (its regions are named in the readout)
     */
    public static Optional<ColourBar> of(Overlay overlay) {
        Colormap map = overlay.colormap();
        if (map == Colormap.LABELS) {
            return Optional.empty();
        }
        WindowLevel w = overlay.window();
        String title = overlay.volume().name() + (overlay.twoSided() ? " (|value|)" : "");
        List<Swatch> legend = new ArrayList<>();
        if (map == Colormap.LAYERS) {
            long first = Math.round(w.low());
            long last = Math.round(w.high());
            for (long layer = first; layer <= last && legend.size() < 256; layer++) {
                legend.add(new Swatch(Long.toString(layer), map.rgb(layer, w)));
            }
        }
        return Optional.of(new ColourBar(title, map, w, List.copyOf(legend)));
    }

    /** @return whether it is a legend of layers rather than a continuous scale */
    public boolean isLegend() {
        return !legend.isEmpty();
    }

    /**
     * @param t a place along a continuous bar, 0 (low end) to 1 (high end)
     * @return the colour drawn there, the one a voxel of that value gets
     */
    public int rgbAt(double t) {
        return colormap.rgb(window.low() + t * (window.high() - window.low()), window);
    }

    /**
     * @return the values written under a continuous bar with their places (0 .. 1): the low and high ends, and 0
     *         when it lies strictly inside the window
     */
    public List<double[]> ticks() {
        List<double[]> ticks = new ArrayList<>();
        ticks.add(new double[] { 0, window.low() });
        if (window.low() < 0 && window.high() > 0) {
            ticks.add(new double[] { window.fraction(0), 0 });
        }
        ticks.add(new double[] { 1, window.high() });
        return ticks;
    }
}
