package org.brainalign.ui.wizards;

import java.nio.file.Files;
import java.nio.file.Path;

import org.brainalign.ui.jobs.DemoJob;
import org.eclipse.core.resources.IWorkspaceRoot;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.ui.INewWizard;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.dialogs.WizardNewProjectCreationPage;

/**
 * File > New > BrainAlign demo project: names the project (and optionally its folder) and the demo's size, then
 * starts a {@link DemoJob} and closes; the job runs in the background with its progress in the Progress view and
 * opens the run's layer map when done.
 */
public final class DemoProjectWizard extends Wizard implements INewWizard {

    /** The wizard's id. */
    public static final String ID = "org.brainalign.ui.wizards.demoProject";

    private IWorkbenchWindow window;
    private Page page;
    private DemoJob job;

    @Override
    public void init(IWorkbench workbench, IStructuredSelection selection) {
        window = workbench.getActiveWorkbenchWindow();
        setWindowTitle("New BrainAlign demo project");
    }

    @Override
    public void addPages() {
        page = new Page();
        addPage(page);
    }

    @Override
    public boolean performFinish() {
        Path location = page.useDefaults() ? null : Path.of(page.getLocationURI());
        job = new DemoJob(window, page.getProjectName(), location, page.settings());
        job.schedule();
        return true;
    }

    /** @return the job the last finish started, or null */
    public DemoJob job() {
        return job;
    }

    /** @return the page (tests fill it) */
    public Page page() {
        return page;
    }

    /** The project's name and folder, and the demo's size. */
    public static final class Page extends WizardNewProjectCreationPage {

        private Spinner images;
        private Spinner epochs;
        private Spinner seed;

        Page() {
            super("demoProject");
            setTitle("BrainAlign demo project");
            setDescription("A project with the built-in demo: a synthetic subject with planted layer preferences,"
                    + " fitted and analysed in the background.");
            setInitialProjectName(freeName("brainalign-demo"));
        }

        /** The first of name, name-2, name-3, ... that no project and no folder of the workspace has. */
        private static String freeName(String name) {
            IWorkspaceRoot root = ResourcesPlugin.getWorkspace().getRoot();
            String candidate = name;
            for (int i = 2; root.getProject(candidate).exists()
                    || Files.exists(root.getLocation().toPath().resolve(candidate)); i++) {
                candidate = name + "-" + i;
            }
            return candidate;
        }

        @Override
        public void createControl(Composite parent) {
            super.createControl(parent);
            Composite c = (Composite) getControl();
            Group g = new Group(c, SWT.NONE);
            g.setText("Demo");
            g.setLayout(new GridLayout(2, false));
            g.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
            DemoJob.Settings d = DemoJob.Settings.defaults();
            images = spinner(g, "Stimuli:", d.images(), 20, 10_000);
            epochs = spinner(g, "Most training epochs:", d.epochs(), 1, 1000);
            seed = spinner(g, "Seed:", (int) d.seed(), 0, Integer.MAX_VALUE);
            Label hint = new Label(g, SWT.WRAP);
            hint.setText("Fewer stimuli and epochs finish sooner but recover the planted layers less well.");
            hint.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1));
        }

        private static Spinner spinner(Composite parent, String label, int value, int min, int max) {
            new Label(parent, SWT.NONE).setText(label);
            Spinner s = new Spinner(parent, SWT.BORDER);
            s.setValues(value, min, max, 0, 1, 10);
            return s;
        }

        /** @return the demo's settings as chosen */
        public DemoJob.Settings settings() {
            DemoJob.Settings d = DemoJob.Settings.defaults();
            return new DemoJob.Settings(images.getSelection(), d.sessions(), epochs.getSelection(),
                    seed.getSelection(), d.threads());
        }

        /**
         * Sets the demo's size (tests use a tiny one).
         *
         * @param imageCount stimuli
         * @param epochCount most epochs
         */
        public void setSize(int imageCount, int epochCount) {
            images.setSelection(imageCount);
            epochs.setSelection(epochCount);
        }
    }
}
