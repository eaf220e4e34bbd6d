package org.brainalign.ui.runs;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

import org.brainalign.io.run.RunFolder;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IResourceChangeEvent;
import org.eclipse.core.resources.IResourceChangeListener;
import org.eclipse.core.resources.IResourceDelta;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.swt.widgets.Display;

/**
 * Run info changes tell whoever shows a run that its run.json changed in the workspace: a run relabelled in its
 * properties, or rewritten by the command line and refreshed. Editor tabs and chart legends name runs by their label,
 * which lives in run.json only, so they listen here to follow a rename at once instead of keeping the old name until
 * reopened.
 */
public final class RunInfoChanges implements IResourceChangeListener {

    private final Consumer<Set<Path>> listener;
    private volatile boolean stopped;

    private RunInfoChanges(Consumer<Set<Path>> listener) {
        this.listener = listener;
    }

    /**
     * Starts listening.
     *
     * @param listener called on the UI thread with the run folders (absolute, normalised) whose run.json changed
     * @return the listening, to {@link #stop()} when the listener goes away
     */
    public static RunInfoChanges listen(Consumer<Set<Path>> listener) {
        RunInfoChanges changes = new RunInfoChanges(listener);
        ResourcesPlugin.getWorkspace().addResourceChangeListener(changes, IResourceChangeEvent.POST_CHANGE);
        return changes;
    }

    /** Stops listening; a change already on its way to the UI thread is not delivered either. */
    public void stop() {
        stopped = true;
        ResourcesPlugin.getWorkspace().removeResourceChangeListener(this);
    }

    @Override
    public void resourceChanged(IResourceChangeEvent event) {
        IResourceDelta root = event.getDelta();
        if (root == null) {
            return;
        }
        Set<Path> folders = new HashSet<>();
        try {
            root.accept(delta -> {
                IResource r = delta.getResource();
                if (r.getType() == IResource.FILE && RunFolder.RUN_JSON.equals(r.getName())
                        && delta.getKind() != IResourceDelta.REMOVED) {
                    IPath location = r.getParent().getLocation();
                    if (location != null) {
                        folders.add(location.toPath().toAbsolutePath().normalize());
                    }
                }
                return true;
            });
        } catch (CoreException e) {
            // the visitor throws nothing itself
            throw new IllegalStateException(e);
        }
        if (!folders.isEmpty()) {
            Display display = Display.getDefault();
            if (!display.isDisposed()) {
                display.asyncExec(() -> {
                    if (!stopped) {
                        listener.accept(Set.copyOf(folders));
                    }
                });
            }
        }
    }
}
