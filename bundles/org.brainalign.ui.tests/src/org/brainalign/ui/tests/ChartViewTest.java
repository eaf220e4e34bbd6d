package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.brainalign.charts.ChartFigure;
import org.brainalign.core.analysis.RoiSummary;
import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.workflow.analysis.RunAnalysis;
import org.brainalign.io.run.RunFolder;
import org.brainalign.ui.BrainAlignmentPerspective;
import org.brainalign.ui.charts.ChartKind;
import org.brainalign.ui.charts.ChartView;
import org.brainalign.ui.handlers.CompareWithHandler;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.navigator.CommonNavigator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * Chart views on planted runs ({@link PlantedRun}) in the real workbench: they follow the run picked in the Project
 * Explorer and show core's numbers, export PNG, SVG and CSV files that decode back to them, and Compare with...
 * shows the drift between two runs of the same voxels.
 */
public class ChartViewTest {

    private static IProject project;
    private static IFolder before;
    private static IFolder after;
    private static IFolder other;

    @TempDir
    Path temp;

    @BeforeAll
    public static void plantRuns() throws Exception {
        project = Workbench.freshProject("chart-view-test");
        before = project.getFolder("runs").getFolder("before");
        after = project.getFolder("runs").getFolder("after");
        PlantedRun.write(before.getLocation().toPath(), "before", 0);
        PlantedRun.write(after.getLocation().toPath(), "after", 1);
        // a run of other voxels: one voxel fewer in its grid
        other = project.getFolder("runs").getFolder("other");
        otherRun(other.getLocation().toPath());
        project.refreshLocal(IResource.DEPTH_INFINITE, null);
    }

    private static void otherRun(Path folder) throws IOException {
        org.brainalign.core.VolumeGrid grid = new org.brainalign.core.VolumeGrid(new int[] { 2, 1, 1 },
                org.brainalign.core.Affine.identity());
        RunFolder run = RunFolder.create(folder, org.brainalign.io.run.RunInfo.builder("other").build(),
                org.brainalign.core.data.VoxelSet.ofVolume(grid, new int[] { 0, 1 }), null);
        float[][] w = new float[2][PlantedRun.LAYERS];
        for (float[] row : w) {
            java.util.Arrays.fill(row, 1f / PlantedRun.LAYERS);
        }
        float[] z = { 0, 0 };
        run.writeRois(List.of(new org.brainalign.core.data.Roi("V1", new int[] { 0, 1 })), List.of());
        run.writeSelectors(org.brainalign.core.analysis.SelectorMaps.of(w, z, z, z, z, z));
    }

    private static ChartView chart(ChartKind kind) throws Exception {
        ChartView view = (ChartView) Workbench.page().showView(kind.viewId(), null, IWorkbenchPage.VIEW_VISIBLE);
        Workbench.drawn(view);
        return view;
    }

    @Test
    public void chartsFollowTheRunPickedInTheProjectExplorer() throws Exception {
        for (IFolder picked : new IFolder[] { before, after }) {
            Workbench.selectInExplorer(picked);
            ChartView layers = chart(ChartKind.LAYER_PREFERENCE);
            assertNull(layers.message(), layers.message());
            RunFolder run = RunFolder.open(picked.getLocation().toPath());
            SelectorSummary summary = RunAnalysis.summarize(run, null, null);
            CategoryDataset data = ((CategoryPlot) ((ChartFigure) layers.figure()).chart().getPlot()).getDataset();
            assertEquals(4, data.getColumnCount(), "one bar per ROI");
            for (RoiSummary roi : summary.rois()) {
                double[] fractions = roi.layerFractions();
                for (int l = 0; l < fractions.length; l++) {
                    assertEquals(fractions[l], data.getValue(l, data.getColumnIndex(roi.name())).doubleValue(), 1e-12,
                            picked.getName() + " " + roi.name() + " layer " + (l + 1));
                }
            }
            ChartView curve = chart(ChartKind.TRAINING_CURVE);
            XYDataset losses = ((XYPlot) ((ChartFigure) curve.figure()).chart().getPlot()).getDataset();
            // the planted curve: training 0.9, 0.5, 0.3 and validation 1.0, 0.7, 0.6 over epochs 1..3
            assertEquals(0.5, losses.getYValue(0, 1), 0);
            assertEquals(0.6, losses.getYValue(1, 2), 0);
            ChartView alignment = chart(ChartKind.ALIGNMENT);
            assertTrue(alignment.figure().csv().startsWith("label,t,depth,fit"), alignment.figure().csv());
        }
        // two runs picked together are compared, one line each (in the explorer's order)
        Workbench.selectInExplorer(before, after);
        ChartView comparison = chart(ChartKind.MODEL_COMPARISON);
        String header = comparison.figure().csv().lines().findFirst().orElseThrow();
        assertEquals("category,after,before", header);
    }

    @Test
    public void exportsDecodeToTheNumbersShown() throws Exception {
        Workbench.selectInExplorer(before);
        ChartView layers = chart(ChartKind.LAYER_PREFERENCE);
        Path png = temp.resolve("layers.png");
        Path svg = temp.resolve("layers.svg");
        Path csv = temp.resolve("layers.csv");
        layers.export(png);
        layers.export(svg);
        layers.export(csv);
        java.awt.Dimension size = layers.figure().preferredSize();
        ImageData image = new ImageLoader().load(png.toString())[0];
        assertEquals(size.width, image.width);
        assertEquals(size.height, image.height);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals(String.valueOf(size.width), doc.getDocumentElement().getAttribute("width").replace("px", ""));
        // the CSV: one row per ROI, its share of voxels per layer, as RoiSummary counts them
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals("roi,layer_1,layer_2,layer_3,layer_4,layer_5,layer_6", lines.get(0));
        assertEquals(5, lines.size());
        String[] v1 = lines.get(1).split(",");
        assertEquals("V1", v1[0]);
        assertEquals(0.5, Double.parseDouble(v1[1]), 1e-12);
        assertEquals(0.5, Double.parseDouble(v1[2]), 1e-12);
        assertEquals(0.0, Double.parseDouble(v1[3]), 0);
        String[] ppa = lines.get(4).split(",");
        assertEquals("PPA", ppa[0]);
        // k even (0, 2, 4) prefers layer 4: 3 of 5 slices
        assertEquals(0.6, Double.parseDouble(ppa[4]), 1e-12);
        IOException wrong = assertThrows(IOException.class, () -> layers.export(temp.resolve("layers.txt")));
        assertTrue(wrong.getMessage().contains("layers.txt"), wrong.getMessage());
    }

    @Test
    public void theRunsContextMenuComparesTwoSelectedRuns() throws Exception {
        Workbench.selectInExplorer(before, after);
        CommonNavigator explorer = (CommonNavigator) Workbench.page()
                .findView(BrainAlignmentPerspective.PROJECT_EXPLORER);
        Menu menu = explorer.getCommonViewer().getTree().getMenu();
        menu.notifyListeners(SWT.Show, new Event());
        Workbench.settle();
        MenuItem compare = null;
        List<String> texts = new java.util.ArrayList<>();
        for (MenuItem item : menu.getItems()) {
            texts.add(item.getText());
            if (item.getText().startsWith("Compare with...")) {
                compare = item;
            }
        }
        assertNotNull(compare, "no Compare with... among " + texts);
        assertTrue(compare.isEnabled());
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("Write report")), texts.toString());
        compare.notifyListeners(SWT.Selection, new Event());
        menu.notifyListeners(SWT.Hide, new Event());
        Workbench.runsRead();
        ChartView drift = (ChartView) Workbench.page().findView(ChartKind.DRIFT.viewId());
        Workbench.drawn(drift);
        assertNull(drift.message(), drift.message());
        // the two selected runs, in the explorer's order
        assertEquals("roi,after,before,shift", drift.figure().csv().lines().findFirst().orElseThrow());
    }

    @Test
    public void compareWithShowsTheDrift() throws Exception {
        Path a = before.getLocation().toPath();
        Path b = after.getLocation().toPath();
        CompareWithHandler.compare(Workbench.page().getWorkbenchWindow(), a, b).join();
        Workbench.settle();
        ChartView drift = (ChartView) Workbench.page().findView(ChartKind.DRIFT.viewId());
        assertNotNull(drift, "Compare with... shows the drift view");
        Workbench.drawn(drift);
        assertNull(drift.message(), drift.message());
        List<String> lines = drift.figure().csv().lines().toList();
        assertEquals("roi,before,after,shift", lines.get(0));
        RunFolder ra = RunFolder.open(a);
        RunFolder rb = RunFolder.open(b);
        for (int i = 0; i < PlantedRun.ROIS.size(); i++) {
            String[] row = lines.get(i + 1).split(",");
            double depthBefore = RoiSummary.of(ra.rois().get(i), ra.selectors()).meanDepth();
            double depthAfter = RoiSummary.of(rb.rois().get(i), rb.selectors()).meanDepth();
            assertEquals(PlantedRun.ROIS.get(i), row[0]);
            assertEquals(depthBefore, Double.parseDouble(row[1]), 1e-12);
            assertEquals(depthAfter, Double.parseDouble(row[2]), 1e-12);
        }
        // runs of other voxels cannot drift: the view says why, naming both folders
        CompareWithHandler.compare(Workbench.page().getWorkbenchWindow(), a, other.getLocation().toPath()).join();
        Workbench.drawn(drift);
        assertNotNull(drift.message());
        assertTrue(drift.message().contains("not fits of the same voxels"), drift.message());
        assertTrue(drift.message().contains(other.getLocation().toPath().toString()), drift.message());
    }
}
