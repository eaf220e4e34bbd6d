package org.brainalign.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

import org.eclipse.core.runtime.IProgressMonitor;

/**
 * Progress of a long command on standard error, at most once a second: the task and the work's own report in real
 * units (images, steps, volumes, with their rate), the share done and the time left at the rate of the last half
 * minute ({@link TimeLeft}); "at most" while the work says it may stop early (the trainer's "epoch 3 of at most 20",
 * which it says only while an early stop can still happen, and clears when its epochs are over).
 * Cancelled when the user presses Ctrl-C
 * (see {@link CommandLine}), so the work stops at its next check and leaves no half-written output.
 */
public final class ConsoleProgress implements IProgressMonitor {

    /** How work that may end before its total says so in its sub-task, e.g. "epoch 3 of at most 20". */
    static final String MAY_STOP_EARLY = "at most";

    private final PrintStream err;
    private final LongSupplier clock;
    private final TimeLeft timeLeft = new TimeLeft();
    private volatile boolean canceled;
    private String task = "";
    private String subTask = "";
    private int total = UNKNOWN;
    private double done;
    private long lastPrint;

    /**
     * @param err where progress lines go
     */
    public ConsoleProgress(PrintStream err) {
        this(err, System::nanoTime);
    }

    /**
     * @param err where progress lines go
     * @param clock the time in nanoseconds, as System.nanoTime (tests pass their own, to see every line)
     */
    ConsoleProgress(PrintStream err, LongSupplier clock) {
        this.err = err;
        this.clock = clock;
    }

    @Override
    public void beginTask(String name, int totalWork) {
        task = name == null ? "" : name;
        total = totalWork;
        done = 0;
        print(true);
    }

    @Override
    public void done() {
        if (total > 0) {
            done = total;
        }
        print(true);
    }

    @Override
    public void internalWorked(double work) {
        done += work;
        print(false);
    }

    @Override
    public boolean isCanceled() {
        return canceled;
    }

    @Override
    public void setCanceled(boolean value) {
        canceled = value;
    }

    @Override
    public void setTaskName(String name) {
        task = name == null ? "" : name;
        print(true);
    }

    @Override
    public void subTask(String name) {
        subTask = name == null ? "" : name;
        print(false);
    }

    @Override
    public void worked(int work) {
        internalWorked(work);
    }

    private synchronized void print(boolean force) {
        long now = clock.getAsLong();
        if (!force && now - lastPrint < 1_000_000_000L) {
            return;
        }
        lastPrint = now;
        if (task.isEmpty() && subTask.isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder(task);
        if (!subTask.isEmpty()) {
            line.append(task.isEmpty() ? "" : ": ").append(subTask);
        }
        if (total > 0) {
            // the total is in the monitor's own units (sub-monitors rescale them): show a share, not a count
            double fraction = Math.min(1, done / total);
            timeLeft.record(now, fraction);
            line.append(String.format(Locale.ROOT, "  [%.0f%%", 100 * fraction));
            timeLeft.seconds().ifPresent(seconds -> line.append(", ")
                    .append(subTask.contains(MAY_STOP_EARLY) ? "at most " : "").append(duration(seconds))
                    .append(" left"));
            line.append(']');
        }
        err.println(line);
    }

    /**
     * @param seconds a duration
     * @return it as "42 s", "3 min 05 s" or "1 h 02 min"
     */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
