package org.brainalign.ui.workspace;

import java.nio.file.Files;

import org.brainalign.io.run.RunFolder;
import org.eclipse.core.expressions.PropertyTester;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.IPath;

/**
 * Tests resources for menus and property pages (namespace {@code org.brainalign.ui}): {@code isRunFolder} holds for
 * a folder with a run.json, {@code isBrainAlignResource} for anything in a project with the BrainAlign nature.
 */
public class RunFolderTester extends PropertyTester {

    @Override
    public boolean test(Object receiver, String property, Object[] args, Object expectedValue) {
        IResource resource = Adapters.adapt(receiver, IResource.class);
        if (resource == null) {
            return false;
        }
        return switch (property) {
            case "isRunFolder" -> resource instanceof IFolder f && isRun(f);
            case "isBrainAlignResource" -> resource.getProject() != null
                    && ProjectLayout.isBrainAlignProject(resource.getProject());
            default -> false;
        };
    }

    private static boolean isRun(IFolder folder) {
        // on disk rather than in the resource tree: a run written by a job may not be refreshed yet
        IPath location = folder.getLocation();
        return location != null && Files.isRegularFile(location.toPath().resolve(RunFolder.RUN_JSON));
    }
}
