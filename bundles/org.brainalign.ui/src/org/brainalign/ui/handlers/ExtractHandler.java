package org.brainalign.ui.handlers;

import org.brainalign.ui.wizards.ExtractWizard;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.handlers.HandlerUtil;

/** Extract features...: opens the {@link ExtractWizard}, which starts the extraction as a job. */
public class ExtractHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindow(event);
        if (window != null) {
            new WizardDialog(window.getShell(), new ExtractWizard(window.getWorkbench())).open();
        }
        return null;
    }
}
