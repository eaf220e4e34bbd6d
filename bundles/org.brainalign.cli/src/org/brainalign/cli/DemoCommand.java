package org.brainalign.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.brainalign.workflow.BrainAlignVersion;
import org.brainalign.workflow.command.Arguments;
import org.brainalign.workflow.demo.Demo;

/** {@code brainalign demo}: the whole pipeline on the built-in synthetic subject, with planted truth to check. */
final class DemoCommand implements Command {

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "run everything end to end on the built-in demo subject and check it against the planted truth";
    }

    @Override
    public String usage() {
        return """
                Usage: brainalign demo [--out DIR] [--images 480] [--epochs 100] [--seed 1] [--threads N]

                Builds a synthetic subject on this machine (no download): a small Vision Transformer with
                fixed seeded weights, deterministic stimuli, a 3 mm MNI grid with V1, V2, V3, hV4, OFA, OPA,
                EBA, FFA and PPA in both hemispheres, and planted selections (depth rising along the
                hierarchy, retinotopic positions early, global scale late), with responses made from the
                network's own features plus noise, written in the NSD layout. Then extracts features,
                imports the subject, fits FactorTopy, writes maps, tables, charts and an HTML report, and
                prints planted against recovered layers per area and the alignment.

                  --out DIR      a new or empty folder (default: brainalign-demo)
                  --images N     stimuli (default 480); --epochs N: most training epochs (default 100)
                  --seed S       seed of everything (default 1); --threads N: fit threads (default: cores)
                """;
    }

    @Override
    public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
        Arguments args = Arguments.parse(name(), argList, Set.of("out", "images", "epochs", "seed", "threads"),
                Set.of());
        args.expectPositional(0, "");
        Demo.Options d = Demo.Options.defaults(Path.of(args.get("out", "brainalign-demo")));
        long seed = args.getLong("seed", d.seed());
        Demo.Options options = new Demo.Options(d.folder(), args.getInt("images", d.images(), 20), d.sessions(), seed,
                args.getInt("epochs", d.epochs(), 1), args.getInt("threads", d.threads(), 1));
        long started = System.nanoTime();
        Demo.Result result = Demo.run(options, BrainAlignVersion.get(), err, CommandLine.progress(err));
        Demo.print(out, result);
        out.printf(java.util.Locale.ROOT, "demo finished in %.0f s%n", (System.nanoTime() - started) / 1e9);
        AnalysisCommands.listWritten(out, result.written());
        return CommandLine.OK;
    }
}
