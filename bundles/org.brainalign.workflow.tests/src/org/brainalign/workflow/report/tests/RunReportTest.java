package org.brainalign.workflow.report.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.brainalign.core.analysis.Drift;
import org.brainalign.core.analysis.Hierarchy;
import org.brainalign.core.analysis.ModelComparison;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.core.data.Roi;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.workflow.report.ReportFigure;
import org.brainalign.workflow.report.RunReport;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunInfo;
import org.brainalign.io.run.RunInput;
import org.brainalign.testing.SyntheticRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** A report of two runs: well-formed, self-contained, escaped, holding the tables' numbers and decodable images. */
public class RunReportTest {

    private static final String NASTY = "<script>alert('x')</script> & \"friends\"";

    @TempDir
    Path tmp;

    private static SelectorMaps oneHot(int layers, float r2, int... preferred) {
        int n = preferred.length;
        float[][] p = new float[n][layers];
        float[] zero = new float[n];
        float[] score = new float[n];
        for (int v = 0; v < n; v++) {
            p[v][preferred[v]] = 1;
            score[v] = r2;
        }
        return SelectorMaps.of(p, zero, zero, zero, score, null);
    }

    private static byte[] png(int width, int height, Color color) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, color.getRGB());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    public void aReportOfTwoRunsIsSelfContained() throws Exception {
        VolumeGrid grid = new VolumeGrid(new int[] { 3, 3, 3 }, Affine.scaling(2, 2, 2));
        VoxelSet voxels = VoxelSet.ofVolume(grid, new int[] { 0, 4, 8, 13, 26 });
        List<Roi> rois = List.of(new Roi("V1", new int[] { 0, 1 }), new Roi("FFA", new int[] { 2, 3 }));
        Path input = Files.writeString(tmp.resolve("betas.nii"), "abc");
        RunInfo info = RunInfo.builder(NASTY).setSoftwareVersion("0.1.0.test").setSeed(3)
                .addInput(RunInput.of("betas", input, null)).setBackbone(Map.of("family", "clip")).build();
        // L = 5: V1 at layer 2 (depth 0.25), FFA at layer 4 (depth 0.75): slope 0.5, b0 0.25, b1 0.75
        RunFolder a = RunFolder.create(tmp.resolve("a"), info, voxels, null);
        a.writeRois(rois, List.of());
        a.writeSelectors(oneHot(5, 0.2f, 1, 1, 3, 3, 0));
        Files.createDirectories(a.chartFile("layer_preference.png").getParent());
        Files.write(a.chartFile("layer_preference.png"), png(40, 30, Color.BLUE));
        RunFolder b = SyntheticRun.create(tmp.resolve("b"), "fine-tuned", voxels, null, oneHot(5, 0.3f, 1, 1, 4, 4, 0),
                rois);

        byte[] comparisonPng = png(64, 48, Color.RED);
        String svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\" fill=\"#3b4cc0\"/></svg>";
        RunReport.Charts charts = new RunReport.Charts() {

            @Override
            public List<ReportFigure> forComparison(ModelComparison c, List<SelectorSummary> s) {
                return List.of(ReportFigure.png("Alignment of " + c.rows().size() + " runs", comparisonPng));
            }

            @Override
            public List<ReportFigure> forDrift(Drift d) {
                return List.of(ReportFigure.svg("Drift per ROI", svg));
            }
        };
        Path out = tmp.resolve("report.html");
        RunReport.write(out, List.of(a, b), null, charts, "9.9.9", null);
        String html = Files.readString(out, StandardCharsets.UTF_8);

        // nothing external: no scripts, style sheets, links or remote URLs; every image is a data URI
        assertFalse(html.contains("<script"), "raw script tag");
        assertFalse(html.contains("<link"));
        assertFalse(html.contains("href="));
        assertFalse(html.contains("url("));
        assertFalse(html.contains("@import"));
        assertFalse(html.contains("http:") || html.contains("https:"), "remote reference");
        Matcher src = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
        while (src.find()) {
            assertTrue(src.group(1).startsWith("data:image/"), src.group(1));
        }

        // well-formed markup, read back as XML
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        assertEquals("html", doc.getDocumentElement().getTagName());
        String title = doc.getElementsByTagName("title").item(0).getTextContent();
        assertTrue(title.contains(NASTY), "the label survives escaping intact: " + title);

        // the images decode: the run's saved PNG, the caller's PNG and SVG
        NodeList images = doc.getElementsByTagName("img");
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < images.getLength(); i++) {
            String uri = ((Element) images.item(i)).getAttribute("src");
            byte[] bytes = Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1));
            if (uri.startsWith("data:image/png;base64,")) {
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
                assertNotNull(image, "PNG " + i + " decodes");
                kinds.add("png " + image.getWidth() + "x" + image.getHeight());
            } else {
                assertTrue(uri.startsWith("data:image/svg+xml;base64,"), uri);
                Document s = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                        .parse(new ByteArrayInputStream(bytes));
                kinds.add(s.getDocumentElement().getTagName());
            }
        }
        assertEquals(List.of("png 64x48", "svg", "png 40x30"), kinds);

        // the tables' numbers: alignment of run a, drift of FFA (depth 0.75 -> 1, all voxels changed), the hash
        List<String> cells = new ArrayList<>();
        NodeList tds = doc.getElementsByTagName("td");
        for (int i = 0; i < tds.getLength(); i++) {
            cells.add(tds.item(i).getTextContent());
        }
        String text = doc.getDocumentElement().getTextContent();
        assertTrue(text.contains("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        assertTrue(text.contains("BrainAlign 9.9.9") && text.contains("BrainAlign 0.1.0.test"));
        int alignment = rowOf(doc, NASTY, "5", Hierarchy.standard().format());
        assertTrue(alignment >= 0, "run a's alignment row");
        List<String> row = row(doc, alignment);
        assertEquals(List.of("4", "0.5", "0.25", "0.75", "1"), row.subList(row.size() - 5, row.size()));
        List<String> ffa = row(doc, rowOf(doc, "FFA", "2", "0.75"));
        assertEquals(List.of("FFA", "2", "0.75", "1", "0.25", "1", "0.6931"), ffa.subList(0, 7));
        assertTrue(cells.contains("0.2") && cells.contains("0.3"), "mean R^2 of the two runs");
        assertTrue(Instant.parse(cells.get(0)).isBefore(Instant.now().plusSeconds(1)), "the date comes first");
    }

    /** The index of the first table row whose first cells are the given texts, or -1. */
    private static int rowOf(Document doc, String... first) {
        NodeList rows = doc.getElementsByTagName("tr");
        for (int r = 0; r < rows.getLength(); r++) {
            List<String> cells = row(doc, r);
            if (cells.size() >= first.length && cells.subList(0, first.length).equals(List.of(first))) {
                return r;
            }
        }
        return -1;
    }

    private static List<String> row(Document doc, int r) {
        NodeList cells = ((Element) doc.getElementsByTagName("tr").item(r)).getElementsByTagName("td");
        List<String> texts = new ArrayList<>();
        for (int c = 0; c < cells.getLength(); c++) {
            texts.add(cells.item(c).getTextContent());
        }
        return texts;
    }
}
