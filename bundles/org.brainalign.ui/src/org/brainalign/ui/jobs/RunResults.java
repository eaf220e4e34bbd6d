package org.brainalign.ui.jobs;

import java.nio.file.Path;
import java.util.List;

import org.brainalign.ui.charts.ChartKind;
import org.brainalign.ui.runs.RunContext;
import org.brainalign.ui.workspace.OpenRunActionProvider;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;

/**
 * Run results are what the workbench shows when a job has made a run: the run's preferred-layer map in the volume
 * viewer, the run followed by the ROI and chart views, and the layer preference chart brought forward; or, for a pair
 * of runs, the drift chart on the change from one to the other.
 */
public final class RunResults {

    private RunResults() {
    }

    /**
     * Shows a finished run; call on the UI thread.
     *
     * @param window the window
     * @param runFolder the run folder
     * @return the viewer opened on the layer map, or null when the run has none (the views follow it all the same)
     */
    public static IEditorPart show(IWorkbenchWindow window, Path runFolder) {
        IWorkbenchPage page = window.getActivePage();
        RunContext.of(window).follow(List.of(runFolder));
        if (page == null) {
            return null;
        }
        IEditorPart editor = null;
        try {
            editor = OpenRunActionProvider.openMap(page, runFolder);
            page.showView(ChartKind.LAYER_PREFERENCE.viewId(), null, IWorkbenchPage.VIEW_VISIBLE);
        } catch (PartInitException e) {
            ILog.of(RunResults.class).error(e.getMessage(), e);
        }
        return editor;
    }

    /**
     * Shows the drift from one run to another in the drift chart, brought forward; call on the UI thread.
     *
     * @param window the window
     * @param before the earlier run folder
     * @param after the later run folder
     * @return the job reading the runs (already scheduled)
     */
    public static Job showDrift(IWorkbenchWindow window, Path before, Path after) {
        Job job = RunContext.of(window).compare(before, after);
        IWorkbenchPage page = window.getActivePage();
        if (page != null) {
            try {
                page.showView(ChartKind.DRIFT.viewId(), null, IWorkbenchPage.VIEW_ACTIVATE);
            } catch (PartInitException e) {
                ILog.of(RunResults.class).error(e.getMessage(), e);
            }
        }
        return job;
    }
}
