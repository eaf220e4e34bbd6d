package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.brainalign.core.analysis.RoiSummary;
import org.brainalign.core.data.Roi;
import org.brainalign.io.run.RunFolder;
import org.brainalign.ui.roi.RoiReading;
import org.brainalign.ui.roi.RoiView;
import org.brainalign.ui.roi.RoiViewsMenu;
import org.brainalign.ui.viewer.VolumeEditor;
import org.brainalign.ui.workspace.OpenRunActionProvider;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.ui.IWorkbenchPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ROI views on a planted run ({@link PlantedRun}) in the real workbench: the numbers shown against the plan and
 * against core's RoiSummary, the heat map cell by cell, the viewer's crosshair highlighted, a stimulus blended.
 */
public class RoiViewTest {

    private static IProject project;
    private static IFolder runFolder;
    private static RunFolder run;

    @TempDir
    Path temp;

    @BeforeAll
    public static void plantARun() throws Exception {
        project = Workbench.freshProject("roi-view-test");
        runFolder = project.getFolder("runs").getFolder("planted");
        run = PlantedRun.write(runFolder.getLocation().toPath(), "planted", 0);
        project.refreshLocal(IResource.DEPTH_INFINITE, null);
    }

    @AfterEach
    public void closeEditors() {
        Workbench.page().closeAllEditors(false);
        Workbench.settle();
    }

    private static RoiView show(String roi) throws Exception {
        RoiView view = (RoiView) Workbench.page().showView(RoiView.ID, roi, IWorkbenchPage.VIEW_VISIBLE);
        Workbench.settle();
        return view;
    }

    @Test
    public void theNumbersShownAreThePlantedOnesAndCoresSummary() throws Exception {
        Workbench.selectInExplorer(runFolder);
        RoiView v1 = show("V1");
        assertNull(v1.message(), v1.message());
        RoiReading reading = v1.reading();
        assertNotNull(reading);
        // the plan: 60 voxels, half preferring layer 1 (j even), half layer 2
        assertEquals(60, reading.summary().voxelCount());
        assertArrayEquals(new int[] { 30, 30, 0, 0, 0, 0 }, reading.summary().layerHistogram());
        Roi roi = run.rois().get(0);
        RoiSummary core = RoiSummary.of(roi, run.selectors());
        assertArrayEquals(core.layerHistogram(), reading.summary().layerHistogram());
        String text = v1.summaryText();
        assertTrue(text.contains("60 voxels"), text);
        assertTrue(text.contains(String.format(Locale.ROOT, "Mean layer depth %.3f", core.depth().mean())), text);
        assertTrue(text.contains(String.format(Locale.ROOT, "mean scale %.2f", core.meanScale())), text);
        // heat map: i = 0 reads from columns 0..5, i = 1 from columns 2..7, each of rows 0..4 once per j
        for (int row = 0; row < 8; row++) {
            for (int column = 0; column < 8; column++) {
                int expected = row < PlantedRun.NK ? (column <= 5 ? 1 : 0) + (column >= 2 ? 1 : 0) : 0;
                assertEquals(expected, reading.count(row, column), "cell row " + row + ", column " + column);
            }
        }
        RoiView eba = show("EBA");
        assertEquals(60, eba.reading().count(4, 4), "every EBA voxel reads from one cell");
        assertArrayEquals(new int[] { 0, 0, 0, 0, 60, 0 }, eba.reading().summary().layerHistogram());
    }

    @Test
    public void anRoiTheRunLacksIsSaidSo() throws Exception {
        Workbench.selectInExplorer(runFolder);
        RoiView opa = show("OPA");
        assertNull(opa.reading());
        assertTrue(opa.message().contains("has no ROI named OPA"), opa.message());
        Workbench.page().hideView(opa);
        // the menu lists the run's own ROIs and opens them
        RoiView ppa = RoiViewsMenu.open(Workbench.page(), "PPA");
        Workbench.settle();
        assertEquals("PPA", ppa.roiName());
        assertEquals(60, ppa.reading().summary().voxelCount());
    }

    @Test
    public void theViewersCrosshairIsHighlighted() throws Exception {
        RoiView v1 = show("V1");
        RoiView eba = show("EBA");
        VolumeEditor editor = Workbench.loaded(OpenRunActionProvider.openMap(Workbench.page(),
                runFolder.getLocation().toPath()));
        Workbench.page().activate(editor);
        Workbench.runsRead();
        // a V1 voxel (i = 1: its column is j + 2) and then an EBA voxel
        int[][] voxels = { { 1, 3, 2 }, { 2, 4, 1 } };
        for (int[] ijk : voxels) {
            editor.view().setCrosshairVoxel(ijk);
            Workbench.runsRead();
            int position = PlantedRun.index(ijk[0], ijk[1], ijk[2]);
            Workbench.waitUntil(() -> v1.highlighted().isPresent() && v1.highlighted().get().position() == position,
                    "V1's view to highlight voxel " + position);
            RoiReading.Voxel shown = v1.highlighted().get();
            assertArrayEquals(ijk, shown.voxel());
            assertEquals(ijk[0] < 2, shown.inRoi());
            assertEquals(PlantedRun.column(ijk[0], ijk[1], ijk[2]), shown.column());
            assertEquals(PlantedRun.row(ijk[0], ijk[1], ijk[2]), shown.row());
            double[] planted = new double[PlantedRun.LAYERS];
            java.util.Arrays.fill(planted, 0.1);
            planted[PlantedRun.preferred(ijk[0], ijk[1], ijk[2], 0)] = 0.5;
            // stored as float32: 1e-6 covers the rounding of 0.1
            assertArrayEquals(planted, shown.layerWeights(), 1e-6);
            assertEquals(PlantedRun.scale(ijk[0], ijk[1]), shown.scale(), 1e-6);
            // the planted ROIs are slabs of two i each: the voxel's ROI is named, in or out of V1
            String plantedRoi = PlantedRun.ROIS.get(ijk[0] / 2);
            assertEquals(List.of(plantedRoi), shown.rois());
            assertTrue(v1.voxelText().contains(shown.inRoi()
                    ? "is in V1"
                    : "is not in V1 (it is in " + plantedRoi
                            + ")"),
                    v1.voxelText());
            Workbench.settle();
            assertEquals(ijk[0] >= 2 && ijk[0] < 4, eba.highlighted().get().inRoi());
        }
    }

    @Test
    public void aStimulusShowsWhereTheRoiReadsFrom() throws Exception {
        Workbench.selectInExplorer(runFolder);
        RoiView v1 = show("V1");
        // a uniform grey 80 x 80 image: every cell starts as (128, 128, 128)
        ImageData grey = new ImageData(80, 80, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF));
        for (int y = 0; y < 80; y++) {
            for (int x = 0; x < 80; x++) {
                grey.setPixel(x, y, 0x808080);
            }
        }
        Path file = temp.resolve("grey.png");
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] { grey };
        loader.save(file.toString(), SWT.IMAGE_PNG);
        v1.showStimulus(file).join();
        Workbench.settle();
        ImageData blended = v1.blendedStimulus();
        assertNotNull(blended);
        int cell = blended.width / 8;
        // an empty cell (row 6) keeps the image; a fullest cell (2 voxels, row 0, column 3) is 70 % white-hot;
        // a cell of one voxel (row 0, column 0) is 35 % of hot at 0.35 + 0.65 / 2 = 0.675, i.e. (255, 255, 6)
        assertEquals(new RGB(128, 128, 128), pixel(blended, 0 * cell + cell / 2, 6 * cell + cell / 2));
        int full = (int) Math.round(128 * 0.3 + 255 * 0.7);
        assertEquals(new RGB(full, full, full), pixel(blended, 3 * cell + cell / 2, cell / 2));
        int rg = (int) Math.round(128 * 0.65 + 255 * 0.35);
        int b = (int) Math.round(128 * 0.65 + Math.round(255 * 0.025) * 0.35);
        assertEquals(new RGB(rg, rg, b), pixel(blended, cell / 2, cell / 2));
        assertFalse(v1.summaryText().isEmpty());
    }

    private static RGB pixel(ImageData data, int x, int y) {
        return data.palette.getRGB(data.getPixel(x, y));
    }
}
