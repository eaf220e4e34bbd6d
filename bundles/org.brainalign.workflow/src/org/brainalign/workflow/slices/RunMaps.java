package org.brainalign.workflow.slices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

import org.brainalign.io.npy.Npy;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.SelectorMap;

/**
 * The maps of a run folder as files on disk (maps/NAME.nii.gz, docs/run-folder.md): which run and which map a file
 * is, the file of a map once the analysis has written it, and the run's number of layers, which the preferred layer's
 * scale spans.
 */
public final class RunMaps {

    private RunMaps() {
    }

    /**
     * @param file a file
     * @return the run folder it is a map of (it lies in maps/ of a folder holding a run.json), if any
     */
    public static Optional<Path> runOf(Path file) {
        Path maps = file.toAbsolutePath().getParent();
        if (maps == null || !RunFolder.MAPS.equals(String.valueOf(maps.getFileName())) || maps.getParent() == null) {
            return Optional.empty();
        }
        Path run = maps.getParent();
        return Files.isRegularFile(run.resolve(RunFolder.RUN_JSON)) ? Optional.of(run) : Optional.empty();
    }

    /**
     * @param file a file in a run's maps/ folder
     * @return the selector map it holds, by its name (maps/NAME.nii.gz), if it is one
     */
    public static Optional<SelectorMap> mapOf(Path file) {
        String stem = stem(file);
        for (SelectorMap m : SelectorMap.values()) {
            if (m.stem().equals(stem)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * @param file a file
     * @return its name without the extension of an image or an array (".nii", ".nii.gz", ".npy")
     */
    public static String stem(Path file) {
        return file.getFileName().toString().replaceFirst("(?i)\\.(nii(\\.gz)?|npy)$", "");
    }

    /**
     * @param folder a run folder
     * @param map a selector map
     * @return its NIfTI file, if the analysis has written it
     */
    public static Optional<Path> mapFile(Path folder, SelectorMap map) {
        Path f = folder.resolve(RunFolder.MAPS).resolve(map.stem() + ".nii.gz");
        return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
    }

    /**
     * @param run a run
     * @return its number of layers: the backbone's "layers", else the width of selectors/layer_weights.npy
     */
    public static OptionalInt layerCount(RunFolder run) {
        if (run.info().backbone().get("layers") instanceof Number n && n.intValue() > 0) {
            return OptionalInt.of(n.intValue());
        }
        Path weights = run.folder().resolve(RunFolder.SELECTORS).resolve("layer_weights.npy");
        try {
            int[] shape = Npy.header(weights).shape();
            return shape.length == 2 ? OptionalInt.of(shape[1]) : OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }
}
