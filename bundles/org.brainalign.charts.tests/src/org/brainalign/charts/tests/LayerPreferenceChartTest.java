package org.brainalign.charts.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.charts.ChartFigure;
import org.brainalign.charts.ChartRendering;
import org.brainalign.charts.LayerColors;
import org.brainalign.charts.LayerPreferenceChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.data.category.CategoryDataset;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** Stacked layer-preference bars: the data shown is the data given, and the layer colours sit where they belong. */
public class LayerPreferenceChartTest {

    private static final int LAYERS = 6;

    /** V1 all first layer, "mid, left" spread (a name with a comma for the CSV), FFA all last layer. */
    private static Map<String, double[]> planted() {
        Map<String, double[]> f = new LinkedHashMap<>();
        f.put("V1", new double[] { 1, 0, 0, 0, 0, 0 });
        f.put("mid, left", new double[] { 0.1, 0.2, 0.3, 0.2, 0.15, 0.05 });
        f.put("FFA", new double[] { 0, 0, 0, 0, 0, 1 });
        return f;
    }

    @Test
    public void datasetAndCsvHoldExactlyTheFractionsGiven() {
        Map<String, double[]> in = planted();
        ChartFigure figure = LayerPreferenceChart.create("Layer preference", in);
        CategoryDataset data = ((CategoryPlot) figure.chart().getPlot()).getDataset();
        assertEquals(LAYERS, data.getRowCount());
        assertEquals(List.of("V1", "mid, left", "FFA"), data.getColumnKeys());
        assertEquals("layer 1", data.getRowKey(0));
        List<List<String>> csv = ChartTestSupport.parseCsv(figure.csv());
        assertEquals(List.of("roi", "layer_1", "layer_2", "layer_3", "layer_4", "layer_5", "layer_6"), csv.get(0));
        assertEquals(4, csv.size());
        int row = 1;
        for (Map.Entry<String, double[]> e : in.entrySet()) {
            assertEquals(e.getKey(), csv.get(row).get(0));
            for (int l = 0; l < LAYERS; l++) {
                assertEquals(e.getValue()[l], ChartTestSupport.number(csv.get(row).get(l + 1)), 0);
                assertEquals(e.getValue()[l], data.getValue(l, row - 1).doubleValue(), 0);
            }
            row++;
        }
        assertTrue(figure.csv().contains("\"mid, left\""), "a name with a comma is quoted");
    }

    @Test
    public void firstLayerColourFillsTheFirstBarAndLastLayerColourTheLast() {
        ChartFigure figure = LayerPreferenceChart.create("Layer preference", planted());
        BufferedImage png = ChartTestSupport.decodePng(ChartRendering.png(figure, 640, 420));
        assertEquals(640, png.getWidth());
        assertEquals(420, png.getHeight());
        int first = LayerColors.layerRgb(0, LAYERS);
        int last = LayerColors.layerRgb(LAYERS - 1, LAYERS);
        // the plot spans roughly x = 60..540 (a legend sits on the right); three bars: V1 left, FFA right
        int leftBlue = ChartTestSupport.count(png, first, 0, 0, 250, 420);
        int leftRed = ChartTestSupport.count(png, last, 0, 0, 250, 420);
        int rightBlue = ChartTestSupport.count(png, first, 400, 0, 560, 420);
        int rightRed = ChartTestSupport.count(png, last, 400, 0, 560, 420);
        // a full bar is about 40 x 300 pixels; the mixed middle bar holds a little of both, in the middle third
        assertTrue(leftBlue > 5000, "V1's bar is the first layer's colour: " + leftBlue);
        assertTrue(rightRed > 5000, "FFA's bar is the last layer's colour: " + rightRed);
        assertTrue(leftRed < 200 && rightBlue < 200, "no red in V1's bar, no blue in FFA's: " + leftRed + ", "
                + rightBlue);
        // within the middle bar, the first layer is at the bottom of the stack and the last at the top
        int[] blueRows = rows(png, first, 250, 400);
        int[] redRows = rows(png, last, 250, 400);
        assertTrue(blueRows[0] > redRows[1], "layer 1 (rows " + blueRows[0] + ".." + blueRows[1]
                + ") sits below layer 6 (rows " + redRows[0] + ".." + redRows[1] + ")");
    }

    /** First and last row at which a colour appears between two columns. */
    private static int[] rows(BufferedImage png, int rgb, int x0, int x1) {
        int top = Integer.MAX_VALUE;
        int bottom = -1;
        for (int y = 0; y < png.getHeight(); y++) {
            if (ChartTestSupport.count(png, rgb, x0, y, x1, y + 1) > 0) {
                top = Math.min(top, y);
                bottom = Math.max(bottom, y);
            }
        }
        return new int[] { top, bottom };
    }

    @Test
    public void legendNamesEveryLayerInSvgAndManyLayersGetAColourBar() {
        ChartFigure figure = LayerPreferenceChart.create("Layer preference", planted());
        Document svg = ChartTestSupport.parseSvg(ChartRendering.svg(figure, 640, 420));
        List<String> texts = ChartTestSupport.texts(svg);
        for (int l = 1; l <= LAYERS; l++) {
            assertTrue(texts.contains("layer " + l), "legend item layer " + l + " in " + texts);
        }
        String markup = ChartRendering.svg(figure, 640, 420);
        assertTrue(markup.contains("fill=\"" + ChartTestSupport.hex(LayerColors.layerRgb(0, LAYERS)) + "\""));
        assertTrue(markup.contains("fill=\"" + ChartTestSupport.hex(LayerColors.layerRgb(LAYERS - 1, LAYERS)) + "\""));

        double[] even = new double[32];
        java.util.Arrays.fill(even, 1 / 32.0);
        ChartFigure many = LayerPreferenceChart.create("32 layers", Map.of("V1", even));
        assertTrue(many.chart().getSubtitle(0) instanceof PaintScaleLegend, "a colour bar for 32 layers");
    }

    @Test
    public void badFractionsAreRefusedNamingTheRoi() {
        Map<String, double[]> sumOff = new LinkedHashMap<>();
        sumOff.put("V2", new double[] { 0.5, 0.4 });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerPreferenceChart.create("t", sumOff));
        assertTrue(e.getMessage().contains("V2"), e.getMessage());
        Map<String, double[]> ragged = new LinkedHashMap<>();
        ragged.put("V1", new double[] { 1, 0 });
        ragged.put("V2", new double[] { 1, 0, 0 });
        assertThrows(IllegalArgumentException.class, () -> LayerPreferenceChart.create("t", ragged));
        assertThrows(IllegalArgumentException.class,
                () -> LayerPreferenceChart.create("t", Map.of("V1", new double[] { 1.5, -0.5 })));
        assertThrows(IllegalArgumentException.class, () -> LayerPreferenceChart.create("t", Map.of()));
    }
}
