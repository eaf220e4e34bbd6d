package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.brainalign.core.Affine;
import org.brainalign.core.BrainAlignPreferences;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.testing.SharedData;
import org.brainalign.ui.preferences.WorkbenchPreferences;
import org.brainalign.ui.viewer.CrosshairPosition;
import org.brainalign.ui.viewer.SliceCanvas;
import org.brainalign.ui.viewer.VolumeEditor;
import org.brainalign.ui.wizards.NiftiImportOperation;
import org.brainalign.workflow.slices.Colormap;
import org.brainalign.workflow.slices.Overlay;
import org.brainalign.workflow.slices.Readout;
import org.brainalign.workflow.slices.SlicePlane;
import org.brainalign.workflow.slices.Viewport;
import org.brainalign.workflow.slices.VolumeView;
import org.eclipse.core.filesystem.EFS;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Event;
import org.eclipse.ui.ide.FileStoreEditorInput;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.part.FileEditorInput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

/**
 * The volume viewer in the real workbench: opened by the file association, driven by clicks and keys, checked
 * against nibabel's readings (centre value, affine) and the AAL label table; orientation letters and sides for an
 * LAS and an RAS file in both conventions; overlays; and the exported PNG decoded pixel by pixel.
 */
public class VolumeEditorTest {

    private static IProject project;
    private static IFile anatomical;

    @TempDir
    Path temp;

    @BeforeAll
    public static void importFiles() throws Exception {
        project = Workbench.freshProject("viewer-test");
        List<IFile> files = new NiftiImportOperation(List.of(SharedData.nifti("anatomical.nii")),
                project.getFolder("subjects").getFolder("demo"), false).run(null);
        anatomical = files.get(0);
    }

    @AfterEach
    public void closeEditorsAndResetPreferences() {
        Workbench.page().closeAllEditors(false);
        WorkbenchPreferences.store().setToDefault(BrainAlignPreferences.ORIENTATION_CONVENTION);
        Workbench.settle();
    }

    private static VolumeEditor openAnatomical() throws Exception {
        // the file association (not an explicit editor id) must choose the volume viewer
        return Workbench.loaded(IDE.openEditor(Workbench.page(), anatomical));
    }

    private static String world(Affine a, int[] ijk) {
        double[] w = a.voxelToWorld(ijk[0], ijk[1], ijk[2]);
        return String.format(Locale.ROOT, "World (%.2f, %.2f, %.2f) mm", w[0], w[1], w[2]);
    }

    @Test
    public void opensOnTheCentreVoxelWithNibabelsValueAndCoordinates() throws Exception {
        JsonObject ref = SharedData.nibabel("anatomical.nii");
        VolumeEditor editor = openAnatomical();
        List<String> lines = editor.readoutText().lines().toList();
        int[] c = SharedData.centre(ref);
        assertEquals("Voxel [" + c[0] + ", " + c[1] + ", " + c[2] + "]", lines.get(0));
        assertEquals(world(SharedData.affine(ref), c), lines.get(1));
        assertEquals("Value " + Readout.format((float) ref.get("center_value_scaled").getAsDouble()), lines.get(2));
        assertEquals("Value 11881", lines.get(2));
        assertTrue(editor.readoutText().contains("int16") && editor.readoutText().contains("LAS"),
                editor.readoutText());
    }

    @Test
    public void clicksAndKeysMoveTheLinkedCrosshair() throws Exception {
        VolumeEditor editor = openAnatomical();
        VolumeView view = editor.view();
        NiftiImage image = NiftiImage.read(SharedData.nifti("anatomical.nii"));
        Affine affine = SharedData.affine(SharedData.nibabel("anatomical.nii"));

        int[] target = { 10, 30, 12 };
        click(editor.canvas(SlicePlane.AXIAL), view.reorientation().toCanonical(target));
        assertArrayEquals(target, view.crosshairVoxel());
        List<String> lines = editor.readoutText().lines().toList();
        assertEquals("Voxel [10, 30, 12]", lines.get(0));
        assertEquals(world(affine, target), lines.get(1));
        assertEquals("Value " + Readout.format((float) image.get(10, 30, 12)), lines.get(2));
        // the crosshair is the editor's selection, for the views that follow it
        assertTrue(Workbench.page().getSelection() instanceof IStructuredSelection s
                && s.getFirstElement() instanceof CrosshairPosition p && Arrays.equals(target, p.voxel()),
                "selection " + Workbench.page().getSelection());
        CrosshairPosition selected = (CrosshairPosition) ((IStructuredSelection) Workbench.page().getSelection())
                .getFirstElement();
        assertArrayEquals(affine.voxelToWorld(10, 30, 12), selected.world(), 1e-4);

        // the sagittal slice shares the crosshair: a click there keeps i and moves j and k
        int[] onSagittal = { 10, 5, 20 };
        click(editor.canvas(SlicePlane.SAGITTAL), view.reorientation().toCanonical(onSagittal));
        assertArrayEquals(onSagittal, view.crosshairVoxel());

        key(editor.canvas(SlicePlane.AXIAL), SWT.PAGE_UP);
        assertArrayEquals(new int[] { 10, 5, 21 }, view.crosshairVoxel());
        key(editor.canvas(SlicePlane.AXIAL), SWT.PAGE_DOWN);
        key(editor.canvas(SlicePlane.AXIAL), SWT.PAGE_DOWN);
        assertArrayEquals(new int[] { 10, 5, 19 }, view.crosshairVoxel());
        // neurological: right on screen is the subject's right, a smaller i in this LAS file
        key(editor.canvas(SlicePlane.AXIAL), SWT.ARROW_RIGHT);
        key(editor.canvas(SlicePlane.AXIAL), SWT.ARROW_UP);
        assertArrayEquals(new int[] { 9, 6, 19 }, view.crosshairVoxel());
        assertTrue(editor.readoutText().startsWith("Voxel [9, 6, 19]"));

        double zoom = editor.canvas(SlicePlane.AXIAL).viewport().zoom();
        Event wheel = new Event();
        wheel.count = 3;
        wheel.x = 20;
        wheel.y = 20;
        editor.canvas(SlicePlane.AXIAL).notifyListeners(SWT.MouseVerticalWheel, wheel);
        assertTrue(editor.canvas(SlicePlane.AXIAL).viewport().zoom() > zoom);
    }

    @Test
    public void lettersAndSidesFollowTheAffineInBothConventions() throws Exception {
        VolumeEditor las = openAnatomical();
        // aal.nii.gz is RAS; it is opened from outside the workspace, and its label file lies beside it
        VolumeEditor ras = Workbench.open(new FileStoreEditorInput(
                EFS.getLocalFileSystem().getStore(SharedData.nifti("aal.nii.gz").toUri())));
        assertEquals("LAS", las.view().reorientation().fileOrientation());
        assertEquals("RAS", ras.view().reorientation().fileOrientation());
        for (VolumeEditor editor : List.of(las, ras)) {
            assertArrayEquals(new String[] { "L", "R", "A", "P" }, editor.canvas(SlicePlane.AXIAL).letters());
            assertArrayEquals(new String[] { "L", "R", "S", "I" }, editor.canvas(SlicePlane.CORONAL).letters());
            assertArrayEquals(new String[] { "A", "P", "S", "I" }, editor.canvas(SlicePlane.SAGITTAL).letters());
            assertTrue(worldXOfLeftQuarter(editor) < 0, "the left of a neurological slice is the subject's left");
        }
        WorkbenchPreferences.store().setValue(BrainAlignPreferences.ORIENTATION_CONVENTION,
                BrainAlignPreferences.RADIOLOGICAL);
        Workbench.waitUntil(() -> las.view().radiological() && ras.view().radiological(),
                "the viewers to follow the preference");
        for (VolumeEditor editor : List.of(las, ras)) {
            assertArrayEquals(new String[] { "R", "L", "A", "P" }, editor.canvas(SlicePlane.AXIAL).letters());
            assertArrayEquals(new String[] { "R", "L", "S", "I" }, editor.canvas(SlicePlane.CORONAL).letters());
            assertTrue(worldXOfLeftQuarter(editor) > 0, "the left of a radiological slice is the subject's right");
        }
    }

    /** Clicks a quarter of the way across the axial slice, at its middle row, and returns the world x there. */
    private static double worldXOfLeftQuarter(VolumeEditor editor) {
        SliceCanvas canvas = editor.canvas(SlicePlane.AXIAL);
        Point size = canvas.getSize();
        Viewport.Placement p = canvas.placement(size.x, size.y);
        int columns = editor.view().slice(SlicePlane.AXIAL).width();
        int rows = editor.view().slice(SlicePlane.AXIAL).height();
        mouse(canvas, (int) (p.x() + 0.25 * columns * p.pixelWidth()), (int) (p.y() + 0.5 * rows * p.pixelHeight()));
        return editor.view().readout().world()[0];
    }

    @Test
    public void atlasOverlayNamesTheRegionUnderTheCrosshair() throws Exception {
        VolumeEditor editor = openAnatomical();
        VolumeView view = editor.view();
        editor.addOverlay(SharedData.nifti("aal.nii.gz")).join();
        Workbench.waitUntil(() -> view.overlays().size() == 2, "the overlay to be added");
        Overlay aal = view.overlays().get(1);
        assertEquals(Colormap.LABELS, aal.colormap());

        // find, independently of the viewer, an anatomical voxel whose centre falls on a named AAL region
        NiftiImage atlas = NiftiImage.read(SharedData.nifti("aal.nii.gz"));
        Affine aalToVoxel = SharedData.affine(SharedData.nibabel("aal.nii.gz")).inverse();
        Affine anatomicalAffine = SharedData.affine(SharedData.nibabel("anatomical.nii"));
        int[] found = null;
        int label = 0;
        for (int k = 12; k < 25 && found == null; k++) {
            for (int j = 0; j < 41 && found == null; j++) {
                for (int i = 0; i < 33 && found == null; i++) {
                    double[] w = anatomicalAffine.voxelToWorld(i, j, k);
                    double[] a = aalToVoxel.voxelToWorld(w[0], w[1], w[2]);
                    int[] v = { (int) Math.round(a[0]), (int) Math.round(a[1]), (int) Math.round(a[2]) };
                    if (v[0] >= 0 && v[1] >= 0 && v[2] >= 0 && v[0] < 181 && v[1] < 217 && v[2] < 181
                            && atlas.get(v) > 0) {
                        found = new int[] { i, j, k };
                        label = (int) atlas.get(v);
                    }
                }
            }
        }
        assertNotNull(found, "no anatomical voxel lies in an AAL region");
        String name = null;
        for (String line : Files.readAllLines(SharedData.nifti("aal.nii.txt"), StandardCharsets.ISO_8859_1)) {
            String[] t = line.trim().split("\\s+");
            if (t[0].equals(Integer.toString(label))) {
                name = t[1];
            }
        }
        view.setCrosshairVoxel(found);
        Workbench.settle();
        assertTrue(editor.readoutText().contains("aal.nii.gz: " + name), editor.readoutText());
        assertTrue(editor.readoutText().contains("aal.nii.gz " + label), editor.readoutText());

        // settings typed into the panel act on the selected overlay; nonsense is reported, not applied
        editor.overlayPanel().select(aal);
        editor.overlayPanel().typeThreshold("abc");
        assertEquals("'abc' is not a number", editor.overlayPanel().problem());
        editor.overlayPanel().typeWindow("5", "1");
        assertTrue(editor.overlayPanel().problem().startsWith("The window needs two numbers"));
        editor.overlayPanel().typeThreshold(Integer.toString(label));
        assertEquals(label, aal.threshold());
        assertEquals("", editor.overlayPanel().problem());
    }

    @Test
    public void exportedPngShowsTheWindowedSliceAndTheCrosshair() throws Exception {
        VolumeEditor editor = openAnatomical();
        VolumeView view = editor.view();
        editor.overlayPanel().typeWindow("0", "20000");
        Workbench.settle();
        Path png = temp.resolve("view.png");
        editor.exportPng(png);
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' },
                java.util.Arrays.copyOf(bytes, 8));
        ImageData data = new ImageLoader().load(png.toString())[0];
        int w = data.width / 3;
        int h = editor.snapshotCell().y;
        assertTrue(w >= 64 && h >= 64, data.width + " x " + data.height);

        SliceCanvas axial = editor.canvas(SlicePlane.AXIAL);
        Viewport.Placement p = axial.placement(w, h);
        int[] cross = view.slice(SlicePlane.AXIAL).pixel(view.crosshair());
        int cx = (int) Math.floor(p.centreX(cross[0]));
        int cy = (int) Math.floor(p.centreY(cross[1]));
        assertEquals(new RGB(0, 0xE0, 0), data.palette.getRGB(data.getPixel(cx + 10, cy)), "crosshair line");

        // a voxel away from the crosshair: LAS neurological axial, so column c shows i = 32 - c and row r j = 40 - r
        NiftiImage image = NiftiImage.read(SharedData.nifti("anatomical.nii"));
        int col = cross[0] + 5;
        int row = cross[1] + 6;
        double value = image.get(32 - col, 40 - row, view.crosshairVoxel()[2]);
        int grey = (int) Math.round(255 * Math.min(1, Math.max(0, value / 20000)));
        RGB shown = data.palette
                .getRGB(data.getPixel((int) Math.floor(p.centreX(col)), (int) Math.floor(p.centreY(row))));
        assertEquals(new RGB(grey, grey, grey), shown, "voxel value " + value + " in the window 0 .. 20000");

        // the readout is written in white in the strip below the slices
        int white = 0;
        for (int y = h; y < h + 24; y++) {
            for (int x = 0; x < data.width; x++) {
                RGB c = data.palette.getRGB(data.getPixel(x, y));
                white += c.red > 200 && c.green > 200 && c.blue > 200 ? 1 : 0;
            }
        }
        assertTrue(white > 50, "no readout text below the slices");
    }

    @Test
    public void aFileThatIsNotNiftiEndsInOneSentence() throws Exception {
        IFile bad = project.getFile("bad.nii");
        bad.create(new java.io.ByteArrayInputStream("not an image".getBytes(StandardCharsets.US_ASCII)),
                IResource.FORCE, null);
        VolumeEditor editor = (VolumeEditor) Workbench.page().openEditor(new FileEditorInput(bad), VolumeEditor.ID);
        editor.loadingJob().join();
        Workbench.waitUntil(() -> editor.errorMessage() != null, "the error to be shown");
        String message = editor.errorMessage();
        assertTrue(message.startsWith("File ") && message.contains("bad.nii"), message);
        assertFalse(message.contains("\n"), message);
        assertFalse(editor.isLoaded());
    }

    private static void click(SliceCanvas canvas, int[] canonical) {
        Point p = canvas.pointOf(canonical);
        mouse(canvas, p.x, p.y);
    }

    private static void mouse(SliceCanvas canvas, int x, int y) {
        Event down = new Event();
        down.button = 1;
        down.x = x;
        down.y = y;
        canvas.notifyListeners(SWT.MouseDown, down);
        Event up = new Event();
        up.button = 1;
        up.x = x;
        up.y = y;
        canvas.notifyListeners(SWT.MouseUp, up);
        Workbench.settle();
    }

    private static void key(SliceCanvas canvas, int keyCode) {
        Event e = new Event();
        e.keyCode = keyCode;
        canvas.notifyListeners(SWT.KeyDown, e);
        Workbench.settle();
    }
}
