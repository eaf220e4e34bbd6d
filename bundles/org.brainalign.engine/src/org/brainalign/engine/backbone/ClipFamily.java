package org.brainalign.engine.backbone;

import java.util.Set;

import org.osgi.service.component.annotations.Component;

/**
 * The "clip" family: the vision tower of Hugging Face's CLIPModel, or a CLIPVisionModel ({@code vision_model.*}
 * tensors; text tensors are ignored). The settings come from config.json's {@code vision_config} when present, else
 * from the top level, with CLIPVisionConfig's defaults when absent (patch 32, quick_gelu, eps 1e-5). CLIP differs
 * from ViTModel by a class embedding without position-embedding prefix, a patch convolution without bias, a
 * LayerNorm right after the embeddings ({@code pre_layrnorm}, whose output is the first hidden state) and usually
 * quick_gelu. The final {@code post_layernorm} applies to the pooled class token only and is not used.
 */
@Component(name = "org.brainalign.engine.backbone."
        + ClipFamily.ID, service = BackboneFamily.class, property = BackboneFamily.ID_PROPERTY
                + "=" + ClipFamily.ID)
public final class ClipFamily extends TransformerFamily {

    /** The family id. */
    public static final String ID = "clip";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Hugging Face CLIPModel / CLIPVisionModel (OpenAI CLIP, OpenCLIP exports in that layout)";
    }

    @Override
    Set<String> modelTypes() {
        return Set.of("clip", "clip_vision_model");
    }

    @Override
    String signatureTensor() {
        return "embeddings.class_embedding";
    }

    @Override
    TransformerSpec spec(Checkpoint checkpoint, int inputSize) throws CheckpointException {
        Checkpoint.Config c = checkpoint.config("vision_config");
        int width = c.integer("hidden_size", 768);
        int heads = c.integer("num_attention_heads", 12);
        checkHeads(c, width, heads);
        int image = c.side("image_size", 224);
        int patch = c.side("patch_size", 32);
        checkInput(c, image, patch);
        int size = inputSize > 0 ? inputSize : image;
        checkInput(c, size, patch);
        int layers = c.integer("num_hidden_layers", 12);
        return TransformerSpec.builder(ID).size(width, layers, heads, c.integer("intermediate_size", 3072))
                .activation(activation(c, c.has("hidden_act") ? c.string("hidden_act") : "quick_gelu"))
                .eps((float) c.number("layer_norm_eps", 1e-5)).input(patch, image / patch, size)
                .inputChannels(c.integer("num_channels", 3)).patchBias(false).preNorm(true).build();
    }

    @Override
    TensorLayout layout(Checkpoint checkpoint, TransformerSpec spec) throws CheckpointException {
        String p = prefix(checkpoint);
        long c = spec.channels();
        int g = spec.positionGrid();
        return (name, shape) -> {
            if (name.startsWith("blocks.")) {
                String base = p + "encoder.layers." + blockOf(name) + ".";
                String part = partOf(name);
                String mapped = switch (part.substring(0, part.lastIndexOf('.'))) {
                    case "norm1" -> "layer_norm1";
                    case "norm2" -> "layer_norm2";
                    case "q" -> "self_attn.q_proj";
                    case "k" -> "self_attn.k_proj";
                    case "v" -> "self_attn.v_proj";
                    case "proj" -> "self_attn.out_proj";
                    case "fc1" -> "mlp.fc1";
                    case "fc2" -> "mlp.fc2";
                    default -> throw new IllegalArgumentException("clip has no " + name);
                };
                return TensorOrigin.whole(base + mapped + part.substring(part.lastIndexOf('.')), shape);
            }
            // the prefix ends before "embeddings.class_embedding": "vision_model." in every HF CLIP checkpoint
            String e = p + "embeddings.";
            return switch (name) {
                case "patch.weight" -> TensorOrigin.whole(e + "patch_embedding.weight", shape);
                case "cls" -> TensorOrigin.whole(e + "class_embedding", shape);
                case "pos.cls", "pos.grid" -> positionPart(e + "position_embedding.weight",
                        shape(1 + (long) g * g, c), name.equals("pos.cls"), g, (int) c);
                case "prenorm.weight" -> TensorOrigin.whole(p + "pre_layrnorm.weight", shape);
                case "prenorm.bias" -> TensorOrigin.whole(p + "pre_layrnorm.bias", shape);
                default -> throw new IllegalArgumentException("clip has no " + name);
            };
        };
    }
}
