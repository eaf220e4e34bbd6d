package org.brainalign.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.charts.AlignmentChart;
import org.brainalign.charts.BrainFigure;
import org.brainalign.charts.BrainVolume;
import org.brainalign.charts.DriftChart;
import org.brainalign.charts.Figure;
import org.brainalign.charts.LayerPreferenceChart;
import org.brainalign.charts.ModelComparisonChart;
import org.brainalign.charts.ScoreHistogram;
import org.brainalign.charts.TrainingCurveChart;
import org.brainalign.core.VolumeGrid;
import org.brainalign.core.analysis.Drift;
import org.brainalign.core.analysis.ModelComparison;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.io.run.RunChart;
import org.brainalign.io.run.RunFolder;
import org.brainalign.workflow.report.ReportFigure;
import org.brainalign.workflow.report.RunReport;

/**
 * The charts of a run, drawn from its analysis and saved in it: charts/NAME.png and .svg, with the numbers each shows
 * in tables/chart-NAME.csv ({@link RunChart} names them). Also the figures of reports, comparisons and drift.
 */
public final class RunCharts implements RunReport.Charts {

    private static final int WIDTH = 900, HEIGHT = 560;

    /**
     * Draws one chart of a run.
     *
     * @param run the run
     * @param summary its analysis
     * @param chart the chart
     * @return the figure, or null when the run lacks what it shows (e.g. no training curve)
     * @throws IOException if the run's files cannot be read
     */
    public static Figure figure(RunFolder run, SelectorSummary summary, RunChart chart) throws IOException {
        String label = run.label();
        return switch (chart) {
            case LAYER_PREFERENCE -> LayerPreferenceChart.create("Preferred layer per ROI: " + label,
                    summary.rois());
            case ALIGNMENT -> AlignmentChart.create("Brain-network alignment: " + label, summary.alignment());
            case BRAIN -> brain(run, label);
            case R2_HISTOGRAM -> r2(run, label);
            case TRAINING_CURVE -> curve(run.trainingCurveFile(), label);
        };
    }

    /**
     * Draws every chart of a run and saves it in the run folder.
     *
     * @param run the run
     * @param summary its analysis
     * @param formats "png", "svg" or both
     * @return the files written
     * @throws IOException if a file cannot be written
     */
    public static List<Path> save(RunFolder run, SelectorSummary summary, List<String> formats) throws IOException {
        List<Path> written = new ArrayList<>();
        for (RunChart chart : RunChart.values()) {
            Figure f = figure(run, summary, chart);
            if (f != null) {
                written.addAll(save(run, chart, f, formats));
            }
        }
        return written;
    }

    /**
     * Saves one figure in a run folder: the images in charts/ and its numbers in tables/chart-NAME.csv.
     *
     * @param run the run
     * @param chart the chart
     * @param figure the figure
     * @param formats "png", "svg" or both
     * @return the files written
     * @throws IOException if a file cannot be written
     */
    public static List<Path> save(RunFolder run, RunChart chart, Figure figure, List<String> formats)
            throws IOException {
        List<Path> written = new ArrayList<>();
        for (String format : formats) {
            FigureFormat f = switch (format) {
                case "png" -> FigureFormat.PNG;
                case "svg" -> FigureFormat.SVG;
                default -> throw new IllegalArgumentException("unknown chart format '" + format + "': png or svg");
            };
            written.add(FigureFormat.write(figure, run.chartFile(chart.id() + f.extension())));
        }
        written.add(FigureFormat.write(figure, run.tableFile("chart-" + chart.id())));
        return written;
    }

    @Override
    public List<ReportFigure> forRun(RunFolder run, SelectorSummary summary) throws IOException {
        List<ReportFigure> figures = new ArrayList<>();
        for (RunChart chart : RunChart.values()) {
            Figure f = figure(run, summary, chart);
            if (f != null) {
                figures.add(ReportFigure.png(caption(chart), f.png()));
            }
        }
        return figures;
    }

    @Override
    public List<ReportFigure> forComparison(ModelComparison comparison, List<SelectorSummary> summaries) {
        return List.of(
                ReportFigure.png("Mean layer depth per ROI, by run",
                        ModelComparisonChart.meanDepth("Mean layer depth per ROI", comparison,
                                ModelComparisonChart.Style.LINES).png()),
                ReportFigure.png("Alignment (slope, b0, b1), by run",
                        ModelComparisonChart.alignment("Brain-network alignment", comparison).png()));
    }

    @Override
    public List<ReportFigure> forDrift(Drift drift) {
        return List.of(ReportFigure.png("Mean layer depth per ROI before and after",
                driftFigure(drift.before().label(), drift.after().label(), drift).png()));
    }

    /**
     * The drift chart; two runs with the same label are told apart as before and after.
     *
     * @param before the earlier run's label
     * @param after the later run's label
     * @param drift the drift
     * @return the figure
     */
    public static Figure driftFigure(String before, String after, Drift drift) {
        if (!before.equals(after)) {
            return DriftChart.create("Fine-tuning drift", drift);
        }
        List<DriftChart.RoiDepths> rois = drift.rois().stream()
                .map(r -> new DriftChart.RoiDepths(r.roi(), r.meanDepthBefore(), r.meanDepthAfter())).toList();
        return DriftChart.create("Fine-tuning drift", before + " (before)", before + " (after)", rois);
    }

    private static String caption(RunChart chart) {
        return switch (chart) {
            case LAYER_PREFERENCE -> "Distribution of preferred layers per ROI (first layer blue, last red)";
            case ALIGNMENT -> "Mean layer depth against the ROI's position in the visual hierarchy, with the"
                    + " least-squares line";
            case BRAIN -> "The network painted on the brain: preferred layer per voxel, dimmed where uncertain";
            case R2_HISTOGRAM -> "Brain score (R squared on held-out images) of every voxel";
            case TRAINING_CURVE -> "Training and validation loss per epoch";
        };
    }

    private static Figure brain(RunFolder run, String label) throws IOException {
        VolumeGrid grid = run.grid().orElse(null);
        if (grid == null) {
            return null; // surface runs have no volume to slice
        }
        SelectorMaps maps = run.selectors();
        int[] indices = run.voxels().indices();
        float[] layer = nan(grid.voxelCount()), entropy = nan(grid.voxelCount());
        for (int n = 0; n < indices.length; n++) {
            layer[indices[n]] = maps.preferredLayer(n);
            entropy[indices[n]] = (float) maps.entropy(n);
        }
        return BrainFigure.builder(BrainVolume.of(grid, layer), maps.layerCount())
                .optEntropy(BrainVolume.of(grid, entropy)).optTitle("Preferred layer: " + label).build();
    }

    private static Figure r2(RunFolder run, String label) throws IOException {
        SelectorMaps maps = run.selectors();
        double[] scores = new double[maps.voxelCount()];
        int n = 0;
        for (int v = 0; v < scores.length; v++) {
            double r2 = maps.r2(v);
            if (Double.isFinite(r2)) {
                scores[n++] = r2;
            }
        }
        return n == 0
                ? null
                : ScoreHistogram.create("Brain score: " + label, "R squared", java.util.Arrays.copyOf(scores, n));
    }

    private static Figure curve(Path file, String label) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, Integer> column = new LinkedHashMap<>();
        String[] header = lines.get(0).split(",");
        for (int i = 0; i < header.length; i++) {
            column.put(header[i].trim(), i);
        }
        Integer epoch = column.get("epoch"), train = column.get("train_loss"), val = column.get("val_loss");
        if (epoch == null || train == null || val == null || lines.size() < 2) {
            return null;
        }
        int rows = lines.size() - 1;
        double[] x = new double[rows], t = new double[rows], v = new double[rows];
        for (int r = 0; r < rows; r++) {
            String[] cells = lines.get(r + 1).split(",");
            x[r] = Double.parseDouble(cells[epoch]);
            t[r] = Double.parseDouble(cells[train]);
            v[r] = Double.parseDouble(cells[val]);
        }
        return TrainingCurveChart.create("Training curve: " + label,
                new TrainingCurveChart.Losses("epoch", x, t, x, v), true);
    }

    private static float[] nan(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, Float.NaN);
        return a;
    }
}
