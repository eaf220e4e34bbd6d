package org.brainalign.ui.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.brainalign.workflow.BrainAlignVersion;
import org.eclipse.core.resources.IContainer;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.progress.IProgressConstants;

/**
 * A BrainAlign job is one long action of the workbench run as a user job: it shows its progress in real units,
 * stops when cancelled, and then, or when it fails, removes what it had begun to write ({@link #undo()}), so the
 * workspace is as it was. A failure is reported once, in one sentence naming the file: in the platform log (the
 * Error Log) and in an error dialog. When the work is done, its results open on the UI thread ({@link #opened}).
 */
public abstract class BrainAlignJob extends Job {

    /** The family of every BrainAlign job, so that tests and shutdown can join or cancel them. */
    public static final Object FAMILY = BrainAlignJob.class;

    private final IWorkbenchWindow window;
    private volatile IStatus failure;

    /**
     * @param name the job's name in the Progress view
     * @param window the window its results open in; null for none
     */
    protected BrainAlignJob(String name, IWorkbenchWindow window) {
        super(name);
        this.window = window;
        setUser(true);
        // our own dialog says it in one sentence; the workbench's would say it a second time
        setProperty(IProgressConstants.NO_IMMEDIATE_ERROR_PROMPT_PROPERTY, Boolean.TRUE);
    }

    /**
     * Does the work.
     *
     * @param monitor progress; cancelled when the user cancels
     * @throws IOException if an input is unusable or an output cannot be written (the message names the file)
     * @throws CoreException if the workspace refuses
     */
    protected abstract void work(IProgressMonitor monitor) throws IOException, CoreException;

    /** Removes what an unfinished {@link #work} wrote; called after cancellation or failure. */
    protected void undo() {
        // nothing by default
    }

    /**
     * Opens the results, on the UI thread, after the work succeeded.
     *
     * @param resultWindow the window given at construction (never null here)
     */
    protected void opened(IWorkbenchWindow resultWindow) {
        // nothing by default
    }

    @Override
    protected final IStatus run(IProgressMonitor monitor) {
        try {
            work(monitor);
            if (monitor.isCanceled()) {
                throw new OperationCanceledException();
            }
        } catch (OperationCanceledException e) {
            undo();
            return Status.CANCEL_STATUS;
        } catch (IOException | CoreException | RuntimeException e) {
            undo();
            IStatus status = Status.error(sentence(e), e);
            failure = status;
            ILog.of(BrainAlignJob.class).log(status);
            showFailure(status);
            return status;
        }
        if (window != null) {
            Display display = window.getWorkbench().getDisplay();
            if (!display.isDisposed()) {
                display.asyncExec(() -> {
                    if (window.getShell() != null && !window.getShell().isDisposed()) {
                        opened(window);
                    }
                });
            }
        }
        return Status.OK_STATUS;
    }

    /**
     * @param e what went wrong
     * @return one sentence saying it: our readers' and writers' messages name the file already
     */
    private String sentence(Exception e) {
        Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        String m = t instanceof CoreException c ? c.getStatus().getMessage() : t.getMessage();
        if (m == null || m.isBlank()) {
            m = t.getClass().getSimpleName();
        }
        // a library's advice on further lines stays in the logged exception; the dialog says the first sentence
        m = m.lines().findFirst().orElse(m).strip();
        if (t instanceof IOException || t instanceof CoreException) {
            return m;
        }
        return getName() + " failed: " + m;
    }

    private void showFailure(IStatus status) {
        Display display = window == null ? Display.getDefault() : window.getWorkbench().getDisplay();
        if (display.isDisposed()) {
            return;
        }
        display.asyncExec(() -> {
            org.eclipse.swt.widgets.Shell shell = window == null ? null : window.getShell();
            ErrorDialog.openError(shell, getName(), getName() + " did not finish.", status);
        });
    }

    /** @return the failure reported, or null if the job has not failed */
    public IStatus failure() {
        return failure;
    }

    @Override
    public boolean belongsTo(Object family) {
        return family == FAMILY;
    }

    /** @return the version run.json and reports record */
    protected static String version() {
        return BrainAlignVersion.get();
    }

    /**
     * Makes the workspace see files written outside it: refreshes the workspace folders at a path.
     *
     * @param path a file or folder on disk
     * @param monitor progress; may be null
     * @throws CoreException if the workspace refuses
     */
    public static void refresh(Path path, IProgressMonitor monitor) throws CoreException {
        URI uri = path.toAbsolutePath().normalize().toUri();
        IContainer[] containers = ResourcesPlugin.getWorkspace().getRoot().findContainersForLocationURI(uri);
        if (containers.length == 0 && path.getParent() != null) {
            containers = ResourcesPlugin.getWorkspace().getRoot().findContainersForLocationURI(
                    path.toAbsolutePath().normalize().getParent().toUri());
        }
        for (IContainer c : containers) {
            c.refreshLocal(IResource.DEPTH_INFINITE, monitor);
        }
    }

    /**
     * Deletes a folder with everything in it (what a cancelled job had begun), logging what cannot be deleted.
     *
     * @param folder the folder; nothing happens when it does not exist
     */
    protected static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            ILog.of(BrainAlignJob.class).warn("Folder " + folder + " could not be removed after the job stopped: "
                    + e.getMessage());
        }
    }
}
