package org.brainalign.ui.wizards;

import java.util.ArrayList;
import java.util.List;

import org.brainalign.ui.workspace.ProjectLayout;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

/**
 * The "Project:" row of a wizard page in a three-column grid: the workspace's BrainAlign projects in a read-only list,
 * the project of what was selected when the wizard opened chosen first, else the first project.
 */
final class ProjectChoice {

    private final List<IProject> projects = new ArrayList<>();
    private final Combo combo;

    /**
     * @param parent a composite with a three-column grid layout
     * @param selection what was selected when the wizard opened, or null
     */
    ProjectChoice(Composite parent, IStructuredSelection selection) {
        new Label(parent, SWT.NONE).setText("Project:");
        combo = new Combo(parent, SWT.READ_ONLY);
        combo.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        IProject preferred = null;
        if (selection != null
                && Adapters.adapt(selection.getFirstElement(), IResource.class) instanceof IResource r) {
            preferred = r.getProject();
        }
        for (IProject p : ResourcesPlugin.getWorkspace().getRoot().getProjects()) {
            if (ProjectLayout.isBrainAlignProject(p)) {
                projects.add(p);
                combo.add(p.getName());
                if (p.equals(preferred) || combo.getSelectionIndex() < 0) {
                    combo.select(projects.size() - 1);
                }
            }
        }
    }

    /** @return the list, for listeners */
    Combo combo() {
        return combo;
    }

    /** @return the chosen project, or null when the workspace has none */
    IProject selected() {
        int i = combo.getSelectionIndex();
        return i < 0 ? null : projects.get(i);
    }

    /**
     * Chooses a project by name; a name not in the list keeps the choice.
     *
     * @param name the project's name
     */
    void select(String name) {
        int i = combo.indexOf(name);
        if (i >= 0) {
            combo.select(i);
        }
    }
}
