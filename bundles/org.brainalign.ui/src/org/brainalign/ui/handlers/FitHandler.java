package org.brainalign.ui.handlers;

import org.brainalign.ui.wizards.FitWizard;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.handlers.HandlerUtil;

/** Fit FactorTopy...: opens the {@link FitWizard}, which starts the fit as a job. */
public class FitHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindow(event);
        if (window != null) {
            new WizardDialog(window.getShell(), new FitWizard(window.getWorkbench(),
                    HandlerUtil.getCurrentStructuredSelection(event))).open();
        }
        return null;
    }
}
