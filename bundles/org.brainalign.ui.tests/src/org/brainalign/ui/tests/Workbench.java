package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.BooleanSupplier;

import org.brainalign.ui.BrainAlignmentPerspective;
import org.brainalign.ui.charts.ChartView;
import org.brainalign.ui.runs.RunContext;
import org.brainalign.ui.viewer.VolumeEditor;
import org.brainalign.ui.workspace.ProjectLayout;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.navigator.CommonNavigator;

/** Drives the real workbench the tests run in: event loops, projects, and volume editors that finish loading. */
final class Workbench {

    /** Loading a volume takes well under a second here; 30 s only guards against a hang. */
    private static final long TIMEOUT_MS = 30_000;

    private Workbench() {
    }

    /** @return the active page */
    static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }

    /**
     * Runs the event loop until a condition holds.
     *
     * @param condition what to wait for
     * @param what its description, for the failure message
     */
    static void waitUntil(BooleanSupplier condition, String what) {
        Display display = Display.getCurrent();
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                fail("timed out waiting for " + what);
            }
            if (!display.readAndDispatch()) {
                display.timerExec(20, () -> {
                    // wakes the loop so that the condition is checked again
                });
                display.sleep();
            }
        }
    }

    /** Lets the display process everything pending. */
    static void settle() {
        Display display = Display.getCurrent();
        for (int i = 0; i < 50; i++) {
            while (display.readAndDispatch()) {
                // dispatch
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Selects resources in the Project Explorer as a user's click does: the explorer becomes the active part, and
     * the views that follow the selection hear of it; then waits until the runs are read.
     *
     * @param resources what to select
     * @throws Exception if the explorer cannot be shown or a job is interrupted
     */
    static void selectInExplorer(IResource... resources) throws Exception {
        CommonNavigator explorer = (CommonNavigator) page().showView(BrainAlignmentPerspective.PROJECT_EXPLORER);
        page().activate(explorer);
        explorer.getCommonViewer().setSelection(new StructuredSelection(resources), true);
        settle();
        runsRead();
    }

    /**
     * Waits until the run context has read the runs it was asked for and told its views.
     *
     * @throws InterruptedException if interrupted
     */
    static void runsRead() throws InterruptedException {
        Job.getJobManager().join(RunContext.FAMILY, null);
        settle();
    }

    /**
     * Waits until a chart view has drawn its chart (or said why it cannot).
     *
     * @param view the view
     * @throws InterruptedException if interrupted
     */
    static void drawn(ChartView view) throws InterruptedException {
        runsRead();
        if (view.drawingJob() != null) {
            view.drawingJob().join();
        }
        settle();
    }

    /**
     * @param name a project name
     * @return a fresh BrainAlign project of that name (an old one is deleted with its content)
     * @throws CoreException if the workspace refuses
     */
    static IProject freshProject(String name) throws CoreException {
        IProject old = ResourcesPlugin.getWorkspace().getRoot().getProject(name);
        if (old.exists()) {
            old.delete(IResource.ALWAYS_DELETE_PROJECT_CONTENT | IResource.FORCE, null);
        }
        return ProjectLayout.create(name, null, null);
    }

    /**
     * Waits until a volume editor has read its volume.
     *
     * @param part the opened editor
     * @return the editor, loaded
     * @throws InterruptedException if interrupted while joining its job
     */
    static VolumeEditor loaded(IEditorPart part) throws InterruptedException {
        assertTrue(part instanceof VolumeEditor, "not the volume viewer: " + part);
        VolumeEditor editor = (VolumeEditor) part;
        editor.loadingJob().join();
        waitUntil(() -> editor.isLoaded() || editor.errorMessage() != null, "the volume viewer to load");
        assertNull(editor.errorMessage());
        settle();
        return editor;
    }

    /**
     * Opens a volume editor on an input and waits until it has loaded.
     *
     * @param input the input
     * @return the editor
     * @throws PartInitException if it cannot be opened
     * @throws InterruptedException if interrupted
     */
    static VolumeEditor open(IEditorInput input) throws PartInitException, InterruptedException {
        return loaded(page().openEditor(input, VolumeEditor.ID));
    }
}
