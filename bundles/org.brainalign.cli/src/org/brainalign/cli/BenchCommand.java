package org.brainalign.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.brainalign.engine.factortopy.FitBenchmark;
import org.brainalign.engine.features.ExtractionBenchmark;
import org.brainalign.engine.finetune.FineTuneBenchmark;
import org.brainalign.io.nifti.NiftiBenchmark;
import org.eclipse.core.runtime.IProgressMonitor;

/**
 * {@code brainalign bench NAME}: the shipped benchmarks. Each prints its figures and the ratio to a baseline measured
 * in the same run, because the machines these run on are shared and absolute times drift.
 */
final class BenchCommand implements Command {

    /** One benchmark. */
    @FunctionalInterface
    interface Benchmark {

        /**
         * @param out where figures go
         * @param monitor progress; cancellable
         * @throws Exception if it cannot run
         */
        void run(PrintStream out, IProgressMonitor monitor) throws Exception;
    }

    private record Entry(String description, Benchmark benchmark) {
    }

    private final Map<String, Entry> benchmarks = new LinkedHashMap<>();

    BenchCommand() {
        benchmarks.put("nifti", new Entry(
                "masked extraction of 15,000 voxels from an NSD-sized gzipped 4-D session vs plain gunzip",
                (out, monitor) -> NiftiBenchmark.run(null, out, monitor)));
        benchmarks.put("extract", new Entry(
                "a ViT-B/16-sized network (random weights, 224 x 224, 12 x 768) on the CPU vs a GEMM; store read speed",
                (out, monitor) -> ExtractionBenchmark.main(new String[0])));
        benchmarks.put("fit", new Entry(
                "FactorTopy training steps at paper scale (37,984 voxels, batch 8, 12 x 768) vs the plain formulation",
                (out, monitor) -> new FitBenchmark().run(out)));
        benchmarks.put("finetune", new Entry(
                "fine-tuning steps of a ViT-B/16-sized network (forward, backward, AdamW) vs its forward pass and a GEMM",
                (out, monitor) -> FineTuneBenchmark.run(FineTuneBenchmark.Options.brief(), out)));
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
        StringBuilder b = new StringBuilder("Usage: brainalign bench NAME\n\nBenchmarks:\n");
        benchmarks.forEach((name, e) -> b.append(String.format("  %-10s %s%n", name, e.description())));
        return b.toString();
    }

    @Override
    public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
        Arguments args = Arguments.parse(name(), argList, Set.of(), Set.of());
        args.expectPositional(1, "one benchmark NAME (" + String.join(", ", benchmarks.keySet()) + ")");
        String which = args.positional().get(0);
        Entry entry = benchmarks.get(which);
        if (entry == null) {
            throw new UsageException(name() + ": unknown benchmark '" + which + "', expected one of "
                    + String.join(", ", benchmarks.keySet()));
        }
        entry.benchmark().run(out, CommandLine.progress(err));
        return CommandLine.OK;
    }
}
