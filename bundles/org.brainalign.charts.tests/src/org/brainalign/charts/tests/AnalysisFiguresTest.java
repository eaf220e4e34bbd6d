package org.brainalign.charts.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.brainalign.charts.AlignmentChart;
import org.brainalign.charts.ChartFigure;
import org.brainalign.charts.ChartRendering;
import org.brainalign.charts.DriftChart;
import org.brainalign.charts.LayerPreferenceChart;
import org.brainalign.charts.ModelComparisonChart;
import org.brainalign.core.analysis.Drift;
import org.brainalign.core.analysis.Hierarchy;
import org.brainalign.core.analysis.ModelComparison;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.core.data.Roi;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.CategoryDataset;
import org.junit.jupiter.api.Test;

/**
 * The charts fed by the analysis of core, on planted selector maps whose answers are known in closed form: V1's voxels
 * put all their weight on the first of 4 layers (depth 0), FFA's on the last (depth 1), OPA has no voxels. Along the
 * standard hierarchy (V1 at t = 0, FFA at t = 1) the alignment line is exactly depth = t: slope 1, b0 0, b1 1.
 */
public class AnalysisFiguresTest {

    private static final int LAYERS = 4;

    /** Voxels 0-2 in V1 on layer `early`, voxels 3-5 in FFA on layer `late`. */
    private static SelectorMaps maps(int early, int late) {
        float[][] w = new float[6][LAYERS];
        for (int n = 0; n < 6; n++) {
            w[n][n < 3 ? early : late] = 1;
        }
        float[] zero = new float[6];
        return SelectorMaps.of(w, zero, zero, zero, null, null);
    }

    private static List<Roi> rois() {
        return List.of(new Roi("V1", new int[] { 0, 1, 2 }), new Roi("OPA", new int[0]),
                new Roi("FFA", new int[] { 3, 4, 5 }));
    }

    private static SelectorSummary summary(String label, int early, int late) {
        return SelectorSummary.of(label, maps(early, late), rois(), Hierarchy.standard());
    }

    @Test
    public void layerPreferenceOfRoiSummariesLeavesEmptyRoisOut() {
        ChartFigure figure = LayerPreferenceChart.create("Layer preference", summary("CLIP", 0, 3).rois());
        CategoryDataset data = ((CategoryPlot) figure.chart().getPlot()).getDataset();
        assertEquals(List.of("V1", "FFA"), data.getColumnKeys());
        assertEquals(1.0, data.getValue("layer 1", "V1").doubleValue(), 0);
        assertEquals(1.0, data.getValue("layer 4", "FFA").doubleValue(), 0);
        assertEquals(0.0, data.getValue("layer 1", "FFA").doubleValue(), 0);
    }

    @Test
    public void alignmentOfTheAnalysisIsTheLineDepthEqualsT() {
        ChartFigure figure = AlignmentChart.create("Alignment", summary("CLIP", 0, 3).alignment());
        XYPlot plot = (XYPlot) figure.chart().getPlot();
        assertEquals(0, plot.getDataset(1).getYValue(0, 0), 1e-12);
        assertEquals(1, plot.getDataset(1).getYValue(0, 1), 1e-12);
        assertEquals(2, plot.getDataset(0).getItemCount(0), "V1 and FFA; OPA has no voxels");
        assertTrue(ChartRendering.svg(figure, 640, 480).contains("slope 1.000,  b0 0.000,  b1 1.000"));
    }

    @Test
    public void driftOfTheAnalysisShowsBothFitsPerRoi() {
        // after fine-tuning, V1 moves from layer 1 to layer 2 (depth 0 -> 1/3); FFA stays on layer 4
        Drift drift = Drift.between("CLIP", maps(0, 3), "CLIP-ft", maps(1, 3), rois(), Hierarchy.standard());
        ChartFigure figure = DriftChart.create("Drift", drift);
        CategoryDataset data = ((CategoryPlot) figure.chart().getPlot()).getDataset();
        assertEquals(List.of("CLIP", "CLIP-ft"), data.getRowKeys());
        assertEquals(List.of("V1", "OPA", "FFA"), data.getColumnKeys(), "the ROIs, not the row over all voxels");
        assertEquals(0, data.getValue("CLIP", "V1").doubleValue(), 1e-12);
        assertEquals(1 / 3.0, data.getValue("CLIP-ft", "V1").doubleValue(), 1e-12);
        // the line after: through (0, 1/3) and (1, 1): slope 2/3
        assertTrue(ChartRendering.svg(figure, 640, 480)
                .contains("alignment slope 1.000 → 0.667,  b0 0.000 → 0.333,  b1 1.000 → 1.000"));
        assertEquals(List.of("V1", "0.0", "0.3333333333333333", "0.3333333333333333"),
                ChartTestSupport.parseCsv(figure.csv()).get(1));
    }

    @Test
    public void comparisonOfTheAnalysisGivesOneSeriesPerFit() {
        ModelComparison comparison = ModelComparison.of(List.of(summary("CLIP", 0, 3), summary("MAE", 1, 2),
                summary("CLIP", 0, 0)));
        CategoryDataset depth = ((CategoryPlot) ModelComparisonChart
                .meanDepth("Depth", comparison, ModelComparisonChart.Style.BARS).chart().getPlot()).getDataset();
        assertEquals(List.of("CLIP", "MAE", "CLIP (2)"), depth.getRowKeys(), "a repeated label is told apart");
        assertEquals(2 / 3.0, depth.getValue("MAE", "FFA").doubleValue(), 1e-12);
        CategoryDataset alignment = ((CategoryPlot) ModelComparisonChart.alignment("Alignment", comparison).chart()
                .getPlot()).getDataset();
        assertEquals(List.of("slope", "b0", "b1"), alignment.getColumnKeys());
        // MAE: V1 at depth 1/3, FFA at 2/3: slope 1/3
        assertEquals(1 / 3.0, alignment.getValue("MAE", "slope").doubleValue(), 1e-12);
        assertEquals(1.0, alignment.getValue("CLIP", "b1").doubleValue(), 1e-12);
    }
}
