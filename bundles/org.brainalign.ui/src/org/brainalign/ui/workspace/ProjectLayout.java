package org.brainalign.ui.workspace;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.brainalign.engine.features.FeatureStore;
import org.brainalign.io.subject.SubjectDescription;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * The project layout is how a BrainAlign project keeps its data: {@code subjects/} (one folder per imported subject),
 * {@code features/} (feature stores of backbones) and {@code runs/} (one folder per fit, see {@link RunSummary}). A
 * project with the {@link BrainAlignNature} gets these folders and its own icon in the Project Explorer.
 */
public final class ProjectLayout {

    /** Imported subjects, one folder each. */
    public static final String SUBJECTS = "subjects";
    /** Feature stores. */
    public static final String FEATURES = "features";
    /** Fitted runs, one folder each. */
    public static final String RUNS = "runs";
    /** Fine-tuning drift experiments, one folder each; made when the first experiment is started. */
    public static final String EXPERIMENTS = "experiments";
    /** Where the built-in demo keeps its subject, beside the layout's folders. */
    private static final String DEMO_SUBJECT = "subject";

    private ProjectLayout() {
    }

    /**
     * Creates (or opens) a project with the BrainAlign nature and its folders.
     *
     * @param name the project's name
     * @param location where to keep it, or null for the workspace's default place
     * @param monitor progress; may be null
     * @return the open project
     * @throws CoreException if the workspace refuses
     */
    public static IProject create(String name, URI location, IProgressMonitor monitor) throws CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, "Creating project " + name, 3);
        IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject(name);
        if (!project.exists()) {
            IProjectDescription d = ResourcesPlugin.getWorkspace().newProjectDescription(name);
            d.setLocationURI(location);
            project.create(d, sub.split(1));
        }
        sub.setWorkRemaining(2);
        if (!project.isOpen()) {
            project.open(sub.split(1));
        }
        sub.setWorkRemaining(1);
        addNature(project, sub.split(1));
        return project;
    }

    /**
     * Gives a project the BrainAlign nature, which creates its folders.
     *
     * @param project an open project
     * @param monitor progress; may be null
     * @throws CoreException if the workspace refuses
     */
    public static void addNature(IProject project, IProgressMonitor monitor) throws CoreException {
        IProjectDescription d = project.getDescription();
        if (d.hasNature(BrainAlignNature.ID)) {
            createFolders(project, monitor);
            return;
        }
        String[] natures = Arrays.copyOf(d.getNatureIds(), d.getNatureIds().length + 1);
        natures[natures.length - 1] = BrainAlignNature.ID;
        d.setNatureIds(natures);
        project.setDescription(d, monitor);
    }

    /**
     * Creates the subjects, features and runs folders that are missing.
     *
     * @param project an open project
     * @param monitor progress; may be null
     * @throws CoreException if the workspace refuses
     */
    public static void createFolders(IProject project, IProgressMonitor monitor) throws CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, 3);
        for (String name : new String[] { SUBJECTS, FEATURES, RUNS }) {
            IFolder f = project.getFolder(name);
            if (!f.exists()) {
                f.create(IResource.NONE, true, sub.split(1));
            } else {
                sub.worked(1);
            }
        }
    }

    /**
     * @param project a project
     * @return whether it is open and has the BrainAlign nature
     */
    public static boolean isBrainAlignProject(IProject project) {
        try {
            return project.isOpen() && project.hasNature(BrainAlignNature.ID);
        } catch (CoreException e) {
            return false;
        }
    }

    /**
     * @param folder a folder
     * @return whether it is one of the subjects, features or runs folders of a BrainAlign project
     */
    public static boolean isLayoutFolder(IFolder folder) {
        return folder.getParent() instanceof IProject p && isBrainAlignProject(p)
                && Arrays.asList(SUBJECTS, FEATURES, RUNS).contains(folder.getName());
    }

    /**
     * @param folder a folder
     * @return whether it is a subject folder: it holds a subject.json, or lies directly in a project's subjects
     *         folder
     */
    public static boolean isSubjectFolder(IFolder folder) {
        return folder.getFile(SubjectDescription.FILE).exists()
                || folder.getParent() instanceof IFolder p && p.getParent() instanceof IProject
                        && SUBJECTS.equals(p.getName());
    }

    /**
     * @param folder a folder
     * @return whether it is a run folder (holds run.json)
     */
    public static boolean isRunFolder(IFolder folder) {
        return folder.getFile(org.brainalign.io.run.RunFolder.RUN_JSON).exists();
    }

    /**
     * @param name a file name
     * @return whether it names a NIfTI image (.nii, .nii.gz, .hdr, .hdr.gz)
     */
    public static boolean isNiftiName(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).matches(".*\\.(nii|hdr)(\\.gz)?");
    }

    /**
     * @param root a project's folder on disk
     * @return the feature stores in its features folder (folders holding a store manifest), sorted
     */
    public static List<Path> featureStores(Path root) {
        return holding(root.resolve(FEATURES), FeatureStore.MANIFEST);
    }

    /**
     * @param root a project's folder on disk
     * @return the subject folders in its subjects folder and the demo's subject folder (each holds a subject.json)
     */
    public static List<Path> subjectFolders(Path root) {
        List<Path> subjects = holding(root.resolve(SUBJECTS), SubjectDescription.FILE);
        subjects.addAll(holding(root.resolve(DEMO_SUBJECT), SubjectDescription.FILE));
        return subjects;
    }

    /** The folder itself when it holds a file of that name, else its children that do, sorted. */
    private static List<Path> holding(Path folder, String file) {
        List<Path> list = new ArrayList<>();
        if (Files.isRegularFile(folder.resolve(file))) {
            list.add(folder);
            return list;
        }
        if (Files.isDirectory(folder)) {
            try (Stream<Path> children = Files.list(folder)) {
                children.filter(c -> Files.isRegularFile(c.resolve(file))).sorted().forEach(list::add);
            } catch (IOException e) {
                // a folder that cannot be listed holds nothing to offer
            }
        }
        return list;
    }
}
