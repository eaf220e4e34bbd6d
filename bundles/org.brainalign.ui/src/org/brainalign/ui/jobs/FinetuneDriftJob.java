package org.brainalign.ui.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.brainalign.workflow.FinetuneDriftExperiment;
import org.eclipse.core.resources.IContainer;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.wizards.newresource.BasicNewResourceWizard;

/**
 * The fine-tuning drift job runs the paper's fine-tuning experiment as {@code brainalign experiment finetune-drift}
 * does ({@link FinetuneDriftExperiment}: extract and fit before, fine-tune, extract and fit after, drift, forgetting,
 * report), with the stage messages as its sub-task and the stages' own progress units. When it is done the drift
 * chart opens on the pair of runs before and after fine-tuning and the report is selected in the Project Explorer.
 * Unlike the other jobs, a cancelled or failed experiment keeps its finished stages: they are what the same
 * experiment, started again on its folder, continues from.
 */
public final class FinetuneDriftJob extends BrainAlignJob {

    private final FinetuneDriftExperiment.Options options;
    private final Path folder;
    private boolean created;
    private volatile FinetuneDriftExperiment.Result result;

    /**
     * @param window the window to open the results in, or null
     * @param options the experiment's settings; an experiment folder begun before is continued
     */
    public FinetuneDriftJob(IWorkbenchWindow window, FinetuneDriftExperiment.Options options) {
        super("Fine-tuning drift experiment " + options.folder().getFileName(), window);
        this.options = options;
        this.folder = options.folder().toAbsolutePath().normalize();
    }

    @Override
    protected void work(IProgressMonitor monitor) throws IOException, CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, getName(), 100);
        created = !Files.exists(folder);
        try (PrintStream log = new PrintStream(new SubTaskStream(sub), true, StandardCharsets.UTF_8)) {
            result = FinetuneDriftExperiment.run(options, version(), log, sub.split(97));
        }
        refreshAround(folder, sub.split(3));
    }

    @Override
    protected void undo() {
        // finished stages stay for the next run to continue from; only a folder this job made and left empty goes
        if (created && isEmptyFolder(folder)) {
            deleteTree(folder);
        }
        try {
            refreshAround(folder, null);
        } catch (CoreException e) {
            ILog.of(FinetuneDriftJob.class).log(e.getStatus());
        }
    }

    private static boolean isEmptyFolder(Path path) {
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Refreshes the nearest folder of the path that the workspace knows already, so that new parents appear too.
     */
    private static void refreshAround(Path path, IProgressMonitor monitor) throws CoreException {
        for (Path p = path; p != null; p = p.getParent()) {
            IContainer[] containers = ResourcesPlugin.getWorkspace().getRoot()
                    .findContainersForLocationURI(p.toUri());
            boolean known = false;
            for (IContainer c : containers) {
                if (c.exists()) {
                    c.refreshLocal(IResource.DEPTH_INFINITE, monitor);
                    known = true;
                }
            }
            if (known) {
                return;
            }
        }
    }

    @Override
    protected void opened(IWorkbenchWindow window) {
        IFile[] report = ResourcesPlugin.getWorkspace().getRoot().findFilesForLocationURI(result.report().toUri());
        if (report.length > 0 && report[0].exists()) {
            BasicNewResourceWizard.selectAndReveal(report[0], window);
        }
        RunResults.showDrift(window, beforeRun(), afterRun());
    }

    /** @return the run folder of the fit before fine-tuning */
    public Path beforeRun() {
        return FinetuneDriftExperiment.beforeRun(folder);
    }

    /** @return the run folder of the fit with the fine-tuned backbone */
    public Path afterRun() {
        return FinetuneDriftExperiment.afterRun(folder);
    }

    /** @return the experiment folder */
    public Path folder() {
        return folder;
    }

    /** @return the experiment's settings */
    public FinetuneDriftExperiment.Options options() {
        return options;
    }

    /** @return the experiment's figures once the job has succeeded, else null */
    public FinetuneDriftExperiment.Result result() {
        return result;
    }
}
