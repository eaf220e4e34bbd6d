package org.brainalign.ui.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

import org.brainalign.workflow.demo.Demo;
import org.brainalign.io.DataFormatException;
import org.brainalign.ui.workspace.ProjectLayout;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.ui.IWorkbenchWindow;

/**
 * The demo job makes a BrainAlign demo project (WORKBENCH.md's first-time path): it runs the built-in demo
 * ({@link Demo#run}: synthetic subject, extraction, fit, analysis, charts, report) into a new folder, makes that
 * folder a BrainAlign project, and then opens the run's layer map in the viewer with the charts following it. The
 * demo writes into an empty folder, so the project is created once the demo is done; cancelled or failed, the folder
 * is removed again and no project appears.
 */
public final class DemoJob extends BrainAlignJob {

    /**
     * The demo's settings.
     *
     * @param images stimuli
     * @param sessions sessions, each showing every image once
     * @param epochs most training epochs
     * @param seed the seed of everything
     * @param threads worker threads of the fit
     */
    public record Settings(int images, int sessions, int epochs, long seed, int threads) {

        /** @return the demo's own defaults, with every core */
        public static Settings defaults() {
            Demo.Options d = Demo.Options.defaults(Path.of("."));
            return new Settings(d.images(), d.sessions(), d.epochs(), d.seed(), d.threads());
        }
    }

    private final String projectName;
    private final Path location;
    private final Settings settings;
    private Path folder;
    private boolean wroteFolder;
    private boolean folderExisted;
    private volatile Demo.Result result;

    /**
     * @param window the window to open the results in
     * @param projectName the new project's name
     * @param location the project's folder, or null for the workspace's default place
     * @param settings the demo's settings
     */
    public DemoJob(IWorkbenchWindow window, String projectName, Path location, Settings settings) {
        super("BrainAlign demo project " + projectName, window);
        this.projectName = projectName;
        this.location = location;
        this.settings = settings;
    }

    @Override
    protected void work(IProgressMonitor monitor) throws IOException, CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, getName(), 100);
        IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject(projectName);
        if (project.exists()) {
            throw new IOException("A project named " + projectName + " exists already; choose another name.");
        }
        folder = target();
        checkEmpty(folder);
        folderExisted = Files.isDirectory(folder);
        wroteFolder = true;
        Demo.Options options = new Demo.Options(folder, settings.images(), settings.sessions(), settings.seed(),
                settings.epochs(), settings.threads());
        try (PrintStream log = new PrintStream(new SubTaskStream(sub), true, StandardCharsets.UTF_8)) {
            result = Demo.run(options, version(), log, sub.split(95));
        }
        ProjectLayout.create(projectName, location == null ? null : folder.toUri(), sub.split(3));
        project.refreshLocal(IResource.DEPTH_INFINITE, sub.split(2));
    }

    private static void checkEmpty(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            try (Stream<Path> entries = Files.list(folder)) {
                if (entries.findAny().isPresent()) {
                    throw DataFormatException.of(folder, "is not empty; a demo project needs a new or empty folder"
                            + " (choose another project name or location)");
                }
            }
        } else if (Files.exists(folder)) {
            throw DataFormatException.of(folder, "is a file, not a folder");
        }
    }

    @Override
    protected void undo() {
        IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject(projectName);
        if (wroteFolder && project.exists()) {
            try {
                project.delete(IResource.ALWAYS_DELETE_PROJECT_CONTENT | IResource.FORCE, null);
            } catch (CoreException e) {
                org.eclipse.core.runtime.ILog.of(DemoJob.class).log(e.getStatus());
            }
        }
        if (wroteFolder && folder != null) {
            deleteTree(folder);
            if (folderExisted) {
                try {
                    Files.createDirectories(folder); // it was there, empty, before the job
                } catch (IOException e) {
                    org.eclipse.core.runtime.ILog.of(DemoJob.class).warn(e.getMessage());
                }
            }
        }
    }

    @Override
    protected void opened(IWorkbenchWindow window) {
        if (result != null) {
            RunResults.show(window, result.run().folder());
        }
    }

    /** @return the demo's result once the job has succeeded, else null */
    public Demo.Result result() {
        return result;
    }

    private Path target() {
        return location != null
                ? location.toAbsolutePath().normalize()
                : ResourcesPlugin.getWorkspace().getRoot().getLocation().toPath().resolve(projectName);
    }

    /**
     * The demo job, if one is running or waiting, that makes a project of a name or writes into a folder: the project
     * appears only when the demo is done, so until then the name looks free to the workspace.
     *
     * @param name a project name
     * @param folder the folder a project would take, or null for the workspace's default place for the name
     * @return that job
     */
    public static Optional<DemoJob> writing(String name, Path folder) {
        Path wanted = folder != null
                ? folder.toAbsolutePath().normalize()
                : ResourcesPlugin.getWorkspace().getRoot().getLocation().toPath().resolve(name);
        return Arrays.stream(Job.getJobManager().find(FAMILY)).filter(DemoJob.class::isInstance)
                .map(DemoJob.class::cast)
                .filter(j -> j.projectName.equalsIgnoreCase(name) || j.target().equals(wanted)).findFirst();
    }

    /** @return the name of the project the demo makes */
    public String projectName() {
        return projectName;
    }

    /** @return the project's folder on disk (known once the job has started) */
    public Path folder() {
        return folder;
    }
}
