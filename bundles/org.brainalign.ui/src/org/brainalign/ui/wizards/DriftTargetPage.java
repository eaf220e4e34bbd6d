package org.brainalign.ui.wizards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.brainalign.workflow.FinetuneDriftExperiment;
import org.brainalign.io.subject.SubjectDescription;
import org.brainalign.ui.workspace.ProjectLayout;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

/** The subject and the experiment folder, new or begun before. */
public final class DriftTargetPage extends CheckedPage {

    private final FinetuneDriftWizard wizard;

    private ProjectChoice project;
    PathField subject;
    private Combo name;
    private Button resume;
    private Label where;
    private boolean nameEdited;

    DriftTargetPage(FinetuneDriftWizard wizard) {
        super("target", "Subject and experiment folder",
                "The subject whose responses are fitted before and after, and the folder the experiment writes.");
        this.wizard = wizard;
    }

    @Override
    public void createControl(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        c.setLayout(new GridLayout(3, false));
        project = new ProjectChoice(c, wizard.selection());
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
        subject.set(wizard.remembered(FinetuneDriftWizard.SUBJECT));
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
        String candidate = FinetuneDriftWizard.DEFAULT_NAME;
        for (int i = 2; Files.exists(folder.resolve(candidate)); i++) {
            candidate = FinetuneDriftWizard.DEFAULT_NAME + "-" + i;
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
            return FinetuneDriftWizard.sentence(e.getMessage());
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
