package org.brainalign.engine.backbone;

import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;

/**
 * The "openclip-vit" family: open_clip's VisionTransformer in its own layout, alone or as the visual tower of a whole
 * CLIP state dict ({@code open_clip_pytorch_model.bin}, {@code visual.*}; the text tower is ignored):
 * {@code class_embedding}, {@code positional_embedding}, {@code conv1} (no bias), {@code ln_pre} and
 * {@code transformer.resblocks.N.{ln_1, attn.in_proj_weight, attn.out_proj, ln_2, mlp.c_fc, mlp.c_proj}}. The
 * activation (GELU, or QuickGELU when {@code model_cfg.quick_gelu} is true) and the head width come from the
 * {@code open_clip_config.json} open_clip writes beside the weights, or from the sidecar ({@code "quick_gelu"} or
 * {@code "hidden_act"}, {@code "heads"}); without either the heads follow open_clip's default head width of 64 and the
 * activation its
 * default GELU, which the model name must then confirm (OpenAI's own weights are QuickGELU: say so in the sidecar).
 * LayerNorm eps 1e-5. The first hidden state is ln_pre's output; ln_post and proj are not used, as in the paper.
 */
@Component(name = "org.brainalign.engine.backbone."
        + OpenClipFamily.ID, service = BackboneFamily.class, property = BackboneFamily.ID_PROPERTY
                + "=" + OpenClipFamily.ID)
public final class OpenClipFamily extends NativeFamily {

    /** The family id. */
    public static final String ID = "openclip-vit";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "open_clip VisionTransformer (the visual tower of open_clip_pytorch_model.bin, its own layout)";
    }

    @Override
    String signatureTensor() {
        return "class_embedding";
    }

    @Override
    public boolean recognises(Checkpoint checkpoint) {
        if (!super.recognises(checkpoint)) {
            return false;
        }
        String p = checkpoint.prefixOf(signatureTensor()).orElseThrow();
        return checkpoint.has(p + "transformer.resblocks.0.attn.in_proj_weight") && checkpoint.has(p + "conv1.weight");
    }

    @Override
    Map<String, Integer> architectures() {
        return Map.of();
    }

    @Override
    Map<Integer, Integer> headsByWidth() {
        return Map.of();
    }

    @Override
    double eps() {
        return 1e-5;
    }

    @Override
    int heads(Checkpoint checkpoint, int width) throws CheckpointException {
        Optional<Checkpoint.Config> side = checkpoint.sidecarConfig();
        if (side.isPresent() && side.get().has("heads")) {
            return side.get().integer("heads", 0);
        }
        int headWidth = 64;
        Optional<Checkpoint.Config> vision = visionConfig(checkpoint);
        if (vision.isPresent()) {
            headWidth = vision.get().integer("head_width", 64);
        }
        if (headWidth <= 0 || width % headWidth != 0) {
            throw new CheckpointException(checkpoint.weightsPath() + ": width " + width + " is not a multiple of the "
                    + "head width " + headWidth);
        }
        return width / headWidth;
    }

    private static Optional<Checkpoint.Config> visionConfig(Checkpoint checkpoint) throws CheckpointException {
        Optional<Checkpoint.Config> model = modelConfig(checkpoint);
        if (model.isEmpty() || !model.get().has("vision_cfg")) {
            return Optional.empty();
        }
        return Optional.of(model.get().child("vision_cfg"));
    }

    private static Optional<Checkpoint.Config> modelConfig(Checkpoint checkpoint) throws CheckpointException {
        Optional<Checkpoint.Config> c = checkpoint.besideWeights(Checkpoint.OPEN_CLIP_CONFIG);
        if (c.isEmpty() || !c.get().has("model_cfg")) {
            return Optional.empty();
        }
        return Optional.of(c.get().child("model_cfg"));
    }

    private static boolean quickGelu(Checkpoint checkpoint) throws CheckpointException {
        Optional<Checkpoint.Config> side = checkpoint.sidecarConfig();
        if (side.isPresent() && side.get().has("quick_gelu")) {
            return side.get().bool("quick_gelu", false);
        }
        Optional<Checkpoint.Config> model = modelConfig(checkpoint);
        return model.isPresent() && model.get().bool("quick_gelu", false);
    }

    @Override
    TransformerSpec spec(Checkpoint checkpoint, int inputSize) throws CheckpointException {
        String p = prefix(checkpoint);
        long[] conv = checkpoint.shape(p + "conv1.weight");
        int c = (int) conv[0];
        int patch = (int) conv[2];
        int layers = countBlocks(checkpoint, p, "transformer.resblocks.%d.ln_1.weight");
        int grid = positionGrid(checkpoint, checkpoint.shape(p + "positional_embedding")[0], 1);
        int hidden = (int) checkpoint.shape(p + "transformer.resblocks.0.mlp.c_fc.weight")[0];
        return TransformerSpec.builder(ID).size(c, layers, heads(checkpoint, c), hidden)
                .activation(activation(checkpoint, quickGelu(checkpoint)
                        ? TransformerSpec.Activation.QUICK_GELU
                        : TransformerSpec.Activation.GELU))
                .eps(eps(checkpoint)).input(patch, grid, size(checkpoint, grid * patch, patch, inputSize))
                .inputChannels((int) conv[1]).patchBias(false).preNorm(true).build();
    }

    @Override
    TensorLayout layout(Checkpoint checkpoint, TransformerSpec spec) throws CheckpointException {
        String p = prefix(checkpoint);
        long c = spec.channels();
        int g = spec.positionGrid();
        return (name, shape) -> {
            if (name.startsWith("blocks.")) {
                String base = p + "transformer.resblocks." + blockOf(name) + ".";
                String part = partOf(name);
                String tail = part.substring(part.lastIndexOf('.'));
                return switch (part.substring(0, part.lastIndexOf('.'))) {
                    case "q", "k", "v" -> fusedThird(base + "attn.in_proj_", part, c, shape);
                    case "norm1" -> TensorOrigin.whole(base + "ln_1" + tail, shape);
                    case "norm2" -> TensorOrigin.whole(base + "ln_2" + tail, shape);
                    case "proj" -> TensorOrigin.whole(base + "attn.out_proj" + tail, shape);
                    case "fc1" -> TensorOrigin.whole(base + "mlp.c_fc" + tail, shape);
                    case "fc2" -> TensorOrigin.whole(base + "mlp.c_proj" + tail, shape);
                    default -> throw new IllegalArgumentException(ID + " has no " + name);
                };
            }
            return switch (name) {
                case "patch.weight" -> TensorOrigin.whole(p + "conv1.weight", shape);
                case "cls" -> TensorOrigin.whole(p + "class_embedding", shape);
                case "pos.cls", "pos.grid" -> positionPart(p + "positional_embedding", shape(1 + (long) g * g, c),
                        name.equals("pos.cls"), g, (int) c);
                case "prenorm.weight" -> TensorOrigin.whole(p + "ln_pre.weight", shape);
                case "prenorm.bias" -> TensorOrigin.whole(p + "ln_pre.bias", shape);
                default -> throw new IllegalArgumentException(ID + " has no " + name);
            };
        };
    }
}
