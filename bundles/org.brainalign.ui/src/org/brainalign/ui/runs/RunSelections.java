package org.brainalign.ui.runs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.brainalign.io.run.RunFolder;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.IPath;
import org.eclipse.jface.viewers.IStructuredSelection;

/**
 * Run selections are how the workbench finds the runs a selection points at: a run folder itself, or any file or
 * folder inside one (a map in maps/, a table in tables/, run.json).
 */
public final class RunSelections {

    /** How far inside a run folder a selected file may lie: maps/NAME.nii.gz is two levels down. */
    private static final int DEPTH = 3;

    private RunSelections() {
    }

    /**
     * @param selection a selection, e.g. of the Project Explorer
     * @return the run folders its elements are or lie in, each once, in the selection's order (the Project
     *         Explorer's: top to bottom)
     */
    public static List<Path> runFolders(IStructuredSelection selection) {
        List<Path> runs = new ArrayList<>();
        for (Object element : selection.toList()) {
            IResource resource = Adapters.adapt(element, IResource.class);
            IPath location = resource == null ? null : resource.getLocation();
            if (location != null) {
                runOf(location.toPath()).filter(r -> !runs.contains(r)).ifPresent(runs::add);
            }
        }
        return runs;
    }

    /**
     * @param path a file or folder
     * @return the run folder it is, or lies in (up to {@value #DEPTH} levels down)
     */
    public static Optional<Path> runOf(Path path) {
        Path p = path.toAbsolutePath().normalize();
        for (int level = 0; level <= DEPTH && p != null; level++) {
            if (Files.isRegularFile(p.resolve(RunFolder.RUN_JSON))) {
                return Optional.of(p);
            }
            p = p.getParent();
        }
        return Optional.empty();
    }
}
