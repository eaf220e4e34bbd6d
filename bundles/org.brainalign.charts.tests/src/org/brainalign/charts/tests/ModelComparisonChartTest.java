package org.brainalign.charts.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.charts.ChartFigure;
import org.brainalign.charts.ChartRendering;
import org.brainalign.charts.ChartStyle;
import org.brainalign.charts.ModelComparisonChart;
import org.brainalign.charts.ModelComparisonChart.Style;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.data.category.CategoryDataset;
import org.junit.jupiter.api.Test;

/** Model comparison: one series per run over the union of categories, as bars or lines. */
public class ModelComparisonChartTest {

    private static Map<String, Map<String, Double>> runs() {
        Map<String, Map<String, Double>> runs = new LinkedHashMap<>();
        Map<String, Double> clip = new LinkedHashMap<>();
        clip.put("slope", 0.62);
        clip.put("b0", 0.11);
        clip.put("b1", 0.73);
        Map<String, Double> dino = new LinkedHashMap<>();
        dino.put("slope", 0.41);
        dino.put("b1", Double.NaN);
        dino.put("score \"R2\"", 0.2);
        runs.put("CLIP", clip);
        runs.put("DINOv2", dino);
        return runs;
    }

    @Test
    public void seriesPerRunOverTheUnionOfCategoriesWithGaps() {
        ChartFigure figure = ModelComparisonChart.create("Alignment", "value", runs(), Style.BARS);
        CategoryPlot plot = (CategoryPlot) figure.chart().getPlot();
        CategoryDataset data = plot.getDataset();
        assertEquals(List.of("CLIP", "DINOv2"), data.getRowKeys());
        assertEquals(List.of("slope", "b0", "b1", "score \"R2\""), data.getColumnKeys());
        assertEquals(0.41, data.getValue("DINOv2", "slope").doubleValue(), 0);
        assertNull(data.getValue("DINOv2", "b0"));
        assertNull(data.getValue("DINOv2", "b1"));
        assertTrue(plot.getRenderer() instanceof BarRenderer);
        List<List<String>> csv = ChartTestSupport.parseCsv(figure.csv());
        assertEquals(List.of("category", "CLIP", "DINOv2"), csv.get(0));
        assertEquals(List.of("slope", "0.62", "0.41"), csv.get(1));
        assertEquals(List.of("b0", "0.11", ""), csv.get(2));
        assertEquals(List.of("score \"R2\"", "", "0.2"), csv.get(4));
        assertTrue(figure.csv().contains("\"score \"\"R2\"\"\""), "quotes in a field are doubled inside quotes");
    }

    @Test
    public void linesStyleDrawsEachRunInItsColour() {
        ChartFigure figure = ModelComparisonChart.create("Depth", "mean layer depth", runs(), Style.LINES);
        assertTrue(((CategoryPlot) figure.chart().getPlot()).getRenderer() instanceof LineAndShapeRenderer);
        BufferedImage png = ChartTestSupport.decodePng(ChartRendering.png(figure, 600, 400));
        for (int run = 0; run < 2; run++) {
            int rgb = ChartStyle.runColor(run).getRGB() & 0xFFFFFF;
            assertTrue(ChartTestSupport.count(png, rgb, 0, 0, 600, 400) > 100, "run " + run + " is drawn");
        }
        List<String> texts = ChartTestSupport.texts(ChartTestSupport.parseSvg(ChartRendering.svg(figure, 600, 400)));
        assertTrue(texts.containsAll(List.of("CLIP", "DINOv2", "slope", "b0", "b1")), texts.toString());
    }

    @Test
    public void emptyInputsAndInfinitiesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> ModelComparisonChart.create("t", "v", Map.of(), Style.BARS));
        assertThrows(IllegalArgumentException.class,
                () -> ModelComparisonChart.create("t", "v", Map.of("a", Map.of()), Style.BARS));
        assertThrows(IllegalArgumentException.class, () -> ModelComparisonChart.create("t", "v",
                Map.of("a", Map.of("x", Double.POSITIVE_INFINITY)), Style.LINES));
    }
}
