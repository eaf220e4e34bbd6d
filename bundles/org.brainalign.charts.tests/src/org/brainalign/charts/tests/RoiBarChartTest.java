package org.brainalign.charts.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import org.brainalign.charts.ChartRendering;
import org.brainalign.charts.RoiBarChart;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.data.category.CategoryDataset;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** A ROI bar chart renders headless to PNG and SVG files that decode, with the size asked for and the bars drawn. */
public class RoiBarChartTest {

    private static final int BAR_RGB = 0x3B4CC0;

    private static Map<String, Double> depths() {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("V1", 0.1);
        v.put("V2", 0.2);
        v.put("hV4", 0.45);
        v.put("FFA", 0.9);
        v.put("PPA", Double.NaN); // no voxels: left out
        return v;
    }

    @Test
    public void datasetKeepsRoiOrderAndDropsMissingValues() {
        JFreeChart chart = RoiBarChart.create("Mean layer depth", "depth", depths());
        CategoryDataset data = ((CategoryPlot) chart.getPlot()).getDataset();
        assertEquals(4, data.getColumnCount());
        assertEquals("V1", data.getColumnKey(0));
        assertEquals("FFA", data.getColumnKey(3));
        assertEquals(0.45, data.getValue(0, 2).doubleValue(), 0);
    }

    @Test
    public void pngDecodesAtTheRequestedSizeWithBarsInOrderOfValue() throws Exception {
        byte[] png = ChartRendering.png(RoiBarChart.create("Mean layer depth", "depth", depths()), 640, 400);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(640, image.getWidth());
        assertEquals(400, image.getHeight());
        // the bar colour must be present, and a tall bar (FFA, 0.9) covers more pixels than a short one (V1, 0.1):
        // compare bar-coloured pixel counts in the left and right quarters of the plot
        int left = 0, right = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == BAR_RGB) {
                    if (x < image.getWidth() / 3) {
                        left++;
                    } else if (x > 2 * image.getWidth() / 3) {
                        right++;
                    }
                }
            }
        }
        assertTrue(left > 0, "no bar pixels on the left");
        assertTrue(right > 4 * left, "FFA's bar should be far taller than V1's: " + left + " vs " + right);
    }

    @Test
    public void svgIsWellFormedWithTheSizeAskedForAndTheBarsAndLabelsOfThePng() throws Exception {
        JFreeChart chart = RoiBarChart.create("Mean layer depth", "depth", depths());
        String svg = ChartRendering.svg(chart, 640, 400);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        Element root = doc.getDocumentElement();
        assertEquals("svg", root.getTagName());
        assertEquals("640", root.getAttribute("width"));
        assertEquals("400", root.getAttribute("height"));
        assertEquals("0 0 640 400", root.getAttribute("viewBox"));
        assertTrue(svg.contains("rgb(59,76,192)") || svg.contains("#3b4cc0"), "bars in the bar colour");
        assertTrue(svg.contains(">FFA<"), "ROI names as text");
        // one bar per ROI with a value, as in the PNG (PPA has none)
        int bars = 0;
        var paths = doc.getElementsByTagName("path");
        for (int i = 0; i < paths.getLength(); i++) {
            if ("#3b4cc0".equals(((Element) paths.item(i)).getAttribute("fill"))) {
                bars++;
            }
        }
        assertEquals(4, bars);
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(ChartRendering.png(chart, 640, 400)));
        int barPixels = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                barPixels += (png.getRGB(x, y) & 0xFFFFFF) == BAR_RGB ? 1 : 0;
            }
        }
        assertTrue(barPixels > 0, "the PNG shows the same bar colour");
    }

    @Test
    public void emptyDataAndAbsurdSizesAreRefused() {
        Map<String, Double> none = Map.of("V1", Double.NaN);
        assertThrows(IllegalArgumentException.class, () -> RoiBarChart.create("t", "v", none));
        JFreeChart chart = RoiBarChart.create("t", "v", depths());
        assertThrows(IllegalArgumentException.class, () -> ChartRendering.png(chart, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> ChartRendering.png(chart, 200_000, 200_000));
    }
}
