package org.brainalign.ui.handlers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.brainalign.ui.jobs.RunResults;
import org.brainalign.ui.runs.RunSelections;
import org.brainalign.ui.workspace.RunSummary;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.resources.IContainer;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.dialogs.ElementListSelectionDialog;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * Right-click a run > Compare with...: asks for another run of the workspace (or takes the second of two selected
 * runs) and shows the fine-tuning drift from the selected run to that one in the drift chart.
 */
public class CompareWithHandler extends AbstractHandler {

    /** How deep below a project run folders are looked for: runs/NAME is two levels down. */
    private static final int DEPTH = 3;

    @Override
    public Object execute(ExecutionEvent event) {
        IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindow(event);
        IStructuredSelection selection = HandlerUtil.getCurrentStructuredSelection(event);
        List<Path> selected = RunSelections.runFolders(selection);
        if (window == null || selected.isEmpty()) {
            return null;
        }
        if (selected.size() >= 2) {
            compare(window, selected.get(0), selected.get(1));
            return null;
        }
        Path before = selected.get(0);
        List<Path> others = new ArrayList<>(workspaceRuns());
        others.remove(before);
        if (others.isEmpty()) {
            MessageDialog.openInformation(window.getShell(), "Compare with",
                    "The workspace holds no other run to compare " + RunSummary.where(before) + " with.");
            return null;
        }
        ElementListSelectionDialog d = new ElementListSelectionDialog(window.getShell(), new LabelProvider() {

            @Override
            public String getText(Object element) {
                Path p = (Path) element;
                return RunSummary.where(p) + "  [" + RunSummary.label(p) + "]";
            }
        });
        d.setTitle("Compare with");
        d.setMessage("Show how this run differs from " + RunSummary.where(before)
                + " (a run of the same voxels, e.g. after fine-tuning):");
        d.setElements(others.toArray());
        d.setMultipleSelection(false);
        if (d.open() == ElementListSelectionDialog.OK && d.getFirstResult() instanceof Path after) {
            compare(window, before, after);
        }
        return null;
    }

    /**
     * Shows the drift from one run to another in the drift chart.
     *
     * @param window the window
     * @param before the earlier run folder
     * @param after the later run folder
     * @return the job reading the runs (already scheduled)
     */
    public static Job compare(IWorkbenchWindow window, Path before, Path after) {
        return RunResults.showDrift(window, before, after);
    }

    /** @return the run folders of the open projects, by path */
    static List<Path> workspaceRuns() {
        List<Path> runs = new ArrayList<>();
        for (IProject p : ResourcesPlugin.getWorkspace().getRoot().getProjects()) {
            if (p.isOpen()) {
                collect(p, 0, runs);
            }
        }
        runs.sort(null);
        return runs;
    }

    private static void collect(IContainer container, int depth, List<Path> runs) {
        try {
            for (IResource r : container.members()) {
                if (r instanceof IFolder f) {
                    IPath location = f.getLocation();
                    if (location != null && RunSummary.isRunFolder(location.toPath())) {
                        runs.add(location.toPath());
                    } else if (depth < DEPTH) {
                        collect(f, depth + 1, runs);
                    }
                }
            }
        } catch (CoreException e) {
            // a folder that cannot be listed holds no run we can offer
        }
    }
}
