package org.brainalign.ui.workspace;

import java.net.MalformedURLException;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IPath;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.ui.IEditorLauncher;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;

/**
 * Opens a run's report.html in a web browser, where its figures and tables are drawn, instead of as HTML source in a
 * text editor: the workbench's external browser (the one chosen in the preferences of an Eclipse IDE, else the
 * system's).
 */
public class ReportLauncher implements IEditorLauncher {

    @Override
    public void open(IPath file) {
        try {
            PlatformUI.getWorkbench().getBrowserSupport().getExternalBrowser()
                    .openURL(file.toPath().toUri().toURL());
        } catch (PartInitException | MalformedURLException e) {
            String message = "Report " + file + " could not be opened in a web browser: " + e.getMessage();
            ILog.of(ReportLauncher.class).warn(message, e);
            MessageDialog.openError(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), "Open report",
                    message + " Open it in a browser of your own.");
        }
    }
}
