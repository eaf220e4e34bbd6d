package org.brainalign.ui.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.brainalign.io.run.RunFolder;
import org.brainalign.workflow.slices.RunMaps;
import org.eclipse.core.resources.IContainer;
import org.eclipse.core.resources.ResourcesPlugin;

/**
 * A run summary is what the workbench shows of a run folder ({@link RunFolder}, written by the engine and the
 * analysis; docs/run-folder.md): its backbone and headline score for the folder's label and the title of a viewer on
 * one of its maps (which run and which map a file is: {@link RunMaps}).
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
     * @return "backbone, score" (e.g. "hf-vit vit-b16, pearson_r 0.312"), after the run's label in quotes when it is
     *         not the folder's name, or why the run cannot be read
     */
    public static String label(Path folder) {
        try {
            RunFolder run = RunFolder.open(folder);
            // a run renamed in its properties is shown by its name too, so two folders named alike differ
            String name = run.label().equals(String.valueOf(folder.getFileName())) ? "" : "'" + run.label() + "', ";
            return name + backbone(run.info().backbone()) + score(run.info().metrics()).map(s -> ", " + s).orElse("");
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
     * The title of a viewer on a file: for a run's map, the project, the run and the map ("p1/demo: preferred_layer"),
     * so that the same map of two runs reads differently on two editor tabs; otherwise the file's name.
     *
     * @param file a file on disk
     * @return its title
     */
    public static String title(Path file) {
        Optional<Path> run = RunMaps.runOf(file);
        if (run.isEmpty()) {
            return String.valueOf(file.getFileName());
        }
        String label;
        try {
            label = RunFolder.open(run.get()).label();
        } catch (IOException e) {
            label = String.valueOf(run.get().getFileName());
        }
        return project(run.get()).map(p -> p + "/").orElse("") + label + ": " + RunMaps.stem(file);
    }

    /**
     * The tool tip of a viewer's tab on a file: for a run's map, the run's label and where the run lies, then the
     * file; otherwise the file.
     *
     * @param file a file on disk
     * @return its tool tip
     */
    public static String toolTip(Path file) {
        Optional<Path> run = RunMaps.runOf(file);
        if (run.isEmpty()) {
            return file.toString();
        }
        try {
            return "Run '" + RunFolder.open(run.get()).label() + "' in " + where(run.get()) + "\n" + file;
        } catch (IOException e) {
            return file.toString();
        }
    }

    /**
     * @param folder a folder on disk
     * @return where it lies in the workspace ("p1/runs/demo"), or its path when no project holds it
     */
    public static String where(Path folder) {
        IContainer[] containers = ResourcesPlugin.getWorkspace().getRoot()
                .findContainersForLocationURI(folder.toUri());
        return containers.length == 0 ? folder.toString() : containers[0].getFullPath().makeRelative().toString();
    }

    /** @return the name of the workspace project holding a folder, if the workspace holds it */
    private static Optional<String> project(Path folder) {
        IContainer[] containers = ResourcesPlugin.getWorkspace().getRoot()
                .findContainersForLocationURI(folder.toUri());
        return containers.length == 0 ? Optional.empty() : Optional.of(containers[0].getProject().getName());
    }
}
