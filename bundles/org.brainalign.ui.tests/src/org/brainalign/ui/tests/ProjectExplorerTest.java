package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.brainalign.core.VolumeGrid;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.io.run.MapWriter;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunInfo;
import org.brainalign.testing.SharedData;
import org.brainalign.ui.BrainAlignmentPerspective;
import org.brainalign.ui.viewer.VolumeEditor;
import org.brainalign.ui.wizards.NiftiImportOperation;
import org.brainalign.ui.workspace.BrainAlignNature;
import org.brainalign.ui.workspace.DataLabelProvider;
import org.brainalign.ui.workspace.Icons;
import org.brainalign.ui.workspace.ProjectLayout;
import org.brainalign.workflow.slices.Colormap;
import org.brainalign.workflow.slices.VolumeView;
import org.brainalign.workflow.slices.WindowLevel;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.navigator.CommonNavigator;
import org.eclipse.ui.navigator.CommonViewer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BrainAlign data in the Project Explorer: the nature and folders of a new project, icons and label decorations of
 * NIfTI files (shape, datatype, orientation, voxel size as nibabel reads them), subjects and runs, and double-click
 * opening NIfTI files (.nii and .nii.gz) and run folders in the volume viewer.
 */
public class ProjectExplorerTest {

    private static IProject project;
    private static IFile anatomical;
    private static IFile aal;
    private static IFolder run;
    /** The fitted voxels of the test run, and the preferred layer (1-based) each one gets from its weights. */
    private static int[][] fitted = { { 16, 20, 12 }, { 17, 20, 12 }, { 16, 21, 12 }, { 15, 20, 12 } };
    private static int[] preferred = { 1, 2, 4, 1 };

    @BeforeAll
    public static void createData() throws Exception {
        project = Workbench.freshProject("explorer-test");
        List<IFile> files = new NiftiImportOperation(
                List.of(SharedData.nifti("anatomical.nii"), SharedData.nifti("aal.nii.gz")),
                project.getFolder(ProjectLayout.SUBJECTS).getFolder("demo"), false).run(null);
        anatomical = files.get(0);
        aal = files.get(1);

        // a real run folder on the anatomical grid, written by the io bundle as a fit would
        NiftiImage image = NiftiImage.read(anatomical.getLocation().toPath());
        VolumeGrid grid = image.grid();
        int[] indices = new int[fitted.length];
        for (int n = 0; n < fitted.length; n++) {
            indices[n] = grid.index(fitted[n][0], fitted[n][1], fitted[n][2]);
        }
        run = project.getFolder(ProjectLayout.RUNS).getFolder("vit-tiny");
        Path dir = run.getLocation().toPath();
        RunInfo info = RunInfo.builder("vit-tiny demo")
                .setBackbone(Map.of("family", "hf-vit", "checkpoint", "/models/vit-mnist-tiny", "layers", 4))
                .putMetric("pearson_r", 0.5).build();
        RunFolder folder = RunFolder.create(dir, info, VoxelSet.ofVolume(grid, indices), image.header());
        // uniform weights prefer the first layer (the first maximum)
        float[][] weights = { { 0.7f, 0.1f, 0.1f, 0.1f }, { 0.1f, 0.7f, 0.1f, 0.1f }, { 0.1f, 0.1f, 0.1f, 0.7f },
                { 0.25f, 0.25f, 0.25f, 0.25f } };
        float[] zero = new float[4];
        float[] half = { 0.5f, 0.5f, 0.5f, 0.5f };
        SelectorMaps maps = SelectorMaps.of(weights, zero, zero, half, half, half);
        folder.writeSelectors(maps);
        MapWriter.write(folder, maps, null);
        project.refreshLocal(IResource.DEPTH_INFINITE, null);
    }

    @AfterEach
    public void closeEditors() {
        Workbench.page().closeAllEditors(false);
        Workbench.settle();
    }

    @Test
    public void aNewProjectHasTheNatureAndTheFolders() throws Exception {
        assertTrue(project.hasNature(BrainAlignNature.ID));
        for (String f : new String[] { ProjectLayout.SUBJECTS, ProjectLayout.FEATURES, ProjectLayout.RUNS }) {
            assertTrue(project.getFolder(f).exists(), f);
        }
    }

    @Test
    public void filesAndRunsShowTheirIconsAndWhatTheyHold() throws Exception {
        CommonViewer viewer = explorer().getCommonViewer();
        viewer.expandToLevel(project, CommonViewer.ALL_LEVELS);
        Workbench.settle();
        TreeItem nii = item(viewer, anatomical);
        TreeItem gz = item(viewer, aal);
        TreeItem runItem = item(viewer, run);
        TreeItem subject = item(viewer, project.getFolder(ProjectLayout.SUBJECTS).getFolder("demo"));
        // nibabel: shape 33 x 41 x 25, >i2, affine diag(-2, 2, 2): LAS with 2 mm voxels
        Workbench.waitUntil(() -> nii.getText().endsWith("[33\u00d741\u00d725 int16, LAS, 2\u00d72\u00d72 mm]"),
                "the NIfTI decoration, got " + nii.getText());
        Workbench.waitUntil(() -> gz.getText().endsWith("[181\u00d7217\u00d7181 uint8, RAS, 1\u00d71\u00d71 mm]"),
                "the .nii.gz decoration, got " + gz.getText());
        // the run's label is not its folder's name, so the decoration names it
        Workbench.waitUntil(
                () -> runItem.getText().endsWith("['vit-tiny demo', hf-vit vit-mnist-tiny, pearson_r 0.500]"),
                "the run decoration, got " + runItem.getText());
        assertEquals(Icons.RUN, DataLabelProvider.iconOf(run));
        assertEquals(Icons.SUBJECT, DataLabelProvider.iconOf(subject.getData()));
        assertSameIcon(Icons.VOLUME, nii.getImage());
        assertSameIcon(Icons.VOLUME, gz.getImage());
        assertSameIcon(Icons.RUN, runItem.getImage());
        assertSameIcon(Icons.SUBJECT, subject.getImage());
    }

    @Test
    public void doubleClickOpensNiftiFilesInTheViewer() throws Exception {
        CommonViewer viewer = explorer().getCommonViewer();
        viewer.expandToLevel(project, CommonViewer.ALL_LEVELS);
        Workbench.settle();
        for (IFile f : new IFile[] { anatomical, aal }) {
            doubleClick(viewer, f);
            Workbench.waitUntil(() -> Workbench.page().getActiveEditor() instanceof VolumeEditor e
                    && e.file().equals(f.getLocation().toPath()), "the viewer on " + f.getName());
            Workbench.loaded(Workbench.page().getActiveEditor());
        }
        // the association holds beyond the explorer too: the workbench's default editor for both names
        assertEquals(VolumeEditor.ID, IDE.getDefaultEditor(aal).getId());
        assertEquals(VolumeEditor.ID, IDE.getDefaultEditor(anatomical).getId());
    }

    @Test
    public void doubleClickOnARunOpensItsLayerMapOnTheLayerScale() throws Exception {
        CommonViewer viewer = explorer().getCommonViewer();
        viewer.expandToLevel(project, CommonViewer.ALL_LEVELS);
        Workbench.settle();
        doubleClick(viewer, run);
        Workbench.waitUntil(() -> Workbench.page().getActiveEditor() instanceof VolumeEditor,
                "the viewer on the run's layer map");
        IEditorPart part = Workbench.page().getActiveEditor();
        VolumeEditor editor = Workbench.loaded(part);
        assertEquals("preferred_layer.nii.gz", editor.file().getFileName().toString());
        VolumeView view = editor.view();
        assertEquals(Colormap.LAYERS, view.base().colormap());
        assertEquals(new WindowLevel(1, 4), view.base().window(), "the run's four layers");
        assertNotNull(view.base().dimming(), "dimmed by the run's entropy map");
        for (int n = 0; n < fitted.length; n++) {
            view.setCrosshairVoxel(fitted[n]);
            assertEquals(preferred[n], view.readout().value(), "voxel " + n);
        }
        // outside the fitted voxels the map holds 0, which is not drawn
        view.setCrosshairVoxel(new int[] { 0, 0, 0 });
        assertEquals(0, view.readout().value());
        assertTrue(!view.base().shows(0));
    }

    private static CommonNavigator explorer() throws Exception {
        return (CommonNavigator) Workbench.page().showView(BrainAlignmentPerspective.PROJECT_EXPLORER);
    }

    private static TreeItem item(CommonViewer viewer, IResource resource) {
        viewer.reveal(resource);
        Workbench.settle();
        TreeItem found = find(viewer.getTree().getItems(), resource);
        assertNotNull(found, "no tree item for " + resource);
        return found;
    }

    private static TreeItem find(TreeItem[] items, IResource resource) {
        for (TreeItem i : items) {
            if (resource.equals(i.getData())) {
                return i;
            }
            TreeItem inner = find(i.getItems(), resource);
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    private static void doubleClick(CommonViewer viewer, IResource resource) throws Exception {
        // the user clicks in the explorer first, which makes it the active part
        Workbench.page().activate(explorer());
        TreeItem item = item(viewer, resource);
        viewer.setSelection(new StructuredSelection(resource), true);
        Workbench.settle();
        Event e = new Event();
        e.item = item;
        viewer.getTree().notifyListeners(SWT.DefaultSelection, e);
        Workbench.settle();
    }

    private static void assertSameIcon(String icon, Image shown) {
        assertNotNull(shown, "no image for " + icon);
        int[] expected = pixels(Icons.image(icon));
        String which = "";
        for (String other : new String[] { Icons.VOLUME, Icons.RUN, Icons.SUBJECT, Icons.FEATURES, Icons.BRAINALIGN }) {
            if (java.util.Arrays.equals(pixels(Icons.image(other)), pixels(shown))) {
                which = " (it shows " + other + ")";
            }
        }
        assertArrayEquals(expected, pixels(shown), "the tree shows another image than " + icon + which);
    }

    private static int[] pixels(Image image) {
        var data = image.getImageData();
        int[] p = new int[data.width * data.height];
        for (int y = 0; y < data.height; y++) {
            for (int x = 0; x < data.width; x++) {
                p[y * data.width + x] = data.getPixel(x, y) | data.getAlpha(x, y) << 24;
            }
        }
        return p;
    }
}
