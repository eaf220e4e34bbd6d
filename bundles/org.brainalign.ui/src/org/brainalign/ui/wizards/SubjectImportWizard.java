package org.brainalign.ui.wizards;

import java.lang.reflect.InvocationTargetException;

import org.eclipse.core.resources.IFolder;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.ui.IImportWizard;
import org.eclipse.ui.IWorkbench;

/**
 * A subject import wizard runs its page's {@link SubjectImportOperation} in the wizard's own progress area, which
 * can be cancelled; a problem found while reading the data is shown on the page, which stays open.
 */
public abstract class SubjectImportWizard extends Wizard implements IImportWizard {

    private SubjectImportPage page;
    private IFolder imported;

    /** @return a new page for this wizard's layout */
    protected abstract SubjectImportPage createPage();

    @Override
    public void init(IWorkbench workbench, IStructuredSelection selection) {
        setNeedsProgressMonitor(true);
    }

    @Override
    public void addPages() {
        page = createPage();
        addPage(page);
    }

    /** @return the page */
    public SubjectImportPage page() {
        return page;
    }

    /** @return the subject folder the last finish created, or null */
    public IFolder imported() {
        return imported;
    }

    @Override
    public boolean performFinish() {
        SubjectImportOperation op = page.operation();
        try {
            getContainer().run(true, true, monitor -> {
                try {
                    imported = op.run(monitor);
                } catch (OperationCanceledException e) {
                    throw new InterruptedException("cancelled");
                } catch (Exception e) {
                    throw new InvocationTargetException(e);
                }
            });
            return true;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            page.setErrorMessage(cause.getMessage());
            return false;
        } catch (InterruptedException e) {
            page.setErrorMessage("The import was cancelled; nothing was recorded.");
            return false;
        }
    }
}
