package org.brainalign.engine.backbone;

import java.util.Set;

import org.osgi.service.component.annotations.Component;

/**
 * The "hf-vit" family: Hugging Face's ViTModel layout ({@code embeddings.*}, {@code encoder.layer.N.*}, optionally
 * under a prefix such as {@code vit.}), which also covers ViTMAEModel (MAE's encoder, run here without masking:
 * every patch is kept, in order). The network is built from config.json (hidden_size, num_hidden_layers,
 * num_attention_heads, intermediate_size, hidden_act, layer_norm_eps, image_size, patch_size, num_channels,
 * qkv_bias, with Hugging Face's defaults when absent). Inputs of another size than image_size get bicubically
 * interpolated position embeddings, as ViTModel's interpolate_pos_encoding does.
 */
@Component(name = "org.brainalign.engine.backbone."
        + HfVitFamily.ID, service = BackboneFamily.class, property = BackboneFamily.ID_PROPERTY
                + "=" + HfVitFamily.ID)
public final class HfVitFamily extends TransformerFamily {

    /** The family id. */
    public static final String ID = "hf-vit";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Hugging Face ViTModel / ViTMAEModel (supervised ViT, MAE, MoCo v3 converted to that layout)";
    }

    @Override
    Set<String> modelTypes() {
        return Set.of("vit", "vit_mae");
    }

    @Override
    String signatureTensor() {
        return "embeddings.patch_embeddings.projection.weight";
    }

    /** A DINOv2 checkpoint has ViT's embedding names too: its layer scale tells it apart. */
    @Override
    public boolean recognises(Checkpoint checkpoint) {
        return super.recognises(checkpoint) && checkpoint.prefixOf("encoder.layer.0.layer_scale1.lambda1").isEmpty();
    }

    @Override
    TransformerSpec spec(Checkpoint checkpoint, int inputSize) throws CheckpointException {
        Checkpoint.Config c = checkpoint.config();
        int width = c.integer("hidden_size", 768);
        int heads = c.integer("num_attention_heads", 12);
        checkHeads(c, width, heads);
        int image = c.side("image_size", 224);
        int patch = c.side("patch_size", 16);
        checkInput(c, image, patch);
        int size = inputSize > 0 ? inputSize : image;
        checkInput(c, size, patch);
        int layers = c.integer("num_hidden_layers", 12);
        return TransformerSpec.builder(ID).size(width, layers, heads, c.integer("intermediate_size", 3072))
                .activation(activation(c, c.has("hidden_act") ? c.string("hidden_act") : "gelu"))
                .eps((float) c.number("layer_norm_eps", 1e-12)).input(patch, image / patch, size)
                .inputChannels(c.integer("num_channels", 3)).qkvBias(c.bool("qkv_bias", true)).build();
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
                String mapped = switch (part.substring(0, part.lastIndexOf('.'))) {
                    case "norm1" -> "layernorm_before";
                    case "norm2" -> "layernorm_after";
                    case "q" -> "attention.attention.query";
                    case "k" -> "attention.attention.key";
                    case "v" -> "attention.attention.value";
                    case "proj" -> "attention.output.dense";
                    case "fc1" -> "intermediate.dense";
                    case "fc2" -> "output.dense";
                    default -> throw new IllegalArgumentException("hf-vit has no " + name);
                };
                return TensorOrigin.whole(base + mapped + part.substring(part.lastIndexOf('.')), shape);
            }
            String e = p + "embeddings.";
            return switch (name) {
                case "patch.weight" -> TensorOrigin.whole(e + "patch_embeddings.projection.weight", shape);
                case "patch.bias" -> TensorOrigin.whole(e + "patch_embeddings.projection.bias", shape);
                case "cls" -> TensorOrigin.reshaped(e + "cls_token", shape(1, 1, c), shape);
                case "pos.cls", "pos.grid" -> positions(e + "position_embeddings", name, g, (int) c);
                default -> throw new IllegalArgumentException("hf-vit has no " + name);
            };
        };
    }

    /**
     * @param stored the (1, 1 + G * G, C) position embeddings of HF ViT and DINOv2
     * @param part "pos.cls" or "pos.grid"
     * @param grid G
     * @param channels C
     * @return the part's origin
     */
    static TensorOrigin positions(String stored, String part, int grid, int channels) {
        return positionPart(stored, shape(1, 1 + (long) grid * grid, channels), part.equals("pos.cls"), grid,
                channels);
    }
}
