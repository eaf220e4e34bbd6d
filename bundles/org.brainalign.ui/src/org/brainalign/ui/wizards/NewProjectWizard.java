package org.brainalign.ui.wizards;

import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.util.Optional;

import org.brainalign.ui.jobs.DemoJob;
import org.brainalign.ui.workspace.ProjectLayout;
import org.eclipse.core.resources.IProject;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.ui.INewWizard;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.dialogs.WizardNewProjectCreationPage;

/** File > New > BrainAlign project: a project with the BrainAlign nature and its subjects, features and runs. */
public final class NewProjectWizard extends Wizard implements INewWizard {

    /** The wizard's id. */
    public static final String ID = "org.brainalign.ui.wizards.newProject";

    private WizardNewProjectCreationPage page;
    private IProject created;

    @Override
    public void init(IWorkbench workbench, IStructuredSelection selection) {
        setWindowTitle("New BrainAlign project");
        setNeedsProgressMonitor(true);
    }

    @Override
    public void addPages() {
        page = new WizardNewProjectCreationPage("brainalignProject") {

            @Override
            protected boolean validatePage() {
                if (!super.validatePage()) {
                    return false;
                }
                java.nio.file.Path folder = useDefaults() ? null : getLocationPath().toPath();
                Optional<DemoJob> demo = DemoJob.writing(getProjectName(), folder);
                if (demo.isPresent()) {
                    setErrorMessage("A running demo job is making project " + demo.get().projectName()
                            + " in that folder; choose another name, or wait until it is done.");
                    return false;
                }
                return true;
            }
        };
        page.setTitle("BrainAlign project");
        page.setDescription("A project for subjects, feature stores and runs.");
        addPage(page);
    }

    /** @return the project the last finish created, or null */
    public IProject created() {
        return created;
    }

    @Override
    public boolean performFinish() {
        String name = page.getProjectName();
        URI location = page.useDefaults() ? null : page.getLocationURI();
        try {
            getContainer().run(true, true, monitor -> {
                try {
                    created = ProjectLayout.create(name, location, monitor);
                } catch (Exception e) {
                    throw new InvocationTargetException(e);
                }
            });
            return true;
        } catch (InvocationTargetException e) {
            page.setErrorMessage(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            return false;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
