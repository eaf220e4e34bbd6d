package org.brainalign.engine.backbone;

import java.util.Arrays;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

/**
 * The "sam" family: the image encoder of Hugging Face's SamModel (facebook/sam-vit-base, -large, -huge:
 * {@code vision_encoder.*} tensors; prompt encoder, mask decoder and the encoder's neck are ignored). Settings come
 * from config.json's {@code vision_config} with SamVisionConfig's defaults. SAM's encoder has no class token (the
 * global token is the spatial mean of the patch tokens), absolute positions on the 64 x 64 grid of its fixed
 * 1024 px input, attention within 14 x 14 windows (the grid zero-padded to whole windows) except in the blocks
 * listed by {@code global_attn_indexes}, and decomposed relative position terms added to the attention scores. Block
 * outputs are taken before the neck.
 */
@Component(name = "org.brainalign.engine.backbone."
        + SamFamily.ID, service = BackboneFamily.class, property = BackboneFamily.ID_PROPERTY
                + "=" + SamFamily.ID)
public final class SamFamily extends TransformerFamily {

    /** The family id. */
    public static final String ID = "sam";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Hugging Face SamModel image encoder (SAM ViT-B/L/H, 1024 px input, windowed attention)";
    }

    @Override
    Set<String> modelTypes() {
        return Set.of("sam", "sam_vision_model");
    }

    @Override
    String signatureTensor() {
        return "patch_embed.projection.weight";
    }

    @Override
    TransformerSpec spec(Checkpoint checkpoint, int inputSize) throws CheckpointException {
        Checkpoint.Config c = checkpoint.config("vision_config");
        int width = c.integer("hidden_size", 768);
        int heads = c.integer("num_attention_heads", 12);
        checkHeads(c, width, heads);
        int image = c.side("image_size", 1024);
        int patch = c.side("patch_size", 16);
        checkInput(c, image, patch);
        if (inputSize > 0 && inputSize != image) {
            throw new CheckpointException(c.file() + ": SAM's encoder runs at its fixed image_size " + image
                    + " px, not " + inputSize + " px");
        }
        int layers = c.integer("num_hidden_layers", 12);
        int window = c.integer("window_size", 14);
        int[] global = c.integers("global_attn_indexes", new int[] { 2, 5, 8, 11 });
        int[] windows = new int[layers];
        Arrays.fill(windows, Math.max(window, 0));
        for (int g : global) {
            if (g < 0 || g >= layers) {
                throw new CheckpointException(c.file() + ": global_attn_indexes names block " + g + " but there are "
                        + layers);
            }
            windows[g] = 0;
        }
        int mlp = c.has("mlp_dim") ? c.integer("mlp_dim", 0) : (int) (width * c.number("mlp_ratio", 4));
        return TransformerSpec.builder(ID).size(width, layers, heads, mlp)
                .activation(activation(c, c.has("hidden_act") ? c.string("hidden_act") : "gelu"))
                .eps((float) c.number("layer_norm_eps", 1e-6))
                .input(patch, c.bool("use_abs_pos", true) ? image / patch : 0, image)
                .inputChannels(c.integer("num_channels", 3)).classToken(false, false)
                .windows(windows, c.bool("use_rel_pos", true)).qkvBias(c.bool("qkv_bias", true)).build();
    }

    @Override
    TensorLayout layout(Checkpoint checkpoint, TransformerSpec spec) throws CheckpointException {
        String p = prefix(checkpoint);
        long c = spec.channels();
        int g = spec.positionGrid();
        return (name, shape) -> {
            if (name.startsWith("blocks.")) {
                int l = blockOf(name);
                String base = p + "layers." + l + ".";
                String part = partOf(name);
                return switch (part) {
                    case "q.weight", "k.weight", "v.weight", "q.bias", "k.bias", "v.bias" -> {
                        // q, k and v are the thirds of one fused projection, in that order
                        boolean weight = part.endsWith("weight");
                        long third = "qkv".indexOf(part.charAt(0));
                        long n = weight ? c * c : c;
                        yield new TensorOrigin(base + "attn.qkv." + (weight ? "weight" : "bias"),
                                weight ? shape(3 * c, c) : shape(3 * c), third * n, shape);
                    }
                    case "relh", "relw" -> {
                        int side = spec.windows()[l] > 0 ? spec.windows()[l] : spec.grid();
                        yield TensorOrigin.whole(base + "attn.rel_pos_" + part.charAt(3),
                                shape(2L * side - 1, spec.headDim()));
                    }
                    default -> {
                        String layer = part.substring(0, part.lastIndexOf('.'));
                        String mapped = switch (layer) {
                            case "norm1" -> "layer_norm1";
                            case "norm2" -> "layer_norm2";
                            case "proj" -> "attn.proj";
                            case "fc1" -> "mlp.lin1";
                            case "fc2" -> "mlp.lin2";
                            default -> throw new IllegalArgumentException("sam has no " + name);
                        };
                        yield TensorOrigin.whole(base + mapped + part.substring(part.lastIndexOf('.')), shape);
                    }
                };
            }
            return switch (name) {
                case "patch.weight" -> TensorOrigin.whole(p + "patch_embed.projection.weight", shape);
                case "patch.bias" -> TensorOrigin.whole(p + "patch_embed.projection.bias", shape);
                case "pos.grid" -> TensorOrigin.reshaped(p + "pos_embed", shape(1, g, g, c), shape);
                default -> throw new IllegalArgumentException("sam has no " + name);
            };
        };
    }
}
