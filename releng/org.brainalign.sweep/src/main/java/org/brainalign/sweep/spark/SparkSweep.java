package org.brainalign.sweep.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.brainalign.sweep.SweepCell;
import org.brainalign.sweep.SweepCheck;
import org.brainalign.sweep.SweepException;
import org.brainalign.sweep.SweepFolder;
import org.brainalign.sweep.SweepPlan;

/**
 * The Spark driver of a sweep: two stages, each one Spark job. The first extracts every backbone's store that is not
 * published yet and that a missing cell needs (one task per backbone); the second fits every cell whose run is not
 * published yet (one task per cell). A rerun of the same plan into the same folder therefore resumes: what is
 * published is skipped, what an interrupted attempt left half-written is deleted and redone. In local mode, local[N,F]
 * retries a failed task up to
 * F times in all (plain local[N] never retries).
 */
public final class SparkSweep {

    /** The local-property key of the test switch that fails the first attempt of one cell mid-fit. */
    public static final String FAIL_FIRST_ATTEMPT = "brainalign.sweep.failFirstAttempt";

    /**
     * How to run.
     *
     * @param master the Spark master URL
     * @param threadsPerTask threads of one task (Spark's spark.task.cpus)
     * @param failFirstAttempt the id of a cell whose first attempt fails on purpose (tests), or null
     * @param kubernetes the executor pods of a k8s:// master (checked by the caller), else null
     * @param conf Spark settings given on the command line (--conf), applied last
     */
    public record Settings(String master, int threadsPerTask, String failFirstAttempt, KubernetesExecutors kubernetes,
            Map<String, String> conf) {

        /**
         * Settings of a local or standalone master with nothing else set.
         *
         * @param master the Spark master URL
         * @param threadsPerTask threads of one task
         * @param failFirstAttempt the id of a cell whose first attempt fails on purpose (tests), or null
         */
        public Settings(String master, int threadsPerTask, String failFirstAttempt) {
            this(master, threadsPerTask, failFirstAttempt, null, Map.of());
        }
    }

    /**
     * What a sweep did.
     *
     * @param storesExtracted stores published by this run
     * @param cellsFitted cells published by this run
     * @param cellsSkipped cells found published
     * @param sparkStartSeconds seconds to start Spark (the driver and, locally, its executor)
     * @param extractSeconds seconds of the extraction job
     * @param fitSeconds seconds of the fit job
     */
    public record Result(int storesExtracted, int cellsFitted, int cellsSkipped, double sparkStartSeconds,
            double extractSeconds, double fitSeconds) {
    }

    private SparkSweep() {
    }

    /**
     * @param cores the machine's cores
     * @return the default master: every core, each task tried up to 3 times
     */
    public static String defaultMaster(int cores) {
        return "local[" + cores + ",3]";
    }

    /**
     * Runs the two stages. The plan and folder are checked by the caller.
     *
     * @param plan the plan
     * @param folder the claimed sweep folder
     * @param settings how to run
     * @param log where progress lines go
     * @return what it did
     * @throws IOException if a task fails on every attempt (its last message, one sentence) or Spark cannot start
     */
    public static Result run(SweepPlan plan, SweepFolder folder, Settings settings, PrintStream log)
            throws IOException {
        List<Integer> cells = new ArrayList<>();
        List<String> stores = new ArrayList<>();
        for (SweepCell c : plan.cells()) {
            if (!SweepFolder.published(folder.run(c))) {
                cells.add(c.index());
                if (!SweepFolder.published(folder.store(c.backbone())) && !stores.contains(c.backbone())) {
                    stores.add(c.backbone());
                }
            }
        }
        int skipped = plan.cells().size() - cells.size();
        for (Path p : folder.deletePartials()) {
            log.println("sweep: deleted " + p.getFileName() + ", left half-written by an interrupted attempt");
        }
        if (stores.isEmpty() && cells.isEmpty()) {
            return new Result(0, 0, skipped, 0, 0, 0);
        }
        long t0 = System.nanoTime();
        try (JavaSparkContext spark = new JavaSparkContext(conf(plan, settings))) {
            spark.setLogLevel("WARN");
            if (settings.failFirstAttempt() != null) {
                spark.setLocalProperty(FAIL_FIRST_ATTEMPT, settings.failFirstAttempt());
            }
            double start = (System.nanoTime() - t0) / 1e9;
            log.printf(Locale.ROOT, "sweep: Spark %s started on %s in %.1f s%n", spark.version(), settings.master(),
                    start);
            String planFile = plan.file().toString(), out = folder.root().toString();
            TaskProgress progress = new TaskProgress(log);
            spark.sc().addSparkListener(progress);

            long t1 = System.nanoTime();
            if (!stores.isEmpty()) {
                progress.stage("stores", stores.size());
                spark.setJobDescription("extract " + stores.size() + " feature stores");
                spark.parallelize(stores, stores.size()).foreach(new StoreTask(planFile, out));
            }
            long t2 = System.nanoTime();
            if (!cells.isEmpty()) {
                progress.stage("cells", cells.size());
                spark.setJobDescription("fit " + cells.size() + " cells");
                spark.parallelize(cells, cells.size()).foreach(new CellTask(planFile, out, settings
                        .threadsPerTask()));
            }
            long t3 = System.nanoTime();
            return new Result(stores.size(), cells.size(), skipped, start, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        } catch (Exception e) {
            // Spark's Scala code throws its checked SparkException undeclared: a job that failed on every attempt
            if (e instanceof SparkException || e.getCause() instanceof SparkException) {
                throw new SweepException("the sweep stopped: " + rootMessage(e), e);
            }
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new SweepException("the sweep stopped: " + e.getMessage(), e);
        }
    }

    private static SparkConf conf(SweepPlan plan, Settings settings) throws SweepException {
        boolean local = SweepCheck.master(settings.master(), settings.threadsPerTask()) > 0;
        SparkConf conf = new SparkConf().setMaster(settings.master())
                .setAppName("brainalign sweep " + plan.file().getFileName())
                .set("spark.task.cpus", Integer.toString(settings.threadsPerTask()))
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
        if (local || settings.master().startsWith("spark://127.")
                || settings.master().startsWith("spark://localhost:")) {
            // nothing leaves this machine: bind the driver to the loopback address
            conf.set("spark.driver.bindAddress", "127.0.0.1").set("spark.driver.host", "127.0.0.1");
        }
        if (!local) {
            // executors get the driver's JVM options (module openings, DJL offline)
            conf.set("spark.executor.extraJavaOptions", String.join(" ", executorOptions()));
        }
        if (settings.kubernetes() != null) {
            // executor pods run the image's copy of the distribution (bin/k8s-executor puts its lib/ on the class path)
            settings.kubernetes().conf(plan).forEach(conf::set);
        } else if (!local) {
            // a standalone worker's executors run the distribution from the same path (a shared file system)
            conf.set("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        }
        settings.conf().forEach(conf::set);
        return conf;
    }

    /**
     * @return this JVM's options that an executor (or another driver) needs too: the module openings Spark's launcher
     *         passes and DJL's offline switches
     */
    public static List<String> executorOptions() {
        List<String> keep = new ArrayList<>();
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--add-modules") || a.startsWith("--enable-native-access")
                    || a.startsWith("-Dai.djl") || a.startsWith("-DOPT_OUT") || a.startsWith("-Dio.netty")
                    || a.startsWith("--sun-misc") || a.equals("-XX:+IgnoreUnrecognizedVMOptions")) {
                keep.add(a);
            }
        }
        return keep;
    }

    /** The innermost message of a failed job: the task's own one-sentence error. */
    private static String rootMessage(Throwable e) {
        String message = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SweepException || t instanceof IOException) {
                return t.getMessage();
            }
            message = t.getMessage() != null ? t.getMessage() : message;
        }
        String m = String.valueOf(message);
        int cause = m.indexOf("): ");
        return m.lines().findFirst().orElse(m).substring(Math.max(0, cause < 0 ? 0 : cause + 3));
    }
}
