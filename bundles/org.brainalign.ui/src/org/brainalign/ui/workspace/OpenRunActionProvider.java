package org.brainalign.ui.workspace;

import java.util.Optional;

import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.SelectorMap;
import org.brainalign.ui.viewer.VolumeEditor;
import org.brainalign.workflow.slices.RunMaps;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IPath;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.ui.IActionBars;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.navigator.CommonActionProvider;
import org.eclipse.ui.navigator.ICommonActionConstants;
import org.eclipse.ui.navigator.ICommonActionExtensionSite;
import org.eclipse.ui.navigator.ICommonViewerWorkbenchSite;
import org.eclipse.ui.part.FileEditorInput;

/**
 * Opens a run folder on double-click (or Open): the volume viewer shows the run's preferred-layer map on the layer
 * scale, dimmed by its entropy map ({@link org.brainalign.workflow.slices.RunMapStyle}).
 */
public class OpenRunActionProvider extends CommonActionProvider {

    private OpenRun open;

    @Override
    public void init(ICommonActionExtensionSite site) {
        if (site.getViewSite() instanceof ICommonViewerWorkbenchSite workbenchSite) {
            open = new OpenRun(workbenchSite.getPage());
        }
    }

    @Override
    public void fillActionBars(IActionBars actionBars) {
        if (open != null && getContext() != null
                && getContext().getSelection() instanceof IStructuredSelection s && s.size() == 1
                && s.getFirstElement() instanceof IFolder folder && ProjectLayout.isRunFolder(folder)) {
            open.folder = folder;
            actionBars.setGlobalActionHandler(ICommonActionConstants.OPEN, open);
        }
    }

    /**
     * Opens the layer map of a run folder in the volume viewer.
     *
     * @param page the page to open it in
     * @param folder a run folder
     * @return whether a map was opened (if not, the user was told why)
     */
    public static boolean openRun(IWorkbenchPage page, IFolder folder) {
        IPath location = folder.getLocation();
        try {
            if (location != null && openMap(page, location.toPath()) != null) {
                return true;
            }
        } catch (PartInitException e) {
            MessageDialog.openError(page.getWorkbenchWindow().getShell(), "Open run", e.getMessage());
            return false;
        }
        // a surface run (an Algonauts subject) has per-vertex maps and no anatomy: listed, not drawn on black
        boolean surface = folder.getFile(RunFolder.MAPS + "/" + SelectorMap.PREFERRED_LAYER.stem() + ".npy").exists();
        MessageDialog.openInformation(page.getWorkbenchWindow().getShell(), "Open run", surface
                ? "Run " + folder.getName() + " lies on the cortical surface: its maps are the per-vertex arrays in"
                        + " maps/ (preferred_layer.npy and the others), shown in the charts and ROI views; the slice"
                        + " viewer draws volume maps only."
                : "Run " + folder.getName()
                        + " has no layer map yet (maps/preferred_layer.nii.gz): run brainalign analyze on it first.");
        return false;
    }

    /**
     * Opens the layer map of a run folder in the volume viewer, as a workspace file when the workspace holds it.
     *
     * @param page the page to open it in
     * @param runFolder a run folder on disk
     * @return the viewer, or null when the run has no layer map yet
     * @throws PartInitException if the viewer cannot be opened
     */
    public static IEditorPart openMap(IWorkbenchPage page, java.nio.file.Path runFolder) throws PartInitException {
        Optional<java.nio.file.Path> map = RunMaps.mapFile(runFolder, SelectorMap.PREFERRED_LAYER);
        if (map.isEmpty()) {
            return null;
        }
        IFile[] files = ResourcesPlugin.getWorkspace().getRoot().findFilesForLocationURI(map.get().toUri());
        if (files.length > 0) {
            return page.openEditor(new FileEditorInput(files[0]), VolumeEditor.ID);
        }
        return page.openEditor(new org.eclipse.ui.ide.FileStoreEditorInput(
                org.eclipse.core.filesystem.EFS.getLocalFileSystem().getStore(map.get().toUri())), VolumeEditor.ID);
    }

    private static final class OpenRun extends Action {

        private final IWorkbenchPage page;
        private IFolder folder;

        OpenRun(IWorkbenchPage page) {
            super("Open layer map");
            this.page = page;
        }

        @Override
        public void run() {
            if (folder != null) {
                openRun(page, folder);
            }
        }
    }
}
