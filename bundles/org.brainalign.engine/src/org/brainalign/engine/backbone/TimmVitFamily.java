package org.brainalign.engine.backbone;

import java.util.Map;

import org.osgi.service.component.annotations.Component;

/**
 * The "timm-vit" family: timm's VisionTransformer state dict, as MAE ({@code mae_pretrain_vit_base.pth}, inside
 * {@code {"model": ...}}) and MoCo v3 ({@code vit-b-300ep.pth.tar}, inside {@code {"state_dict": ...}} under
 * {@code module.base_encoder.}) save it: {@code cls_token}, {@code pos_embed}, {@code patch_embed.proj} and
 * {@code blocks.N.{norm1, attn.qkv, attn.proj, norm2, mlp.fc1, mlp.fc2}}. The shortest prefix wins, so MoCo's
 * momentum encoder and MAE's decoder are left aside, as the paper leaves them. LayerNorm eps 1e-6 and exact GELU, as
 * MAE and MoCo v3 build their ViTs; blocks with layer scale belong to torch.hub DINOv2 and are not taken.
 */
@Component(name = "org.brainalign.engine.backbone."
        + TimmVitFamily.ID, service = BackboneFamily.class, property = BackboneFamily.ID_PROPERTY
                + "=" + TimmVitFamily.ID)
public final class TimmVitFamily extends NativeFamily {

    /** The family id. */
    public static final String ID = "timm-vit";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "timm VisionTransformer state dict (MAE pretrain .pth, MoCo v3 .pth.tar, nested dicts unwrapped)";
    }

    @Override
    String signatureTensor() {
        return "cls_token";
    }

    @Override
    public boolean recognises(Checkpoint checkpoint) {
        if (!super.recognises(checkpoint)) {
            return false;
        }
        String p = checkpoint.prefixOf(signatureTensor()).orElseThrow();
        return checkpoint.has(p + "blocks.0.attn.qkv.weight") && checkpoint.has(p + "patch_embed.proj.weight")
                && !checkpoint.has(p + "blocks.0.ls1.gamma");
    }

    @Override
    Map<String, Integer> architectures() {
        return Map.of("vit_small_patch16_224", 6, "vit_base_patch16", 12, "vit_base_patch16_224", 12,
                "vit_large_patch16", 16, "vit_large_patch16_224", 16, "vit_huge_patch14", 16, "vit_small", 12,
                "vit_base", 12);
    }

    @Override
    Map<Integer, Integer> headsByWidth() {
        // 384 is left out: timm's vit_small has 6 heads, MoCo v3's has 12
        return Map.of(768, 12, 1024, 16, 1280, 16);
    }

    @Override
    double eps() {
        return 1e-6;
    }

    @Override
    TransformerSpec spec(Checkpoint checkpoint, int inputSize) throws CheckpointException {
        String p = prefix(checkpoint);
        long[] conv = checkpoint.shape(p + "patch_embed.proj.weight");
        int c = (int) conv[0];
        int patch = (int) conv[2];
        int layers = countBlocks(checkpoint, p, "blocks.%d.norm1.weight");
        int grid = positionGrid(checkpoint, checkpoint.shape(p + "pos_embed")[1], 1);
        int hidden = (int) checkpoint.shape(p + "blocks.0.mlp.fc1.weight")[0];
        return TransformerSpec.builder(ID).size(c, layers, heads(checkpoint, c), hidden).eps(eps(checkpoint))
                .activation(activation(checkpoint, TransformerSpec.Activation.GELU))
                .input(patch, grid, size(checkpoint, grid * patch, patch, inputSize)).inputChannels((int) conv[1])
                .patchBias(checkpoint.has(p + "patch_embed.proj.bias"))
                .qkvBias(checkpoint.has(p + "blocks.0.attn.qkv.bias")).build();
    }

    @Override
    TensorLayout layout(Checkpoint checkpoint, TransformerSpec spec) throws CheckpointException {
        String p = prefix(checkpoint);
        long c = spec.channels();
        int g = spec.positionGrid();
        return (name, shape) -> {
            if (name.startsWith("blocks.")) {
                String base = p + "blocks." + blockOf(name) + ".";
                String part = partOf(name);
                String tail = part.substring(part.lastIndexOf('.'));
                return switch (part.substring(0, part.lastIndexOf('.'))) {
                    case "q", "k", "v" -> fusedThird(base + "attn.qkv.", part, c, shape);
                    case "norm1", "norm2" -> TensorOrigin.whole(base + part, shape);
                    case "proj" -> TensorOrigin.whole(base + "attn.proj" + tail, shape);
                    case "fc1" -> TensorOrigin.whole(base + "mlp.fc1" + tail, shape);
                    case "fc2" -> TensorOrigin.whole(base + "mlp.fc2" + tail, shape);
                    default -> throw new IllegalArgumentException(ID + " has no " + name);
                };
            }
            return switch (name) {
                case "patch.weight" -> TensorOrigin.whole(p + "patch_embed.proj.weight", shape);
                case "patch.bias" -> TensorOrigin.whole(p + "patch_embed.proj.bias", shape);
                case "cls" -> TensorOrigin.reshaped(p + "cls_token", shape(1, 1, c), shape);
                case "pos.cls", "pos.grid" -> positionPart(p + "pos_embed", shape(1, 1 + (long) g * g, c),
                        name.equals("pos.cls"), g, (int) c);
                default -> throw new IllegalArgumentException(ID + " has no " + name);
            };
        };
    }
}
