package org.brainalign.ui.handlers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.brainalign.ui.jobs.SweepJob;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * Run sweep: asks for a sweep plan (SWEEP.json) and the sweep's folder, then runs `brainalign sweep` on this machine
 * as a job that shows the cells done, failed and running, and opens the sweep's report at the end (docs/sweep.md).
 */
public class RunSweepHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindow(event);
        Shell shell = window == null ? null : window.getShell();
        Path launcher;
        try {
            launcher = SweepJob.launcher();
        } catch (IOException e) {
            MessageDialog.openError(shell, "Run sweep", e.getMessage());
            return null;
        }
        FileDialog planDialog = new FileDialog(shell, SWT.OPEN);
        planDialog.setText("Run sweep: the sweep plan");
        planDialog.setFilterExtensions(new String[] { "*.json", "*" });
        String plan = planDialog.open();
        if (plan == null) {
            return null;
        }
        DirectoryDialog outDialog = new DirectoryDialog(shell);
        outDialog.setText("Run sweep: the sweep's folder (new, empty, or this plan's to resume)");
        String out = outDialog.open();
        if (out != null) {
            new SweepJob(window, launcher, Path.of(plan), Path.of(out), List.of()).schedule();
        }
        return null;
    }
}
