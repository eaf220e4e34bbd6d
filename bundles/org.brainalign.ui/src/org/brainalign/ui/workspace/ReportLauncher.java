package org.brainalign.ui.workspace;

import org.eclipse.core.runtime.IPath;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.program.Program;
import org.eclipse.ui.IEditorLauncher;
import org.eclipse.ui.PlatformUI;

/**
 * Opens a run's report.html in the system's web browser, where its figures and tables are drawn, instead of as HTML
 * source in a text editor. When the system has no program for web pages, says so in one sentence naming the file.
 */
public class ReportLauncher implements IEditorLauncher {

    @Override
    public void open(IPath file) {
        String url = file.toPath().toUri().toString();
        if (!Program.launch(url)) {
            MessageDialog.openError(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), "Open report",
                    "Report " + file + " could not be opened: the system has no web browser set up for it; open it"
                            + " in a browser of your own.");
        }
    }
}
