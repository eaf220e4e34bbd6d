package org.brainalign.ui.viewer;

import org.eclipse.core.commands.operations.AbstractOperation;
import org.eclipse.core.commands.operations.IUndoContext;
import org.eclipse.core.runtime.IAdaptable;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;

/**
 * A viewer edit is one change to what a volume viewer shows (an overlay added or removed, an underlay set, an
 * overlay's window, colormap, threshold or other setting) as an operation in the workbench's history, so that Edit >
 * Undo and Redo take it back and forth; each viewer has its own undo context.
 */
final class ViewerEdit extends AbstractOperation {

    private final Runnable apply;
    private final Runnable revert;

    /**
     * @param label what Edit > Undo names, e.g. "Remove overlay aal.nii.gz"
     * @param context the viewer's undo context
     * @param apply makes the change (again)
     * @param revert takes it back
     */
    ViewerEdit(String label, IUndoContext context, Runnable apply, Runnable revert) {
        super(label);
        addContext(context);
        this.apply = apply;
        this.revert = revert;
    }

    @Override
    public IStatus execute(IProgressMonitor monitor, IAdaptable info) {
        apply.run();
        return Status.OK_STATUS;
    }

    @Override
    public IStatus redo(IProgressMonitor monitor, IAdaptable info) {
        return execute(monitor, info);
    }

    @Override
    public IStatus undo(IProgressMonitor monitor, IAdaptable info) {
        revert.run();
        return Status.OK_STATUS;
    }
}
