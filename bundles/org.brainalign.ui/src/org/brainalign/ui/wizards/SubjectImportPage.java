package org.brainalign.ui.wizards;

import org.brainalign.ui.workspace.ProjectLayout;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/**
 * A subject import page: the fields of one data set layout (the subclass's), then the BrainAlign project and the
 * name of the subject folder to create there. Every change re-checks the page: a missing file, a layout that does not
 * match, a grid that does not line up is reported at the top of the page at once, and Finish stays disabled.
 */
public abstract class SubjectImportPage extends CheckedPage {

    private final String description;
    private Combo project;
    private Text name;
    private boolean nameEdited;

    /**
     * @param pageName the page's name
     * @param title the page's title
     * @param description what it imports
     */
    protected SubjectImportPage(String pageName, String title, String description) {
        super(pageName, title, null);
        this.description = description;
    }

    @Override
    public final void createControl(Composite parent) {
        setDescription(description);
        Composite c = new Composite(parent, SWT.NONE);
        c.setLayout(new GridLayout(3, false));
        createSourceFields(c);
        Label separator = new Label(c, SWT.SEPARATOR | SWT.HORIZONTAL);
        separator.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        new Label(c, SWT.NONE).setText("Project:");
        project = new Combo(c, SWT.DROP_DOWN);
        project.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        String first = null;
        for (IProject p : ResourcesPlugin.getWorkspace().getRoot().getProjects()) {
            if (p.isOpen()) {
                project.add(p.getName());
                if (first == null && ProjectLayout.isBrainAlignProject(p)) {
                    first = p.getName();
                }
            }
        }
        project.setText(first != null ? first : "brainalign");
        project.setToolTipText("A project that does not exist is created with the BrainAlign layout");
        project.addListener(SWT.Modify, e -> update());
        new Label(c, SWT.NONE).setText("Subject folder:");
        name = new Text(c, SWT.BORDER);
        name.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        name.addListener(SWT.Modify, e -> update());
        name.addListener(SWT.KeyDown, e -> nameEdited = true);
        setControl(c);
        update();
    }

    /**
     * Creates the layout's own fields in a three-column grid; each change must call {@link #update()}.
     *
     * @param parent the composite
     */
    protected abstract void createSourceFields(Composite parent);

    /**
     * Checks the layout's fields.
     *
     * @return an error sentence, a prompt starting with "?" for a field still to fill in, or null when all is well
     */
    protected abstract String checkSource();

    /** @return the subject's id as the data set names it (the default folder name), or null */
    protected abstract String subjectId();

    /**
     * @param target the project
     * @param folderName the subject folder's name
     * @return the import to run
     */
    protected abstract SubjectImportOperation operation(IProject target, String folderName);

    /** Follows the subject's id in the folder name until the user edits it, then checks the source and the target. */
    @Override
    protected final String check() {
        if (!nameEdited && subjectId() != null && !name.getText().equals(subjectId())) {
            name.setText(subjectId());
        }
        String problem = checkSource();
        if (problem == null) {
            problem = checkTarget();
        }
        return problem;
    }

    private String checkTarget() {
        String p = project.getText().strip();
        IStatus s = ResourcesPlugin.getWorkspace().validateName(p, IResource.PROJECT);
        if (!s.isOK()) {
            return "The project name '" + p + "' cannot be used: " + s.getMessage();
        }
        IProject target = ResourcesPlugin.getWorkspace().getRoot().getProject(p);
        if (target.exists() && !target.isOpen()) {
            return "Project " + p + " is closed.";
        }
        String n = name.getText().strip();
        if (n.isEmpty()) {
            return "?Name the subject folder.";
        }
        s = ResourcesPlugin.getWorkspace().validateName(n, IResource.FOLDER);
        if (!s.isOK()) {
            return "The folder name '" + n + "' cannot be used: " + s.getMessage();
        }
        if (target.getFolder(ProjectLayout.SUBJECTS).getFolder(n).exists()) {
            return "Project " + p + " already has a subject folder " + n + "; choose another name.";
        }
        return null;
    }

    /** @return the import the page describes (call when the page is complete) */
    public SubjectImportOperation operation() {
        return operation(ResourcesPlugin.getWorkspace().getRoot().getProject(project.getText().strip()),
                name.getText().strip());
    }

    /**
     * Fills in the target, as if typed.
     *
     * @param projectName the project
     * @param folderName the subject folder's name
     */
    public void setTarget(String projectName, String folderName) {
        project.setText(projectName);
        nameEdited = true;
        name.setText(folderName);
    }
}
