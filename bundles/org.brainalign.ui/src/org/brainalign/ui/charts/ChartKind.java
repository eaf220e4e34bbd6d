package org.brainalign.ui.charts;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.brainalign.charts.DriftChart;
import org.brainalign.charts.Figure;
import org.brainalign.charts.ModelComparisonChart;
import org.brainalign.io.run.RunChart;
import org.brainalign.io.run.RunFolder;
import org.brainalign.ui.runs.LoadedRun;
import org.brainalign.ui.runs.RunContext;
import org.brainalign.workflow.RunCharts;
import org.brainalign.workflow.analysis.RunAnalysis;

/**
 * A chart kind is one of the chart views: what it shows, which part of the run context it follows, and how its
 * figure is drawn by the shared chart set ({@link RunCharts}, the charts bundle), exactly as the command line draws
 * it.
 */
public enum ChartKind {

    /** The share of each ROI's voxels preferring each layer, of the followed run. */
    LAYER_PREFERENCE("org.brainalign.ui.charts.layerPreference", "layer-preference"),
    /** Mean layer depth against the hierarchy, with the alignment line, of the followed run. */
    ALIGNMENT("org.brainalign.ui.charts.alignment", "alignment"),
    /** Mean depth per ROI before and after, of the pair chosen with Compare with... */
    DRIFT("org.brainalign.ui.charts.drift", "drift"),
    /** Mean depth per ROI, one line per run, of the runs selected together. */
    MODEL_COMPARISON("org.brainalign.ui.charts.modelComparison", "comparison-depth"),
    /** Training and validation loss per epoch, of the followed run. */
    TRAINING_CURVE("org.brainalign.ui.charts.trainingCurve", "training-curve");

    private final String viewId;
    private final String fileStem;

    ChartKind(String viewId, String fileStem) {
        this.viewId = viewId;
        this.fileStem = fileStem;
    }

    /** @return the id of its view */
    public String viewId() {
        return viewId;
    }

    /** @return the name its exports get by default, the chart's name on the command line */
    public String fileStem() {
        return fileStem;
    }

    /**
     * @param viewId a view id
     * @return the kind of chart that view shows
     */
    public static Optional<ChartKind> ofView(String viewId) {
        for (ChartKind k : values()) {
            if (k.viewId.equals(viewId)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /**
     * What the chart is drawn from in a state: equal sources give the same chart, so it is not drawn again.
     *
     * @param state the run context's state
     * @return the runs it shows, in order (empty when there is nothing to show)
     */
    public List<LoadedRun> source(RunContext.State state) {
        return switch (this) {
            case LAYER_PREFERENCE, ALIGNMENT, TRAINING_CURVE -> state.run() == null
                    ? List.of()
                    : List.of(state.run());
            case DRIFT -> state.before() == null ? List.of() : List.of(state.before(), state.after());
            case MODEL_COMPARISON -> state.compared();
        };
    }

    /**
     * Says why there is nothing to show.
     *
     * @param state the run context's state
     * @return the sentence shown in place of the chart
     */
    public String nothingToShow(RunContext.State state) {
        return switch (this) {
            case DRIFT -> state.driftProblem() != null
                    ? state.driftProblem()
                    : "Right-click a run folder and choose Compare with... to see how another run of the same voxels"
                            + " differs from it.";
            case MODEL_COMPARISON -> "Select one or more run folders in the Project Explorer to compare them.";
            default -> state.runProblem() != null
                    ? state.runProblem()
                    : "Select a run folder in the Project Explorer, or open a run's map in the viewer.";
        };
    }

    /**
     * Draws the chart of some runs (those {@link #source} gave).
     *
     * @param runs the runs, at least one
     * @return the figure, or empty when the runs lack what it shows (e.g. a run without a training curve)
     * @throws IOException if a run's files cannot be read, or two runs cannot be compared (the message says why)
     */
    public Optional<Figure> draw(List<LoadedRun> runs) throws IOException {
        LoadedRun first = runs.get(0);
        return switch (this) {
            case LAYER_PREFERENCE -> Optional.ofNullable(RunCharts.figure(first.run(), first.summary(),
                    RunChart.LAYER_PREFERENCE));
            case ALIGNMENT -> Optional.ofNullable(RunCharts.figure(first.run(), first.summary(),
                    RunChart.ALIGNMENT));
            case TRAINING_CURVE -> Optional.ofNullable(RunCharts.figure(first.run(), first.summary(),
                    RunChart.TRAINING_CURVE));
            case DRIFT -> Optional.of(DriftChart.create("Fine-tuning drift",
                    RunAnalysis.drift(first.run(), runs.get(1).run(), null, null)));
            case MODEL_COMPARISON -> Optional.of(ModelComparisonChart.meanDepth("Mean layer depth per ROI",
                    RunAnalysis.compare(runs.stream().map(LoadedRun::run).toList(), null, null),
                    ModelComparisonChart.Style.LINES));
        };
    }

    /**
     * @param run a run
     * @return why this chart has nothing to show for it although it could be read
     */
    public String missing(RunFolder run) {
        return this == TRAINING_CURVE
                ? "Run '" + run.label() + "' has no training curve (" + RunFolder.TRAINING_CURVE + ")."
                : "Run '" + run.label() + "' has nothing to show in this chart.";
    }
}
