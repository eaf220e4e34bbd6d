package org.brainalign.workflow.slices;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.SelectorMap;

/**
 * How the viewer shows a map of a fitted run by default (maps/NAME.nii.gz of a run folder, docs/analysis.md), so
 * that opening one needs no setting up: the preferred layer (1 .. L, 0 outside the voxels) on the layer scale over
 * the run's L layers, 0 hidden, dimmed by the run's entropy map; the expected depth (0 .. 1) on cool-warm; x and y
 * on cool-warm from -1 to 1; entropy and scale in grey from 0 to 1; R^2 and Pearson r in hot.
 */
public final class RunMapStyle {

    private RunMapStyle() {
    }

    /**
     * Styles an overlay showing a run map; any other file is left as it is.
     *
     * @param overlay the overlay (the opened volume or one added over it)
     * @param file the map's file
     * @return the run's entropy map, when the overlay should be dimmed by it (the caller reads it and calls
     *         {@link Overlay#setDimming})
     */
    public static Optional<Path> style(Overlay overlay, Path file) {
        Optional<Path> run = RunMaps.runOf(file);
        Optional<SelectorMap> map = RunMaps.mapOf(file);
        if (run.isEmpty() || map.isEmpty()) {
            return Optional.empty();
        }
        switch (map.get()) {
            case PREFERRED_LAYER -> {
                OptionalInt layers = layers(run.get());
                double last = layers.isPresent() ? layers.getAsInt() : Math.max(1, overlay.volume().max());
                overlay.setColormap(Colormap.LAYERS);
                overlay.setWindow(new WindowLevel(1, last));
                overlay.setThreshold(0.5);
                return RunMaps.mapFile(run.get(), SelectorMap.ENTROPY);
            }
            case EXPECTED_DEPTH -> style(overlay, Colormap.COOLWARM, 0, 1);
            case X, Y -> style(overlay, Colormap.COOLWARM, -1, 1);
            case ENTROPY, SCALE -> style(overlay, Colormap.GREY, 0, 1);
            case R2, PEARSON_R -> overlay.setColormap(Colormap.HOT);
        }
        return Optional.empty();
    }

    private static void style(Overlay overlay, Colormap colormap, double low, double high) {
        overlay.setColormap(colormap);
        overlay.setWindow(new WindowLevel(low, high));
    }

    private static OptionalInt layers(Path folder) {
        try {
            return RunMaps.layerCount(RunFolder.open(folder));
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }
}
