package org.brainalign.ui.handlers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.brainalign.ui.viewer.VolumeEditor;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IEditorReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * Right-click a volume in the Project Explorer > Add as overlay: draws it over the volume viewer the user looked at
 * last (or, when the last editor was another kind, over an open viewer), as the viewer's own Add overlay does: an
 * atlas as labels, a run map styled for its kind.
 */
public class AddAsOverlayHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindow(event);
        IStructuredSelection selection = HandlerUtil.getCurrentStructuredSelection(event);
        if (window == null || window.getActivePage() == null) {
            return null;
        }
        List<Path> volumes = new ArrayList<>();
        for (Object o : selection) {
            IFile f = Adapters.adapt(o, IFile.class);
            IPath location = f == null ? null : f.getLocation();
            if (location != null) {
                volumes.add(location.toPath());
            }
        }
        VolumeEditor viewer = viewer(window.getActivePage());
        if (viewer == null) {
            MessageDialog.openInformation(window.getShell(), "Add as overlay",
                    "No volume is open in the viewer: open the volume to draw over (double-click it), then add this"
                            + " one as an overlay.");
            return null;
        }
        add(viewer, volumes);
        window.getActivePage().activate(viewer);
        return null;
    }

    /**
     * @param page a workbench page
     * @return the viewer to draw over, or null when none is open
     */
    public static VolumeEditor viewer(IWorkbenchPage page) {
        // the active editor stays the one last used while the Project Explorer has the focus
        if (page.getActiveEditor() instanceof VolumeEditor active) {
            return active;
        }
        for (IEditorReference r : page.getEditorReferences()) {
            IEditorPart part = r.getEditor(false);
            if (part instanceof VolumeEditor viewer) {
                return viewer;
            }
        }
        return null;
    }

    /**
     * Adds volumes as overlays of a viewer.
     *
     * @param viewer the viewer
     * @param volumes NIfTI files
     * @return the jobs reading them (already scheduled)
     */
    public static List<Job> add(VolumeEditor viewer, List<Path> volumes) {
        return volumes.stream().map(viewer::addOverlay).toList();
    }
}
