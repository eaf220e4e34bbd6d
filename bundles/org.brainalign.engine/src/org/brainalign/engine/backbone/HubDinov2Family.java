package org.brainalign.engine.backbone;

import java.util.Map;

import org.osgi.service.component.annotations.Component;

/**
 * The "hub-dinov2" family: DINOv2 as torch.hub loads it ({@code dinov2_vitb14_pretrain.pth},
 * {@code dinov2_vitg14_reg4_pretrain.pth}, ...): {@code cls_token}, {@code pos_embed}, {@code register_tokens},
 * {@code patch_embed.proj} and {@code blocks.N.{norm1, attn.qkv, attn.proj, ls1.gamma, norm2, mlp.fc1/fc2 or
 * mlp.w12/w3 (SwiGLU), ls2.gamma}}. Its position rule is torch.hub's own: without registers the trained table is
 * resized by the scale factor (g + 0.1) / M with plain bicubic, as the paper's pinned code did; the register models'
 * code resizes to g x g with antialiased bicubic. The registers get no position and are not patch tokens. LayerNorm
 * eps 1e-6, exact GELU; the heads follow the width (vits14 6, vitb14 12, vitl14 16, vitg14 24).
 */
@Component(name = "org.brainalign.engine.backbone."
        + HubDinov2Family.ID, service = BackboneFamily.class, property = BackboneFamily.ID_PROPERTY
                + "=" + HubDinov2Family.ID)
public final class HubDinov2Family extends NativeFamily {

    /** The family id. */
    public static final String ID = "hub-dinov2";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "DINOv2 as torch.hub saves it (dinov2_vit*14[_reg4]_pretrain.pth), with torch.hub's position rule";
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
        return checkpoint.has(p + "blocks.0.ls1.gamma") && checkpoint.has(p + "blocks.0.attn.qkv.weight");
    }

    @Override
    Map<String, Integer> architectures() {
        return Map.of("vits14", 6, "vitb14", 12, "vitl14", 16, "vitg14", 24);
    }

    @Override
    Map<Integer, Integer> headsByWidth() {
        return Map.of(384, 6, 768, 12, 1024, 16, 1536, 24);
    }

    @Override
    double eps() {
        return 1e-6;
    }

    @Override
    TransformerSpec spec(Checkpoint checkpoint, BackboneOptions options) throws CheckpointException {
        // torch.hub's rule is this family's own; Hugging Face's is not offered, it would not be this checkpoint's
        return spec(checkpoint, options.inputSize());
    }

    @Override
    TransformerSpec spec(Checkpoint checkpoint, int inputSize) throws CheckpointException {
        String p = prefix(checkpoint);
        long[] conv = checkpoint.shape(p + "patch_embed.proj.weight");
        int c = (int) conv[0];
        int patch = (int) conv[2];
        int layers = countBlocks(checkpoint, p, "blocks.%d.norm1.weight");
        int grid = positionGrid(checkpoint, checkpoint.shape(p + "pos_embed")[1], 1);
        int registers = checkpoint.has(p + "register_tokens") ? (int) checkpoint.shape(p + "register_tokens")[1] : 0;
        boolean swiglu = checkpoint.has(p + "blocks.0.mlp.w12.weight");
        int hidden = swiglu
                ? (int) checkpoint.shape(p + "blocks.0.mlp.w12.weight")[0] / 2
                : (int) checkpoint.shape(p + "blocks.0.mlp.fc1.weight")[0];
        return TransformerSpec.builder(ID).size(c, layers, heads(checkpoint, c), hidden).swiglu(swiglu)
                .activation(activation(checkpoint, TransformerSpec.Activation.GELU)).eps(eps(checkpoint))
                .input(patch, grid, size(checkpoint, grid * patch, patch, inputSize))
                .inputChannels((int) conv[1]).registers(registers).layerScale(true)
                .antialiasedPositions(registers > 0)
                .positionOffset(registers > 0 ? 0 : PositionInterpolation.TORCH_HUB_OFFSET).build();
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
                if (part.equals("ls1") || part.equals("ls2")) {
                    return TensorOrigin.whole(base + part + ".gamma", shape);
                }
                String tail = part.substring(part.lastIndexOf('.'));
                return switch (part.substring(0, part.lastIndexOf('.'))) {
                    case "q", "k", "v" -> fusedThird(base + "attn.qkv.", part, c, shape);
                    case "norm1", "norm2" -> TensorOrigin.whole(base + part, shape);
                    case "proj" -> TensorOrigin.whole(base + "attn.proj" + tail, shape);
                    case "fc1" -> TensorOrigin.whole(base + (spec.swiglu() ? "mlp.w12" : "mlp.fc1") + tail, shape);
                    case "fc2" -> TensorOrigin.whole(base + (spec.swiglu() ? "mlp.w3" : "mlp.fc2") + tail, shape);
                    default -> throw new IllegalArgumentException(ID + " has no " + name);
                };
            }
            return switch (name) {
                case "patch.weight" -> TensorOrigin.whole(p + "patch_embed.proj.weight", shape);
                case "patch.bias" -> TensorOrigin.whole(p + "patch_embed.proj.bias", shape);
                case "cls" -> TensorOrigin.reshaped(p + "cls_token", shape(1, 1, c), shape);
                case "registers" -> TensorOrigin.reshaped(p + "register_tokens", shape(1, spec.registers(), c),
                        shape);
                case "pos.cls", "pos.grid" -> positionPart(p + "pos_embed", shape(1, 1 + (long) g * g, c),
                        name.equals("pos.cls"), g, (int) c);
                default -> throw new IllegalArgumentException(ID + " has no " + name);
            };
        };
    }
}
