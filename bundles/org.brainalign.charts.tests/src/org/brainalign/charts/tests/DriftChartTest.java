package org.brainalign.charts.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;

import org.brainalign.charts.ChartFigure;
import org.brainalign.charts.ChartRendering;
import org.brainalign.charts.ChartStyle;
import org.brainalign.charts.DriftChart;
import org.brainalign.charts.DriftChart.RoiDepths;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.data.category.CategoryDataset;
import org.junit.jupiter.api.Test;

/** Drift per ROI: paired bars of the depths given, and a CSV that adds the shift. */
public class DriftChartTest {

    private static List<RoiDepths> rois() {
        return List.of(new RoiDepths("V1", 0.125, 0.25), new RoiDepths("FFA", 0.75, 0.5),
                new RoiDepths("PPA", Double.NaN, 0.625));
    }

    @Test
    public void datasetAndCsvHoldTheDepthsAndShift() {
        ChartFigure figure = DriftChart.create("Drift", "CLIP", "CLIP, fine-tuned", rois());
        CategoryDataset data = ((CategoryPlot) figure.chart().getPlot()).getDataset();
        assertEquals(List.of("CLIP", "CLIP, fine-tuned"), data.getRowKeys());
        assertEquals(0.125, data.getValue("CLIP", "V1").doubleValue(), 0);
        assertEquals(0.5, data.getValue("CLIP, fine-tuned", "FFA").doubleValue(), 0);
        assertNull(data.getValue("CLIP", "PPA"), "a missing depth leaves a gap");
        List<List<String>> csv = ChartTestSupport.parseCsv(figure.csv());
        assertEquals(List.of("roi", "CLIP", "CLIP, fine-tuned", "shift"), csv.get(0));
        assertEquals(List.of("V1", "0.125", "0.25", "0.125"), csv.get(1));
        assertEquals(List.of("FFA", "0.75", "0.5", "-0.25"), csv.get(2));
        assertEquals(List.of("PPA", "", "0.625", ""), csv.get(3));
    }

    @Test
    public void bothFitsAppearInTheirColoursAndTheLegendNamesThem() {
        ChartFigure figure = DriftChart.create("Drift", "before", "after", rois());
        BufferedImage png = ChartTestSupport.decodePng(ChartRendering.png(figure, 600, 400));
        int before = ChartStyle.runColor(0).getRGB() & 0xFFFFFF;
        int after = ChartStyle.runColor(1).getRGB() & 0xFFFFFF;
        // FFA before (0.75) is a taller bar than FFA after (0.5), V1 the other way: compare pixel counts per half
        int beforeLeft = ChartTestSupport.count(png, before, 0, 60, 250, 400);
        int afterLeft = ChartTestSupport.count(png, after, 0, 60, 250, 400);
        int beforeMiddle = ChartTestSupport.count(png, before, 250, 60, 420, 400);
        int afterMiddle = ChartTestSupport.count(png, after, 250, 60, 420, 400);
        assertTrue(afterLeft > 1.5 * beforeLeft, "V1 after (0.25) is twice V1 before (0.125)");
        assertTrue(beforeMiddle > 1.2 * afterMiddle, "FFA before (0.75) is 1.5 times FFA after (0.5)");
        List<String> texts = ChartTestSupport.texts(ChartTestSupport.parseSvg(ChartRendering.svg(figure, 600, 400)));
        assertTrue(texts.containsAll(List.of("before", "after", "V1", "FFA", "PPA")), texts.toString());
    }

    @Test
    public void repeatedRoisAndSameNamesAreRefused() {
        List<RoiDepths> twice = List.of(new RoiDepths("V1", 0.1, 0.2), new RoiDepths("V1", 0.3, 0.4));
        assertThrows(IllegalArgumentException.class, () -> DriftChart.create("t", "a", "b", twice));
        assertThrows(IllegalArgumentException.class, () -> DriftChart.create("t", "a", "a", rois()));
        assertThrows(IllegalArgumentException.class, () -> DriftChart.create("t", "a", "b", List.of()));
    }
}
