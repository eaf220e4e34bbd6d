package org.brainalign.ui.handlers;

import java.nio.file.Path;
import java.util.List;

import org.brainalign.ui.jobs.ReportJob;
import org.brainalign.ui.runs.RunSelections;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * Write report: one HTML report of the selected runs, written in the background to report.html in the first run's
 * folder, as {@code brainalign report} does.
 */
public class ReportHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        List<Path> runs = RunSelections.runFolders(HandlerUtil.getCurrentStructuredSelection(event));
        if (!runs.isEmpty()) {
            new ReportJob(HandlerUtil.getActiveWorkbenchWindow(event), runs, ReportJob.defaultOutput(runs))
                    .schedule();
        }
        return null;
    }
}
