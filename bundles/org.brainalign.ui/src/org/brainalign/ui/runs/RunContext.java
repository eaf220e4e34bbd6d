package org.brainalign.ui.runs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.brainalign.ui.viewer.CrosshairPosition;
import org.brainalign.workflow.slices.RunMaps;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.ListenerList;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.ISelectionListener;
import org.eclipse.ui.IWindowListener;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;

/**
 * The run context of a workbench window is what its ROI and chart views show: the followed run (the run folder last
 * selected in the Project Explorer, or whose map the viewer shows), the voxel under the viewer's crosshair, the runs
 * selected together (for the model comparison) and the pair chosen with Compare with... (for the drift). Selections
 * change it; runs are read in the background and listeners hear of every change on the UI thread. Views opened later
 * start from the current state, so no view needs a "load" button.
 */
public final class RunContext {

    /** The family of the jobs reading runs, so that tests and callers can join them. */
    public static final Object FAMILY = RunContext.class;

    private static final Map<IWorkbenchWindow, RunContext> CONTEXTS = new HashMap<>();

    /**
     * What the views show.
     *
     * @param run the followed run, or null
     * @param runProblem why there is no run (one sentence naming the folder), or null
     * @param voxel the crosshair's voxel as a position in the run's voxel set, or -1
     * @param crosshair the viewer's last crosshair, or null
     * @param compared the runs selected together, in the selection's order (one run when only one is selected)
     * @param before the earlier run of the drift, or null
     * @param after the later run of the drift, or null
     * @param driftProblem why there is no drift pair, or null
     */
    public record State(LoadedRun run, String runProblem, int voxel, CrosshairPosition crosshair,
            List<LoadedRun> compared, LoadedRun before, LoadedRun after, String driftProblem) {

        /** Copies the list. */
        public State {
            compared = List.copyOf(compared);
        }

        static final State EMPTY = new State(null, null, -1, null, List.of(), null, null, null);
    }

    /** Hears of changes to the context, on the UI thread. */
    public interface Listener {

        /** @param state the new state */
        void runContextChanged(State state);
    }

    private final ListenerList<Listener> listeners = new ListenerList<>();
    private final IWorkbenchWindow window;
    private final ISelectionListener selectionListener = this::selectionChanged;
    private State state = State.EMPTY;
    private List<Path> following = List.of();
    private int generation;
    private final RunInfoChanges runInfo;

    private RunContext(IWorkbenchWindow window) {
        this.window = window;
        window.getSelectionService().addSelectionListener(selectionListener);
        runInfo = RunInfoChanges.listen(this::runInfoChanged);
        // a view opened after the user picked a run starts from that run
        ISelection current = window.getSelectionService().getSelection();
        if (current != null) {
            selectionChanged(null, current);
        }
    }

    /**
     * @param window a workbench window
     * @return its run context, created on first use; call on the UI thread
     */
    public static RunContext of(IWorkbenchWindow window) {
        synchronized (CONTEXTS) {
            if (CONTEXTS.isEmpty()) {
                PlatformUI.getWorkbench().addWindowListener(new Closing());
            }
            return CONTEXTS.computeIfAbsent(window, RunContext::new);
        }
    }

    /** @return the current state */
    public State state() {
        return state;
    }

    /** @param listener called on every change, on the UI thread */
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** @param listener a listener added before */
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    private void selectionChanged(IWorkbenchPart part, ISelection selection) {
        if (!(selection instanceof IStructuredSelection s) || s.isEmpty()) {
            return;
        }
        if (s.getFirstElement() instanceof CrosshairPosition p) {
            crosshair(p);
            return;
        }
        List<Path> runs = RunSelections.runFolders(s);
        if (!runs.isEmpty()) {
            follow(runs);
        }
    }

    /**
     * Follows runs: the first becomes the run the views show, all of them the comparison. Runs are read in a
     * background job; the views change when it is done.
     *
     * @param runs run folders, at least one
     * @return the job reading them (already scheduled)
     */
    public Job follow(List<Path> runs) {
        List<Path> wanted = runs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        following = wanted;
        int ticket = ++generation;
        Job job = new Reading("Reading " + wanted.get(0).getFileName(), monitor -> {
            SubMonitor sub = SubMonitor.convert(monitor, wanted.size());
            List<LoadedRun> loaded = new ArrayList<>();
            String problem = null;
            for (Path p : wanted) {
                try {
                    loaded.add(LoadedRun.read(p));
                } catch (IOException | RuntimeException e) {
                    problem = problem != null ? problem : sentence(p, e);
                }
                sub.split(1);
            }
            String firstProblem = problem;
            update(ticket, s -> {
                LoadedRun first = loaded.isEmpty() || !loaded.get(0).folder().equals(wanted.get(0))
                        ? null
                        : loaded.get(0);
                return new State(first, first == null ? firstProblem : null, voxelIn(first, s.crosshair()),
                        s.crosshair(), loaded, s.before(), s.after(), s.driftProblem());
            });
            return Status.OK_STATUS;
        });
        schedule(job);
        return job;
    }

    /**
     * Sets the drift pair (Compare with...): the drift view shows how the later run differs from the earlier.
     *
     * @param before the earlier run folder
     * @param after the later run folder
     * @return the job reading them (already scheduled)
     */
    public Job compare(Path before, Path after) {
        Job job = new Reading("Reading " + before.getFileName() + " and " + after.getFileName(),
                monitor -> {
                    LoadedRun a = null;
                    LoadedRun b = null;
                    String problem = null;
                    try {
                        a = LoadedRun.read(before);
                        b = LoadedRun.read(after);
                    } catch (IOException | RuntimeException e) {
                        problem = sentence(a == null ? before : after, e);
                    }
                    LoadedRun fa = a;
                    LoadedRun fb = b;
                    String fp = problem;
                    update(-1, s -> new State(s.run(), s.runProblem(), s.voxel(), s.crosshair(), s.compared(),
                            fp == null ? fa : null, fp == null ? fb : null, fp));
                    return Status.OK_STATUS;
                });
        schedule(job);
        return job;
    }

    /**
     * Moves the context's voxel to the crosshair: when it lies in a map of another run, that run is followed.
     *
     * @param position the viewer's crosshair
     */
    public void crosshair(CrosshairPosition position) {
        Optional<Path> run = RunMaps.runOf(position.file()).map(p -> p.toAbsolutePath().normalize());
        if (run.isPresent() && (following.isEmpty() || !following.get(0).equals(run.get()))) {
            State s = state;
            state = new State(s.run(), s.runProblem(), s.voxel(), position, s.compared(), s.before(), s.after(),
                    s.driftProblem());
            follow(List.of(run.get()));
            return;
        }
        State s = state;
        set(new State(s.run(), s.runProblem(), voxelIn(s.run(), position), position, s.compared(), s.before(),
                s.after(), s.driftProblem()));
    }

    /**
     * Reads the runs shown again when their run.json changed (a run relabelled in its properties), so that chart
     * legends and titles carry the new name at once.
     */
    private void runInfoChanged(Set<Path> folders) {
        if (following.stream().anyMatch(folders::contains)) {
            follow(following);
        }
        State s = state;
        if (s.before() != null && s.after() != null
                && (folders.contains(normal(s.before().folder())) || folders.contains(normal(s.after().folder())))) {
            compare(s.before().folder(), s.after().folder());
        }
    }

    private static Path normal(Path folder) {
        return folder.toAbsolutePath().normalize();
    }

    private static int voxelIn(LoadedRun run, CrosshairPosition crosshair) {
        return run == null || crosshair == null ? -1 : run.positionAt(crosshair.world());
    }

    private static String sentence(Path folder, Exception e) {
        String m = e.getMessage();
        if (e instanceof IOException && m != null && !m.isBlank()) {
            return m; // our readers' messages already name the file
        }
        return "Run folder " + folder + " cannot be read: " + (m == null ? e.getClass().getSimpleName() : m);
    }

    private interface Change {

        State apply(State current);
    }

    private void update(int ticket, Change change) {
        Display display = window.getWorkbench().getDisplay();
        if (display.isDisposed()) {
            return;
        }
        display.asyncExec(() -> {
            // a later follow() wins over an earlier one that finished last
            if (ticket >= 0 && ticket != generation) {
                return;
            }
            set(change.apply(state));
        });
    }

    private void set(State newState) {
        state = newState;
        for (Listener l : listeners) {
            l.runContextChanged(newState);
        }
    }

    private static void schedule(Job job) {
        job.setSystem(true);
        job.setPriority(Job.SHORT);
        job.schedule();
    }

    /** A job reading runs, of the family {@link RunContext#FAMILY}. */
    private static final class Reading extends Job {

        private final java.util.function.Function<IProgressMonitor, IStatus> work;

        Reading(String name, java.util.function.Function<IProgressMonitor, IStatus> work) {
            super(name);
            this.work = work;
        }

        @Override
        protected IStatus run(IProgressMonitor monitor) {
            return work.apply(monitor);
        }

        @Override
        public boolean belongsTo(Object family) {
            return family == FAMILY;
        }
    }

    /** Forgets the context of a window that closes. */
    private static final class Closing implements IWindowListener {

        @Override
        public void windowClosed(IWorkbenchWindow window) {
            synchronized (CONTEXTS) {
                RunContext c = CONTEXTS.remove(window);
                if (c != null) {
                    window.getSelectionService().removeSelectionListener(c.selectionListener);
                    c.runInfo.stop();
                }
            }
        }

        @Override
        public void windowActivated(IWorkbenchWindow window) {
            // only closing matters
        }

        @Override
        public void windowDeactivated(IWorkbenchWindow window) {
            // only closing matters
        }

        @Override
        public void windowOpened(IWorkbenchWindow window) {
            // only closing matters
        }
    }
}
