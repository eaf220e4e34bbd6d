package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

import org.brainalign.core.Affine;
import org.brainalign.core.BrainAlignPreferences;
import org.brainalign.core.VolumeGrid;
import org.brainalign.io.nifti.NiftiDataType;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiWriter;
import org.brainalign.io.run.RunInput;
import org.brainalign.io.run.SelectorMap;
import org.brainalign.io.subject.NsdVolumeSubject;
import org.brainalign.io.subject.SubjectDescription;
import org.brainalign.testing.SharedData;
import org.brainalign.ui.preferences.WorkbenchPreferences;
import org.brainalign.ui.viewer.SliceCanvas;
import org.brainalign.ui.viewer.VolumeEditor;
import org.brainalign.workflow.slices.Colormap;
import org.brainalign.workflow.slices.ColourBar;
import org.brainalign.workflow.slices.Overlay;
import org.brainalign.workflow.slices.RunMaps;
import org.brainalign.workflow.slices.Slice;
import org.brainalign.workflow.slices.SlicePlane;
import org.brainalign.workflow.slices.SliceRendering;
import org.brainalign.workflow.slices.Viewport;
import org.brainalign.workflow.slices.VolumeView;
import org.brainalign.workflow.slices.WindowLevel;
import org.eclipse.core.commands.operations.OperationHistoryFactory;
import org.eclipse.core.filesystem.EFS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.ide.FileStoreEditorInput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The viewer's layers in the real workbench: a run map opens over its subject's anatomy (found through the run's
 * subject description, on a finer grid, read by world position) or over the preferred template, checked pixel by
 * pixel against the closed form of a linear anatomy; colour bars in the exported PNG (a hot scale, the layer legend);
 * two-sided thresholds; the volume slider of a 4-D file; Edit > Undo and Redo of an overlay's removal, a threshold,
 * a step of the volume slider and the orientation convention; crosshairs linked across viewers by world position.
 */
public class ViewerLayersTest {

    /** The anatomy's grid: 1 mm RAS, x -9.5..7.5, y -7.5..5.5, z -5.5..5.5: it covers the planted run's grid. */
    private static final VolumeGrid ANATOMY_GRID = new VolumeGrid(new int[] { 18, 14, 12 },
            Affine.ofRowMajor(1, 0, 0, -9.5, 0, 1, 0, -7.5, 0, 0, 1, -5.5));

    /** The corner the slice's title covers ("Axial 3/5" on a dark box), in pixels: generous. */
    private static final int TITLE_WIDTH = 140, TITLE_HEIGHT = 26;

    @TempDir
    Path temp;

    @AfterEach
    public void closeEditorsAndResetPreferences() {
        Workbench.page().closeAllEditors(false);
        WorkbenchPreferences.store().setToDefault(BrainAlignPreferences.UNDERLAY_TEMPLATE);
        WorkbenchPreferences.store().setToDefault(BrainAlignPreferences.LINK_CROSSHAIRS);
        Workbench.settle();
    }

    /** The anatomy's value at a world point: linear, so trilinear resampling reproduces it exactly. */
    private static double anatomy(double[] w) {
        return 300 + 10 * w[0] + 5 * w[1] + 3 * w[2];
    }

    private static float[] values(VolumeGrid grid, ToDoubleFunction<double[]> f) {
        float[] v = new float[grid.voxelCount()];
        for (int n = 0; n < v.length; n++) {
            int[] ijk = grid.ijk(n);
            v[n] = (float) f.applyAsDouble(grid.world(ijk[0], ijk[1], ijk[2]));
        }
        return v;
    }

    /** Writes an NSD-layout subject with a T1 on the functional space and a planted run that records it. */
    private Path runWithAnatomy() throws Exception {
        Path root = temp.resolve("nsd");
        NsdVolumeSubject subject = NsdVolumeSubject.at(root, "subj01");
        Files.createDirectories(subject.functionalDir());
        NiftiWriter.write(subject.functionalDir().resolve(NsdVolumeSubject.T1),
                NiftiHeader.forGrid(ANATOMY_GRID, NiftiDataType.FLOAT32, 1), values(ANATOMY_GRID,
                        ViewerLayersTest::anatomy));
        Path description = root.resolve(SubjectDescription.FILE);
        SubjectDescription.nsd(root, "subj01", root.resolve("trials.csv"), root.resolve("stimuli")).write(description);
        Path run = temp.resolve("run");
        PlantedRun.write(run, "with anatomy", 0, List.of(RunInput.of("subject", description, null)));
        return run;
    }

    private static VolumeEditor open(Path file) throws Exception {
        VolumeEditor editor = Workbench
                .open(new FileStoreEditorInput(EFS.getLocalFileSystem().getStore(file.toUri())));
        Workbench.page().activate(editor);
        Workbench.settle();
        return editor;
    }

    private static int grey(double value, WindowLevel w) {
        return (int) Math.round(255 * w.fraction(value));
    }

    private static void assertRgb(int expected, int actual, int tolerance, String what) {
        for (int shift = 0; shift <= 16; shift += 8) {
            int e = (expected >> shift) & 0xFF;
            int a = (actual >> shift) & 0xFF;
            assertTrue(Math.abs(e - a) <= tolerance, what + ": expected " + Integer.toHexString(expected) + ", got "
                    + Integer.toHexString(actual));
        }
    }

    @Test
    public void aRunMapIsDrawnOverItsSubjectsAnatomy() throws Exception {
        Path run = runWithAnatomy();
        VolumeEditor editor = open(RunMaps.mapFile(run, SelectorMap.R2).orElseThrow());
        VolumeView view = editor.view();
        Overlay underlay = view.underlay();
        assertNotNull(underlay, "no underlay under the run's map");
        assertEquals(NsdVolumeSubject.T1, underlay.volume().name());
        WindowLevel anatomyWindow = new WindowLevel(150, 450);
        underlay.setWindow(anatomyWindow);
        // R^2 is 0.05 (k + 1): above 0.17 only k = 3 and 4 are drawn, the anatomy shows elsewhere
        editor.overlayPanel().typeThreshold("0.17");
        Workbench.settle();
        Overlay map = view.base();
        assertEquals(List.of(underlay, map), view.layers());

        // the model's pixels of the coronal slice: map colours above the threshold, the anatomy's grey below
        int[] rgb = SliceRendering.render(view, SlicePlane.CORONAL);
        Slice coronal = view.slice(SlicePlane.CORONAL);
        int anatomyPixels = 0;
        for (int row = 0; row < coronal.height(); row++) {
            for (int col = 0; col < coronal.width(); col++) {
                int[] c = coronal.canonical(col, row);
                double[] w = PlantedRun.GRID.world(c[0], c[1], c[2]);
                int got = rgb[row * coronal.width() + col];
                if (c[2] >= 3) {
                    assertEquals(Colormap.HOT.rgb(0.05f * (c[2] + 1), map.window()), got, "map at " + col + "," + row);
                } else {
                    int g = grey(anatomy(w), anatomyWindow);
                    // float32 values: the grey level may round either way at a boundary
                    assertRgb(g << 16 | g << 8 | g, got, 1, "anatomy at " + col + "," + row);
                    anatomyPixels++;
                }
            }
        }
        assertEquals(3 * PlantedRun.NI, anatomyPixels);

        // the drawn slice: the axial slice (k = 2, R^2 0.15) is all anatomy, in the exported PNG as on screen
        Path png = temp.resolve("view.png");
        editor.exportPng(png);
        ImageData data = new ImageLoader().load(png.toString())[0];
        Point cell = editor.snapshotCell();
        Viewport.Placement p = editor.canvas(SlicePlane.AXIAL).placement(cell.x, cell.y);
        Slice axial = view.slice(SlicePlane.AXIAL);
        int[] cross = axial.pixel(view.crosshair());
        int checked = 0;
        for (int row = 0; row < axial.height(); row++) {
            for (int col = 0; col < axial.width(); col++) {
                int x = (int) Math.floor(p.centreX(col));
                int y = (int) Math.floor(p.centreY(row));
                if (col == cross[0] || row == cross[1] || (x < TITLE_WIDTH && y < TITLE_HEIGHT)) {
                    continue; // the crosshair's lines, the slice's title
                }
                int[] c = axial.canonical(col, row);
                int g = grey(anatomy(PlantedRun.GRID.world(c[0], c[1], c[2])), anatomyWindow);
                RGB shown = data.palette.getRGB(data.getPixel(x, y));
                assertRgb(g << 16 | g << 8 | g, shown.red << 16 | shown.green << 8 | shown.blue, 1,
                        "drawn anatomy at " + col + "," + row);
                checked++;
            }
        }
        // all 48 voxels but those under the crosshair's lines and the title
        assertTrue(checked >= 24, checked + " voxels checked");
    }

    @Test
    public void theTemplateStandsInWhenTheSubjectHasNoAnatomy() throws Exception {
        Path run = temp.resolve("run");
        PlantedRun.write(run, "no anatomy", 0);
        Path template = SharedData.nifti("anatomical.nii");
        WorkbenchPreferences.store().setValue(BrainAlignPreferences.UNDERLAY_TEMPLATE, template.toString());
        VolumeEditor editor = open(RunMaps.mapFile(run, SelectorMap.PREFERRED_LAYER).orElseThrow());
        assertEquals("anatomical.nii", editor.view().underlay().volume().name());
        editor.overlayPanel().select(editor.view().underlay());
        editor.overlayPanel().removeSelected();
        assertNull(editor.view().underlay());
        undo();
        assertEquals("anatomical.nii", editor.view().underlay().volume().name());

        // a file that is not a run's map opens alone: it may be an anatomy itself
        VolumeEditor plain = open(template);
        assertNull(plain.view().underlay());
        plain.addUnderlay(template).join();
        Workbench.waitUntil(() -> plain.view().underlay() != null, "the underlay added by hand");
    }

    @Test
    public void exportedPngsCarryTheColourBars() throws Exception {
        Path run = temp.resolve("run");
        PlantedRun.write(run, "bars", 0);
        VolumeEditor r2 = open(RunMaps.mapFile(run, SelectorMap.R2).orElseThrow());
        ColourBar bar = ColourBar.of(r2.view().base()).orElseThrow();
        ImageData data = exported(r2, "r2.png");
        int barY = findBar(data, r2, bar::rgbAt);
        int barWidth = Math.min(3 * r2.snapshotCell().x - 16, 480);
        for (double t : new double[] { 0.1, 0.25, 0.5, 0.75, 1 }) {
            RGB c = data.palette.getRGB(data.getPixel(8 + (int) Math.round(t * (barWidth - 1)), barY));
            // the column nearest t shows the colour at its own place, within one column of t
            int expected = Colormap.HOT.lookup(Math.round(t * (barWidth - 1)) / (double) (barWidth - 1));
            assertRgb(expected, c.red << 16 | c.green << 8 | c.blue, 0, "hot bar at " + t);
        }

        VolumeEditor layers = open(RunMaps.mapFile(run, SelectorMap.PREFERRED_LAYER).orElseThrow());
        ColourBar legend = ColourBar.of(layers.view().base()).orElseThrow();
        assertEquals(PlantedRun.LAYERS, legend.legend().size());
        data = exported(layers, "layers.png");
        int n = legend.legend().size();
        int y = findBar(data, layers, t -> legend.legend().get(Math.min(n - 1, (int) (t * n))).rgb());
        int width = Math.min(3 * layers.snapshotCell().x - 16, 480);
        for (int s = 0; s < n; s++) {
            int x = 8 + (2 * s + 1) * width / (2 * n);
            RGB c = data.palette.getRGB(data.getPixel(x, y));
            assertRgb(Colormap.LAYERS.rgb(s + 1, new WindowLevel(1, n)), c.red << 16 | c.green << 8 | c.blue, 0,
                    "swatch of layer " + (s + 1));
        }
    }

    private ImageData exported(VolumeEditor editor, String name) throws Exception {
        Path png = temp.resolve(name);
        editor.exportPng(png);
        return new ImageLoader().load(png.toString())[0];
    }

    /** @return the row of the first bar below the slices whose middle column has the colour the bar puts there */
    private static int findBar(ImageData data, VolumeEditor editor, java.util.function.DoubleToIntFunction colour) {
        int width = Math.min(3 * editor.snapshotCell().x - 16, 480);
        int x = 8 + width / 2;
        int expected = colour.applyAsInt((width / 2) / (double) (width - 1));
        for (int y = editor.snapshotCell().y + 24; y < data.height; y++) {
            RGB c = data.palette.getRGB(data.getPixel(x, y));
            if ((c.red << 16 | c.green << 8 | c.blue) == expected && expected != 0) {
                return y;
            }
        }
        throw new AssertionError("no colour bar below the slices in the exported PNG (" + data.width + " x "
                + data.height + ")");
    }

    @Test
    public void aTwoSidedThresholdShowsNegativeValues() throws Exception {
        // a signed map, e.g. Pearson r: (i - 3.5) / 4 from -0.875 to 0.875 along i
        Path file = temp.resolve("signed.nii.gz");
        NiftiWriter.write(file, NiftiHeader.forGrid(PlantedRun.GRID, NiftiDataType.FLOAT32, 1),
                values(PlantedRun.GRID, w -> ((w[0] + 8) / 2 - 3.5) / 4));
        VolumeEditor editor = open(file);
        VolumeView view = editor.view();
        editor.overlayPanel().typeWindow("-1", "1");
        editor.overlayPanel().typeThreshold("0.3");
        for (boolean twoSided : new boolean[] { false, true }) {
            editor.overlayPanel().setTwoSided(twoSided);
            Workbench.settle();
            assertEquals(twoSided, view.base().twoSided());
            int[] rgb = SliceRendering.render(view, SlicePlane.AXIAL);
            Slice axial = view.slice(SlicePlane.AXIAL);
            for (int col = 0; col < axial.width(); col++) {
                int i = axial.canonical(col, 0)[0];
                double v = (i - 3.5) / 4;
                boolean drawn = twoSided ? Math.abs(v) > 0.3 : v > 0.3;
                int expected = drawn ? Colormap.GREY.rgb(v, new WindowLevel(-1, 1)) : 0;
                assertEquals(expected, rgb[col], "i " + i + " (value " + v + "), two-sided " + twoSided);
            }
        }
    }

    @Test
    public void theVolumeSliderStepsThroughA4dFile() throws Exception {
        // volume t holds 10 t + i at voxel (i, j, k)
        Path file = temp.resolve("series.nii.gz");
        try (NiftiWriter w = NiftiWriter.create(file, NiftiHeader.forGrid(PlantedRun.GRID, NiftiDataType.FLOAT32,
                3))) {
            for (int t = 0; t < 3; t++) {
                int volume = t;
                w.writeVolume(values(PlantedRun.GRID, x -> 10 * volume + (x[0] + 8) / 2));
            }
            w.commit();
        }
        VolumeEditor editor = open(file);
        int[] voxel = editor.view().crosshairVoxel();
        assertTrue(editor.readoutText().contains("Value " + voxel[0] + "\n"), editor.readoutText());
        editor.overlayPanel().selectVolume(2);
        Workbench.waitUntil(() -> editor.view().volume().description().contains("volume 2"), "volume 2 to show");
        Workbench.settle();
        assertTrue(editor.readoutText().contains("Value " + (20 + voxel[0]) + "\n"), editor.readoutText());

        // the step is an edit like the others: Edit > Undo names it and goes back to volume 0, Redo to volume 2
        assertEquals("Volume 2", undoLabel(editor));
        undo();
        assertEquals(0, editor.shownVolume());
        assertTrue(editor.readoutText().contains("Value " + voxel[0] + "\n"), editor.readoutText());
        assertTrue(!editor.view().volume().description().contains("volume 2"), editor.view().volume().description());
        redo();
        assertEquals(2, editor.shownVolume());
        assertTrue(editor.readoutText().contains("Value " + (20 + voxel[0]) + "\n"), editor.readoutText());
    }

    @Test
    public void theOrientationConventionIsUndoneAndRedone() throws Exception {
        // the grid is RAS, so i runs from the subject's left to right: the axial slice's first column is i 0 in the
        // neurological convention and the last i in the radiological one
        Path file = temp.resolve("ramp.nii.gz");
        NiftiWriter.write(file, NiftiHeader.forGrid(PlantedRun.GRID, NiftiDataType.FLOAT32, 1),
                values(PlantedRun.GRID, w -> (w[0] + 8) / 2));
        VolumeEditor editor = open(file);
        VolumeView view = editor.view();
        int last = PlantedRun.GRID.shape()[0] - 1;
        assertEquals(0, view.slice(SlicePlane.AXIAL).canonical(0, 0)[0]);
        editor.overlayPanel().setRadiological(true);
        Workbench.settle();
        assertTrue(view.radiological());
        assertEquals(last, view.slice(SlicePlane.AXIAL).canonical(0, 0)[0]);
        assertEquals("Radiological convention", undoLabel(editor));
        undo();
        assertTrue(!view.radiological());
        assertEquals(0, view.slice(SlicePlane.AXIAL).canonical(0, 0)[0]);
        redo();
        assertTrue(view.radiological());
        assertEquals(last, view.slice(SlicePlane.AXIAL).canonical(0, 0)[0]);
        editor.overlayPanel().setRadiological(false);
        Workbench.settle();
        assertEquals("Neurological convention", undoLabel(editor));
        assertTrue(!view.radiological());
    }

    @Test
    public void undoBringsBackARemovedOverlayAndAThreshold() throws Exception {
        VolumeEditor editor = open(SharedData.nifti("anatomical.nii"));
        VolumeView view = editor.view();
        editor.addOverlay(SharedData.nifti("aal.nii.gz")).join();
        Workbench.waitUntil(() -> view.overlays().size() == 2, "the overlay");
        Overlay aal = view.overlays().get(1);
        editor.overlayPanel().select(aal);
        editor.overlayPanel().removeSelected();
        assertEquals(List.of(view.base()), view.overlays());
        undo();
        assertEquals(List.of(view.base(), aal), view.overlays());
        redo();
        assertEquals(List.of(view.base()), view.overlays());
        undo();
        assertSame(aal, view.overlays().get(1));

        editor.overlayPanel().select(view.base());
        double before = view.base().threshold();
        editor.overlayPanel().typeThreshold("5000");
        assertEquals(5000, view.base().threshold());
        // a window dragged with the right button is an edit of its own: undone first, leaving the threshold
        WindowLevel window = view.base().window();
        SliceCanvas axial = editor.canvas(SlicePlane.AXIAL);
        rightDrag(axial, 40, 30);
        assertTrue(!window.equals(view.base().window()), "the drag did not change the window");
        undo();
        assertEquals(window, view.base().window());
        assertEquals(5000, view.base().threshold());
        undo();
        assertEquals(before, view.base().threshold());
    }

    @Test
    public void crosshairsFollowOneAnotherByWorldPosition() throws Exception {
        VolumeEditor las = open(SharedData.nifti("anatomical.nii"));
        Path run = temp.resolve("run");
        PlantedRun.write(run, "linked", 0);
        VolumeEditor map = open(RunMaps.mapFile(run, SelectorMap.R2).orElseThrow());
        map.view().setCrosshairVoxel(new int[] { 1, 2, 3 });
        Workbench.settle();
        double[] target = PlantedRun.GRID.world(1, 2, 3);
        double[] followed = las.view().readout().world();
        double[] zooms = las.view().reorientation().canonicalVoxelSizes();
        for (int a = 0; a < 3; a++) {
            // the nearest voxel of the other grid: within half of its voxel
            assertTrue(Math.abs(followed[a] - target[a]) <= zooms[a] / 2 + 1e-6,
                    "axis " + a + ": " + followed[a] + " for " + target[a]);
        }
        WorkbenchPreferences.store().setValue(BrainAlignPreferences.LINK_CROSSHAIRS, "false");
        int[] before = las.view().crosshairVoxel();
        map.view().setCrosshairVoxel(new int[] { 6, 4, 1 });
        Workbench.settle();
        assertEquals(List.of(before[0], before[1], before[2]), List.of(las.view().crosshairVoxel()[0],
                las.view().crosshairVoxel()[1], las.view().crosshairVoxel()[2]));
    }

    @Test
    public void theSidePanelsControlsAreInViewAt1600By1000() throws Exception {
        Shell shell = Workbench.page().getWorkbenchWindow().getShell();
        Rectangle before = shell.getBounds();
        shell.setBounds(0, 0, 1600, 1000);
        try {
            Workbench.page().resetPerspective();
            VolumeEditor editor = open(SharedData.nifti("anatomical.nii"));
            Composite panel = editor.overlayPanel();
            Rectangle shown = panel.getDisplay().map(panel.getParent().getParent(), null,
                    panel.getParent().getParent().getClientArea());
            List<String> wanted = List.of("Opacity:", "Threshold:", "Add overlay...", "Add underlay...", "Remove",
                    "Export PNG...", "Radiological");
            List<String> found = new ArrayList<>();
            walk(panel, c -> {
                String text = c instanceof Button b ? b.getText() : c instanceof Label l ? l.getText() : null;
                if (text != null && wanted.contains(text)) {
                    Rectangle at = c.getDisplay().map(c.getParent(), null, c.getBounds());
                    assertTrue(shown.contains(at.x, at.y) && shown.contains(at.x + at.width - 1, at.y + at.height - 1),
                            text + " at " + at + " lies outside the panel's visible area " + shown);
                    found.add(text);
                }
            });
            assertEquals(wanted.size(), found.size(), "found " + found);
        } finally {
            shell.setBounds(before);
        }
    }

    private static void walk(Control control, Consumer<Control> visit) {
        visit.accept(control);
        if (control instanceof Composite c) {
            for (Control child : c.getChildren()) {
                walk(child, visit);
            }
        }
    }

    private static void rightDrag(SliceCanvas canvas, int dx, int dy) {
        Event down = new Event();
        down.button = 3;
        down.x = 50;
        down.y = 50;
        canvas.notifyListeners(SWT.MouseDown, down);
        Event move = new Event();
        move.x = 50 + dx;
        move.y = 50 + dy;
        move.stateMask = SWT.BUTTON3;
        canvas.notifyListeners(SWT.MouseMove, move);
        Event up = new Event();
        up.button = 3;
        up.x = move.x;
        up.y = move.y;
        canvas.notifyListeners(SWT.MouseUp, up);
        Workbench.settle();
    }

    /** @return the label of the change Edit > Undo would take back in a viewer */
    private static String undoLabel(VolumeEditor editor) {
        return OperationHistoryFactory.getOperationHistory().getUndoOperation(editor.undoContext()).getLabel();
    }

    private static void undo() throws Exception {
        command("org.eclipse.ui.edit.undo");
    }

    private static void redo() throws Exception {
        command("org.eclipse.ui.edit.redo");
    }

    /** Runs a command as Edit > Undo and Redo do, through the active window's handlers. */
    private static void command(String id) throws Exception {
        // the undo and redo handlers learn of the history's change through the event loop
        Workbench.settle();
        IHandlerService handlers = Workbench.page().getWorkbenchWindow().getService(IHandlerService.class);
        handlers.executeCommand(id, null);
        Workbench.settle();
    }
}
