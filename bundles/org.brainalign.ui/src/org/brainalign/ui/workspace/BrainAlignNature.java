package org.brainalign.ui.workspace;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectNature;
import org.eclipse.core.runtime.CoreException;

/**
 * The BrainAlign project nature marks a project that holds subjects, feature stores and runs in the
 * {@link ProjectLayout}; adding it creates the layout's folders. Removing it leaves the data alone.
 */
public class BrainAlignNature implements IProjectNature {

    /** The nature's id. */
    public static final String ID = "org.brainalign.ui.nature";

    private IProject project;

    @Override
    public void configure() throws CoreException {
        ProjectLayout.createFolders(project, null);
    }

    @Override
    public void deconfigure() throws CoreException {
        // the project's data stays where it is
    }

    @Override
    public IProject getProject() {
        return project;
    }

    @Override
    public void setProject(IProject project) {
        this.project = project;
    }
}
