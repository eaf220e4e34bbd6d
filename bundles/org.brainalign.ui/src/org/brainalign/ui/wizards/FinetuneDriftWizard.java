package org.brainalign.ui.wizards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.brainalign.workflow.FinetuneDriftExperiment;
import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.backbone.BackboneFamilies;
import org.brainalign.engine.backbone.BackboneFamily;
import org.brainalign.engine.backbone.Checkpoint;
import org.brainalign.engine.finetune.ImageFolder;
import org.brainalign.io.subject.SubjectDescription;
import org.brainalign.ui.jobs.FinetuneDriftJob;
import org.brainalign.ui.workspace.ProjectLayout;
import org.brainalign.ui.workspace.RunCommand;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.jface.dialogs.DialogSettings;
import org.eclipse.jface.dialogs.IDialogSettings;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
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
    private static final String AUTO = "auto";
    /** The experiment folder's name before a number makes it new. */
    private static final String DEFAULT_NAME = "finetune-drift";
    /** Classes named in the image folder's summary before the rest are counted only. */
    private static final int CLASSES_NAMED = 6;

    private static final String FAMILY = "family";
    private static final String CHECKPOINT = "checkpoint";
    private static final String IMAGES = "images";
    private static final String SUBJECT = "subject";
    private static final String FINETUNE_EPOCHS = "finetuneEpochs";
    private static final String LEARNING_RATE = "learningRate";
    private static final String FIT_EPOCHS = "fitEpochs";
    private static final String SEED = "seed";
    private static final String THREADS = "threads";
    private static final String DEVICE = "device";

    private IWorkbenchWindow window;
    private IStructuredSelection selection = StructuredSelection.EMPTY;
    private BackbonePage backbonePage;
    private TargetPage targetPage;
    private SettingsPage settingsPage;
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
        backbonePage = new BackbonePage();
        targetPage = new TargetPage();
        settingsPage = new SettingsPage();
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

    private String remembered(String key) {
        String value = getDialogSettings().get(key);
        return value == null ? "" : value;
    }

    private int remembered(String key, int fallback) {
        try {
            return Integer.parseInt(remembered(key));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** @return the job the last finish started, or null */
    public FinetuneDriftJob job() {
        return job;
    }

    /** @return the first page: backbone and fine-tuning images */
    public BackbonePage backbonePage() {
        return backbonePage;
    }

    /** @return the second page: subject and experiment folder */
    public TargetPage targetPage() {
        return targetPage;
    }

    /** @return the third page: the settings */
    public SettingsPage settingsPage() {
        return settingsPage;
    }

    /**
     * @param message a message of ours or of a reader, which names the file
     * @return it as a sentence: ending in a full stop
     */
    private static String sentence(String message) {
        String m = message == null ? "" : message.lines().findFirst().orElse("").strip();
        return m.endsWith(".") ? m : m + ".";
    }

    /** The backbone (family and checkpoint) and the labelled images it is fine-tuned on. */
    public final class BackbonePage extends CheckedPage {

        private final List<String> families = new ArrayList<>();
        private Combo family;
        private PathField checkpoint;
        private Label recognised;
        private PathField images;
        private Label found;
        private Path scanned;
        private String scanProblem;
        private ImageFolder folder;

        BackbonePage() {
            super("backbone", "Backbone and fine-tuning images",
                    "The network to fine-tune, and the labelled images to fine-tune it on.");
        }

        @Override
        public void createControl(Composite parent) {
            Composite c = new Composite(parent, SWT.NONE);
            c.setLayout(new GridLayout(3, false));
            new Label(c, SWT.NONE).setText("Family:");
            family = new Combo(c, SWT.READ_ONLY);
            families.add(AUTO);
            BackboneFamilies.all().forEach(f -> families.add(f.id()));
            family.setItems(families.toArray(String[]::new));
            family.setToolTipText("auto: the family that recognises the checkpoint's config.json");
            family.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
            int remembered = families.indexOf(remembered(FAMILY));
            family.select(Math.max(0, remembered));
            family.addListener(SWT.Selection, e -> update());
            checkpoint = new PathField(c, "Checkpoint folder:", true, null, this::update);
            recognised = note(c);
            images = new PathField(c, "Fine-tuning images:", true, null, this::update);
            found = note(c);
            Label layout = new Label(c, SWT.WRAP);
            layout.setText("One sub-folder per class, named after it, holding that class's images (JPEG, PNG, BMP or"
                    + " GIF); at least two classes of at least two images.");
            GridData gd = new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1);
            gd.widthHint = 480;
            layout.setLayoutData(gd);
            checkpoint.set(remembered(CHECKPOINT));
            images.set(remembered(IMAGES));
            setControl(c);
            update();
        }

        private static Label note(Composite c) {
            new Label(c, SWT.NONE);
            Label l = new Label(c, SWT.NONE);
            l.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
            return l;
        }

        @Override
        protected String check() {
            recognised.setText("");
            found.setText("");
            String problem = checkCheckpoint();
            if (problem != null) {
                return problem;
            }
            Path im = images.path();
            if (im == null) {
                return "?Choose the folder of labelled images, one sub-folder per class.";
            }
            scan(im);
            if (scanProblem != null) {
                return scanProblem;
            }
            found.setText(summary(folder));
            return null;
        }

        private String checkCheckpoint() {
            Path cp = checkpoint.path();
            if (cp == null) {
                return "?Choose the backbone's checkpoint folder (config.json and model.safetensors).";
            }
            if (!Files.isDirectory(cp)) {
                return "Folder " + cp + " does not exist.";
            }
            String chosen = family();
            // opening reads config.json and the safetensors headers, not the weights
            try (Checkpoint opened = Checkpoint.open(cp)) {
                if (chosen.equals(AUTO)) {
                    BackboneFamily f = BackboneFamilies.detect(opened).orElse(null);
                    if (f == null) {
                        return "No backbone family recognises the checkpoint in " + cp + "; choose its family.";
                    }
                    recognised.setText("Recognised as " + f.id() + ": " + f.description());
                } else {
                    BackboneFamily f = BackboneFamilies.get(chosen);
                    if (!f.recognises(opened)) {
                        return "The checkpoint in " + cp + " is not one family " + chosen
                                + " loads; choose its family or auto.";
                    }
                    recognised.setText(f.description());
                }
            } catch (IOException | RuntimeException e) {
                return sentence(e.getMessage());
            }
            return null;
        }

        /** Lists the image folder once per path: a large one takes a moment. */
        private void scan(Path im) {
            if (im.equals(scanned)) {
                return;
            }
            scanned = im;
            folder = null;
            scanProblem = null;
            try {
                folder = ImageFolder.scan(im);
            } catch (IOException e) {
                scanProblem = sentence(e.getMessage());
            }
        }

        private static String summary(ImageFolder f) {
            List<String> classes = f.classes();
            String named = String.join(", ", classes.subList(0, Math.min(CLASSES_NAMED, classes.size())))
                    + (classes.size() > CLASSES_NAMED ? ", ..." : "");
            return "Found " + classes.size() + " classes (" + named + ") with " + f.images().size() + " images.";
        }

        private String family() {
            return families.get(Math.max(0, family.getSelectionIndex()));
        }

        /** @return what the image folder holds, as the page says it (empty while the folder is not usable) */
        public String imagesFound() {
            return found.getText();
        }

        /** @return what the page says of the checkpoint's family (empty while the checkpoint is not usable) */
        public String familyRecognised() {
            return recognised.getText();
        }

        /**
         * Fills the page, as if typed.
         *
         * @param familyId a family id or "auto"
         * @param checkpointFolder the checkpoint folder, or null for none
         * @param imageFolder the labelled image folder, or null for none
         */
        public void set(String familyId, Path checkpointFolder, Path imageFolder) {
            family.select(families.indexOf(familyId));
            checkpoint.set(checkpointFolder == null ? "" : checkpointFolder.toString());
            images.set(imageFolder == null ? "" : imageFolder.toString());
            update();
        }
    }

    /** The subject and the experiment folder, new or begun before. */
    public final class TargetPage extends CheckedPage {

        private ProjectChoice project;
        private PathField subject;
        private Combo name;
        private Button resume;
        private Label where;
        private boolean nameEdited;

        TargetPage() {
            super("target", "Subject and experiment folder",
                    "The subject whose responses are fitted before and after, and the folder the experiment writes.");
        }

        @Override
        public void createControl(Composite parent) {
            Composite c = new Composite(parent, SWT.NONE);
            c.setLayout(new GridLayout(3, false));
            project = new ProjectChoice(c, selection);
            subject = new PathField(c, "Subject (subject.json):", false, new String[] { "*.json" }, this::update);
            new Label(c, SWT.NONE).setText("Experiment folder:");
            name = new Combo(c, SWT.DROP_DOWN);
            name.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
            name.setToolTipText("A new folder in the project's experiments/ folder, or an experiment begun before");
            new Label(c, SWT.NONE);
            where = new Label(c, SWT.NONE);
            where.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
            resume = new Button(c, SWT.CHECK);
            resume.setText("Continue the experiment begun in this folder (its finished stages are kept)");
            resume.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 3, 1));
            resume.addListener(SWT.Selection, e -> update());
            subject.set(remembered(SUBJECT));
            fillFromProject();
            name.addListener(SWT.Modify, e -> update());
            name.addListener(SWT.KeyDown, e -> nameEdited = true);
            name.addListener(SWT.Selection, e -> nameEdited = true);
            project.combo().addListener(SWT.Selection, e -> {
                fillFromProject();
                update();
            });
            setControl(c);
            update();
        }

        /** Offers the project's subject when it has exactly one, its experiments, and a new folder name. */
        private void fillFromProject() {
            IProject p = project();
            if (p == null || p.getLocation() == null) {
                return;
            }
            Path root = p.getLocation().toPath();
            List<Path> subjects = ProjectLayout.subjectFolders(root);
            if (subjects.size() == 1 && subject.text().isEmpty()) {
                subject.set(subjects.get(0).resolve(SubjectDescription.FILE).toString());
            }
            name.setItems(experiments(root.resolve(ProjectLayout.EXPERIMENTS)).toArray(String[]::new));
            if (!nameEdited) {
                name.setText(freeName(root.resolve(ProjectLayout.EXPERIMENTS)));
            }
        }

        /** The names of the experiments begun in a folder. */
        private static List<String> experiments(Path folder) {
            if (!Files.isDirectory(folder)) {
                return List.of();
            }
            try (Stream<Path> children = Files.list(folder)) {
                return children.filter(Files::isDirectory).filter(FinetuneDriftExperiment::isStarted)
                        .map(p -> p.getFileName().toString()).sorted().toList();
            } catch (IOException e) {
                return List.of();
            }
        }

        /** The first of name, name-2, name-3, ... that the folder does not hold. */
        private static String freeName(Path folder) {
            String candidate = DEFAULT_NAME;
            for (int i = 2; Files.exists(folder.resolve(candidate)); i++) {
                candidate = DEFAULT_NAME + "-" + i;
            }
            return candidate;
        }

        private IProject project() {
            return project.selected();
        }

        /** @return the experiment folder chosen, or null while there is no project */
        Path folder() {
            IProject p = project();
            if (p == null || p.getLocation() == null) {
                return null;
            }
            return p.getLocation().toPath().resolve(ProjectLayout.EXPERIMENTS).resolve(name.getText().strip());
        }

        @Override
        protected String check() {
            String n = name.getText().strip();
            boolean valid = project() != null && !n.isEmpty()
                    && ResourcesPlugin.getWorkspace().validateName(n, IResource.FOLDER).isOK();
            Path target = valid ? folder() : null;
            boolean started = target != null && Files.isDirectory(target) && FinetuneDriftExperiment.isStarted(target);
            where.setText(target == null ? "" : target.toString());
            resume.setEnabled(started);
            if (!started) {
                resume.setSelection(false);
            }
            if (project() == null) {
                return "There is no BrainAlign project to keep the experiment in: create one with File > New first.";
            }
            String problem = checkSubject();
            return problem != null ? problem : checkTarget(n, target, started);
        }

        private String checkTarget(String n, Path target, boolean started) {
            if (n.isEmpty()) {
                return "?Name the experiment folder.";
            }
            IStatus valid = ResourcesPlugin.getWorkspace().validateName(n, IResource.FOLDER);
            if (!valid.isOK()) {
                return "The folder name '" + n + "' cannot be used: " + valid.getMessage();
            }
            if (Files.exists(target) && !Files.isDirectory(target)) {
                return "There is a file " + target + " already; choose another name.";
            }
            if (started) {
                return resume.getSelection()
                        ? null
                        : "?Folder " + target + " holds an experiment begun before: tick Continue to resume it, or"
                                + " choose another name.";
            }
            if (Files.isDirectory(target) && !isEmpty(target)) {
                return "Folder " + target + " is not empty and holds no experiment; choose another name.";
            }
            return null;
        }

        private static boolean isEmpty(Path folder) {
            try (Stream<Path> entries = Files.list(folder)) {
                return entries.findAny().isEmpty();
            } catch (IOException e) {
                return false;
            }
        }

        private String checkSubject() {
            Path s = subject.path();
            if (s == null) {
                return "?Choose the subject's subject.json (written by the subject import).";
            }
            if (Files.isDirectory(s) && !Files.isRegularFile(s.resolve(SubjectDescription.FILE))) {
                return "Folder " + s + " holds no " + SubjectDescription.FILE + ".";
            }
            if (!Files.exists(s)) {
                return "File " + s + " does not exist.";
            }
            try {
                SubjectDescription.read(s);
            } catch (IOException | RuntimeException e) {
                return sentence(e.getMessage());
            }
            return null;
        }

        @Override
        protected String done() {
            return resume.getSelection()
                    ? "Finish continues the experiment in " + folder().getFileName() + " from its last finished stage."
                    : null;
        }

        /** @return whether the experiment folder holds an experiment begun before, which can be continued */
        public boolean canResume() {
            return resume.isEnabled();
        }

        /** @return the experiment folder's name as it stands */
        public String experimentName() {
            return name.getText().strip();
        }

        /** @return the names offered in the experiment folder's list: the experiments begun in the project */
        public List<String> offeredExperiments() {
            return List.of(name.getItems());
        }

        /**
         * Fills the page, as if typed.
         *
         * @param projectName the project, or null to keep the one chosen
         * @param subjectFile the subject.json or its folder, or null for none
         * @param folderName the experiment folder's name
         * @param continueIt whether to continue an experiment begun in that folder
         */
        public void set(String projectName, Path subjectFile, String folderName, boolean continueIt) {
            if (projectName != null) {
                project.select(projectName);
                fillFromProject();
            }
            subject.set(subjectFile == null ? "" : subjectFile.toString());
            nameEdited = true;
            name.setText(folderName);
            update();
            resume.setSelection(continueIt && resume.isEnabled());
            update();
        }
    }

    /** The experiment's settings, with the command line's defaults, and the command that does the same. */
    public final class SettingsPage extends CheckedPage {

        private Spinner finetuneEpochs;
        private Text learningRate;
        private Spinner fitEpochs;
        private Spinner seed;
        private Spinner threads;
        private Combo device;
        private Text command;

        SettingsPage() {
            super("settings", "Settings", "How long to fine-tune and fit; the defaults are the command line's.");
        }

        @Override
        public void createControl(Composite parent) {
            FinetuneDriftExperiment.Options d = FinetuneDriftExperiment.Options.defaults(AUTO, null, null, null,
                    null);
            Composite c = new Composite(parent, SWT.NONE);
            c.setLayout(new GridLayout(2, false));
            finetuneEpochs = spinner(c, "Fine-tuning epochs:", remembered(FINETUNE_EPOCHS, d.finetuneEpochs()), 1,
                    100_000);
            new Label(c, SWT.NONE).setText("Fine-tuning learning rate:");
            learningRate = new Text(c, SWT.BORDER);
            GridData gd = new GridData(SWT.LEFT, SWT.CENTER, false, false);
            gd.widthHint = 100;
            learningRate.setLayoutData(gd);
            String lr = remembered(LEARNING_RATE);
            learningRate.setText(lr.isEmpty() ? RunCommand.number(d.learningRate()) : lr);
            learningRate.addListener(SWT.Modify, e -> update());
            fitEpochs = spinner(c, "Most epochs per fit:", remembered(FIT_EPOCHS, d.fitEpochs()), 1, 100_000);
            seed = spinner(c, "Seed (fits and fine-tuning):", remembered(SEED, (int) d.seed()), 0,
                    Integer.MAX_VALUE);
            int cores = Runtime.getRuntime().availableProcessors();
            threads = spinner(c, "Fit threads:", remembered(THREADS, d.threads()), 1, Math.max(1024, cores));
            new Label(c, SWT.NONE).setText("Device:");
            device = new Combo(c, SWT.READ_ONLY);
            for (DevicePreference p : DevicePreference.values()) {
                device.add(p.name().toLowerCase(Locale.ROOT));
            }
            DevicePreference chosen = d.device();
            try {
                chosen = DevicePreference.parse(remembered(DEVICE));
            } catch (IllegalArgumentException e) {
                // nothing remembered yet: the default
            }
            device.select(chosen.ordinal());
            device.addListener(SWT.Selection, e -> update());
            Label label = new Label(c, SWT.NONE);
            label.setText("The same experiment on the command line:");
            label.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
            command = new Text(c, SWT.BORDER | SWT.MULTI | SWT.WRAP | SWT.READ_ONLY | SWT.V_SCROLL);
            GridData cd = new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1);
            cd.widthHint = 480;
            cd.heightHint = 90;
            command.setLayoutData(cd);
            setControl(c);
            update();
        }

        private Spinner spinner(Composite c, String label, int value, int min, int max) {
            new Label(c, SWT.NONE).setText(label);
            Spinner s = new Spinner(c, SWT.BORDER);
            s.setValues(Math.max(min, Math.min(max, value)), min, max, 0, 1, 10);
            s.addListener(SWT.Modify, e -> update());
            return s;
        }

        @Override
        public void setVisible(boolean visible) {
            super.setVisible(visible);
            if (visible) {
                update();
            }
        }

        @Override
        protected String check() {
            String lr = learningRate.getText().strip();
            double rate;
            try {
                rate = Double.parseDouble(lr);
            } catch (NumberFormatException e) {
                rate = Double.NaN;
            }
            if (!(rate > 0) || Double.isInfinite(rate)) {
                command.setText("");
                return "The learning rate must be a positive number, not '" + lr + "'.";
            }
            boolean others = backbonePage.isPageComplete() && targetPage.isPageComplete();
            command.setText(others ? RunCommand.shell(commandLine()) : "");
            return null;
        }

        private double learningRate() {
            return Double.parseDouble(learningRate.getText().strip());
        }

        private DevicePreference device() {
            return DevicePreference.values()[Math.max(0, device.getSelectionIndex())];
        }

        /** @return the command line shown (empty while a page is incomplete) */
        public String commandText() {
            return command.getText();
        }

        /**
         * Fills the page, as if typed.
         *
         * @param finetuneEpochCount fine-tuning epochs
         * @param rate the learning rate as typed
         * @param fitEpochCount most epochs per fit
         * @param seedValue the seed
         * @param threadCount fit threads
         * @param deviceName auto, cpu or gpu
         */
        public void set(int finetuneEpochCount, String rate, int fitEpochCount, int seedValue, int threadCount,
                String deviceName) {
            finetuneEpochs.setSelection(finetuneEpochCount);
            learningRate.setText(rate);
            fitEpochs.setSelection(fitEpochCount);
            seed.setSelection(seedValue);
            threads.setSelection(threadCount);
            device.select(DevicePreference.parse(deviceName).ordinal());
            update();
        }
    }
}
