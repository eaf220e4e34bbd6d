package org.brainalign.charts.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;

import org.brainalign.charts.AlignmentChart;
import org.brainalign.charts.AlignmentChart.Point;
import org.brainalign.charts.ChartFigure;
import org.brainalign.charts.ChartRendering;
import org.brainalign.charts.ChartStyle;
import org.brainalign.core.analysis.Alignment;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;

/** The alignment scatter: its least-squares line against closed forms, and the points and line it draws. */
public class AlignmentChartTest {

    private static List<Point> rois() {
        return List.of(new Point("V1", 0, 0.1), new Point("hV4", 0.5, 0.5), new Point("FFA", 1, 0.6));
    }

    @Test
    public void lineThroughThePointsIsTheLeastSquaresLineWorkedByHand() {
        // mean t 0.5, mean depth 0.4; sum (t - 0.5)^2 = 0.5; sum (t - 0.5)(d - 0.4) = 0.15 + 0.1 = 0.25:
        // slope 0.5, b0 0.4 - 0.5 * 0.5 = 0.15, b1 0.65
        XYPlot plot = (XYPlot) AlignmentChart.create("Alignment", rois()).chart().getPlot();
        XYDataset line = plot.getDataset(1);
        assertEquals(0, line.getXValue(0, 0), 0);
        assertEquals(0.15, line.getYValue(0, 0), 1e-15);
        assertEquals(1, line.getXValue(0, 1), 0);
        assertEquals(0.65, line.getYValue(0, 1), 1e-15);
    }

    @Test
    public void labelsOfNeighbouringRoisDoNotPrintOverEachOther() {
        // the standard hierarchy puts V2 and V3 next to each other and EBA, FFA and PPA all at t = 1, at close depths
        List<Point> points = List.of(new Point("V1", 0, 0.2), new Point("V2", 0.1, 0.31), new Point("V3", 0.2, 0.3),
                new Point("EBA", 1, 0.71), new Point("FFA", 1, 0.7), new Point("PPA", 1, 0.72),
                new Point("hV4", 0.5, 0.5));
        double[] at = AlignmentChart.labelDepths(points);
        for (int a = 0; a < points.size(); a++) {
            assertTrue(Math.abs(at[a] - points.get(a).depth()) <= AlignmentChart.LABEL_GAP * points.size(),
                    points.get(a).label() + " stays near its point");
            for (int b = a + 1; b < points.size(); b++) {
                if (Math.abs(points.get(a).t() - points.get(b).t()) <= AlignmentChart.NEIGHBOURS) {
                    assertTrue(Math.abs(at[a] - at[b]) >= AlignmentChart.LABEL_GAP - 1e-12,
                            points.get(a).label() + " and " + points.get(b).label() + " overlap: " + at[a] + ", "
                                    + at[b]);
                }
            }
        }
        // a lone label stays at its point; a spread group keeps its order by depth and its centre
        assertEquals(0.5, at[6], 0);
        assertTrue(at[4] < at[3] && at[3] < at[5]);
        assertEquals((0.71 + 0.7 + 0.72) / 3, (at[3] + at[4] + at[5]) / 3, 1e-12);
        // the labels drawn are those annotations, so the SVG prints each name once
        List<String> texts = ChartTestSupport.texts(ChartTestSupport.parseSvg(
                ChartRendering.svg(AlignmentChart.create("Alignment", points), 640, 520)));
        for (Point p : points) {
            assertEquals(1, texts.stream().filter(p.label()::equals).count(), p.label() + " in " + texts);
        }
    }

    @Test
    public void pointsAtOneHierarchyPositionGetNoLine() {
        ChartFigure figure = AlignmentChart.create("t",
                List.of(new Point("a", 0.5, 0.1), new Point("b", 0.5, 0.9)));
        assertEquals(0, ((XYPlot) figure.chart().getPlot()).getDataset(1).getItemCount(0));
        assertTrue(ChartRendering.svg(figure, 500, 400).contains("no line"));
        assertEquals("", ChartTestSupport.parseCsv(figure.csv()).get(1).get(3), "no fitted depth without a line");
    }

    @Test
    public void subtitleDatasetAndCsvShowTheNumbers() {
        ChartFigure figure = AlignmentChart.create("Alignment", rois());
        String svg = ChartRendering.svg(figure, 640, 480);
        assertTrue(svg.contains("slope 0.500,  b0 0.150,  b1 0.650"), "the fit is printed under the title");
        List<String> texts = ChartTestSupport.texts(ChartTestSupport.parseSvg(svg));
        assertTrue(texts.containsAll(List.of("V1", "hV4", "FFA")), "ROI labels beside the points: " + texts);
        XYPlot plot = (XYPlot) figure.chart().getPlot();
        XYDataset points = plot.getDataset(0);
        XYDataset line = plot.getDataset(1);
        assertEquals(3, points.getItemCount(0));
        assertEquals(0.5, points.getXValue(0, 1), 0);
        assertEquals(0.15, line.getYValue(0, 0), 1e-15);
        assertEquals(0.65, line.getYValue(0, 1), 1e-15);
        List<List<String>> csv = ChartTestSupport.parseCsv(figure.csv());
        assertEquals(List.of("label", "t", "depth", "fit"), csv.get(0));
        assertEquals(List.of("hV4", "0.5", "0.5"), csv.get(2).subList(0, 3));
        // the fitted depth is computed, b0 + slope * t: exact to rounding
        assertEquals(0.4, ChartTestSupport.number(csv.get(2).get(3)), 1e-15);
        assertEquals(0.1, ChartTestSupport.number(csv.get(1).get(2)), 0);
    }

    @Test
    public void anAlignmentOfTheAnalysisShowsItsRoiMeansAndItsVoxelLine() {
        // the line is the analysis' (fitted over voxels), not one through the ROI means; an empty ROI is left out
        Alignment alignment = new Alignment(0.3, 0.2, 0.5, 1234, 0.25, List.of(
                new Alignment.RoiPoint("V1", 0, 400, 0.1), new Alignment.RoiPoint("OPA", 0.5, 0, Double.NaN),
                new Alignment.RoiPoint("FFA", 1, 834, 0.6)));
        ChartFigure figure = AlignmentChart.create("Alignment", alignment);
        String svg = ChartRendering.svg(figure, 640, 480);
        assertTrue(svg.contains("slope 0.300,  b0 0.200,  b1 0.500  (least squares over 1,234 voxels, R² 0.250)"),
                "the analysis' numbers under the title");
        List<List<String>> csv = ChartTestSupport.parseCsv(figure.csv());
        assertEquals(3, csv.size());
        assertEquals(List.of("FFA", "1.0", "0.6"), csv.get(2).subList(0, 3));
        assertEquals(0.5, ChartTestSupport.number(csv.get(2).get(3)), 1e-15);
    }

    @Test
    public void pngShowsPointsAndLineInTheirColours() {
        BufferedImage png = ChartTestSupport.decodePng(ChartRendering.png(AlignmentChart.create("A", rois()), 640,
                480));
        int points = ChartStyle.runColor(0).getRGB() & 0xFFFFFF;
        int line = ChartStyle.runColor(1).getRGB() & 0xFFFFFF;
        assertTrue(ChartTestSupport.count(png, points, 0, 0, 640, 480) > 3 * 20, "three dots of about 60 pixels");
        assertTrue(ChartTestSupport.count(png, line, 0, 0, 640, 480) > 400, "a 2-pixel line across the plot");
        // the line rises: its pixels in the left quarter lie lower (larger y) than in the right quarter
        assertTrue(meanRow(png, line, 0, 200) > meanRow(png, line, 440, 640));
    }

    private static double meanRow(BufferedImage png, int rgb, int x0, int x1) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            int c = ChartTestSupport.count(png, rgb, x0, y, x1, y + 1);
            sum += c * (double) y;
            n += c;
        }
        return sum / n;
    }

    @Test
    public void pointsMustBeFinite() {
        assertThrows(IllegalArgumentException.class,
                () -> AlignmentChart.create("t", List.of(new Point("V1", Double.NaN, 0.1), new Point("V2", 1, 1))));
        assertThrows(IllegalArgumentException.class, () -> AlignmentChart.create("t", List.of()));
    }
}
