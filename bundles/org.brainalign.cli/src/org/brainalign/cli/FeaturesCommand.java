package org.brainalign.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.brainalign.engine.features.FeatureStore;
import org.brainalign.workflow.command.Arguments;
import org.brainalign.workflow.command.UsageException;

/** {@code brainalign features info|export}: what a feature store holds, and its contents as .npz for Python. */
final class FeaturesCommand implements Command {

    @Override
    public String name() {
        return "features";
    }

    @Override
    public String summary() {
        return "describe a feature store, or export it to .npz (local, global, names) for Python";
    }

    @Override
    public String usage() {
        return """
                Usage: brainalign features info STORE
                       brainalign features export STORE --out F.npz [--force]

                  info     backbone family, checkpoint hash, layers, channels, grid, images (and skipped ones)
                  export   float32 arrays local (B, L, C, 8, 8) and global (B, L, C), and names (the
                           image file names in store order), readable with numpy.load; an existing
                           F.npz is replaced only with --force (never a file of the store)
                """;
    }

    @Override
    public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
        if (argList.isEmpty()) {
            throw new UsageException(name() + ": expected info or export");
        }
        String action = argList.get(0);
        List<String> rest = argList.subList(1, argList.size());
        switch (action) {
            case "info" -> {
                Arguments args = Arguments.parse("features info", rest, Set.of(), Set.of());
                args.expectPositional(1, "one STORE");
                try (FeatureStore store = FeatureStore.open(Path.of(args.positional().get(0)))) {
                    out.println("store       " + store.folder());
                    out.println(
                            "backbone    " + store.family() + " (checkpoint sha256 " + store.checkpointHash() + ")");
                    out.println("layers      " + store.layers());
                    out.println("channels    " + store.channels());
                    out.println("grid        " + store.grid() + " x " + store.grid() + " + "
                            + (store.classToken() ? "class token" : "spatial mean"));
                    out.println("images      " + store.imageCount() + " (" + store.usableImages().length
                            + " with features)");
                    for (Map.Entry<String, String> s : store.skippedImages().entrySet()) {
                        out.println("skipped     " + s.getKey() + ": " + s.getValue());
                    }
                }
            }
            case "export" -> {
                Arguments args = Arguments.parse("features export", rest, Set.of("out"), Set.of("force"));
                args.expectPositional(1, "one STORE");
                Path source = Path.of(args.positional().get(0));
                Path target = args.outputFile("out", source);
                try (FeatureStore store = FeatureStore.open(source)) {
                    store.exportNpz(target, CommandLine.progress(err));
                }
                out.println("wrote " + target);
            }
            default -> throw new UsageException(name() + ": unknown action '" + action + "', expected info or export");
        }
        return CommandLine.OK;
    }
}
