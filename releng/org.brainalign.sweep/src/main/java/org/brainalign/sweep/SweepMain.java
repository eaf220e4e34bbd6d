package org.brainalign.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonParser;

import org.brainalign.sweep.spark.KubernetesExecutors;
import org.brainalign.sweep.spark.SparkSweep;

/**
 * `brainalign sweep`: the command line of the sweep distribution (the launcher script hands every `sweep` command
 * here, on the plain class path of the headless jars and Spark's).
 */
public final class SweepMain {

    /** Exit code of success. */
    public static final int OK = 0;
    /** Exit code of a failure (bad input, a cell that failed on every attempt). */
    public static final int FAILURE = 1;
    /** Exit code of a wrong command line. */
    public static final int USAGE = 2;

    static final String USAGE_TEXT = """
            Usage: brainalign sweep --plan SWEEP.json --out DIR [--master local[N,F] | spark://HOST:PORT | k8s://URL]
                                    [--threads-per-task N] [--dry-run] [--conf KEY=VALUE ...]
                                    [--image IMAGE --claim NAME --mount PATH [--namespace NS]
                                     [--service-account NAME] [--executors N] [--executor-cores N]
                                     [--executor-memory 8g]]                   (k8s:// masters)
                   brainalign sweep status DIR
                   brainalign sweep cell --plan SWEEP.json --index I --out DIR [--threads N]
                   brainalign sweep slurm-script --plan SWEEP.json --out DIR [--threads N] [--time 24:00:00]
                                    [--mem 32G] [--partition NAME]
                   brainalign sweep report DIR
                   brainalign bench sweep [--subjects 2] [--backbones 2] [--seeds 1] [--images 480] [--epochs 3]
                                    [--cores N] [--folder DIR]

            Runs a grid of fits (subjects x backbones x seeds, or the plan's list of cells) on Apache Spark:
            first every backbone's features that are missing (one task per backbone), then every cell that
            has no run yet (one task per cell), then the comparison, the backbone and family tables and the
            report (DIR/report). Rerunning the same command resumes. See docs/sweep.md.

              --plan FILE           the sweep plan (SWEEP.json)
              --out DIR             the sweep's folder: new, empty, or this plan's
              --master URL          Spark master (default local[CORES,3]: each task tried up to 3 times)
              --threads-per-task N  threads of one fit (default 1); Spark runs CORES / N tasks at once
              --dry-run             print the cells, what is done, and the work left; start nothing
              --conf KEY=VALUE      a Spark setting (spark.*), applied last; repeatable
            k8s:// masters (client mode: this process is the driver; the executors are pods):
              --image IMAGE         the executors' container image, built from the sweep distribution
              --claim NAME          the persistent volume claim every executor mounts ...
              --mount PATH          ... at PATH, where this machine mounts the same volume; the plan, what it
                                    names and --out must lie under PATH
              --namespace NS        the pods' namespace (default default)
              --service-account SA  the executors' service account (default: the namespace's)
              --executors N         executor pods (default 2)
              --executor-cores N    cores of one executor (default --threads-per-task)
              --executor-memory M   heap of one executor (default 8g; Spark adds its overhead to the pod)
            status DIR              what is done, running, failed or waiting, with attempts and executors
            cell                    fit one cell (extracting its backbone's features when missing) without
                                    Spark: what a Slurm array task runs
            slurm-script            print an sbatch --array script with one array task per cell
            report DIR              write the comparison, tables and report of a finished sweep again
            bench sweep             cells per hour of a demo grid in local mode against the same cells one
                                    after another as `fit` runs them; Spark's start-up and overhead per task
            """;

    /** The valued options of `sweep` itself. */
    private static final Set<String> SWEEP_OPTIONS;
    static {
        Set<String> o = new HashSet<>(Set.of("plan", "out", "master", "threads-per-task", "conf"));
        o.addAll(KubernetesExecutors.OPTIONS);
        SWEEP_OPTIONS = Set.copyOf(o);
    }

    private SweepMain() {
    }

    /**
     * @param args the command line after "sweep"
     */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /**
     * Runs one sweep command line.
     *
     * @param args the arguments after "sweep"
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        try {
            if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
                out.print(USAGE_TEXT);
                return args.isEmpty() ? USAGE : OK;
            }
            return switch (args.get(0)) {
                case "status" -> status(args.subList(1, args.size()), out);
                case "cell" -> cell(Options.parse(args.subList(1, args.size()), Set.of("plan", "index", "out",
                        "threads"), Set.of()), out, err);
                case "slurm-script" -> slurmScript(Options.parse(args.subList(1, args.size()), Set.of("plan", "out",
                        "threads", "time", "mem", "partition"), Set.of()), out);
                case "report" -> report(args.subList(1, args.size()), out, err);
                case "bench" -> bench(Options.parse(args.subList(1, args.size()), Set.of("subjects", "backbones",
                        "seeds", "images", "epochs", "cores", "folder"), Set.of()), out);
                default -> sweep(Options.parse(args, SWEEP_OPTIONS, Set.of("dry-run")), out, err);
            };
        } catch (UsageError e) {
            err.println("brainalign sweep: " + e.getMessage());
            err.println("(brainalign sweep --help shows the usage)");
            return USAGE;
        } catch (IOException | RuntimeException e) {
            err.println("brainalign sweep: " + e.getMessage());
            return FAILURE;
        }
    }

    private static int sweep(Options o, PrintStream out, PrintStream err) throws IOException {
        SweepPlan plan = SweepPlan.read(Path.of(o.require("plan")));
        SweepFolder folder = new SweepFolder(Path.of(o.require("out")));
        int threads = o.integer("threads-per-task", 1);
        String master = o.get("master", SparkSweep.defaultMaster(Runtime.getRuntime().availableProcessors()));
        SweepCheck.inputs(plan, folder);
        KubernetesExecutors pods = kubernetes(o, master, threads);
        if (pods != null) {
            pods.check(plan, folder, threads);
        }
        Map<String, String> conf = o.conf();
        int localCores = SweepCheck.master(master, threads);
        SweepStatus.Report before = SweepStatus.of(plan, folder);
        if (o.has("dry-run")) {
            dryRun(plan, folder, before, master, threads, localCores, out);
            if (pods != null) {
                out.println(pods);
            }
            return OK;
        }
        folder.claim(plan);
        err.printf(Locale.ROOT, "sweep: %d cells (%d done), %d backbones, master %s, %d thread(s) per task%n",
                plan.cells().size(), before.cells(SweepStatus.State.DONE), plan.backbones().size(), master, threads);
        SparkSweep.Result r = SparkSweep.run(plan, folder, new SparkSweep.Settings(master, threads, null, pods, conf),
                err);
        out.printf(Locale.ROOT, "%d stores extracted, %d cells fitted, %d cells already done; Spark started in %.1f s,"
                + " extraction %.1f s, fits %.1f s%n", r.storesExtracted(), r.cellsFitted(), r.cellsSkipped(),
                r.sparkStartSeconds(), r.extractSeconds(), r.fitSeconds());
        for (Path p : SweepSummary.write(plan, folder, null)) {
            out.println("wrote " + p);
        }
        return OK;
    }

    /** The executor pods a k8s:// master asks for, or null for other masters (which refuse the k8s options). */
    private static KubernetesExecutors kubernetes(Options o, String master, int threads) {
        if (!master.startsWith("k8s://")) {
            for (String name : KubernetesExecutors.OPTIONS) {
                if (o.has(name)) {
                    throw new UsageError("--" + name + " applies to k8s:// masters only, not to --master " + master);
                }
            }
            return null;
        }
        String mount = o.get("mount", null);
        return new KubernetesExecutors(o.get("image", null), o.get("namespace", "default"), o.get("service-account",
                null), o.integer("executors", 2), o.integer("executor-cores", threads), o.get("executor-memory", "8g"),
                o.get("claim", null), mount == null ? null : Path.of(mount));
    }

    private static void dryRun(SweepPlan plan, SweepFolder folder, SweepStatus.Report status, String master,
            int threads, int localCores, PrintStream out) throws IOException {
        int images = SweepPipeline.images(plan.images()).size();
        long storesLeft = status.stores().stream().filter(s -> s.state() != SweepStatus.State.DONE).count();
        long cellsLeft = plan.cells().size() - status.cells(SweepStatus.State.DONE);
        out.printf(Locale.ROOT, "%-5s %-40s %-12s %-16s %6s  %s%n", "index", "cell", "subject", "backbone", "seed",
                "state");
        for (int i = 0; i < plan.cells().size(); i++) {
            SweepCell c = plan.cells().get(i);
            out.printf(Locale.ROOT, "%-5d %-40s %-12s %-16s %6d  %s%n", c.index(), c.id(), c.subject(),
                    c.backbone(), c.seed(), status.cells().get(i).state().name().toLowerCase(Locale.ROOT));
        }
        out.printf(Locale.ROOT, "done: %d of %d cells, %d of %d feature stores%n", plan.cells().size() - cellsLeft,
                plan.cells().size(), plan.backbones().size() - storesLeft, plan.backbones().size());
        out.printf(Locale.ROOT, "to do: %d stores x %d images = %d images through a backbone; %d cells x at most %d"
                + " epochs = %d epochs of fitting%n", storesLeft, images, storesLeft * images, cellsLeft,
                plan.options().epochs(), cellsLeft * plan.options().epochs());
        if (localCores > 0) {
            out.printf(Locale.ROOT, "on %s: %d cells at a time, %d thread(s) each; nothing started (--dry-run)%n",
                    master, localCores / threads, threads);
        } else {
            out.printf(Locale.ROOT, "on %s (answers): %d thread(s) per task; nothing started (--dry-run)%n", master,
                    threads);
        }
        out.println("output: " + folder.root());
    }

    private static int status(List<String> args, PrintStream out) throws IOException {
        if (args.size() != 1) {
            throw new UsageError("status takes one sweep folder");
        }
        SweepFolder folder = new SweepFolder(Path.of(args.get(0)));
        SweepStatus.print(out, SweepStatus.of(planOf(folder), folder));
        return OK;
    }

    private static int report(List<String> args, PrintStream out, PrintStream err) throws IOException {
        if (args.size() != 1) {
            throw new UsageError("report takes one sweep folder");
        }
        SweepFolder folder = new SweepFolder(Path.of(args.get(0)));
        SweepPlan plan = planOf(folder);
        SweepStatus.Report status = SweepStatus.of(plan, folder);
        long left = plan.cells().size() - status.cells(SweepStatus.State.DONE);
        if (left > 0) {
            throw new SweepException(folder.root() + ": " + left + " of " + plan.cells().size()
                    + " cells have no run yet; finish the sweep first");
        }
        for (Path p : SweepSummary.write(plan, folder, null)) {
            out.println("wrote " + p);
        }
        return OK;
    }

    /** The plan a sweep folder was made for, checked to be unchanged. */
    private static SweepPlan planOf(SweepFolder folder) throws IOException {
        Path json = folder.root().resolve(SweepFolder.SWEEP_JSON);
        if (!Files.isRegularFile(json)) {
            throw new SweepException(folder.root() + " holds no sweep (no " + SweepFolder.SWEEP_JSON + ")");
        }
        String planFile = JsonParser.parseString(Files.readString(json)).getAsJsonObject().get("plan").getAsString();
        SweepPlan plan = SweepPlan.read(Path.of(planFile));
        folder.checkOwner(plan);
        return plan;
    }

    private static int cell(Options o, PrintStream out, PrintStream err) throws IOException {
        SweepPlan plan = SweepPlan.read(Path.of(o.require("plan")));
        SweepFolder folder = new SweepFolder(Path.of(o.require("out")));
        int index = o.integer("index", -1);
        if (index < 0 || index >= plan.cells().size()) {
            throw new UsageError("--index must lie in 0.." + (plan.cells().size() - 1) + " for " + plan.file());
        }
        SweepCheck.inputs(plan, folder);
        folder.claim(plan);
        SweepCell cell = plan.cells().get(index);
        SweepTasks.Runner runner = SweepTasks.Runner.outsideSpark(System.getenv().getOrDefault("SLURM_JOB_ID",
                "cell"));
        SweepTasks.extract(plan, folder, cell.backbone(), runner, null);
        SweepTasks.Outcome outcome = SweepTasks.fit(plan, folder, cell, o.integer("threads", Runtime.getRuntime()
                .availableProcessors()), runner, null);
        out.println(cell.id() + ": " + outcome.name().toLowerCase(Locale.ROOT) + " (" + folder.run(cell) + ")");
        return OK;
    }

    private static int bench(Options o, PrintStream out) throws IOException {
        SweepBench.run(new SweepBench.Options(Path.of(o.get("folder", System.getProperty("java.io.tmpdir"))), o
                .integer("subjects", 2), o.integer("backbones", 2), o.integer("seeds", 1), o.integer("images", 480),
                o
                        .integer("epochs", 3),
                o.integer("cores", Runtime.getRuntime().availableProcessors())), out);
        return OK;
    }

    private static int slurmScript(Options o, PrintStream out) throws IOException {
        SweepPlan plan = SweepPlan.read(Path.of(o.require("plan")));
        Path dir = Path.of(o.require("out")).toAbsolutePath().normalize();
        int threads = o.integer("threads", 4);
        String partition = o.get("partition", null);
        out.print(String.format(Locale.ROOT, """
                #!/bin/bash
                # One array task per cell of %s (%d cells); submit with: sbatch THIS_SCRIPT
                # Features and runs go to %s, which must be on the shared file system. A task whose
                # backbone has no feature store yet extracts it; when several do at once, the first to finish
                # publishes it and the others discard theirs. Resubmitting the script redoes only what is missing.
                #SBATCH --job-name=brainalign-sweep
                #SBATCH --array=0-%d
                #SBATCH --cpus-per-task=%d
                #SBATCH --mem=%s
                #SBATCH --time=%s
                #SBATCH --output=%s/slurm/%%A_%%a.out
                %sset -euo pipefail
                brainalign sweep cell --plan %s --index "$SLURM_ARRAY_TASK_ID" --out %s --threads %d
                """, plan.file(), plan.cells().size(), dir, plan.cells().size() - 1, threads, o.get("mem", "32G"),
                o.get("time", "24:00:00"), dir, partition == null ? "" : "#SBATCH --partition=" + partition + "\n",
                plan.file(), dir, threads));
        return OK;
    }

    /** A wrong command line. */
    static final class UsageError extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message);
        }
    }

    /** Parsed --name value options, --flags and the repeatable --conf KEY=VALUE. */
    record Options(Map<String, String> values, Map<String, String> conf) {

        static Options parse(List<String> args, Set<String> valued, Set<String> flags) {
            Map<String, String> values = new HashMap<>();
            Map<String, String> conf = new LinkedHashMap<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (!a.startsWith("--")) {
                    throw new UsageError("unexpected argument '" + a + "'");
                }
                String name = a.substring(2);
                if (flags.contains(name)) {
                    values.put(name, "true");
                } else if (valued.contains(name)) {
                    if (i + 1 >= args.size()) {
                        throw new UsageError(a + " needs a value");
                    }
                    String value = args.get(++i);
                    if (name.equals("conf")) {
                        int eq = value.indexOf('=');
                        if (eq < 0 || !value.startsWith("spark.")) {
                            throw new UsageError(
                                    "--conf takes a Spark setting as spark.KEY=VALUE, got '" + value + "'");
                        }
                        conf.put(value.substring(0, eq), value.substring(eq + 1));
                    } else {
                        values.put(name, value);
                    }
                } else {
                    throw new UsageError("unknown option " + a);
                }
            }
            return new Options(values, conf);
        }

        boolean has(String name) {
            return values.containsKey(name);
        }

        String get(String name, String fallback) {
            return values.getOrDefault(name, fallback);
        }

        String require(String name) {
            String v = values.get(name);
            if (v == null) {
                throw new UsageError("--" + name + " is required");
            }
            return v;
        }

        int integer(String name, int fallback) {
            String v = values.get(name);
            if (v == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v);
                if (n < 0 || (n == 0 && !name.equals("index"))) {
                    throw new UsageError("--" + name + " must be positive, got " + v);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new UsageError("--" + name + " must be a whole number, got '" + v + "'");
            }
        }
    }
}
