package org.brainalign.sweep.spark;

import java.nio.file.Path;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.brainalign.sweep.SweepCell;
import org.brainalign.sweep.SweepFolder;
import org.brainalign.sweep.SweepPlan;
import org.brainalign.sweep.SweepTasks;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;

/** A Spark task of the second stage: fits one cell. Holds only strings and numbers, so it serialises. */
final class CellTask implements VoidFunction<Integer> {

    private static final long serialVersionUID = 1L;

    private final String planFile;
    private final String out;
    private final int threads;

    CellTask(String planFile, String out, int threads) {
        this.planFile = planFile;
        this.out = out;
        this.threads = threads;
    }

    @Override
    public void call(Integer index) throws Exception {
        SweepPlan plan = SweepPlan.read(Path.of(planFile));
        SweepFolder folder = new SweepFolder(Path.of(out));
        folder.checkOwner(plan);
        SweepCell cell = plan.cells().get(index);
        SweepTasks.Runner runner = ExecutorRunner.current();
        IProgressMonitor monitor = new NullProgressMonitor();
        TaskContext task = TaskContext.get();
        if (runner.sparkAttempt() == 0 && task != null
                && cell.id().equals(task.getLocalProperty(SparkSweep.FAIL_FIRST_ATTEMPT))) {
            monitor = new FailingMonitor(cell.id());
        }
        SweepTasks.fit(plan, folder, cell, threads, runner, monitor);
    }

    /** Fails an attempt half way through its fit, as a crash of the task would. */
    private static final class FailingMonitor extends NullProgressMonitor {

        private final String cell;
        private double total;
        private double done;

        FailingMonitor(String cell) {
            this.cell = cell;
        }

        @Override
        public void beginTask(String name, int totalWork) {
            total = totalWork;
        }

        @Override
        public void internalWorked(double work) {
            done += work;
            if (done > total / 2) {
                throw new IllegalStateException("the first attempt at " + cell + " failed on purpose ("
                        + SparkSweep.FAIL_FIRST_ATTEMPT + ")");
            }
        }

        @Override
        public void worked(int work) {
            internalWorked(work);
        }
    }
}
