package org.brainalign.engine.backbone;

import java.util.Set;

import org.osgi.service.component.annotations.Component;

/**
 * The "dinov2" family: Hugging Face's Dinov2Model and Dinov2WithRegistersModel ({@code embeddings.*},
 * {@code encoder.layer.N.*}, optionally under a prefix such as {@code dinov2.}). DINOv2 adds per-channel layer scale
 * to both residual branches, uses 14-pixel patches and position embeddings trained at 518 px (37 x 37), which are
 * interpolated to the input grid (224 px, 16 x 16, by default) with bicubic interpolation as Hugging Face does:
 * plain bicubic for Dinov2Model, antialiased bicubic for Dinov2WithRegistersModel; {@link BackboneOptions#positions}
 * selects torch.hub's rule instead (see {@link PositionInterpolation}). Register tokens (if any) follow
 * the class token and are excluded from the patch grid. The giant model's SwiGLU MLP ({@code use_swiglu_ffn}) is
 * supported.
 */
@Component(name = "org.brainalign.engine.backbone."
        + Dinov2Family.ID, service = BackboneFamily.class, property = BackboneFamily.ID_PROPERTY
                + "=" + Dinov2Family.ID)
public final class Dinov2Family extends TransformerFamily {

    /** The family id. */
    public static final String ID = "dinov2";

    /** The input side the reference used for DINOv2 (a 16 x 16 grid). */
    public static final int DEFAULT_INPUT_SIZE = 224;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Hugging Face Dinov2Model / Dinov2WithRegistersModel (DINOv2 ViT-S/B/L/G, patch 14)";
    }

    @Override
    Set<String> modelTypes() {
        return Set.of("dinov2", "dinov2_with_registers");
    }

    @Override
    String signatureTensor() {
        return "encoder.layer.0.layer_scale1.lambda1";
    }

    /** Applies torch.hub's position rule when asked; models with registers have Hugging Face's rule in both. */
    @Override
    TransformerSpec spec(Checkpoint checkpoint, BackboneOptions options) throws CheckpointException {
        TransformerSpec spec = spec(checkpoint, options.inputSize());
        boolean hub = options.positions() == PositionInterpolation.TORCH_HUB && !spec.antialiasedPositions();
        return hub ? spec.withPositionOffset(PositionInterpolation.TORCH_HUB_OFFSET) : spec;
    }

    @Override
    TransformerSpec spec(Checkpoint checkpoint, int inputSize) throws CheckpointException {
        Checkpoint.Config c = checkpoint.config();
        int width = c.integer("hidden_size", 768);
        int heads = c.integer("num_attention_heads", 12);
        checkHeads(c, width, heads);
        int image = c.side("image_size", 224);
        int patch = c.side("patch_size", 14);
        int trainedGrid = image / patch;
        int size = inputSize > 0 ? inputSize : DEFAULT_INPUT_SIZE;
        checkInput(c, size, patch);
        boolean withRegisters = "dinov2_with_registers".equals(c.string("model_type"));
        int registers = withRegisters ? c.integer("num_register_tokens", 4) : 0;
        if (!withRegisters && checkpoint.prefixOf("embeddings.register_tokens").isPresent()) {
            throw new CheckpointException(c.file() + ": the weights have register tokens but model_type is not "
                    + "dinov2_with_registers (set it and num_register_tokens)");
        }
        int hidden = (int) (width * c.number("mlp_ratio", 4));
        boolean swiglu = c.bool("use_swiglu_ffn", false);
        if (swiglu) {
            hidden = (hidden * 2 / 3 + 7) / 8 * 8;
        }
        int layers = c.integer("num_hidden_layers", 12);
        return TransformerSpec.builder(ID).size(width, layers, heads, hidden).swiglu(swiglu)
                .activation(activation(c, c.has("hidden_act") ? c.string("hidden_act") : "gelu"))
                .eps((float) c.number("layer_norm_eps", 1e-6)).input(patch, trainedGrid, size)
                .inputChannels(c.integer("num_channels", 3)).registers(registers).antialiasedPositions(withRegisters)
                .layerScale(true).qkvBias(c.bool("qkv_bias", true)).build();
    }

    @Override
    TensorLayout layout(Checkpoint checkpoint, TransformerSpec spec) throws CheckpointException {
        String p = prefix(checkpoint);
        long c = spec.channels();
        int g = spec.positionGrid();
        return (name, shape) -> {
            if (name.startsWith("blocks.")) {
                String base = p + "encoder.layer." + blockOf(name) + ".";
                String part = partOf(name);
                if (part.equals("ls1") || part.equals("ls2")) {
                    return TensorOrigin.whole(base + "layer_scale" + part.charAt(2) + ".lambda1", shape);
                }
                String layer = part.substring(0, part.lastIndexOf('.'));
                String kind = part.substring(part.lastIndexOf('.'));
                String mapped = switch (layer) {
                    case "norm1", "norm2" -> layer;
                    case "q" -> "attention.attention.query";
                    case "k" -> "attention.attention.key";
                    case "v" -> "attention.attention.value";
                    case "proj" -> "attention.output.dense";
                    case "fc1" -> spec.swiglu() ? "mlp.weights_in" : "mlp.fc1";
                    case "fc2" -> spec.swiglu() ? "mlp.weights_out" : "mlp.fc2";
                    default -> throw new IllegalArgumentException("dinov2 has no " + name);
                };
                return TensorOrigin.whole(base + mapped + kind, shape);
            }
            String e = p + "embeddings.";
            return switch (name) {
                case "patch.weight" -> TensorOrigin.whole(e + "patch_embeddings.projection.weight", shape);
                case "patch.bias" -> TensorOrigin.whole(e + "patch_embeddings.projection.bias", shape);
                case "cls" -> TensorOrigin.reshaped(e + "cls_token", shape(1, 1, c), shape);
                case "registers" -> TensorOrigin.reshaped(e + "register_tokens", shape(1, spec.registers(), c),
                        shape);
                case "pos.cls", "pos.grid" -> HfVitFamily.positions(e + "position_embeddings", name, g, (int) c);
                default -> throw new IllegalArgumentException("dinov2 has no " + name);
            };
        };
    }
}
