package org.brainalign.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.brainalign.workflow.command.Arguments;
import org.brainalign.workflow.command.ContributedCommand;
import org.brainalign.workflow.command.UsageException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.osgi.service.component.annotations.Component;

/**
 * {@code brainalign bench NAME}: the shipped benchmarks. Each prints its figures and the ratio to a baseline measured
 * in the same run, because the machines these run on are shared and absolute times drift. Registered as a
 * {@link ContributedCommand} service (a Declarative Services component the build declares from the annotation), which
 * the command line offers beside its own commands.
 */
@Component(name = "org.brainalign.bench.command", service = ContributedCommand.class)
public final class BenchCommand implements ContributedCommand {

    /** One benchmark. */
    @FunctionalInterface
    interface Benchmark {

        /**
         * @param args the options after the benchmark's name, parsed with the entry's option names
         * @param out where figures go
         * @param err where human-readable figures go when out takes machine-readable ones
         * @param monitor progress; cancellable
         * @throws Exception if it cannot run
         */
        void run(Arguments args, PrintStream out, PrintStream err, IProgressMonitor monitor) throws Exception;
    }

    /** A benchmark with its summary, its option synopsis and the names of the options it takes. */
    private record Entry(String description, String synopsis, Set<String> valued, Set<String> flags,
            Benchmark benchmark) {

        Entry(String description, Benchmark benchmark) {
            this(description, "", Set.of(), Set.of(), benchmark);
        }
    }

    private final Map<String, Entry> benchmarks = new LinkedHashMap<>();

    /** Creates the command with every benchmark; the service runtime calls this. */
    public BenchCommand() {
        benchmarks.put("nifti", new Entry(
                "masked extraction of 15,000 voxels from an NSD-sized gzipped 4-D session vs plain gunzip",
                (args, out, err, monitor) -> NiftiBenchmark.run(null, out, monitor)));
        benchmarks.put("extract", new Entry(
                "a ViT-B/16-sized network (random weights, 224 x 224, 12 x 768) on the CPU vs a GEMM; store read speed",
                "[--threads N] [--batch N] [--batches N] [--store-images N] [--json]",
                Set.of("threads", "batch", "batches", "store-images"), Set.of("json"), BenchCommand::extract));
        benchmarks.put("fit", new Entry(
                "FactorTopy training steps at paper scale (37,984 voxels, batch 8, 12 x 768) vs the plain formulation",
                "[--voxels N] [--threads N] [--steps N] [--plain-voxels N] [--json]",
                Set.of("voxels", "threads", "steps", "plain-voxels"), Set.of("json"), BenchCommand::fit));
        benchmarks.put("finetune", new Entry(
                "fine-tuning steps of a ViT-B/16-sized network (forward, backward, AdamW) vs its forward pass and a GEMM",
                (args, out, err, monitor) -> FineTuneBenchmark.run(FineTuneBenchmark.Options.brief(), out)));
        benchmarks.put("checkpoint", new Entry(
                "listing and reading all tensors of a PyTorch checkpoint (default: a ViT-B/16 state dict) vs its bytes",
                "[--file CKPT] [--cold]", Set.of("file"), Set.of("cold"),
                (args, out, err, monitor) -> CheckpointBenchmark.run(args.path("file"), args.has("cold"), out,
                        monitor)));
        benchmarks.put("pipeline", new Entry(
                "an NSD-sized synthetic subject through import, fit, predict and analysis, stage by stage, vs gunzip",
                PipelineBenchmark.SYNOPSIS, PipelineBenchmark.VALUED, PipelineBenchmark.FLAGS,
                (args, out, err, monitor) -> PipelineBenchmark.run(args, out, monitor)));
        benchmarks.put("slices", new Entry(
                "a redraw of the workbench's viewer (three planes, volume and outline overlay) vs reading the values",
                "--volume NIFTI [--repeats N]", Set.of("volume", "repeats"), Set.of(), BenchCommand::slices));
    }

    /**
     * {@code bench slices}: the viewer's rendering is the workflow's (org.brainalign.workflow.slices), so it runs in a
     * headless installation too.
     */
    private static void slices(Arguments args, PrintStream out, PrintStream err, IProgressMonitor monitor)
            throws Exception {
        SliceRenderingBenchmark.run(Path.of(args.require("volume")), args.getInt("repeats", 3, 1), out);
    }

    /**
     * {@code bench extract}: PyTorch's intra-op threads (default: its own, one per core), images per forward pass,
     * timed passes, images in the synthetic store (0 skips the store, 0 batches the network); with --json the
     * figures go to out as one JSON object and the human-readable lines to err.
     */
    private static void extract(Arguments args, PrintStream out, PrintStream err, IProgressMonitor monitor)
            throws Exception {
        ExtractionBenchmark.Options brief = ExtractionBenchmark.Options.brief();
        ExtractionBenchmark.Options options = new ExtractionBenchmark.Options(args.getInt("batch", brief.batch(), 1),
                args.getInt("batches", brief.batches(), 0), args.getInt("threads", brief.threads(), 1),
                args.getInt("store-images", brief.storeImages(), 0), brief.readBatch(), brief.device());
        boolean json = args.has("json");
        ExtractionBenchmark.Report report = ExtractionBenchmark.run(options, json ? err : out);
        if (json) {
            out.println(report.toJson());
        }
    }

    /**
     * {@code bench fit}: voxels (default the paper's), worker threads, timed steps, voxels of the plain formulation's
     * comparison (0 skips it); with --json the figures of the fused step go to out as one JSON object and the
     * human-readable lines to err.
     */
    private static void fit(Arguments args, PrintStream out, PrintStream err, IProgressMonitor monitor)
            throws Exception {
        FitBenchmark benchmark = new FitBenchmark(args.getInt("voxels", FitBenchmark.PAPER_VOXELS, 1),
                args.getInt("threads", 2, 1), args.getInt("steps", 10, 1), args.getInt("plain-voxels", 400, 0));
        boolean json = args.has("json");
        FitBenchmark.Report report = benchmark.run(json ? err : out);
        if (json) {
            out.println(report.toJson());
        }
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "run a shipped benchmark and print its figures against a baseline from the same run";
    }

    @Override
    public String usage() {
        StringBuilder b = new StringBuilder("Usage: brainalign bench NAME [OPTIONS]\n\nBenchmarks:\n");
        benchmarks.forEach((name, e) -> {
            b.append(String.format("  %-10s %s%n", name, e.description()));
            if (!e.synopsis().isEmpty()) {
                b.append(String.format("  %-10s options: %s%n", "", e.synopsis()));
            }
        });
        return b.toString();
    }

    @Override
    public int run(List<String> argList, PrintStream out, PrintStream err, IProgressMonitor monitor)
            throws Exception {
        String names = String.join(", ", benchmarks.keySet());
        if (argList.isEmpty() || argList.get(0).startsWith("--")) {
            throw new UsageException(name() + ": expected one benchmark NAME (" + names + ") before any option");
        }
        String which = argList.get(0);
        Entry entry = benchmarks.get(which);
        if (entry == null) {
            throw new UsageException(name() + ": unknown benchmark '" + which + "', expected one of " + names);
        }
        Arguments args = Arguments.parse(name() + " " + which, argList.subList(1, argList.size()), entry.valued(),
                entry.flags());
        args.expectPositional(0, "");
        entry.benchmark().run(args, out, err, monitor);
        return OK;
    }
}
