package org.brainalign.ui.wizards;

import org.eclipse.core.resources.IFolder;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.ui.IWorkbench;

/**
 * A subject import wizard runs its page's {@link SubjectImportOperation} in the wizard's own progress area, which
 * can be cancelled; a problem found while reading the data is shown on the page, which stays open.
 */
public abstract class SubjectImportWizard extends ImportWizard<IFolder> {

    private SubjectImportPage page;

    /** Creates the wizard; nothing is imported yet. */
    protected SubjectImportWizard() {
        super(null);
    }

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
        return lastImported();
    }

    @Override
    WizardPage importPage() {
        return page;
    }

    @Override
    Import<IFolder> importToRun() {
        return page.operation()::run;
    }

    @Override
    String cancelled() {
        return "The import was cancelled; nothing was recorded.";
    }
}
