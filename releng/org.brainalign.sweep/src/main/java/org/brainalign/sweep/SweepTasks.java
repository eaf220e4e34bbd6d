package org.brainalign.sweep;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;

/**
 * The two kinds of sweep task, free of Spark so that `sweep cell` and a Spark executor run the same code: extract a
 * backbone's store, and fit a cell. Each skips work already published, works in an attempt folder of its own,
 * publishes by atomic rename and records its attempt's events.
 */
public final class SweepTasks {

    /**
     * Who runs an attempt.
     *
     * @param executor the executor's id, or a name for runs outside Spark
     * @param sparkAttempt Spark's attempt number, or -1 outside Spark
     */
    public record Runner(String executor, int sparkAttempt) {

        /** A runner outside Spark. */
        public static Runner outsideSpark(String name) {
            return new Runner(name, -1);
        }
    }

    /** What a task did. */
    public enum Outcome {
        /** Already published before this attempt began. */
        SKIPPED,
        /** This attempt's result was published. */
        PUBLISHED,
        /** Another attempt published first; this one's result was deleted. */
        DISCARDED
    }

    private SweepTasks() {
    }

    /**
     * Extracts one backbone's store unless it is published.
     *
     * @param plan the plan
     * @param folder the sweep folder
     * @param backbone the backbone's name
     * @param runner who runs it
     * @param monitor progress in images
     * @return what happened
     * @throws IOException if extraction fails (recorded as a failed attempt)
     */
    public static Outcome extract(SweepPlan plan, SweepFolder folder, String backbone, Runner runner,
            IProgressMonitor monitor) throws IOException {
        Path store = folder.store(backbone);
        return attempt(folder, "features-" + backbone, store, runner, partial -> {
            List<Path> images = SweepPipeline.images(plan.images());
            SweepPipeline.extract(plan.backbone(backbone), images, partial, plan.options(), monitor);
        });
    }

    /**
     * Fits one cell unless it is published.
     *
     * @param plan the plan
     * @param folder the sweep folder
     * @param cell the cell
     * @param threads worker threads of the fit
     * @param runner who runs it
     * @param monitor progress
     * @return what happened
     * @throws IOException if the fit fails (recorded as a failed attempt)
     */
    public static Outcome fit(SweepPlan plan, SweepFolder folder, SweepCell cell, int threads, Runner runner,
            IProgressMonitor monitor) throws IOException {
        Path store = folder.store(cell.backbone());
        if (!SweepFolder.published(store)) {
            throw new SweepException(store + " is missing: extract the features of " + cell.backbone()
                    + " before fitting cell " + cell.id());
        }
        return attempt(folder, cell.id(), folder.run(cell), runner, partial -> SweepPipeline.fit(store,
                plan.subjects().get(cell.subject()), partial, cell.id(), cell.seed(), threads, plan.options(),
                monitor == null ? new NullProgressMonitor() : monitor));
    }

    /** The work of one attempt, writing into its own folder. */
    @FunctionalInterface
    private interface Work {

        void into(Path partial) throws IOException;
    }

    private static Outcome attempt(SweepFolder folder, String name, Path finalFolder, Runner runner, Work work)
            throws IOException {
        if (SweepFolder.published(finalFolder)) {
            return Outcome.SKIPPED;
        }
        String id = UUID.randomUUID().toString();
        folder.record(name, event(id, runner, AttemptEvent.STARTED, ""));
        Path partial = SweepFolder.partial(finalFolder);
        try {
            work.into(partial);
            boolean won = SweepFolder.publish(partial, finalFolder);
            folder.record(name, event(id, runner, won ? AttemptEvent.PUBLISHED : AttemptEvent.DISCARDED, ""));
            return won ? Outcome.PUBLISHED : Outcome.DISCARDED;
        } catch (IOException | RuntimeException | Error e) {
            try {
                SweepFolder.deleteTree(partial);
                folder.record(name, event(id, runner, AttemptEvent.FAILED, String.valueOf(e.getMessage())));
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static AttemptEvent event(String id, Runner runner, String what, String message) {
        return new AttemptEvent(id, runner.sparkAttempt(), runner.executor(), host(), what, Instant.now(), message);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
