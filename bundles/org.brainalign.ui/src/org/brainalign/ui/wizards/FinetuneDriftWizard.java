package org.brainalign.ui.wizards;

import java.util.List;

import org.brainalign.workflow.FinetuneDriftExperiment;
import org.brainalign.ui.jobs.FinetuneDriftJob;
import org.brainalign.ui.workspace.RunCommand;
import org.eclipse.jface.dialogs.DialogSettings;
import org.eclipse.jface.dialogs.IDialogSettings;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.ui.INewWizard;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.osgi.framework.FrameworkUtil;

/**
 * File > New > BrainAlign > Fine-tuning drift experiment (also in the BrainAlign menu): the paper's fine-tuning
 * experiment, {@code brainalign experiment finetune-drift}, asked for in three pages (the backbone and the labelled
 * images to fine-tune it on; the subject and the experiment folder in the project's experiments/ folder; the
 * settings, with the command line that does the same) and run by a {@link FinetuneDriftJob}. An experiment folder
 * begun before can be chosen to continue it. The choices are remembered for the next time in the wizard's dialog
 * settings; the experiment folder is always offered new.
 */
public final class FinetuneDriftWizard extends Wizard implements INewWizard {

    /** The wizard's id. */
    public static final String ID = "org.brainalign.ui.wizards.finetuneDrift";

    /** The family that is detected from the checkpoint. */
    static final String AUTO = "auto";
    /** The experiment folder's name before a number makes it new. */
    static final String DEFAULT_NAME = "finetune-drift";
    /** Classes named in the image folder's summary before the rest are counted only. */
    static final int CLASSES_NAMED = 6;

    static final String FAMILY = "family";
    static final String CHECKPOINT = "checkpoint";
    static final String IMAGES = "images";
    static final String SUBJECT = "subject";
    static final String FINETUNE_EPOCHS = "finetuneEpochs";
    static final String LEARNING_RATE = "learningRate";
    static final String FIT_EPOCHS = "fitEpochs";
    static final String SEED = "seed";
    static final String THREADS = "threads";
    static final String DEVICE = "device";

    private IWorkbenchWindow window;
    private IStructuredSelection selection = StructuredSelection.EMPTY;
    private DriftBackbonePage backbonePage;
    private DriftTargetPage targetPage;
    private DriftSettingsPage settingsPage;
    private FinetuneDriftJob job;

    /** Creates the wizard with the dialog settings it remembers its choices in. */
    public FinetuneDriftWizard() {
        setWindowTitle("Fine-tuning Drift Experiment");
        IDialogSettings all = PlatformUI.getDialogSettingsProvider(FrameworkUtil.getBundle(FinetuneDriftWizard.class))
                .getDialogSettings();
        setDialogSettings(DialogSettings.getOrCreateSection(all, "FinetuneDriftWizard"));
    }

    @Override
    public void init(IWorkbench workbench, IStructuredSelection current) {
        window = workbench.getActiveWorkbenchWindow();
        selection = current == null ? StructuredSelection.EMPTY : current;
    }

    @Override
    public void addPages() {
        backbonePage = new DriftBackbonePage(this);
        targetPage = new DriftTargetPage(this);
        settingsPage = new DriftSettingsPage(this);
        addPage(backbonePage);
        addPage(targetPage);
        addPage(settingsPage);
    }

    @Override
    public boolean performFinish() {
        FinetuneDriftExperiment.Options options = options();
        remember(options);
        job = new FinetuneDriftJob(window, options);
        job.schedule();
        return true;
    }

    /**
     * The experiment the pages describe; call when every page is complete.
     *
     * @return the settings, as {@code brainalign experiment finetune-drift} takes them
     */
    public FinetuneDriftExperiment.Options options() {
        return new FinetuneDriftExperiment.Options(backbonePage.family(), backbonePage.checkpoint.path(),
                backbonePage.images.path(), targetPage.subject.path(), targetPage.folder(),
                settingsPage.finetuneEpochs.getSelection(), settingsPage.learningRate(),
                settingsPage.fitEpochs.getSelection(), settingsPage.seed.getSelection(),
                settingsPage.threads.getSelection(), settingsPage.device());
    }

    /** @return the command line that runs the same experiment, "brainalign" first */
    public List<String> commandLine() {
        return RunCommand.experiment(options());
    }

    private void remember(FinetuneDriftExperiment.Options o) {
        IDialogSettings s = getDialogSettings();
        s.put(FAMILY, o.family());
        s.put(CHECKPOINT, o.checkpoint().toString());
        s.put(IMAGES, o.finetuneImages().toString());
        s.put(SUBJECT, o.subject().toString());
        s.put(FINETUNE_EPOCHS, o.finetuneEpochs());
        s.put(LEARNING_RATE, settingsPage.learningRate.getText().strip());
        s.put(FIT_EPOCHS, o.fitEpochs());
        s.put(SEED, o.seed());
        s.put(THREADS, o.threads());
        s.put(DEVICE, o.device().name());
    }

    String remembered(String key) {
        String value = getDialogSettings().get(key);
        return value == null ? "" : value;
    }

    int remembered(String key, int fallback) {
        try {
            return Integer.parseInt(remembered(key));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** @return the workbench selection the wizard was opened on */
    IStructuredSelection selection() {
        return selection;
    }

    /** @return the job the last finish started, or null */
    public FinetuneDriftJob job() {
        return job;
    }

    /** @return the first page: backbone and fine-tuning images */
    public DriftBackbonePage backbonePage() {
        return backbonePage;
    }

    /** @return the second page: subject and experiment folder */
    public DriftTargetPage targetPage() {
        return targetPage;
    }

    /** @return the third page: the settings */
    public DriftSettingsPage settingsPage() {
        return settingsPage;
    }

    /**
     * @param message a message of ours or of a reader, which names the file
     * @return it as a sentence: ending in a full stop
     */
    static String sentence(String message) {
        String m = message == null ? "" : message.lines().findFirst().orElse("").strip();
        return m.endsWith(".") ? m : m + ".";
    }

}
