package org.brainalign.ui.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.brainalign.engine.features.Extractor;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.ui.IWorkbenchWindow;

/**
 * The extraction job runs a backbone over images into a feature store as {@code brainalign extract} does
 * ({@link Extractor}), with progress in images. A store the job created is removed again if it is cancelled or fails;
 * a store that existed (an interrupted extraction being continued) keeps what it held.
 */
public final class ExtractJob extends BrainAlignJob {

    private final Extractor.Request request;
    private boolean created;
    private volatile Extractor.Result result;

    /**
     * @param window the window, or null
     * @param request what to extract
     */
    public ExtractJob(IWorkbenchWindow window, Extractor.Request request) {
        super("Extracting features into " + request.store().getFileName(), window);
        this.request = request;
    }

    @Override
    protected void work(IProgressMonitor monitor) throws IOException, CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, getName(), 100);
        created = !Files.exists(request.store());
        result = new Extractor().extract(request, sub.split(98));
        refresh(request.store(), sub.split(2));
    }

    @Override
    protected void undo() {
        if (created) {
            deleteTree(request.store().toAbsolutePath().normalize());
            try {
                refresh(request.store(), null);
            } catch (CoreException e) {
                org.eclipse.core.runtime.ILog.of(ExtractJob.class).log(e.getStatus());
            }
        }
    }

    /** @return what the extraction did, once the job has succeeded, else null */
    public Extractor.Result result() {
        return result;
    }
}
