package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.brainalign.core.data.Roi;
import org.brainalign.io.roi.RoiCommands;
import org.brainalign.io.subject.NsdVolumeSubject;
import org.brainalign.testing.SharedData;
import org.brainalign.ui.BrainAlignmentPerspective;
import org.brainalign.ui.charts.ChartKind;
import org.brainalign.ui.charts.ChartView;
import org.brainalign.ui.jobs.DemoJob;
import org.brainalign.ui.jobs.RunResults;
import org.brainalign.ui.roi.RoiView;
import org.brainalign.ui.roi.RoiViewsMenu;
import org.brainalign.ui.runs.LoadedRun;
import org.brainalign.ui.runs.RunContext;
import org.brainalign.ui.runs.Stimuli;
import org.brainalign.ui.viewer.VolumeEditor;
import org.brainalign.ui.wizards.NiftiImportOperation;
import org.brainalign.ui.workspace.ProjectLayout;
import org.brainalign.workflow.slices.Colormap;
import org.brainalign.workflow.slices.Overlay;
import org.brainalign.workflow.slices.VolumeView;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.navigator.CommonNavigator;
import org.junit.jupiter.api.Test;

/**
 * The workbench as the user guide shows it: the AAL atlas in the viewer with the calcarine cortex (the V1 stand-in)
 * drawn over it as an outline, the Project Explorer beside it. The window is captured from the screen (under Xvfb)
 * into target/screenshots/, and the capture is checked to show the viewer's colours, not an empty window.
 */
public class ScreenshotTest {

    @Test
    public void workbenchWithTheViewerOnAalAndACalcarineOutline() throws Exception {
        IProject project = Workbench.freshProject("brainalign-demo");
        IFolder mni = project.getFolder(ProjectLayout.SUBJECTS).getFolder("mni");
        // the import brings aal.nii.txt along, so the atlas names its regions
        IFile aal = new NiftiImportOperation(List.of(SharedData.nifti("aal.nii.gz")), mni, false).run(null).get(0);
        Path calcarine = mni.getLocation().toPath().resolve("calcarine.nii.gz");
        RoiCommands.mask(aal.getLocation().toPath(), null, new int[] { 43, 44 }, calcarine);
        project.refreshLocal(IResource.DEPTH_INFINITE, null);

        Shell shell = Workbench.page().getWorkbenchWindow().getShell();
        shell.setBounds(0, 0, 1280, 820);
        Workbench.page().setPerspective(Workbench.page().getWorkbenchWindow().getWorkbench().getPerspectiveRegistry()
                .findPerspectiveWithId(BrainAlignmentPerspective.ID));
        CommonNavigator explorer = (CommonNavigator) Workbench.page()
                .showView(BrainAlignmentPerspective.PROJECT_EXPLORER);
        explorer.getCommonViewer().expandToLevel(mni, 1);
        // room for the viewer: the views the picture does not need are put away (and restored at the end)
        for (String id : new String[] { IPageLayout.ID_PROP_SHEET, IPageLayout.ID_PROGRESS_VIEW,
                IPageLayout.ID_PROBLEM_VIEW }) {
            IViewPart part = Workbench.page().findView(id);
            if (part != null) {
                Workbench.page().hideView(part);
            }
        }

        VolumeEditor editor = Workbench.loaded(IDE.openEditor(Workbench.page(), aal));
        VolumeView view = editor.view();
        editor.addOverlay(calcarine).join();
        Workbench.waitUntil(() -> view.overlays().size() == 2, "the outline overlay");
        Overlay outline = view.overlays().get(1);
        outline.setColormap(Colormap.HOT);
        outline.setOutline(true);
        outline.setOpacity(1);
        outline.setThreshold(0.5);
        view.base().setOpacity(0.85);
        // a voxel of Calcarine_L (x < 0), in the occipital pole
        view.setCrosshairWorld(new double[] { -8, -82, 6 });
        editor.overlayPanel().select(outline);
        Workbench.settle();
        assertTrue(editor.readoutText().contains("Calcarine_L"), editor.readoutText());

        Path dir = Path.of(System.getProperty("user.dir"), "target", "screenshots");
        Files.createDirectories(dir);
        ImageData window = capture(shell);
        save(window, dir.resolve("workbench-viewer.png"));
        editor.exportPng(dir.resolve("viewer-export.png"));
        System.out.println("screenshots written to " + dir);

        // an empty or black capture would have a handful of colours; the atlas alone brings over a hundred
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < window.height; y += 2) {
            for (int x = 0; x < window.width; x += 2) {
                colours.add(window.getPixel(x, y));
            }
        }
        assertTrue(colours.size() > 100, colours.size() + " colours in the capture");
        assertEquals(shell.getBounds().width, window.width);
        Workbench.page().closeAllEditors(false);
        Workbench.page().resetPerspective();
    }

    /**
     * The workbench with a fitted demo run open: the layer map in the viewer with the crosshair in V1, V1's ROI view
     * over one of the run's stimuli, and the layer preference chart (the map over the demo subject's synthetic anatomy,
     * exported with its layer legend); then the alignment chart and FFA's view. The
     * demo is the one named by the system property brainalign.screenshotDemo (a folder written by
     * {@code brainalign demo --out DIR}, for the user guide's pictures), else a tiny one made here.
     */
    @Test
    public void workbenchWithAFittedDemoRun() throws Exception {
        ErrorDialog.AUTOMATED_MODE = true;
        IWorkbenchWindow window = Workbench.page().getWorkbenchWindow();
        String given = System.getProperty("brainalign.screenshotDemo");
        IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject("screenshot-demo");
        if (project.exists()) {
            project.delete(given == null
                    ? IResource.ALWAYS_DELETE_PROJECT_CONTENT | IResource.FORCE
                    : IResource.NEVER_DELETE_PROJECT_CONTENT | IResource.FORCE, null);
        }
        if (given != null) {
            project = ProjectLayout.create("screenshot-demo", Path.of(given).toUri(), null);
        } else {
            DemoJob job = new DemoJob(window, "screenshot-demo", null, new DemoJob.Settings(20, 2, 1, 1, 2));
            job.schedule();
            job.join();
            assertEquals(IStatus.OK, job.getResult().getSeverity(), String.valueOf(job.getResult()));
        }
        project.refreshLocal(IResource.DEPTH_INFINITE, null);
        Path runFolder = project.getLocation().toPath().resolve("runs/demo");

        Shell shell = window.getShell();
        // within xvfb-run's default 1280 x 1024 screen: the capture copies from the screen
        shell.setBounds(0, 0, 1280, 880);
        Workbench.page().setPerspective(window.getWorkbench().getPerspectiveRegistry()
                .findPerspectiveWithId(BrainAlignmentPerspective.ID));
        Workbench.page().resetPerspective();
        Workbench.page().closeAllEditors(false);
        CommonNavigator explorer = (CommonNavigator) Workbench.page()
                .showView(BrainAlignmentPerspective.PROJECT_EXPLORER);
        // the other tests' projects stay folded away
        explorer.getCommonViewer().collapseAll();
        explorer.getCommonViewer().expandToLevel(project.getFolder("runs"), 1);
        Workbench.selectInExplorer(project.getFolder("runs").getFolder("demo"));
        VolumeEditor editor = Workbench.loaded(RunResults.show(window, runFolder));
        Workbench.runsRead();
        LoadedRun run = RunContext.of(window).state().run();
        assertEquals(runFolder, run.folder());

        RoiView v1 = RoiViewsMenu.open(Workbench.page(), "V1");
        Workbench.page().activate(editor);
        Roi roi = run.roi("V1").orElseThrow();
        int voxel = roi.members()[roi.size() / 2];
        editor.view().setCrosshairVoxel(run.voxelOf(voxel).orElseThrow());
        Workbench.runsRead();
        Workbench.waitUntil(() -> v1.highlighted().isPresent(), "V1's view to highlight the crosshair");
        Path stimuli = Stimuli.folder(run.run()).orElseThrow();
        v1.showStimulus(Stimuli.list(stimuli, 10).get(3)).join();
        ChartView layers = (ChartView) Workbench.page().showView(ChartKind.LAYER_PREFERENCE.viewId(), null,
                IWorkbenchPage.VIEW_VISIBLE);
        Workbench.drawn(layers);
        Workbench.settle();
        assertNotNull(v1.blendedStimulus());
        assertNull(layers.message(), layers.message());

        Path dir = Path.of(System.getProperty("user.dir"), "target", "screenshots");
        Files.createDirectories(dir);
        ImageData first = capture(shell);
        save(first, dir.resolve("workbench-demo.png"));
        assertTrue(colours(first) > 100, colours(first) + " colours in the capture");
        // the demo subject's synthetic T1 lies under the layer map, and the export carries the layer legend
        assertNotNull(editor.view().underlay(), "no anatomy under the demo's layer map");
        assertEquals(NsdVolumeSubject.T1, editor.view().underlay().volume().name());
        assertTrue(editor.view().colourBars().get(0).isLegend());
        editor.exportPng(dir.resolve("viewer-anatomy.png"));

        RoiView ffa = RoiViewsMenu.open(Workbench.page(), "FFA");
        ChartView alignment = (ChartView) Workbench.page().showView(ChartKind.ALIGNMENT.viewId(), null,
                IWorkbenchPage.VIEW_VISIBLE);
        Workbench.drawn(alignment);
        Workbench.page().activate(editor);
        Roi ffaRoi = run.roi("FFA").orElseThrow();
        editor.view().setCrosshairVoxel(run.voxelOf(ffaRoi.members()[ffaRoi.size() / 2]).orElseThrow());
        Workbench.settle();
        assertTrue(ffa.highlighted().isPresent() && ffa.highlighted().get().inRoi(), ffa.voxelText());
        ImageData second = capture(shell);
        save(second, dir.resolve("workbench-charts.png"));
        assertTrue(colours(second) > 100, colours(second) + " colours in the capture");
        System.out.println("screenshots written to " + dir);
        Workbench.page().closeAllEditors(false);
        Workbench.page().resetPerspective();
    }

    static int colours(ImageData image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.height; y += 2) {
            for (int x = 0; x < image.width; x += 2) {
                colours.add(image.getPixel(x, y));
            }
        }
        return colours.size();
    }

    static ImageData capture(Shell shell) {
        return capture(shell, shell.getBounds());
    }

    /**
     * @param shell a shell, brought to the front first
     * @param b the rectangle of the screen to copy, in display coordinates
     * @return what the screen shows there
     */
    static ImageData capture(Shell shell, Rectangle b) {
        Display display = shell.getDisplay();
        shell.forceActive();
        Workbench.settle();
        Image image = new Image(display, b.width, b.height);
        GC gc = new GC(display);
        try {
            gc.copyArea(image, b.x, b.y);
            return image.getImageData();
        } finally {
            gc.dispose();
            image.dispose();
        }
    }

    static void save(ImageData data, Path file) {
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] { data };
        loader.save(file.toString(), SWT.IMAGE_PNG);
    }
}
