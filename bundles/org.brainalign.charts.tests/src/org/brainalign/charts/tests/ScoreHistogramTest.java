package org.brainalign.charts.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.brainalign.charts.ChartFigure;
import org.brainalign.charts.ChartRendering;
import org.brainalign.charts.ScoreHistogram;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.junit.jupiter.api.Test;

/** The score histogram counts planted scores into the right bins and marks their median. */
public class ScoreHistogramTest {

    @Test
    public void plantedScoresLandInTheirBins() {
        // range 0..1 in 4 bins of 0.25: 0 and 0.1 -> bin 0; 0.25 -> bin 1 (lower edge included); 0.6 -> bin 2;
        // 1.0 -> bin 3 (the last bin includes its upper edge); 1.5 and -0.2 are outside; NaN has no score
        double[] scores = { 0, 0.1, 0.25, 0.6, 1.0, 1.5, -0.2, Double.NaN };
        ChartFigure figure = ScoreHistogram.create("R2", "R²", scores, 4, 0, 1);
        List<List<String>> csv = ChartTestSupport.parseCsv(figure.csv());
        assertEquals(List.of("bin_low", "bin_high", "count"), csv.get(0));
        assertEquals(List.of("0.0", "0.25", "2"), csv.get(1));
        assertEquals(List.of("0.25", "0.5", "1"), csv.get(2));
        assertEquals(List.of("0.5", "0.75", "1"), csv.get(3));
        assertEquals(List.of("0.75", "1.0", "1"), csv.get(4));
        XYPlot plot = (XYPlot) figure.chart().getPlot();
        assertEquals(2, plot.getDataset().getYValue(0, 0), 0);
        assertEquals(0.125, plot.getDataset().getXValue(0, 0), 0);
        String svg = ChartRendering.svg(figure, 600, 400);
        assertTrue(svg.contains("7 voxels; 1 without a score; 2 outside the range shown"), "subtitle counts");
    }

    @Test
    public void medianIsMarkedWhereItIs() {
        // sorted: -0.2 0 0.1 0.25 0.6 1.0 1.5 -> odd count, the middle is 0.25
        double[] odd = { 0, 0.1, 0.25, 0.6, 1.0, 1.5, -0.2, Double.NaN };
        assertEquals(0.25, ScoreHistogram.median(odd), 0);
        // even count: mean of the two middle values 0.1 and 0.25
        assertEquals(0.175, ScoreHistogram.median(new double[] { 0.6, 0.1, -0.2, 0.25 }), 1e-15);
        ChartFigure figure = ScoreHistogram.create("R2", "R²", odd);
        XYPlot plot = (XYPlot) figure.chart().getPlot();
        ValueMarker marker = (ValueMarker) plot.getDomainMarkers(Layer.FOREGROUND).iterator().next();
        assertEquals(0.25, marker.getValue(), 0);
        List<String> texts = ChartTestSupport.texts(ChartTestSupport.parseSvg(ChartRendering.svg(figure, 600, 400)));
        assertTrue(texts.contains("median 0.250"), texts.toString());
        assertTrue(texts.contains("R²"), "the axis names the score: " + texts);
        // default range: from the smallest to the largest score, every finite score counted once
        int total = 0;
        for (List<String> row : ChartTestSupport.parseCsv(figure.csv()).subList(1, ScoreHistogram.DEFAULT_BINS + 1)) {
            total += Integer.parseInt(row.get(2));
        }
        assertEquals(7, total);
    }

    @Test
    public void noScoreOrBadBinsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> ScoreHistogram.create("t", "r", new double[] { Double.NaN }));
        assertThrows(IllegalArgumentException.class,
                () -> ScoreHistogram.create("t", "r", new double[] { 0.1 }, 0, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> ScoreHistogram.create("t", "r", new double[] { 0.1 }, 10, 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> ScoreHistogram.create("t", "r", new double[] { Double.POSITIVE_INFINITY }));
    }
}
