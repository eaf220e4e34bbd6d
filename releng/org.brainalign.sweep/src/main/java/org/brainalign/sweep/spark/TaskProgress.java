package org.brainalign.sweep.spark;

import java.io.PrintStream;
import java.util.Locale;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Prints one line per task start and end of the current stage: done, failed attempts and running tasks of all, with
 * the time spent and an estimate of the time left. The workbench reads these lines to show the sweep as a job.
 */
final class TaskProgress extends SparkListener {

    private final PrintStream log;
    private String what = "";
    private int total;
    private int done;
    private int failed;
    private int running;
    private long started;

    TaskProgress(PrintStream log) {
        this.log = log;
    }

    synchronized void stage(String name, int tasks) {
        what = name;
        total = tasks;
        done = 0;
        failed = 0;
        running = 0;
        started = System.nanoTime();
        print();
    }

    @Override
    public synchronized void onTaskStart(SparkListenerTaskStart taskStart) {
        running++;
        print();
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        running = Math.max(0, running - 1);
        if (taskEnd.taskInfo().successful()) {
            done++;
        } else {
            failed++;
        }
        print();
    }

    private void print() {
        double elapsed = (System.nanoTime() - started) / 1e9;
        String left = done == 0 ? "unknown" : String.format(Locale.ROOT, "%.0f s", elapsed / done * (total - done));
        log.printf(Locale.ROOT, "sweep: %s %d/%d done, %d failed attempts, %d running; %.0f s spent, %s left%n", what,
                done, total, failed, running, elapsed, left);
        log.flush();
    }
}
