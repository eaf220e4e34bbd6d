package org.brainalign.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.brainalign.sweep.spark.SparkSweep;

/**
 * `brainalign bench sweep`: a small demo grid fitted three ways in this process, on this machine. The baseline runs
 * the cells one after another as `fit` does (after extracting each backbone once); the sweep runs the same cells in
 * Spark's local mode, once with one task at a time (so its fit stage, less the baseline, is Spark's overhead per
 * task) and once with every core (cells per hour against the baseline). Spark's start-up is timed on its own. One
 * untimed fit first warms the JIT up for both. On a busy machine the overhead is within the noise (it can come out
 * negative); measure on an idle one.
 */
public final class SweepBench {

    /**
     * The grid and where to make it.
     *
     * @param folder a scratch folder (deleted at the end)
     * @param subjects subjects
     * @param networks backbones
     * @param seeds seeds
     * @param images stimuli (the demo's 480 makes a demo-sized fit)
     * @param epochs most epochs per fit
     * @param cores cores of the parallel sweep
     */
    public record Options(Path folder, int subjects, int networks, int seeds, int images, int epochs, int cores) {
    }

    /**
     * The figures.
     *
     * @param cells cells of the grid
     * @param baselineSeconds fitting the cells one after another
     * @param serialSweepSeconds the sweep's fit stage with one task at a time
     * @param parallelSweepSeconds the sweep's fit stage on every core
     * @param sparkStartSeconds starting Spark (first start in this process)
     */
    public record Figures(int cells, double baselineSeconds, double serialSweepSeconds, double parallelSweepSeconds,
            double sparkStartSeconds) {

        /** @return Spark's overhead per task, seconds */
        public double overheadPerTask() {
            return (serialSweepSeconds - baselineSeconds) / cells;
        }

        /** @return the overhead as a share of one cell's fit */
        public double overheadShare() {
            return overheadPerTask() / (baselineSeconds / cells);
        }
    }

    private SweepBench() {
    }

    /**
     * Runs the benchmark.
     *
     * @param o the options
     * @param out where the figures go
     * @return the figures
     * @throws IOException if a stage fails
     */
    public static Figures run(Options o, PrintStream out) throws IOException {
        Files.createDirectories(o.folder());
        Path root = Files.createTempDirectory(o.folder(), "bench-sweep");
        try {
            out.printf(Locale.ROOT, "bench sweep: %d subjects x %d backbones x %d seeds, %d images, %d epochs%n",
                    o.subjects(), o.networks(), o.seeds(), o.images(), o.epochs());
            SweepPlan plan = SweepPlan.read(DemoSweep.write(root.resolve("inputs"), o.subjects(), o.networks(), o
                    .seeds(), o.images(), o.epochs(), null));
            int cells = plan.cells().size();

            SweepFolder one = new SweepFolder(root.resolve("one-by-one"));
            for (SweepPlan.Backbone b : plan.backbones()) {
                SweepPipeline.extract(b, SweepPipeline.images(plan.images()), one.store(b.name()), plan.options(),
                        null);
            }
            // one cell first, untimed, so that neither side pays the JIT's warm-up
            SweepCell first = plan.cells().get(0);
            SweepPipeline.fit(one.store(first.backbone()), plan.subjects().get(first.subject()), root.resolve(
                    "warm-up"), first.id(), first.seed(), 1, plan.options(), null);
            long t0 = System.nanoTime();
            for (SweepCell c : plan.cells()) {
                SweepPipeline.fit(one.store(c.backbone()), plan.subjects().get(c.subject()), one.run(c), c.id(), c
                        .seed(), 1, plan.options(), null);
            }
            double baseline = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "one by one (as fit does, 1 thread): %d cells in %.1f s, %.1f s per cell%n", cells,
                    baseline, baseline / cells);

            SparkSweep.Result serial = sweep(plan, root.resolve("sweep-serial"), "local[1,3]", out);
            SparkSweep.Result parallel = sweep(plan, root.resolve("sweep-parallel"), SparkSweep.defaultMaster(o
                    .cores()), out);
            Figures f = new Figures(cells, baseline, serial.fitSeconds(), parallel.fitSeconds(), serial
                    .sparkStartSeconds());
            out.printf(Locale.ROOT, "Spark start-up: %.1f s (first start in this process), then %.1f s%n", serial
                    .sparkStartSeconds(), parallel.sparkStartSeconds());
            out.printf(Locale.ROOT, "overhead per task: %.2f s, %.1f%% of a cell (goal: under 10 s and 5%%)%n", f
                    .overheadPerTask(), 100 * f.overheadShare());
            out.printf(Locale.ROOT, "cells per hour: one by one %.0f, sweep on local[%d,3] %.0f (ratio %.2f)%n",
                    3600 * cells / baseline, o.cores(), 3600 * cells / f.parallelSweepSeconds(), baseline / f
                            .parallelSweepSeconds());
            return f;
        } finally {
            SweepFolder.deleteTree(root);
        }
    }

    /** One sweep whose stores are copied from the baseline's, so that its fit stage alone is timed. */
    private static SparkSweep.Result sweep(SweepPlan plan, Path out, String master, PrintStream log)
            throws IOException {
        SweepFolder folder = new SweepFolder(out);
        folder.claim(plan);
        SparkSweep.Result r = SparkSweep.run(plan, folder, new SparkSweep.Settings(master, 1, null), log);
        log.printf(Locale.ROOT, "sweep on %s: fit stage %.1f s (extraction %.1f s)%n", master, r.fitSeconds(), r
                .extractSeconds());
        return r;
    }
}
