package org.brainalign.ui.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.brainalign.io.npy.Npy;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.SelectorMap;

/**
 * A run summary is what the workbench shows of a run folder ({@link RunFolder}, written by the engine and the
 * analysis; docs/run-folder.md): its backbone and headline score for the folder's label, its number of layers for
 * the layer scale, and which of its maps a file is.
 */
public final class RunSummary {

    private RunSummary() {
    }

    /**
     * @param folder a folder
     * @return whether it holds a run.json
     */
    public static boolean isRunFolder(Path folder) {
        return Files.isRegularFile(folder.resolve(RunFolder.RUN_JSON));
    }

    /**
     * @param folder a run folder
     * @return "backbone, score" (e.g. "hf-vit vit-b16, pearson_r 0.312"), or why the run cannot be read
     */
    public static String label(Path folder) {
        try {
            RunFolder run = RunFolder.open(folder);
            return backbone(run.info().backbone()) + score(run.info().metrics()).map(s -> ", " + s).orElse("");
        } catch (IOException e) {
            return "not readable: " + e.getMessage();
        }
    }

    /**
     * @param backbone the backbone description of run.json
     * @return its family and checkpoint name (or "backbone not recorded")
     */
    static String backbone(Map<String, Object> backbone) {
        StringBuilder b = new StringBuilder();
        for (String key : List.of("id", "name", "family", "checkpoint")) {
            if (backbone.get(key) instanceof String s && !s.isBlank()) {
                String text = key.equals("checkpoint") ? Path.of(s).getFileName().toString() : s;
                if (!b.toString().contains(text)) {
                    b.append(b.isEmpty() ? "" : " ").append(text);
                }
            }
        }
        return b.isEmpty() ? "backbone not recorded" : b.toString();
    }

    /**
     * The headline score among a run's metrics: the first whose name mentions Pearson, else R^2, else the first
     * number; a metric that is an object of numbers is represented by its median or mean.
     *
     * @param metrics the metrics of run.json
     * @return e.g. "pearson_r 0.312"
     */
    static Optional<String> score(Map<String, Object> metrics) {
        for (String wanted : new String[] { "pearson", "r2", "" }) {
            for (Map.Entry<String, Object> e : metrics.entrySet()) {
                Double v = number(e.getValue());
                if (v != null && e.getKey().toLowerCase(Locale.ROOT).contains(wanted)) {
                    return Optional.of(String.format(Locale.ROOT, "%s %.3f", e.getKey(), v));
                }
            }
        }
        return Optional.empty();
    }

    private static Double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Map<?, ?> m) {
            for (String key : List.of("median", "mean")) {
                if (m.get(key) instanceof Number n) {
                    return n.doubleValue();
                }
            }
        }
        return null;
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

    /**
     * @param file a file
     * @return the run folder it is a map of (it lies in maps/ of a run folder), if any
     */
    public static Optional<Path> runOf(Path file) {
        Path maps = file.toAbsolutePath().getParent();
        if (maps == null || !RunFolder.MAPS.equals(String.valueOf(maps.getFileName())) || maps.getParent() == null) {
            return Optional.empty();
        }
        return isRunFolder(maps.getParent()) ? Optional.of(maps.getParent()) : Optional.empty();
    }

    /**
     * @param file a file in a run's maps/ folder
     * @return the selector map it holds, by its name (maps/NAME.nii.gz), if it is one
     */
    public static Optional<SelectorMap> mapOf(Path file) {
        String stem = file.getFileName().toString().replaceFirst("(?i)\\.(nii(\\.gz)?|npy)$", "");
        for (SelectorMap m : SelectorMap.values()) {
            if (m.stem().equals(stem)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
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
}
