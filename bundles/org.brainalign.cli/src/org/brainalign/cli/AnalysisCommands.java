package org.brainalign.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.brainalign.core.analysis.Alignment;
import org.brainalign.core.analysis.Drift;
import org.brainalign.core.analysis.Hierarchy;
import org.brainalign.core.analysis.ModelComparison;
import org.brainalign.core.analysis.RoiSummary;
import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.core.data.Roi;
import org.brainalign.io.run.RunChart;
import org.brainalign.io.OutputTarget;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.SelectorMap;
import org.brainalign.workflow.BrainAlignVersion;
import org.brainalign.workflow.command.Arguments;
import org.brainalign.workflow.command.UsageException;
import org.brainalign.workflow.FigureFormat;
import org.brainalign.workflow.RunCharts;
import org.brainalign.workflow.analysis.AnalysisTables;
import org.brainalign.workflow.analysis.RunAnalysis;
import org.brainalign.workflow.report.RunReport;

/** The commands that turn fitted runs into findings: analyze, drift, compare, render and report. */
final class AnalysisCommands {

    private AnalysisCommands() {
    }

    /** @return the commands */
    static List<Command> all() {
        return List.of(new Analyze(), new DriftCommand(), new Compare(), new Render(), new Report());
    }

    private static final String HIERARCHY_HELP = """
              --hierarchy H   the ROI ordering along the visual hierarchy: stages separated by ';' and ROIs
                              by ',' ("V1,V2,V3;hV4,OFA,OPA;EBA,FBA,FFA,PPA,VWFA", the default, spaced
                              evenly over 0..1), or explicit positions ("V1=0,V4=0.4,FFA=1")
            """;

    static Hierarchy hierarchy(Arguments args) throws UsageException {
        String text = args.get("hierarchy", null);
        if (text == null) {
            return Hierarchy.standard();
        }
        try {
            return Hierarchy.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--hierarchy: " + e.getMessage());
        }
    }

    static List<Roi> rois(Arguments args, RunFolder run) throws Exception {
        String text = args.get("rois", null);
        if (text == null) {
            return null;
        }
        List<Roi> chosen = SelectorSummary.choose(run.rois(), List.of(text.split(",")));
        if (chosen.isEmpty()) {
            throw new UsageException("--rois: none of " + text + " is among the run's ROIs");
        }
        return chosen;
    }

    static void printSummary(PrintStream out, SelectorSummary s) {
        out.printf(Locale.ROOT, "%s: %d voxels, %d layers%n", s.label(), s.voxelCount(), s.layerCount());
        out.printf(Locale.ROOT, "%-8s %7s %10s %8s %8s %8s %8s %8s%n", "ROI", "voxels", "top layer", "depth",
                "x", "y", "scale", "R2");
        for (RoiSummary r : s.rois()) {
            out.printf(Locale.ROOT, "%-8s %7d %10d %8.3f %8.3f %8.3f %8.3f %8.3f%n", r.name(), r.voxelCount(),
                    topLayer(r) + 1, r.depth().mean(), r.meanX(), r.meanY(), r.meanScale(), r.r2().mean());
        }
        Alignment a = s.alignment();
        out.printf(Locale.ROOT, "alignment: slope %.3f, b0 %.3f, b1 %.3f (%d voxels)%n", a.slope(), a.b0(), a.b1(),
                a.n());
    }

    private static int topLayer(RoiSummary r) {
        int[] h = r.layerHistogram();
        int best = 0;
        for (int l = 1; l < h.length; l++) {
            if (h[l] > h[best]) {
                best = l;
            }
        }
        return best;
    }

    static void listWritten(PrintStream out, List<Path> files) {
        out.println("wrote:");
        for (Path f : files) {
            out.println("  " + f);
        }
    }

    /** {@code brainalign analyze RUN}. */
    static final class Analyze implements Command {

        @Override
        public String name() {
            return "analyze";
        }

        @Override
        public String summary() {
            return "turn a run's selectors into maps, per-ROI tables, the alignment and charts";
        }

        @Override
        public String usage() {
            return """
                    Usage: brainalign analyze RUN [--rois V1,V2,...] [--hierarchy H]

                    Writes into the run folder: maps/*.nii.gz (preferred layer, expected depth, entropy,
                    x, y, scale, R2, r in the subject's grid), tables/voxels.csv, rois.csv, alignment.csv,
                    and charts/*.png and *.svg with their numbers in tables/chart-*.csv.

                      --rois R1,R2,...   the ROIs to summarise (default: V1, V2, V3, hV4, EBA, FBA, OFA,
                                         FFA, OPA, PPA, VWFA, those the run has)
                    """ + HIERARCHY_HELP;
        }

        @Override
        public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
            Arguments args = Arguments.parse(name(), argList, Set.of("rois", "hierarchy"), Set.of());
            args.expectPositional(1, "one RUN folder");
            RunFolder run = RunFolder.open(Path.of(args.positional().get(0)));
            Hierarchy hierarchy = hierarchy(args);
            SelectorSummary summary = RunAnalysis.analyze(run, rois(args, run), hierarchy, CommandLine.progress(err));
            List<Path> written = new ArrayList<>();
            for (SelectorMap m : SelectorMap.values()) {
                if (java.nio.file.Files.exists(run.mapFile(m))) {
                    written.add(run.mapFile(m));
                }
            }
            for (String table : List.of(AnalysisTables.VOXELS, AnalysisTables.ROIS, AnalysisTables.ALIGNMENT)) {
                written.add(run.tableFile(table));
            }
            written.addAll(RunCharts.save(run, summary, List.of("png", "svg")));
            printSummary(out, summary);
            listWritten(out, written);
            return CommandLine.OK;
        }
    }

    /** {@code brainalign drift RUN_A RUN_B}. */
    static final class DriftCommand implements Command {

        @Override
        public String name() {
            return "drift";
        }

        @Override
        public String summary() {
            return "how a subject's mapping moved between two runs (e.g. before and after fine-tuning)";
        }

        @Override
        public String usage() {
            return """
                    Usage: brainalign drift RUN_BEFORE RUN_AFTER --out DIR [--hierarchy H] [--force]

                    Both runs must be fits of the same voxels with the same number of layers. Writes
                    DIR/drift.csv (per ROI: shift of mean depth, share of voxels whose preferred layer
                    changed, mean Jensen-Shannon divergence of layer weights, change of R2),
                    DIR/drift_summary.csv (change of slope, b0, b1, mean score) and DIR/drift.png/.svg.
                    DIR must be new or empty unless --force is given, and never holds or lies in a run.
                    """ + HIERARCHY_HELP;
        }

        @Override
        public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
            Arguments args = Arguments.parse(name(), argList, Set.of("out", "hierarchy"), Set.of("force"));
            args.expectPositional(2, "two RUN folders, before and after");
            Path beforePath = Path.of(args.positional().get(0)), afterPath = Path.of(args.positional().get(1));
            Path dir = args.outputFolder("out", beforePath, afterPath);
            RunFolder before = RunFolder.open(beforePath);
            RunFolder after = RunFolder.open(afterPath);
            Drift drift = RunAnalysis.drift(before, after, hierarchy(args), dir);
            List<Path> written = new ArrayList<>(List.of(dir.resolve("drift.csv"), dir.resolve("drift_summary.csv")));
            written.addAll(
                    FigureFormat.writeAll(dir, "drift", RunCharts.driftFigure(before.label(), after.label(), drift)));
            out.printf(Locale.ROOT, "%s -> %s: slope %+.3f, b0 %+.3f, b1 %+.3f, mean R2 %+.4f%n", before.label(),
                    after.label(), drift.slopeChange(), drift.b0Change(), drift.b1Change(), drift.scoreChange());
            listWritten(out, written);
            return CommandLine.OK;
        }
    }

    /** {@code brainalign compare RUN...}. */
    static final class Compare implements Command {

        @Override
        public String name() {
            return "compare";
        }

        @Override
        public String summary() {
            return "compare any number of runs: alignment and mean depth per ROI, as a table and charts";
        }

        @Override
        public String usage() {
            return """
                    Usage: brainalign compare RUN RUN... --out DIR [--hierarchy H] [--force]

                    Writes DIR/comparison.csv (one row per run: slope, b0, b1, mean score, mean depth per
                    ROI) and DIR/comparison-depth.png/.svg, DIR/comparison-alignment.png/.svg.
                    DIR must be new or empty unless --force is given, and never holds or lies in a run.
                    """ + HIERARCHY_HELP;
        }

        @Override
        public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
            Arguments args = Arguments.parse(name(), argList, Set.of("out", "hierarchy"), Set.of("force"));
            if (args.positional().size() < 2) {
                throw new UsageException(name() + ": expected at least two RUN folders");
            }
            Path dir = args.outputFolder("out", args.positional().stream().map(Path::of).toArray(Path[]::new));
            List<RunFolder> runs = new ArrayList<>();
            for (String p : args.positional()) {
                runs.add(RunFolder.open(Path.of(p)));
            }
            ModelComparison comparison = RunAnalysis.compare(runs, hierarchy(args), dir);
            List<Path> written = new ArrayList<>(List.of(dir.resolve("comparison.csv")));
            written.addAll(FigureFormat.writeAll(dir, "comparison-depth", org.brainalign.charts.ModelComparisonChart
                    .meanDepth("Mean layer depth per ROI", comparison,
                            org.brainalign.charts.ModelComparisonChart.Style.LINES)));
            written.addAll(FigureFormat.writeAll(dir, "comparison-alignment",
                    org.brainalign.charts.ModelComparisonChart.alignment("Brain-network alignment", comparison)));
            listWritten(out, written);
            return CommandLine.OK;
        }
    }

    /** {@code brainalign render RUN --chart NAME --format png|svg}. */
    static final class Render implements Command {

        @Override
        public String name() {
            return "render";
        }

        @Override
        public String summary() {
            return "draw one chart of a run into its charts/ folder";
        }

        @Override
        public String usage() {
            return "Usage: brainalign render RUN --chart NAME [--format png|svg] [--rois R1,...] [--hierarchy H]\n\n"
                    + "Charts: " + RunChart.names() + "\n"
                    + "Writes RUN/charts/NAME.FORMAT (default png) and its numbers to RUN/tables/chart-NAME.csv.\n";
        }

        @Override
        public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
            Arguments args = Arguments.parse(name(), argList, Set.of("chart", "format", "rois", "hierarchy"),
                    Set.of());
            args.expectPositional(1, "one RUN folder");
            String name = args.require("chart");
            RunChart chart = RunChart.of(name).orElseThrow(() -> new UsageException(name() + ": unknown chart '"
                    + name + "'; the charts are " + RunChart.names()));
            String format = args.get("format", "png");
            if (!format.equals("png") && !format.equals("svg")) {
                throw new UsageException(name() + ": --format must be png or svg, got '" + format + "'");
            }
            RunFolder run = RunFolder.open(Path.of(args.positional().get(0)));
            SelectorSummary summary = RunAnalysis.summarize(run, rois(args, run), hierarchy(args));
            var figure = RunCharts.figure(run, summary, chart);
            if (figure == null) {
                throw new IllegalStateException(run.folder() + " has nothing to draw as " + name
                        + (chart == RunChart.TRAINING_CURVE ? " (no " + RunFolder.TRAINING_CURVE + ")" : ""));
            }
            listWritten(out, RunCharts.save(run, chart, figure, List.of(format)));
            return CommandLine.OK;
        }
    }

    /** {@code brainalign report RUN [RUN2 ...]}. */
    static final class Report implements Command {

        private static final String DEFAULT_REPORT = "report.html";

        private static List<Path> entriesExcept(Path folder, String name) throws java.io.IOException {
            try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(folder)) {
                return s.filter(p -> !p.getFileName().toString().equals(name)).toList();
            }
        }

        @Override
        public String name() {
            return "report";
        }

        @Override
        public String summary() {
            return "write one self-contained HTML report of one or more runs (charts inlined)";
        }

        @Override
        public String usage() {
            return """
                    Usage: brainalign report RUN [RUN2 ...] [--out REPORT.html] [--hierarchy H] [--force]

                    One HTML file with everything inlined (charts, tables, inputs and their hashes, the
                    software version), to mail to a colleague. With two runs of the same voxels it adds
                    their drift; with several, a comparison. Default output: RUN/report.html (replaced
                    when it exists); an existing --out file is replaced only with --force, never a run's file.
                    """ + HIERARCHY_HELP;
        }

        @Override
        public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
            Arguments args = Arguments.parse(name(), argList, Set.of("out", "hierarchy"), Set.of("force"));
            if (args.positional().isEmpty()) {
                throw new UsageException(name() + ": expected at least one RUN folder");
            }
            List<RunFolder> runs = new ArrayList<>();
            for (String p : args.positional()) {
                runs.add(RunFolder.open(Path.of(p)));
            }
            Path html;
            if (args.has("out")) {
                html = args.outputFile("out", runs.stream().map(RunFolder::folder).toArray(Path[]::new));
            } else {
                // the default report in the first run is the one file of a run this command owns
                html = runs.get(0).folder().resolve(DEFAULT_REPORT);
                List<Path> inputs = new ArrayList<>();
                for (RunFolder run : runs) {
                    inputs.addAll(run.folder().equals(runs.get(0).folder())
                            ? entriesExcept(run.folder(),
                                    DEFAULT_REPORT)
                            : List.of(run.folder()));
                }
                OutputTarget.checkFile(html, true, inputs);
            }
            RunReport.write(html, runs, hierarchy(args), new RunCharts(), BrainAlignVersion.get(),
                    CommandLine.progress(err));
            listWritten(out, List.of(html));
            return CommandLine.OK;
        }
    }
}
