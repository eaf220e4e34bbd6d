package org.brainalign.workflow.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.brainalign.core.analysis.Drift;
import org.brainalign.core.analysis.Hierarchy;
import org.brainalign.core.analysis.ModelComparison;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.core.data.Roi;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.io.run.MapWriter;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunFolderException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * Run analysis is what the {@code analyze}, {@code drift} and {@code compare} commands do: read the selectors of run
 * folders, analyse them with core.analysis, and write the maps and tables. It needs no engine. When the caller names
 * no ROIs, a run is analysed over the ROIs saved with it whose names are among {@link Hierarchy#DEFAULT_ROIS} (V1,
 * V2, V3, hV4, EBA, FBA, OFA, FFA, OPA, PPA, VWFA), or over all its saved ROIs if none of those are there; when it
 * names no hierarchy, the {@link Hierarchy#standard() standard} one is used.
 */
public final class RunAnalysis {

    private RunAnalysis() {
    }

    /**
     * Analyses a run with the default ROIs and hierarchy and writes its maps and tables.
     *
     * @param run the run folder
     * @param monitor progress; may be null
     * @return the analysis
     * @throws IOException if the run cannot be read or the results written
     */
    public static SelectorSummary analyze(RunFolder run, IProgressMonitor monitor) throws IOException {
        return analyze(run, null, null, monitor);
    }

    /**
     * Analyses a run and writes its maps (maps/), and its tables (tables/voxels.csv, rois.csv, alignment.csv).
     *
     * @param run the run folder
     * @param rois ROIs over the run's voxel set, in table order; null for the default ROIs
     * @param hierarchy stage positions; null for the standard hierarchy
     * @param monitor progress in maps and tables; may be null
     * @return the analysis
     * @throws IOException if the run cannot be read or the results written
     */
    public static SelectorSummary analyze(RunFolder run, List<Roi> rois, Hierarchy hierarchy, IProgressMonitor monitor)
            throws IOException {
        SubMonitor sub = SubMonitor.convert(monitor, "Analysing " + run.label(), 12);
        SelectorMaps maps = run.selectors();
        List<Roi> chosen = rois == null ? defaultRois(run) : rois;
        SelectorSummary summary = SelectorSummary.of(run.label(), maps, chosen,
                hierarchy == null ? Hierarchy.standard() : hierarchy);
        sub.split(1);
        MapWriter.write(run, maps, sub.split(8));
        AnalysisTables.writeVoxels(run.tableFile(AnalysisTables.VOXELS), run.voxels(), maps, chosen);
        sub.split(1);
        run.writeTable(AnalysisTables.rois(summary));
        sub.split(1);
        run.writeTable(AnalysisTables.alignment(summary));
        sub.split(1);
        return summary;
    }

    /**
     * Analyses a run without writing anything (for reports and comparisons).
     *
     * @param run the run folder
     * @param rois ROIs over the run's voxel set; null for the default ROIs
     * @param hierarchy stage positions; null for the standard hierarchy
     * @return the analysis
     * @throws IOException if the run cannot be read
     */
    public static SelectorSummary summarize(RunFolder run, List<Roi> rois, Hierarchy hierarchy) throws IOException {
        return SelectorSummary.of(run.label(), run.selectors(), rois == null ? defaultRois(run) : rois,
                hierarchy == null ? Hierarchy.standard() : hierarchy);
    }

    /**
     * The ROIs a run is analysed over when the caller names none.
     *
     * @param run the run folder
     * @return its saved ROIs among the default names (in their order), or all its saved ROIs if none match
     * @throws IOException if the saved ROIs cannot be read
     */
    public static List<Roi> defaultRois(RunFolder run) throws IOException {
        List<Roi> saved = run.rois();
        List<Roi> chosen = SelectorSummary.choose(saved, Hierarchy.DEFAULT_ROIS);
        return chosen.isEmpty() ? saved : chosen;
    }

    /**
     * Measures the drift between two fits of the same voxels, over the earlier run's default ROIs.
     *
     * @param before the earlier run (e.g. the pretrained backbone)
     * @param after the later run (e.g. the fine-tuned backbone)
     * @param hierarchy stage positions; null for the standard hierarchy
     * @param output a folder to write drift.csv and drift_summary.csv into; null to write nothing
     * @return the drift
     * @throws RunFolderException if the runs are not fits of the same voxels with the same number of layers
     * @throws IOException if a run cannot be read or the tables written
     */
    public static Drift drift(RunFolder before, RunFolder after, Hierarchy hierarchy, Path output)
            throws IOException {
        checkSameVoxels(before, after);
        SelectorMaps a = before.selectors();
        SelectorMaps b = after.selectors();
        List<String> labels = labels(List.of(before, after));
        if (a.layerCount() != b.layerCount()) {
            throw new RunFolderException("Runs " + before.folder() + " and " + after.folder() + " have "
                    + a.layerCount()
                    + " and " + b.layerCount() + " layers: drift compares layer weights layer by layer, so both"
                    + " runs need the same number of layers (compare backbones of different depths with compare)");
        }
        Drift drift = Drift.between(labels.get(0), a, labels.get(1), b, defaultRois(before),
                hierarchy == null ? Hierarchy.standard() : hierarchy);
        if (output != null) {
            AnalysisTables.drift(drift).writeCsv(output.resolve(AnalysisTables.DRIFT + ".csv"));
            AnalysisTables.driftSummary(drift).writeCsv(output.resolve(AnalysisTables.DRIFT_SUMMARY + ".csv"));
        }
        return drift;
    }

    /**
     * Whether two runs are fits of the same voxels (same space, grid and voxel order), as drift needs.
     *
     * @param a one run
     * @param b another run
     * @throws RunFolderException if they are not, saying how they differ
     * @throws IOException if a voxel set cannot be read
     */
    public static void checkSameVoxels(RunFolder a, RunFolder b) throws IOException {
        String why = null;
        if (!a.space().equals(b.space())) {
            why = "one is in " + a.space() + " space, the other in " + b.space();
        } else if (a.voxelCount() != b.voxelCount()) {
            why = "they hold " + a.voxelCount() + " and " + b.voxelCount() + " voxels";
        } else if (a.grid().isPresent() != b.grid().isPresent()
                || a.grid().isPresent() && !a.grid().get().sameSpace(b.grid().get(), 1e-4)) {
            why = "their grids differ";
        } else {
            VoxelSet va = a.voxels();
            VoxelSet vb = b.voxels();
            if (!Arrays.equals(va.indices(), vb.indices())) {
                why = "their voxels are not the same voxels in the same order";
            }
        }
        if (why != null) {
            throw new RunFolderException("Runs " + a.folder() + " and " + b.folder() + " are not fits of the same"
                    + " voxels (" + why + "): drift compares one subject's voxels before and after a change;"
                    + " compare other runs with compare");
        }
    }

    /**
     * Compares any number of runs, each over its own default ROIs.
     *
     * @param runs the run folders, in table order
     * @param hierarchy stage positions; null for the standard hierarchy
     * @param output a folder to write comparison.csv into; null to write nothing
     * @return the comparison
     * @throws IOException if a run cannot be read or the table written
     */
    public static ModelComparison compare(List<RunFolder> runs, Hierarchy hierarchy, Path output)
            throws IOException {
        List<String> labels = labels(runs);
        List<SelectorSummary> summaries = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunFolder run = runs.get(i);
            summaries.add(SelectorSummary.of(labels.get(i), run.selectors(), defaultRois(run),
                    hierarchy == null ? Hierarchy.standard() : hierarchy));
        }
        ModelComparison comparison = ModelComparison.of(summaries);
        if (output != null) {
            AnalysisTables.comparison(comparison).writeCsv(output.resolve(AnalysisTables.COMPARISON + ".csv"));
        }
        return comparison;
    }

    /**
     * The names runs go by in tables and legends: their labels, and where labels repeat, each followed by where its
     * folder lies below the deepest folder the runs of that label share: "demo (demo)" and "demo (demo-2)" for two
     * runs of one project, "demo (p1/runs/demo)" and "demo (p2/runs/demo)" for the demos of two projects.
     *
     * @param runs run folders
     * @return one name per run, all distinct when the folders are
     */
    public static List<String> labels(List<RunFolder> runs) {
        Map<String, Path> shared = new HashMap<>();
        Set<String> repeated = new HashSet<>();
        for (RunFolder r : runs) {
            Path folder = r.folder().toAbsolutePath().normalize();
            Path before = shared.putIfAbsent(r.label(), folder);
            if (before != null) {
                repeated.add(r.label());
                shared.put(r.label(), commonAncestor(before, folder));
            }
        }
        List<String> labels = new ArrayList<>();
        for (RunFolder r : runs) {
            if (!repeated.contains(r.label())) {
                labels.add(r.label());
                continue;
            }
            Path folder = r.folder().toAbsolutePath().normalize();
            Path base = shared.get(r.label());
            // the same folder twice has nothing below the shared one: its own name is all there is to show
            String where = folder.equals(base)
                    ? String.valueOf(folder.getFileName())
                    : base.relativize(folder).toString().replace('\\', '/');
            labels.add(r.label() + " (" + where + ")");
        }
        return labels;
    }

    private static Path commonAncestor(Path a, Path b) {
        Path common = a;
        while (common != null && !b.startsWith(common)) {
            common = common.getParent();
        }
        return common == null ? a.getRoot() : common;
    }
}
