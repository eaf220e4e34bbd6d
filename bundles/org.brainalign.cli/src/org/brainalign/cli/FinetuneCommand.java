package org.brainalign.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.finetune.TensorAdamW;
import org.brainalign.engine.finetune.FineTuneResult;
import org.brainalign.engine.finetune.FineTuner;
import org.brainalign.workflow.command.Arguments;
import org.brainalign.workflow.command.UsageException;

/**
 * {@code brainalign finetune}: adapts a backbone to a labelled image folder, writing a checkpoint of the same layout.
 */
final class FinetuneCommand implements Command {

    @Override
    public String name() {
        return "finetune";
    }

    @Override
    public String summary() {
        return "fine-tune a backbone on a labelled image folder (one sub-folder per class)";
    }

    @Override
    public String usage() {
        return """
                Usage: brainalign finetune --backbone [FAMILY:]CKPT --images DIR --out CKPT_DIR
                                           [--epochs 5] [--lr 1e-4] [--freeze-first 0] [--seed 0] [--batch 16]
                                           [--device auto|cpu|gpu] [--size N] [--validation 0.2]
                                           [--weight-decay 0.01] [--min-crop-scale 0.08] [--no-flip]
                                           [--schedule constant|cosine]

                Adds a linear classification head on the global token and trains the backbone end to end
                (or with its first K blocks and the embeddings frozen) with AdamW, random resized crops and
                horizontal flips, on a seeded stratified split of DIR (one sub-folder per class). Prints the
                validation accuracy of the untrained head and after every epoch. CKPT_DIR gets the input's
                layout (config.json, model.safetensors with the same tensor names) so it loads as a backbone
                here and as its family in Hugging Face tools; the head is classifier.safetensors and
                classifier.json. An interrupted run continues from its saved state when started again.
                See the fine-tuning guide (docs/finetune.md).
                """;
    }

    @Override
    public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
        Arguments args = Arguments.parse(name(), argList, Set.of("backbone", "images", "out", "epochs", "lr",
                "freeze-first", "seed", "batch", "device", "size", "validation", "weight-decay", "min-crop-scale",
                "schedule"), Set.of("no-flip"));
        args.expectPositional(0, "");
        String[] backbone = ExtractCommand.familyAndPath(args.require("backbone"));
        DevicePreference device;
        FineTuner.Schedule schedule;
        try {
            device = DevicePreference.parse(args.get("device", "auto"));
            schedule = FineTuner.Schedule.valueOf(args.get("schedule", "constant").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
        FineTuner.Builder b = FineTuner.builder().setBackbone(Path.of(backbone[1]), backbone[0])
                .setImages(Path.of(args.require("images"))).setOutput(Path.of(args.require("out")))
                .optEpochs(args.getInt("epochs", 5, 1)).optLearningRate(args.getDouble("lr", 1e-4))
                .optFreezeFirst(args.getInt("freeze-first", 0, 0)).optSeed(args.getLong("seed", 0))
                .optBatchSize(args.getInt("batch", 16, 1)).optDevice(device)
                .optValidationFraction(args.getDouble("validation", 0.2))
                .optMinCropScale(args.getDouble("min-crop-scale", 0.08)).optFlip(!args.has("no-flip"))
                .optSchedule(schedule);
        TensorAdamW.Settings torch = TensorAdamW.Settings.TORCH_DEFAULTS;
        b.optAdamW(new TensorAdamW.Settings(torch.beta1(), torch.beta2(), torch.eps(),
                args.getDouble("weight-decay", torch.weightDecay())));
        int size = args.getInt("size", 0, 0);
        if (size > 0) {
            b.optInputSize(size);
        }
        FineTuneResult r;
        try {
            r = b.build().run(CommandLine.progress(err));
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
        out.printf(Locale.ROOT, "%s, %d classes, %d training and %d validation images%n", r.family(),
                r.classes().size(), r.trainingImages(), r.validationImages());
        out.printf(Locale.ROOT, "validation accuracy: untrained head %.3f", r.untrainedAccuracy());
        for (FineTuneResult.Epoch e : r.epochs()) {
            out.printf(Locale.ROOT, ", epoch %d %.3f", e.epoch(), e.validationAccuracy());
        }
        out.printf(Locale.ROOT, "%nbest %.3f at epoch %d%n", r.bestAccuracy(), r.bestEpoch());
        AnalysisCommands.listWritten(out, List.of(r.output()));
        return CommandLine.OK;
    }
}
