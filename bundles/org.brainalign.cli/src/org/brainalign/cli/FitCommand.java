package org.brainalign.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.engine.factortopy.TrainingConfig;
import org.brainalign.workflow.BrainAlignVersion;
import org.brainalign.workflow.command.Arguments;
import org.brainalign.workflow.command.UsageException;
import org.brainalign.workflow.FitWorkflow;
import org.brainalign.workflow.RunCharts;
import org.brainalign.workflow.analysis.RunAnalysis;
import org.brainalign.io.FolderLock;
import org.brainalign.io.run.RunFolder;

/** {@code brainalign fit}: fits FactorTopy to a subject from a feature store into a run folder, then analyses it. */
final class FitCommand implements Command {

    @Override
    public String name() {
        return "fit";
    }

    @Override
    public String summary() {
        return "fit FactorTopy to a subject's responses from a feature store, into a run folder";
    }

    @Override
    public String usage() {
        return """
                Usage: brainalign fit --features STORE --subject SUBJECT --out RUN
                                      [--epochs 100] [--patience 10] [--seed 0] [--test-fraction 0.1]
                                      [--threads N] [--label NAME] [--nan drop|stop] [--resume]
                                      [--device auto|cpu] [--no-analysis]

                Holds out a seeded share of the images for scoring, trains on the rest (itself split
                into training and validation for early stopping) with the reference's loss and
                optimiser (AdamW, lr 1e-3, batch 8), checkpoints every epoch, scores R2 and r per
                voxel on the held-out images, and writes RUN (see the run-folder guide). Then, unless
                --no-analysis, writes the maps, tables and charts as `brainalign analyze` does.

                  --features STORE    a feature store from `brainalign extract`
                  --subject SUBJECT   a subject.json (or its folder)
                  --out RUN           the run folder (must not hold another run; locked while fitting, and
                                      removed again if a new fit fails)
                  --epochs N          most epochs (default 100); --patience N: early stopping (default 10)
                  --seed S            seed of the split, initialisation and batch order (default 0)
                  --test-fraction F   share of images held out for scoring (default 0.1)
                  --threads N         worker threads (default: the machine's cores)
                  --nan drop|stop     voxels with NaN responses: leave them out with a warning, or stop
                  --resume            continue RUN from its last checkpoint (a killed run ends the same; give
                                      the settings it was started with), or finish its analysis
                  --device D          FactorTopy runs on the CPU (fused Java kernels); gpu is not used here
                """;
    }

    @Override
    public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
        Arguments args = Arguments.parse(name(), argList, Set.of("features", "subject", "out", "epochs", "patience",
                "seed", "test-fraction", "threads", "label", "nan", "device"), Set.of("resume", "no-analysis"));
        args.expectPositional(0, "");
        Path store = Path.of(args.require("features"));
        Path subject = Path.of(args.require("subject"));
        Path runPath = Path.of(args.require("out"));
        TrainingConfig config = config(args);
        double testFraction = args.getDouble("test-fraction", 0.1);
        String device = args.get("device", "auto");
        if (device.equals("gpu")) {
            err.println("brainalign fit: FactorTopy fits on the CPU with fused Java kernels; --device gpu is ignored");
        } else if (!device.equals("auto") && !device.equals("cpu")) {
            throw new UsageException(name() + ": unknown device '" + device + "': use auto, cpu or gpu");
        }
        String label = args.get("label", runPath.toAbsolutePath().normalize().getFileName().toString());
        FitWorkflow.Request request;
        try {
            request = new FitWorkflow.Request(store, subject, runPath, label, config, testFraction, args.has("resume"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
        boolean analyse = !args.has("no-analysis");
        if (request.resume() && Files.exists(runPath.resolve(RunFolder.RUN_JSON))) {
            RunFolder finished = RunFolder.open(runPath);
            if (finished.hasSelectors()) {
                // killed after fitting, during the analysis: what remains is the analysis
                err.println("brainalign fit: " + runPath + " holds a finished fit; "
                        + (analyse ? "finishing its analysis" : "nothing left to do"));
                List<Path> written = new ArrayList<>(List.of(finished.folder()));
                if (analyse) {
                    try (FolderLock lock = FolderLock.acquire(finished.folder())) {
                        SelectorSummary summary = RunAnalysis.analyze(finished, CommandLine.progress(err));
                        written.addAll(RunCharts.save(finished, summary, List.of("png", "svg")));
                        AnalysisCommands.printSummary(out, summary);
                    }
                }
                AnalysisCommands.listWritten(out, written);
                return CommandLine.OK;
            }
        }
        FitWorkflow.Outcome outcome = FitWorkflow.fit(request, BrainAlignVersion.get(), CommandLine.progress(err));
        for (String w : outcome.warnings()) {
            err.println("warning: " + w);
        }
        out.printf(Locale.ROOT, "%s: %d voxels, best epoch %d of %d (%s), held-out %d images: mean R2 %.4f, mean r"
                + " %.4f%n", label, outcome.maps().voxelCount(), outcome.fit().bestEpoch(),
                outcome.fit().curve().rows().size(), outcome.fit().stoppedEarly() ? "stopped early" : "epoch limit",
                outcome.testImages(), outcome.meanR2(), outcome.meanR());
        List<Path> written = new ArrayList<>(List.of(outcome.run().folder()));
        if (analyse) {
            SelectorSummary summary = RunAnalysis.analyze(outcome.run(), CommandLine.progress(err));
            written.addAll(RunCharts.save(outcome.run(), summary, List.of("png", "svg")));
            AnalysisCommands.printSummary(out, summary);
        }
        AnalysisCommands.listWritten(out, written);
        return CommandLine.OK;
    }

    /**
     * @param args parsed arguments
     * @return the training configuration they describe
     * @throws UsageException for a bad value
     */
    static TrainingConfig config(Arguments args) throws UsageException {
        TrainingConfig.Builder b = TrainingConfig.builder().optMaxEpochs(args.getInt("epochs", 100, 1))
                .optPatience(args.getInt("patience", 10, 1))
                .optThreads(args.getInt("threads", Runtime.getRuntime().availableProcessors(), 1));
        b.optSeed(args.getLong("seed", 0));
        String nan = args.get("nan", "drop");
        switch (nan) {
            case "drop" -> b.optNanPolicy(TrainingConfig.NanPolicy.DROP_VOXELS);
            case "stop" -> b.optNanPolicy(TrainingConfig.NanPolicy.STOP);
            default -> throw new UsageException("fit: --nan must be drop or stop, got '" + nan + "'");
        }
        return b.build();
    }
}
