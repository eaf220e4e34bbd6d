package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.brainalign.io.roi.RoiCommands;
import org.brainalign.ui.BrainAlignmentPerspective;
import org.brainalign.ui.viewer.VolumeEditor;
import org.brainalign.ui.viewer.model.Colormap;
import org.brainalign.ui.viewer.model.Overlay;
import org.brainalign.ui.viewer.model.VolumeView;
import org.brainalign.ui.viewer.model.tests.SharedData;
import org.brainalign.ui.wizards.NiftiImportOperation;
import org.brainalign.ui.workspace.ProjectLayout;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
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
        IFile aal = new NiftiImportOperation(List.of(SharedData.nifti("aal.nii.gz")), mni, false).run(null).get(0);
        mni.getFile("aal.nii.txt").create(new ByteArrayInputStream(Files.readAllBytes(SharedData.nifti("aal.nii.txt"))),
                IResource.FORCE, null);
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

    private static ImageData capture(Shell shell) {
        Display display = shell.getDisplay();
        shell.forceActive();
        Workbench.settle();
        Rectangle b = shell.getBounds();
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

    private static void save(ImageData data, Path file) {
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] { data };
        loader.save(file.toString(), SWT.IMAGE_PNG);
    }
}
