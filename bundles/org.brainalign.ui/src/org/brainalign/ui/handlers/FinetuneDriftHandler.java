package org.brainalign.ui.handlers;

import org.brainalign.ui.wizards.FinetuneDriftWizard;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.handlers.HandlerUtil;

/** Fine-tuning drift experiment...: opens the {@link FinetuneDriftWizard}, which starts the experiment as a job. */
public class FinetuneDriftHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindow(event);
        if (window != null) {
            FinetuneDriftWizard wizard = new FinetuneDriftWizard();
            wizard.init(window.getWorkbench(), HandlerUtil.getCurrentStructuredSelection(event));
            new WizardDialog(window.getShell(), wizard).open();
        }
        return null;
    }
}
