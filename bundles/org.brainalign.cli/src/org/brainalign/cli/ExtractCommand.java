package org.brainalign.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.DjlRuntime;
import org.brainalign.engine.backbone.PositionInterpolation;
import org.brainalign.engine.features.Extractor;
import org.brainalign.workflow.command.Arguments;
import org.brainalign.workflow.command.UsageException;
import org.brainalign.workflow.ImageList;

/** {@code brainalign extract}: runs a backbone over images and stores every layer's tokens in a FeatureStore. */
final class ExtractCommand implements Command {

    @Override
    public String name() {
        return "extract";
    }

    @Override
    public String summary() {
        return "extract every layer's 8x8 + global tokens of a backbone for a set of images into a feature store";
    }

    @Override
    public String usage() {
        return """
                Usage: brainalign extract --backbone [FAMILY:]CHECKPOINT --images DIR|LIST.txt --out STORE
                                          [--size 224] [--batch 8] [--device auto|cpu|gpu]
                                          [--imagenet-norm] [--dinov2-hub-positions] [--skip-unreadable]

                Runs a frozen Vision Transformer over the images and writes, per image and block, the
                patch tokens resized to 8 x 8 and the global token (CLS, or the spatial mean for SAM)
                to STORE, a folder of float16 features with a manifest. An interrupted run continues
                where it stopped when started again with the same arguments.

                  --backbone         FAMILY:PATH or PATH (family detected from config.json); families:
                                     hf-vit (also MAE), clip, dinov2, sam. PATH is a folder with
                                     config.json and model.safetensors (or a sharded index)
                  --images           a folder (its .png/.jpg files by name) or a file listing images
                  --out              the store folder (created, or resumed; a folder holding anything else
                                     is refused, and the store is locked while written)
                  --size N           input side in pixels (default: the family's, 224; SAM 1024)
                  --batch N          images per forward pass (default 8)
                  --device D         auto (GPU when DJL can use one), cpu or gpu (default auto)
                  --imagenet-norm    normalise with ImageNet's mean/std whatever the checkpoint says,
                                     as the reference implementation did
                  --dinov2-hub-positions
                                     resize DINOv2's position embeddings as torch.hub's
                                     facebookresearch/dinov2 does (scale factor (g + 0.1) / G), as the
                                     reference implementation did, instead of as Hugging Face does now;
                                     dinov2 only (other families refuse it)
                  --skip-unreadable  record unreadable images and go on (default: stop, naming it)
                """;
    }

    /**
     * @param text "FAMILY:PATH" or "PATH"
     * @return the family ("auto" when not given) and the path
     */
    static String[] familyAndPath(String text) {
        int colon = text.indexOf(':');
        if (colon > 0 && !text.substring(0, colon).contains("/")) {
            return new String[] { text.substring(0, colon), text.substring(colon + 1) };
        }
        return new String[] { "auto", text };
    }

    @Override
    public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
        Arguments args = Arguments.parse(name(), argList, Set.of("backbone", "images", "out", "size", "batch",
                "device"), Set.of("imagenet-norm", "dinov2-hub-positions", "skip-unreadable"));
        args.expectPositional(0, "");
        String[] backbone = familyAndPath(args.require("backbone"));
        String family = backbone[0];
        String path = backbone[1];
        Path images = Path.of(args.require("images"));
        Path store = Path.of(args.require("out"));
        int size = args.getInt("size", 0, 0);
        int batch = args.getInt("batch", 8, 1);
        DevicePreference device;
        try {
            device = DevicePreference.parse(args.get("device", "auto"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
        Extractor.Request request = new Extractor.Request(Path.of(path), family, ImageList.of(images), store, batch,
                device, size, args.has("imagenet-norm"),
                args.has("dinov2-hub-positions") ? PositionInterpolation.TORCH_HUB : PositionInterpolation.HUGGING_FACE,
                args.has("skip-unreadable") ? Extractor.OnUnreadable.SKIP : Extractor.OnUnreadable.STOP);
        err.println("device: " + DjlRuntime.device(device).name() + " (" + DjlRuntime.device(device).reason() + ")");
        Extractor.Result r = new Extractor().extract(request, CommandLine.progress(err));
        out.printf(Locale.ROOT, "%s: %d images (%d extracted now, %d already done, %d skipped), %.2f images/s%n",
                r.store(), r.images(), r.extracted(), r.previouslyDone(), r.skipped(), r.imagesPerSecond());
        out.println("wrote " + r.store());
        return CommandLine.OK;
    }
}
