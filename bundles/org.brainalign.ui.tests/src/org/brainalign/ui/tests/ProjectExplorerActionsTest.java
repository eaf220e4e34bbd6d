package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.brainalign.testing.SharedData;
import org.brainalign.ui.BrainAlignmentPerspective;
import org.brainalign.ui.viewer.VolumeEditor;
import org.brainalign.ui.wizards.NiftiImportOperation;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.ui.IEditorDescriptor;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.navigator.CommonNavigator;
import org.eclipse.ui.part.FileEditorInput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Project Explorer's own actions on data: Add as overlay draws a volume over the viewer, only for NIfTI files;
 * a run's report.html opens in a web browser rather than as HTML source.
 */
public class ProjectExplorerActionsTest {

    private static IProject project;
    private static IFile anatomy;
    private static IFile atlas;

    @BeforeAll
    public static void importVolumes() throws Exception {
        project = Workbench.freshProject("explorer-actions-test");
        IFolder folder = project.getFolder("subjects").getFolder("volumes");
        List<IFile> files = new NiftiImportOperation(
                List.of(SharedData.nifti("anatomical.nii"), SharedData.nifti("aal.nii.gz")), folder, false).run(null);
        anatomy = files.get(0);
        atlas = folder.getFile("aal.nii.gz");
        project.refreshLocal(IResource.DEPTH_INFINITE, null);
    }

    @AfterAll
    public static void closeEditors() {
        Workbench.page().closeAllEditors(false);
    }

    /** @return the Project Explorer's context menu items for what is selected, as the user sees it opened */
    private static List<MenuItem> contextMenu(Menu menu) {
        menu.notifyListeners(SWT.Show, new Event());
        Workbench.settle();
        return List.of(menu.getItems());
    }

    @Test
    public void addAsOverlayDrawsTheVolumeOverTheViewer() throws Exception {
        VolumeEditor viewer = Workbench.open(new FileEditorInput(anatomy));
        assertEquals(1, viewer.view().overlays().size());
        Workbench.selectInExplorer(atlas);
        CommonNavigator explorer = (CommonNavigator) Workbench.page()
                .findView(BrainAlignmentPerspective.PROJECT_EXPLORER);
        Menu menu = explorer.getCommonViewer().getTree().getMenu();
        MenuItem add = null;
        List<String> texts = new ArrayList<>();
        for (MenuItem item : contextMenu(menu)) {
            texts.add(item.getText());
            if (item.getText().startsWith("Add as overlay")) {
                add = item;
            }
        }
        assertNotNull(add, "no Add as overlay among " + texts);
        assertTrue(add.isEnabled());
        add.notifyListeners(SWT.Selection, new Event());
        menu.notifyListeners(SWT.Hide, new Event());
        Workbench.waitUntil(() -> viewer.view().overlays().size() == 2, "the atlas over the anatomy");
        assertEquals("aal.nii.gz", viewer.view().overlays().get(1).volume().name());

        // a folder is no volume: the action is not offered
        Workbench.selectInExplorer(project.getFolder("subjects"));
        assertFalse(contextMenu(menu).stream().anyMatch(i -> i.getText().startsWith("Add as overlay")));
        menu.notifyListeners(SWT.Hide, new Event());
    }

    @Test
    public void aReportOpensInAWebBrowser() {
        IEditorDescriptor editor = PlatformUI.getWorkbench().getEditorRegistry().getDefaultEditor("report.html");
        assertNotNull(editor);
        assertEquals("org.brainalign.ui.reportBrowser", editor.getId());
        assertFalse(editor.isInternal(), "not a text editor on the HTML");
        // another HTML file keeps the editor it had
        IEditorDescriptor other = PlatformUI.getWorkbench().getEditorRegistry().getDefaultEditor("notes.html");
        assertTrue(other == null || !other.getId().equals(editor.getId()));
    }
}
