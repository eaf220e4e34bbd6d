package org.brainalign.ui.wizards;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.brainalign.workflow.FitWorkflow;
import org.brainalign.engine.factortopy.TrainingConfig;
import org.brainalign.engine.features.FeatureStore;
import org.brainalign.io.subject.SubjectDescription;
import org.brainalign.ui.jobs.FitJob;
import org.brainalign.ui.workspace.ProjectLayout;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchWindow;

/**
 * BrainAlign > Fit FactorTopy: picks a feature store and a subject (its subject.json) and names the run, then starts
 * a {@link FitJob} that writes the run into the project's runs/ folder in the background. The page fills in the
 * project's own store and subject when it has exactly one of each, or what is selected.
 */
public final class FitWizard extends Wizard {

    private final IWorkbenchWindow window;
    private final IStructuredSelection selection;
    private FitPage page;
    private FitJob job;

    /**
     * @param workbench the workbench
     * @param selection what was selected when the wizard was opened
     */
    public FitWizard(IWorkbench workbench, IStructuredSelection selection) {
        this.window = workbench.getActiveWorkbenchWindow();
        this.selection = selection;
        setWindowTitle("Fit FactorTopy");
    }

    @Override
    public void addPages() {
        page = new FitPage();
        addPage(page);
    }

    @Override
    public boolean performFinish() {
        job = new FitJob(window, page.request());
        job.schedule();
        return true;
    }

    /** @return the page (tests fill it) */
    public FitPage page() {
        return page;
    }

    /** @return the job the last finish started, or null */
    public FitJob job() {
        return job;
    }

    /** The store, subject, run name and the settings the command line also takes. */
    public final class FitPage extends CheckedPage {

        private ProjectChoice project;
        private PathField store;
        private PathField subject;
        private Text name;
        private Spinner epochs;
        private Spinner patience;
        private Spinner seed;

        FitPage() {
            super("fit", "Fit FactorTopy",
                    "Fit the encoding model from a feature store to a subject's responses, into a new run.");
        }

        @Override
        public void createControl(Composite parent) {
            Composite c = new Composite(parent, SWT.NONE);
            c.setLayout(new GridLayout(3, false));
            project = new ProjectChoice(c, selection);
            store = new PathField(c, "Feature store:", true, null, this::update);
            subject = new PathField(c, "Subject (subject.json):", false, new String[] { "*.json" }, this::update);
            new Label(c, SWT.NONE).setText("Run name:");
            name = new Text(c, SWT.BORDER);
            name.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
            name.setText("fit");
            name.addListener(SWT.Modify, e -> update());
            epochs = spinner(c, "Most epochs:", 100, 1, 10_000);
            patience = spinner(c, "Patience (epochs):", 10, 1, 1000);
            seed = spinner(c, "Seed:", 0, 0, Integer.MAX_VALUE);
            project.combo().addListener(SWT.Selection, e -> {
                fillFromProject();
                update();
            });
            fillFromProject();
            setControl(c);
            update();
        }

        private Spinner spinner(Composite c, String label, int value, int min, int max) {
            new Label(c, SWT.NONE).setText(label);
            Spinner s = new Spinner(c, SWT.BORDER);
            s.setValues(value, min, max, 0, 1, 10);
            s.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
            return s;
        }

        /** Offers the project's store and subject when it has exactly one of each. */
        private void fillFromProject() {
            IProject p = project();
            if (p == null || p.getLocation() == null) {
                return;
            }
            Path root = p.getLocation().toPath();
            List<Path> stores = ProjectLayout.featureStores(root);
            List<Path> subjects = ProjectLayout.subjectFolders(root);
            if (stores.size() == 1 && store.text().isEmpty()) {
                store.set(stores.get(0).toString());
            }
            if (subjects.size() == 1 && subject.text().isEmpty()) {
                subject.set(subjects.get(0).resolve(SubjectDescription.FILE).toString());
            }
        }

        private IProject project() {
            return project.selected();
        }

        @Override
        protected String check() {
            if (project() == null) {
                return "There is no BrainAlign project to fit into: create one with File > New first.";
            }
            Path s = store.path();
            if (s == null) {
                return "?Choose a feature store (made by Extract features).";
            }
            if (!Files.isDirectory(s)) {
                return "Folder " + s + " does not exist.";
            }
            if (!Files.isRegularFile(s.resolve(FeatureStore.MANIFEST))) {
                return "Folder " + s + " is not a feature store: it has no " + FeatureStore.MANIFEST + ".";
            }
            Path j = subject.path();
            if (j == null) {
                return "?Choose the subject's subject.json (written by the subject import).";
            }
            if (!Files.isRegularFile(j)) {
                return "File " + j + " does not exist.";
            }
            String n = name.getText().strip();
            if (n.isEmpty()) {
                return "?Name the run.";
            }
            IStatus valid = ResourcesPlugin.getWorkspace().validateName(n, IResource.FOLDER);
            if (!valid.isOK()) {
                return "The run name '" + n + "' cannot be used: " + valid.getMessage();
            }
            if (Files.exists(runFolder())) {
                return "Project " + project().getName() + " already has a run " + n + "; choose another name.";
            }
            return null;
        }

        private Path runFolder() {
            IPath location = project().getLocation();
            return location.toPath().resolve(ProjectLayout.RUNS).resolve(name.getText().strip());
        }

        /** @return the fit the page describes (call when it is complete) */
        public FitWorkflow.Request request() {
            TrainingConfig config = TrainingConfig.builder().optMaxEpochs(epochs.getSelection())
                    .optPatience(patience.getSelection()).optSeed(seed.getSelection())
                    .optThreads(Runtime.getRuntime().availableProcessors()).build();
            return new FitWorkflow.Request(store.path(), subject.path(), runFolder(), name.getText().strip(), config,
                    0.1, false);
        }

        /**
         * Fills the page, as if typed.
         *
         * @param storeFolder the feature store
         * @param subjectFile the subject.json
         * @param runName the run's name
         * @param maxEpochs most epochs
         */
        public void set(Path storeFolder, Path subjectFile, String runName, int maxEpochs) {
            store.set(storeFolder.toString());
            subject.set(subjectFile.toString());
            name.setText(runName);
            epochs.setSelection(maxEpochs);
            update();
        }
    }
}
