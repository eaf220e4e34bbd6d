package org.brainalign.workflow.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.brainalign.core.VolumeGrid;
import org.brainalign.core.analysis.Drift;
import org.brainalign.core.analysis.Hierarchy;
import org.brainalign.core.analysis.ModelComparison;
import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunFolderException;
import org.brainalign.io.run.RunInfo;
import org.brainalign.io.run.RunInput;
import org.brainalign.io.run.Table;
import org.brainalign.workflow.FigureFormat;
import org.brainalign.workflow.analysis.AnalysisTables;
import org.brainalign.workflow.analysis.RunAnalysis;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * A run report is what {@code brainalign report RUN [RUN2 ...]} writes: one self-contained HTML page with, for
 * several runs, a comparison table (and, for two fits of the same voxels, their drift), and for each run what made it
 * (inputs with their SHA-256 hashes, backbone, configuration, seed, split, metrics, timings, software version), its
 * ROI summaries, its alignment and its charts. The charts come as bytes from the caller through {@link Charts}, since
 * io draws none; a run for which the caller gives none shows the charts saved in its charts/ folder.
 */
public final class RunReport {

    /** The ROI table columns a report shows; the CSV has them all. */
    private static final List<String> ROI_COLUMNS = List.of("roi", "voxels", "t", "mean_depth", "sd_depth",
            "median_depth", "iqr_depth", "mean_entropy", "mean_x", "mean_y", "mean_scale", "scored", "mean_r2",
            "median_r2", "mean_r");

    /** The charts of a report, rendered by the caller; every method may return an empty list. */
    public interface Charts {

        /**
         * @param run a run
         * @param summary its analysis
         * @return its figures
         * @throws IOException if a chart cannot be made
         */
        default List<ReportFigure> forRun(RunFolder run, SelectorSummary summary) throws IOException {
            return List.of();
        }

        /**
         * @param comparison the comparison of all runs
         * @param summaries their analyses, in run order
         * @return the comparison's figures
         * @throws IOException if a chart cannot be made
         */
        default List<ReportFigure> forComparison(ModelComparison comparison, List<SelectorSummary> summaries)
                throws IOException {
            return List.of();
        }

        /**
         * @param drift the drift between two runs
         * @return its figures
         * @throws IOException if a chart cannot be made
         */
        default List<ReportFigure> forDrift(Drift drift) throws IOException {
            return List.of();
        }
    }

    /** Charts of nobody: runs show their saved charts only. */
    public static final Charts SAVED_CHARTS = new Charts() {
    };

    private RunReport() {
    }

    /**
     * Builds and writes a report.
     *
     * @param output the .html file to write
     * @param runs the run folders, in the order shown
     * @param hierarchy stage positions; null for the standard hierarchy
     * @param charts the caller's charts
     * @param softwareVersion the version of the software making the report
     * @param monitor progress in runs; may be null
     * @return the report written
     * @throws IOException if a run cannot be read or the report written
     */
    public static HtmlReport write(Path output, List<RunFolder> runs, Hierarchy hierarchy, Charts charts,
            String softwareVersion, IProgressMonitor monitor) throws IOException {
        HtmlReport report = build(runs, hierarchy, charts, softwareVersion,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), monitor);
        report.write(output);
        return report;
    }

    /**
     * Builds a report.
     *
     * @param runs the run folders, in the order shown (at least one)
     * @param hierarchy stage positions; null for the standard hierarchy
     * @param charts the caller's charts
     * @param softwareVersion the version of the software making the report
     * @param date when the report is made
     * @param monitor progress in runs; may be null
     * @return the report
     * @throws IOException if a run cannot be read
     */
    public static HtmlReport build(List<RunFolder> runs, Hierarchy hierarchy, Charts charts, String softwareVersion,
            Instant date, IProgressMonitor monitor) throws IOException {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one run");
        }
        Hierarchy h = hierarchy == null ? Hierarchy.standard() : hierarchy;
        SubMonitor sub = SubMonitor.convert(monitor, "Writing the report", runs.size() + 1);
        List<String> labels = RunAnalysis.labels(runs);
        List<SelectorSummary> summaries = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunFolder run = runs.get(i);
            summaries.add(SelectorSummary.of(labels.get(i), run.selectors(), RunAnalysis.defaultRois(run), h));
        }
        HtmlReport report = new HtmlReport("BrainAlign report: " + String.join(", ", labels));
        LinkedHashMap<String, String> header = new LinkedHashMap<>();
        header.put("Date", date.toString());
        header.put("Made with", "BrainAlign " + softwareVersion);
        header.put("Runs", String.join(", ", labels));
        header.put("Hierarchy", h.format());
        report.facts(header);
        report.note("Layers are numbered 1 to L. Depth is the expected layer depth sum_l p(n,l) l/(L-1) in [0, 1];"
                + " R^2 is the score on held-out images. Every table and figure is defined in the BrainAlign"
                + " documentation (docs/analysis.md); the run folders' tables/*.csv hold all values in full.");
        sub.split(1);

        if (runs.size() > 1) {
            ModelComparison comparison = ModelComparison.of(summaries);
            report.heading(2, "Comparison");
            report.table(AnalysisTables.comparison(comparison));
            for (ReportFigure f : charts.forComparison(comparison, summaries)) {
                report.figure(f);
            }
        }
        if (runs.size() == 2) {
            driftSection(report, runs, summaries, h, charts);
        }
        for (int i = 0; i < runs.size(); i++) {
            runSection(report, runs.get(i), summaries.get(i), charts);
            sub.split(1);
        }
        return report;
    }

    private static void driftSection(HtmlReport report, List<RunFolder> runs, List<SelectorSummary> summaries,
            Hierarchy h, Charts charts) throws IOException {
        report.heading(2, "Drift from " + summaries.get(0).label() + " to " + summaries.get(1).label());
        try {
            RunAnalysis.checkSameVoxels(runs.get(0), runs.get(1));
            if (summaries.get(0).layerCount() != summaries.get(1).layerCount()) {
                report.note("The two runs have " + summaries.get(0).layerCount() + " and "
                        + summaries.get(1).layerCount() + " layers: drift compares layer weights layer by layer, so"
                        + " it is not shown.");
                return;
            }
        } catch (RunFolderException e) {
            report.note("No drift is shown: " + e.getMessage());
            return;
        }
        Drift drift = Drift.between(summaries.get(0).label(), runs.get(0).selectors(), summaries.get(1).label(),
                runs.get(1).selectors(), RunAnalysis.defaultRois(runs.get(0)), h);
        report.table(AnalysisTables.driftSummary(drift));
        report.table(AnalysisTables.drift(drift));
        for (ReportFigure f : charts.forDrift(drift)) {
            report.figure(f);
        }
    }

    private static void runSection(HtmlReport report, RunFolder run, SelectorSummary summary, Charts charts)
            throws IOException {
        RunInfo info = run.info();
        report.heading(2, "Run " + summary.label());
        LinkedHashMap<String, String> facts = new LinkedHashMap<>();
        facts.put("Folder", run.folder().getFileName().toString());
        facts.put("Run id", info.id());
        facts.put("Created", info.created().toString());
        facts.put("Made with", "BrainAlign " + info.softwareVersion());
        Optional<VolumeGrid> grid = run.grid();
        facts.put("Voxels", run.voxelCount() + (grid.isPresent()
                ? " of a " + Arrays.toString(grid.get().shape()) + " " + grid.get().orientation() + " grid"
                : " vertices (" + run.space() + ")"));
        facts.put("Layers", Integer.toString(summary.layerCount()));
        facts.put("Seed", info.seed().map(String::valueOf).orElse("not recorded"));
        facts.put("Backbone", text(info.backbone()));
        facts.put("Configuration", text(info.config()));
        facts.put("Split", text(info.split()));
        facts.put("Metrics", text(info.metrics()));
        LinkedHashMap<String, Object> timings = new LinkedHashMap<>();
        info.timings().forEach((k, v) -> timings.put(k, HtmlReport.display(v) + " s"));
        facts.put("Timings", text(timings));
        report.facts(facts);

        report.heading(3, "Inputs");
        Table inputs = new Table("inputs", List.of("role", "path", "bytes", "sha256"));
        for (RunInput in : info.inputs()) {
            inputs.add(in.role(), in.path(), in.bytes(), in.sha256());
        }
        if (info.inputs().isEmpty()) {
            report.note("The run recorded no inputs.");
        } else {
            report.table(inputs);
        }

        report.heading(3, "Regions of interest");
        if (summary.rois().isEmpty()) {
            report.note("The run has no saved ROIs: only the summary over all voxels is shown.");
        }
        report.table(AnalysisTables.rois(summary).select(ROI_COLUMNS));
        report.heading(3, "Alignment");
        if (!summary.alignment().isDefined()) {
            report.note("The alignment line is not defined: the hierarchy places fewer than two stages among this"
                    + " run's ROIs.");
        }
        report.table(AnalysisTables.alignment(summary));

        List<ReportFigure> figures = new ArrayList<>(charts.forRun(run, summary));
        if (figures.isEmpty()) {
            figures.addAll(savedCharts(run));
        }
        if (!figures.isEmpty()) {
            report.heading(3, "Charts");
            for (ReportFigure f : figures) {
                report.figure(f);
            }
        }
    }

    /** The charts saved in a run's charts/ folder, the PNG of a chart kept in both forms (it shows everywhere). */
    private static List<ReportFigure> savedCharts(RunFolder run) throws IOException {
        List<ReportFigure> figures = new ArrayList<>();
        List<Path> files = run.charts();
        List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
        for (Path file : files) {
            String name = file.getFileName().toString();
            FigureFormat format = FigureFormat.ofFileName(name).filter(FigureFormat::isPicture).orElse(null);
            if (format == null) {
                continue; // not a picture: the run folder lists every file of charts/
            }
            String stem = name.substring(0, name.length() - format.extension().length());
            if (format == FigureFormat.SVG && names.contains(stem + FigureFormat.PNG.extension())) {
                continue;
            }
            figures.add(ReportFigure.read(stem.replace('_', ' ').replace('-', ' '), file));
        }
        return figures;
    }

    private static String text(Map<String, ?> values) {
        if (values.isEmpty()) {
            return "not recorded";
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            b.append(b.isEmpty() ? "" : "; ").append(e.getKey()).append(": ").append(value(e.getValue()));
        }
        return b.toString();
    }

    private static String value(Object v) {
        if (v instanceof Map<?, ?> m) {
            LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, x) -> copy.put(String.valueOf(k), x));
            return "{" + text(copy) + "}";
        }
        if (v instanceof Double || v instanceof Float) {
            return HtmlReport.display(v);
        }
        return String.valueOf(v);
    }
}
