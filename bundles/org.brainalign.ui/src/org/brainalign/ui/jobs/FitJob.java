package org.brainalign.ui.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.brainalign.workflow.FitWorkflow;
import org.brainalign.workflow.RunCharts;
import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.workflow.analysis.RunAnalysis;
import org.brainalign.io.run.RunFolderException;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.ui.IWorkbenchWindow;

/**
 * The fit job fits FactorTopy as {@code brainalign fit} does ({@link FitWorkflow}: subject loading, training steps,
 * scoring), then analyses the run (maps, tables) and draws its charts, and opens its layer map. A run folder the job
 * created is removed again if it is cancelled or fails, so no half-written run is left.
 */
public final class FitJob extends BrainAlignJob {

    private final FitWorkflow.Request request;
    private boolean created;
    private volatile FitWorkflow.Outcome outcome;

    /**
     * @param window the window to open the results in, or null
     * @param request what to fit (a new run folder: a job never continues another run)
     */
    public FitJob(IWorkbenchWindow window, FitWorkflow.Request request) {
        super("Fitting " + request.label(), window);
        this.request = request;
    }

    @Override
    protected void work(IProgressMonitor monitor) throws IOException, CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, getName(), 100);
        Path run = request.run().toAbsolutePath().normalize();
        if (Files.exists(run)) {
            throw new RunFolderException("Folder " + run + " exists already; a fit writes a new run folder of its"
                    + " own.");
        }
        created = true;
        outcome = FitWorkflow.fit(request, version(), sub.split(85));
        SelectorSummary summary = RunAnalysis.analyze(outcome.run(), sub.split(10));
        RunCharts.save(outcome.run(), summary, List.of("png", "svg"));
        sub.split(3);
        refresh(run, sub.split(2));
    }

    @Override
    protected void undo() {
        if (created) {
            deleteTree(request.run().toAbsolutePath().normalize());
            try {
                refresh(request.run(), null);
            } catch (CoreException e) {
                org.eclipse.core.runtime.ILog.of(FitJob.class).log(e.getStatus());
            }
        }
    }

    @Override
    protected void opened(IWorkbenchWindow window) {
        RunResults.show(window, outcome.run().folder());
    }

    /** @return the fit's outcome once the job has succeeded, else null */
    public FitWorkflow.Outcome outcome() {
        return outcome;
    }

    /** @return what is fitted */
    public FitWorkflow.Request request() {
        return request;
    }
}
