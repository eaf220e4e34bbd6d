package org.brainalign.ui.wizards;

import java.lang.reflect.InvocationTargetException;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.ui.IImportWizard;
import org.eclipse.ui.IWorkbench;

/**
 * File > Import > BrainAlign > NIfTI volumes: copies NIfTI files into a workspace folder
 * ({@link NiftiImportOperation}), in the wizard's own progress area.
 */
public final class NiftiImportWizard extends Wizard implements IImportWizard {

    /** The wizard's id. */
    public static final String ID = "org.brainalign.ui.wizards.niftiImport";

    private NiftiImportPage page;
    private String initialFolder;
    private List<IFile> imported = List.of();

    /** Creates the wizard, which shows its progress in its own dialog. */
    public NiftiImportWizard() {
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
        return imported;
    }

    @Override
    public boolean performFinish() {
        NiftiImportOperation op = new NiftiImportOperation(page.files(), page.container(), page.overwrite());
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
            page.setErrorMessage("The import was cancelled; nothing was imported.");
            return false;
        }
    }
}
