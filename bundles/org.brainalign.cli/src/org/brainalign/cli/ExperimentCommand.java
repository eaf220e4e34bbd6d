package org.brainalign.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.brainalign.core.analysis.Drift;
import org.brainalign.engine.DevicePreference;
import org.brainalign.workflow.BrainAlignVersion;
import org.brainalign.workflow.command.Arguments;
import org.brainalign.workflow.command.UsageException;
import org.brainalign.workflow.FinetuneDriftExperiment;

/** {@code brainalign experiment finetune-drift}: the paper's fine-tuning experiment, stage by stage, resumable. */
public final class ExperimentCommand implements Command {

    @Override
    public String name() {
        return "experiment";
    }

    @Override
    public String summary() {
        return "finetune-drift: fit, fine-tune, fit again, and measure the drift and the forgetting";
    }

    @Override
    public String usage() {
        return """
                Usage: brainalign experiment finetune-drift --backbone [FAMILY:]CKPT --finetune-images DIR
                           --subject SUBJECT --out DIR [--finetune-epochs 5] [--lr 1e-4] [--fit-epochs 100]
                           [--seed 0] [--threads N] [--device auto|cpu|gpu]

                Extracts the subject's images and fits FactorTopy with the backbone (DIR/before), fine-tunes
                the backbone on the labelled images (DIR/finetuned, see `brainalign finetune`), extracts and
                fits again with the fine-tuned network (DIR/after), then writes the drift per ROI
                (DIR/drift), the forgetting per ROI next to the accuracy gained (DIR/forgetting.csv) and
                one report of both runs (DIR/report.html). Each finished stage is kept: run the same
                command again to continue an interrupted experiment.
                """;
    }

    @Override
    public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
        if (argList.isEmpty() || !argList.get(0).equals("finetune-drift")) {
            throw new UsageException(name() + ": expected the experiment finetune-drift");
        }
        FinetuneDriftExperiment.Options options = options(argList.subList(1, argList.size()));
        FinetuneDriftExperiment.Result r = FinetuneDriftExperiment.run(options, BrainAlignVersion.get(), err,
                CommandLine.progress(err));
        out.printf(Locale.ROOT, "fine-tuning accuracy: %.3f untrained head -> %.3f fine-tuned%n",
                r.untrainedAccuracy(), r.finalAccuracy());
        out.printf(Locale.ROOT, "%-10s %7s %12s %10s %8s %10s%n", "ROI", "voxels", "depth shift", "changed",
                "JS", "R2 change");
        for (Drift.RoiDrift d : r.drift().rois()) {
            out.printf(Locale.ROOT, "%-10s %7d %+12.3f %9.1f%% %8.4f %+10.4f%n", d.roi(), d.voxels(), d.depthShift(),
                    100 * d.changedShare(), d.meanJensenShannon(), d.scoreChange());
        }
        out.printf(Locale.ROOT, "alignment change: slope %+.3f, b0 %+.3f, b1 %+.3f%n", r.drift().slopeChange(),
                r.drift().b0Change(), r.drift().b1Change());
        AnalysisCommands.listWritten(out, r.written());
        return CommandLine.OK;
    }

    /**
     * The experiment's settings as a command line gives them, the defaults filling in what it leaves out (the
     * workbench's wizard is checked against this).
     *
     * @param argList the arguments after {@code experiment finetune-drift}
     * @return the settings
     * @throws UsageException if an option is missing, unknown or malformed
     */
    public static FinetuneDriftExperiment.Options options(List<String> argList) throws UsageException {
        Arguments args = Arguments.parse("experiment finetune-drift", argList,
                Set.of("backbone", "finetune-images", "subject", "out", "finetune-epochs", "lr", "fit-epochs", "seed",
                        "threads", "device"),
                Set.of());
        args.expectPositional(0, "");
        String[] backbone = ExtractCommand.familyAndPath(args.require("backbone"));
        FinetuneDriftExperiment.Options d = FinetuneDriftExperiment.Options.defaults(backbone[0],
                Path.of(backbone[1]), Path.of(args.require("finetune-images")), Path.of(args.require("subject")),
                Path.of(args.require("out")));
        DevicePreference device;
        try {
            device = DevicePreference.parse(args.get("device", d.device().name()));
        } catch (IllegalArgumentException e) {
            throw new UsageException("experiment: " + e.getMessage());
        }
        return new FinetuneDriftExperiment.Options(d.family(), d.checkpoint(), d.finetuneImages(), d.subject(),
                d.folder(), args.getInt("finetune-epochs", d.finetuneEpochs(), 1),
                args.getDouble("lr", d.learningRate()), args.getInt("fit-epochs", d.fitEpochs(), 1),
                args.getLong("seed", d.seed()), args.getInt("threads", d.threads(), 1), device);
    }
}
