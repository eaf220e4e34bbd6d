package org.brainalign.charts.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.GlyphVector;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.charts.AlignmentChart;
import org.brainalign.charts.BrainFigure;
import org.brainalign.charts.BrainVolume;
import org.brainalign.charts.ChartRendering;
import org.brainalign.charts.LayerPreferenceChart;
import org.brainalign.charts.RoiBarChart;
import org.brainalign.charts.SvgGraphics2D;
import org.brainalign.charts.TrainingCurveChart;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.ui.Drawable;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The SVG writer: each Java2D operation is checked against the SVG 1.1 meaning of what it writes (coordinates worked
 * out by hand), and whole charts are drawn back from the SVG ({@link SvgReplay}) and compared with their PNG.
 */
public class SvgGraphics2DTest {

    private static Document doc(SvgGraphics2D g) {
        return ChartTestSupport.parseSvg(g.svgDocument());
    }

    private static Element only(Document d, String name) {
        // definitions (clip paths, gradients) are looked for inside <defs>, drawn elements outside
        boolean definition = name.equals("clipPath") || name.endsWith("Gradient");
        List<Element> e = definition ? ChartTestSupport.elements(d, name) : ChartTestSupport.drawn(d, name);
        assertEquals(1, e.size(), "expected one <" + name + ">");
        return e.get(0);
    }

    @Test
    public void emptyDocumentIsWellFormedSvgOfTheGivenSize() {
        Document d = doc(new SvgGraphics2D(320, 200));
        Element root = d.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
        assertEquals("1.1", root.getAttribute("version"));
        assertEquals("320", root.getAttribute("width"));
        assertEquals("200", root.getAttribute("height"));
        assertEquals("0 0 320 200", root.getAttribute("viewBox"));
    }

    @Test
    public void rectangleUnderTranslationAndClipGivesDeviceCoordinates() {
        SvgGraphics2D g = new SvgGraphics2D(200, 100);
        g.translate(10, 20);
        g.clip(new Rectangle(0, 0, 50, 30));
        g.setPaint(new Color(255, 0, 0, 51));
        g.fill(new Rectangle2D.Double(5, 5, 100, 10.25));
        Document d = doc(g);
        Element path = only(d, "path");
        // the rectangle (5, 5)-(105, 15.25) moved by (10, 20)
        assertEquals("M15 25L115 25L115 35.25L15 35.25L15 25Z", path.getAttribute("d"));
        assertEquals("#ff0000", path.getAttribute("fill"));
        assertEquals(0.2, Double.parseDouble(path.getAttribute("fill-opacity")), 1e-9);
        assertFalse(path.hasAttribute("transform"));
        // the clip (0, 0)-(50, 30) moved by (10, 20), referenced by the group around the path
        Element clipPath = only(d, "clipPath");
        Element clipShape = (Element) clipPath.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path").item(0);
        assertEquals("M10 20L60 20L60 50L10 50L10 20Z", clipShape.getAttribute("d"));
        Element group = (Element) path.getParentNode();
        assertEquals("g", group.getLocalName());
        assertEquals("url(#" + clipPath.getAttribute("id") + ")", group.getAttribute("clip-path"));
    }

    @Test
    public void scaledAndRotatedShapesCarryTheirMatrixAndClipsIntersect() {
        SvgGraphics2D g = new SvgGraphics2D(200, 200);
        g.clip(new Rectangle(10, 10, 100, 100));
        g.clip(new Rectangle2D.Double(50, 0, 100, 80));
        g.translate(100, 50);
        g.rotate(Math.PI / 2);
        g.scale(2, 3);
        g.setColor(Color.BLUE);
        g.fill(new Rectangle2D.Double(1, 2, 3, 4));
        Document d = doc(g);
        Element path = only(d, "path");
        // user coordinates stay as drawn; the element maps them: x' = -3y + 100, y' = 2x + 50
        assertEquals("M1 2L4 2L4 6L1 6L1 2Z", path.getAttribute("d"));
        assertEquals("matrix(0 2 -3 0 100 50)", path.getAttribute("transform"));
        // the clips intersect to (50, 10)-(110, 80)
        Element clipShape = (Element) only(d, "clipPath")
                .getElementsByTagNameNS("http://www.w3.org/2000/svg", "path").item(0);
        assertEquals("M50 10L110 10L110 80L50 80L50 10Z", clipShape.getAttribute("d"));
        // getClip answers in the current user space: the inverse of the transform applied to the device clip
        Rectangle2D user = g.getClip().getBounds2D();
        assertEquals(-20, user.getMinX(), 1e-9);
        assertEquals(15, user.getMaxX(), 1e-9);
        assertEquals(-10 / 3.0, user.getMinY(), 1e-9);
        assertEquals(50 / 3.0, user.getMaxY(), 1e-9);
    }

    @Test
    public void aClipThatIsNoRectangleIsIntersectedExactly() {
        SvgGraphics2D g = new SvgGraphics2D(100, 100);
        g.clip(new Rectangle(0, 0, 50, 100));
        g.clip(new Ellipse2D.Double(0, 0, 100, 100));
        g.fillRect(0, 0, 100, 100);
        Element clipShape = (Element) only(doc(g), "clipPath")
                .getElementsByTagNameNS("http://www.w3.org/2000/svg", "path").item(0);
        Path2D clip = SvgReplay.path(clipShape.getAttribute("d"), clipShape.getAttribute("clip-rule"));
        // the left half of the disc: inside near its left edge, outside right of x = 50 and outside the corner
        assertTrue(clip.contains(2, 50));
        assertTrue(clip.contains(49, 50));
        assertFalse(clip.contains(51, 50));
        assertFalse(clip.contains(5, 5));
        assertEquals(50, clip.getBounds2D().getWidth(), 1e-6);
    }

    @Test
    public void curvesWindingAndStrokeAttributesFollowJava2D() {
        SvgGraphics2D g = new SvgGraphics2D(100, 100);
        Path2D.Double p = new Path2D.Double(Path2D.WIND_EVEN_ODD);
        p.moveTo(0, 0);
        p.quadTo(10, 0, 10, 10);
        p.curveTo(10, 20, 0, 20, 0, 10.5);
        p.closePath();
        g.fill(p);
        g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_BEVEL, 10f,
                new float[] { 4f, 2.5f }, 1.5f));
        g.setColor(new Color(0x3B4CC0));
        g.draw(p);
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_SQUARE, BasicStroke.JOIN_MITER, 7f));
        g.drawLine(0, 0, 5, 5);
        List<Element> paths = ChartTestSupport.drawn(doc(g), "path");
        assertEquals(3, paths.size());
        assertEquals("M0 0Q10 0 10 10C10 20 0 20 0 10.5Z", paths.get(0).getAttribute("d"));
        assertEquals("evenodd", paths.get(0).getAttribute("fill-rule"));
        assertEquals("#000000", paths.get(0).getAttribute("fill"));
        Element stroked = paths.get(1);
        assertEquals("none", stroked.getAttribute("fill"));
        assertEquals("#3b4cc0", stroked.getAttribute("stroke"));
        assertEquals("2.5", stroked.getAttribute("stroke-width"));
        assertEquals("round", stroked.getAttribute("stroke-linecap"));
        assertEquals("bevel", stroked.getAttribute("stroke-linejoin"));
        assertEquals("4,2.5", stroked.getAttribute("stroke-dasharray"));
        assertEquals("1.5", stroked.getAttribute("stroke-dashoffset"));
        Element line = paths.get(2);
        assertEquals("M0 0L5 5", line.getAttribute("d"));
        assertEquals("square", line.getAttribute("stroke-linecap"));
        assertEquals("7", line.getAttribute("stroke-miterlimit"));
        assertFalse(line.hasAttribute("stroke-linejoin"), "miter is SVG's default join");
    }

    @Test
    public void textIsEscapedWithItsFontAndBaseline() {
        SvgGraphics2D g = new SvgGraphics2D(200, 100);
        g.setFont(new Font(Font.SERIF, Font.BOLD | Font.ITALIC, 14));
        g.setColor(new Color(10, 20, 30));
        g.translate(5, 0);
        String s = "a < b & \"c\" > d";
        g.drawString(s, 3, 40.5f);
        g.rotate(-Math.PI / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("up", 0, 0);
        List<Element> texts = ChartTestSupport.elements(doc(g), "text");
        Element t = texts.get(0);
        assertEquals(s, t.getTextContent());
        assertEquals("8", t.getAttribute("x"));
        // SVG's default baseline is the alphabetic one, where Java2D's drawString puts y
        assertEquals("40.5", t.getAttribute("y"));
        assertEquals("serif", t.getAttribute("font-family"));
        assertEquals("14", t.getAttribute("font-size"));
        assertEquals("bold", t.getAttribute("font-weight"));
        assertEquals("italic", t.getAttribute("font-style"));
        assertEquals("#0a141e", t.getAttribute("fill"));
        Element up = texts.get(1);
        assertEquals("matrix(0 -1 1 0 5 0)", up.getAttribute("transform"));
        assertEquals("sans-serif", up.getAttribute("font-family"));
        assertFalse(up.hasAttribute("font-weight"));
    }

    @Test
    public void glyphVectorsBecomeOutlinesOfTheirGlyphs() {
        SvgGraphics2D g = new SvgGraphics2D(200, 100);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 20);
        GlyphVector gv = font.createGlyphVector(g.getFontRenderContext(), "Hi");
        g.drawGlyphVector(gv, 10, 50);
        Document d = doc(g);
        assertTrue(ChartTestSupport.elements(d, "text").isEmpty());
        Element path = only(d, "path");
        Shape expected = gv.getOutline(10, 50);
        Rectangle2D written = SvgReplay.path(path.getAttribute("d"), path.getAttribute("fill-rule")).getBounds2D();
        // coordinates are written to 1/1000 of a unit
        assertEquals(expected.getBounds2D().getMinX(), written.getMinX(), 1e-3);
        assertEquals(expected.getBounds2D().getMaxY(), written.getMaxY(), 1e-3);
    }

    @Test
    public void gradientPaintBecomesALinearGradientDefinition() {
        SvgGraphics2D g = new SvgGraphics2D(100, 100);
        g.translate(10, 0);
        g.setPaint(new GradientPaint(0, 0, Color.RED, 50, 0, new Color(0, 0, 255, 128), true));
        g.fillRect(0, 0, 100, 10);
        g.fillRect(0, 20, 100, 10);
        Document d = doc(g);
        Element gradient = only(d, "linearGradient");
        assertEquals("userSpaceOnUse", gradient.getAttribute("gradientUnits"));
        assertEquals("10", gradient.getAttribute("x1"));
        assertEquals("60", gradient.getAttribute("x2"));
        assertEquals("reflect", gradient.getAttribute("spreadMethod"));
        List<Element> stops = ChartTestSupport.elements(d, "stop");
        assertEquals("#ff0000", stops.get(0).getAttribute("stop-color"));
        assertEquals("#0000ff", stops.get(1).getAttribute("stop-color"));
        assertEquals(128 / 255.0, Double.parseDouble(stops.get(1).getAttribute("stop-opacity")), 1e-3);
        for (Element path : ChartTestSupport.drawn(d, "path")) {
            assertEquals("url(#" + gradient.getAttribute("id") + ")", path.getAttribute("fill"));
        }
    }

    @Test
    public void imagesAreEmbeddedAsPngWithTheirPixels() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        int[] colours = { 0xFF0000, 0x00FF00, 0x0000FF, 0x3B4CC0, 0xB40426, 0xDDDDDD };
        for (int n = 0; n < 6; n++) {
            img.setRGB(n % 3, n / 3, colours[n]);
        }
        SvgGraphics2D g = new SvgGraphics2D(100, 100);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(img, 7, 8, 30, 20, null);
        Element image = only(doc(g), "image");
        assertEquals("3", image.getAttribute("width"));
        assertEquals("2", image.getAttribute("height"));
        assertEquals("matrix(10 0 0 10 7 8)", image.getAttribute("transform"));
        assertTrue(image.getAttribute("style").contains("pixelated"));
        String href = image.getAttributeNS("http://www.w3.org/1999/xlink", "href");
        assertTrue(href.startsWith("data:image/png;base64,"));
        BufferedImage back = ChartTestSupport.decodePng(Base64.getDecoder().decode(href.substring(22)));
        for (int n = 0; n < 6; n++) {
            assertEquals(colours[n], back.getRGB(n % 3, n / 3) & 0xFFFFFF);
        }
    }

    @Test
    public void copiesHaveTheirOwnStateAndShareTheDocument() {
        SvgGraphics2D g = new SvgGraphics2D(100, 100);
        g.setColor(Color.RED);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Graphics2D child = (Graphics2D) g.create();
        child.translate(50, 50);
        child.setColor(Color.GREEN);
        child.clip(new Rectangle(0, 0, 10, 10));
        child.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        child.fillRect(0, 0, 5, 5);
        child.dispose();
        g.fillRect(0, 0, 5, 5);
        assertEquals(Color.RED, g.getColor());
        assertTrue(g.getTransform().isIdentity());
        assertNull(g.getClip());
        assertEquals(RenderingHints.VALUE_ANTIALIAS_ON, g.getRenderingHint(RenderingHints.KEY_ANTIALIASING));
        List<Element> paths = ChartTestSupport.drawn(doc(g), "path");
        assertEquals(2, paths.size());
        assertEquals("M50 50L55 50L55 55L50 55L50 50Z", paths.get(0).getAttribute("d"));
        assertEquals("#00ff00", paths.get(0).getAttribute("fill"));
        assertEquals("crispEdges", paths.get(0).getAttribute("shape-rendering"));
        assertEquals("g", ((Element) paths.get(0).getParentNode()).getLocalName());
        assertEquals("M0 0L5 0L5 5L0 5L0 0Z", paths.get(1).getAttribute("d"));
        assertEquals("#ff0000", paths.get(1).getAttribute("fill"));
        assertEquals("svg", ((Element) paths.get(1).getParentNode()).getLocalName(), "the unclipped path sits "
                + "outside the clip group");
    }

    @Test
    public void fontMetricsAreThoseOfAnImageGraphics() {
        SvgGraphics2D g = new SvgGraphics2D(10, 10);
        BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        Graphics2D reference = image.createGraphics();
        for (Object aa : new Object[] { RenderingHints.VALUE_TEXT_ANTIALIAS_ON,
                RenderingHints.VALUE_TEXT_ANTIALIAS_OFF }) {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, aa);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            reference.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, aa);
            reference.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
            FontMetrics mine = g.getFontMetrics(font);
            FontMetrics theirs = reference.getFontMetrics(font);
            String text = "mean layer depth (0 = first layer, 1 = last)";
            assertEquals(theirs.getStringBounds(text, reference).getWidth(),
                    mine.getStringBounds(text, g).getWidth(), 0);
            assertEquals(theirs.getAscent(), mine.getAscent());
            assertEquals(reference.getFontRenderContext(), g.getFontRenderContext());
        }
        reference.dispose();
    }

    @Test
    public void hitTestsInDeviceSpaceWithinTheClip() {
        SvgGraphics2D g = new SvgGraphics2D(100, 100);
        g.translate(20, 20);
        Rectangle2D r = new Rectangle2D.Double(0, 0, 10, 10);
        assertTrue(g.hit(new Rectangle(25, 25, 1, 1), r, false));
        assertFalse(g.hit(new Rectangle(5, 5, 1, 1), r, false));
        g.clip(new Rectangle(0, 0, 3, 3));
        assertFalse(g.hit(new Rectangle(25, 25, 1, 1), r, false));
    }

    @Test
    public void sameChartGivesSameBytes() {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("V1", 0.1);
        v.put("FFA", 0.9);
        JFreeChart a = RoiBarChart.create("Mean layer depth", "depth", v);
        JFreeChart b = RoiBarChart.create("Mean layer depth", "depth", v);
        assertEquals(ChartRendering.svg(a, 500, 300), ChartRendering.svg(b, 500, 300));
        assertEquals(ChartRendering.svg(a, 500, 300), ChartRendering.svg(a, 500, 300));
        assertNotEquals(ChartRendering.svg(a, 500, 300), ChartRendering.svg(a, 501, 300));
    }

    /**
     * The strongest check available without an SVG rasteriser: draw the SVG back with Java2D by the SVG
     * specification's rules and compare it with the PNG of the same chart, pixel by pixel. Both draw the same glyphs
     * and shapes, so they may differ only where antialiasing rounds differently along edges; a wrong coordinate,
     * colour, clip or transform would move or recolour whole shapes and lines of text.
     */
    @Test
    public void svgDrawnBackMatchesThePngOfTheSameChart() {
        Map<String, double[]> fractions = new LinkedHashMap<>();
        fractions.put("V1", new double[] { 0.7, 0.2, 0.1, 0, 0, 0 });
        fractions.put("hV4", new double[] { 0.1, 0.2, 0.4, 0.2, 0.1, 0 });
        fractions.put("FFA", new double[] { 0, 0, 0.1, 0.2, 0.3, 0.4 });
        List<AlignmentChart.Point> points = List.of(new AlignmentChart.Point("V1", 0, 0.1),
                new AlignmentChart.Point("hV4", 0.5, 0.45), new AlignmentChart.Point("FFA", 1, 0.8));
        TrainingCurveChart.Losses losses = new TrainingCurveChart.Losses("epoch", new double[] { 1, 2, 3, 4 },
                new double[] { 0.9, 0.5, 0.3, 0.25 }, new double[] { 1, 2, 3, 4 }, new double[] { 1, 0.6, 0.5, 0.55 });
        float[] layers = new float[8 * 9 * 7];
        for (int n = 0; n < layers.length; n++) {
            layers[n] = n % 3 == 0 ? Float.NaN : n % 6;
        }
        Map<String, Drawable> figures = new LinkedHashMap<>();
        figures.put("layer preference (legend, stacked bars)", LayerPreferenceChart.create("Layer preference",
                fractions));
        figures.put("alignment (labels, rotated axis name)", AlignmentChart.create("Alignment", points));
        figures.put("training curve (log axis, dashed marker)", TrainingCurveChart.create("Training", losses, true));
        figures.put("brain figure (images, letters)", BrainFigure.builder(new BrainVolume(new int[] { 8, 9, 7 },
                new double[] { 2, 2, 2 }, "LAS", layers), 6).optTitle("Brain").build());
        for (Map.Entry<String, Drawable> f : figures.entrySet()) {
            assertSvgMatchesPng(f.getKey(), f.getValue(), 600, 400);
        }
    }

    /**
     * The strongest check available without an SVG rasteriser: draw the SVG back with Java2D by the SVG
     * specification's rules and compare it with the PNG of the same figure, pixel by pixel. Both paint the same
     * glyphs and shapes at the same places, so they agree but for rounding of coordinates to 1/1000 of a pixel; a
     * wrong coordinate, colour, clip or transform moves or recolours whole shapes and lines of text.
     */
    private static void assertSvgMatchesPng(String what, Drawable figure, int w, int h) {
        BufferedImage png = ChartTestSupport.decodePng(ChartRendering.png(figure, w, h));
        BufferedImage svg = SvgReplay.render(ChartRendering.svg(figure, w, h));
        List<String> differing = new ArrayList<>();
        int different = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int a = png.getRGB(x, y);
                int b = svg.getRGB(x, y);
                int diff = 0;
                for (int shift = 0; shift <= 16; shift += 8) {
                    diff = Math.max(diff, Math.abs((a >> shift & 0xFF) - (b >> shift & 0xFF)));
                }
                // beyond 64 of 255 is more than rounding can change on an antialiased edge pixel
                if (diff > 64) {
                    different++;
                    if (differing.size() < 5) {
                        differing.add("(" + x + ", " + y + ")");
                    }
                }
            }
        }
        // 0.05 %: room for a few edge pixels; text shifted by one pixel alone differs in thousands
        assertTrue(different < w * h / 2000, what + ": " + different + " pixels differ, for example " + differing);
    }

    @Test
    public void ellipsesAreWrittenAsTheirFourCubicArcs() {
        SvgGraphics2D g = new SvgGraphics2D(100, 100);
        g.fill(new Ellipse2D.Double(10, 20, 30, 40));
        String d = only(doc(g), "path").getAttribute("d");
        assertEquals(4, d.chars().filter(c -> c == 'C').count());
        assertEquals(new Rectangle2D.Double(10, 20, 30, 40), SvgReplay.path(d, "").getBounds2D());
    }
}
