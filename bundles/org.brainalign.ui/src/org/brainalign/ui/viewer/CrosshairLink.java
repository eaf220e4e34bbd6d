package org.brainalign.ui.viewer;

import org.brainalign.ui.preferences.WorkbenchPreferences;
import org.eclipse.ui.IEditorReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;

/**
 * Links the crosshairs of the open volume viewers by world position (when the preference asks for it): the user
 * moves the crosshair in one viewer and every other viewer moves to the voxel nearest the same point in mm, as
 * FSLeyes and MRIcroGL do across their views. Runs in the UI thread only.
 */
final class CrosshairLink {

    /** Set while the other viewers follow, so that their own moves are not passed on again. */
    private static boolean following;

    private CrosshairLink() {
    }

    /**
     * @param source the viewer whose crosshair the user moved
     * @param world its new world position in mm
     */
    static void moved(VolumeEditor source, double[] world) {
        if (following || !PlatformUI.isWorkbenchRunning() || !WorkbenchPreferences.current().linkCrosshairs()) {
            return;
        }
        following = true;
        try {
            for (IWorkbenchWindow window : PlatformUI.getWorkbench().getWorkbenchWindows()) {
                for (IWorkbenchPage page : window.getPages()) {
                    for (IEditorReference ref : page.getEditorReferences()) {
                        if (ref.getEditor(false) instanceof VolumeEditor other && other != source
                                && other.isLoaded()) {
                            other.view().setCrosshairWorld(world);
                        }
                    }
                }
            }
        } finally {
            following = false;
        }
    }
}
