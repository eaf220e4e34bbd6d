package org.brainalign.ui.wizards;

import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.ui.IWorkbench;

/**
 * File > Import > BrainAlign > NIfTI volumes: copies NIfTI files into a workspace folder
 * ({@link NiftiImportOperation}), in the wizard's own progress area.
 */
public final class NiftiImportWizard extends ImportWizard<List<IFile>> {

    /** The wizard's id. */
    public static final String ID = "org.brainalign.ui.wizards.niftiImport";

    private NiftiImportPage page;
    private String initialFolder;

    /** Creates the wizard, which shows its progress in its own dialog. */
    public NiftiImportWizard() {
        super(List.of());
        setWindowTitle("Import NIfTI volumes");
        setNeedsProgressMonitor(true);
    }

    @Override
    public void init(IWorkbench workbench, IStructuredSelection selection) {
        IResource r = selection == null || selection.isEmpty()
                ? null
                : Adapters.adapt(selection.getFirstElement(), IResource.class);
        initialFolder = NiftiImportPage.suggestedFolder(r);
    }

    @Override
    public void addPages() {
        page = new NiftiImportPage(initialFolder);
        addPage(page);
    }

    /** @return the page (for tests that fill it in) */
    public NiftiImportPage page() {
        return page;
    }

    /** @return the files the last finish imported */
    public List<IFile> imported() {
        return lastImported();
    }

    @Override
    WizardPage importPage() {
        return page;
    }

    @Override
    Import<List<IFile>> importToRun() {
        return new NiftiImportOperation(page.files(), page.container(), page.overwrite())::run;
    }

    @Override
    String cancelled() {
        return "The import was cancelled; nothing was imported.";
    }
}
