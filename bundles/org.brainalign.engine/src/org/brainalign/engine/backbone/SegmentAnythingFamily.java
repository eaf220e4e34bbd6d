package org.brainalign.engine.backbone;

import java.util.Map;

import org.osgi.service.component.annotations.Component;

/**
 * The "sam-encoder" family: the image encoder of Segment Anything's own checkpoints ({@code sam_vit_b_01ec64.pth},
 * {@code image_encoder.*}; the prompt encoder, mask decoder and the encoder's neck are not used, as in the paper):
 * {@code pos_embed} (1, g, g, C), {@code patch_embed.proj} and {@code blocks.N.{norm1, attn.qkv, attn.proj,
 * attn.rel_pos_h, attn.rel_pos_w, norm2, mlp.lin1, mlp.lin2}}. Everything comes from the tensors: a block's relative
 * position table has 2S - 1 rows for its attention side S, so a block whose S is the grid is global and the others
 * attend in S x S windows; the heads are C over the tables' head width. LayerNorm eps 1e-6, exact GELU, no class
 * token (the global token is the grid's mean), the input the position table was trained for (1024 px).
 */
@Component(name = "org.brainalign.engine.backbone."
        + SegmentAnythingFamily.ID, service = BackboneFamily.class, property = BackboneFamily.ID_PROPERTY
                + "=" + SegmentAnythingFamily.ID)
public final class SegmentAnythingFamily extends NativeFamily {

    /** The family id. */
    public static final String ID = "sam-encoder";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Segment Anything's image encoder as its repository saves it (sam_vit_b_01ec64.pth, image_encoder.*)";
    }

    @Override
    String signatureTensor() {
        return "blocks.0.attn.rel_pos_h";
    }

    @Override
    public boolean recognises(Checkpoint checkpoint) {
        if (!super.recognises(checkpoint)) {
            return false;
        }
        String p = checkpoint.prefixOf(signatureTensor()).orElseThrow();
        return checkpoint.has(p + "patch_embed.proj.weight") && checkpoint.has(p + "pos_embed");
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
        return 1e-6;
    }

    @Override
    int heads(Checkpoint checkpoint, int width) throws CheckpointException {
        long headWidth = checkpoint.shape(prefix(checkpoint) + "blocks.0.attn.rel_pos_h")[1];
        if (headWidth <= 0 || width % headWidth != 0) {
            throw new CheckpointException(checkpoint.weightsPath() + ": width " + width + " is not a multiple of the "
                    + "relative position tables' head width " + headWidth);
        }
        return (int) (width / headWidth);
    }

    @Override
    TransformerSpec spec(Checkpoint checkpoint, int inputSize) throws CheckpointException {
        String p = prefix(checkpoint);
        long[] conv = checkpoint.shape(p + "patch_embed.proj.weight");
        int c = (int) conv[0];
        int patch = (int) conv[2];
        int layers = countBlocks(checkpoint, p, "blocks.%d.norm1.weight");
        int grid = (int) checkpoint.shape(p + "pos_embed")[1];
        int[] windows = new int[layers];
        for (int l = 0; l < layers; l++) {
            int side = (int) (checkpoint.shape(p + "blocks." + l + ".attn.rel_pos_h")[0] + 1) / 2;
            windows[l] = side == grid ? 0 : side;
        }
        int hidden = (int) checkpoint.shape(p + "blocks.0.mlp.lin1.weight")[0];
        if (inputSize > 0 && inputSize != grid * patch) {
            throw new CheckpointException(checkpoint.weightsPath() + ": SAM's encoder runs at the " + grid * patch
                    + " px its position table and relative positions were trained for, not " + inputSize);
        }
        return TransformerSpec.builder(ID).size(c, layers, heads(checkpoint, c), hidden).eps(eps(checkpoint))
                .activation(activation(checkpoint, TransformerSpec.Activation.GELU))
                .input(patch, grid, grid * patch).inputChannels((int) conv[1]).classToken(false, false)
                .windows(windows, true).qkvBias(checkpoint.has(p + "blocks.0.attn.qkv.bias")).build();
    }

    @Override
    TensorLayout layout(Checkpoint checkpoint, TransformerSpec spec) throws CheckpointException {
        String p = prefix(checkpoint);
        long c = spec.channels();
        int g = spec.positionGrid();
        return (name, shape) -> {
            if (name.startsWith("blocks.")) {
                int l = blockOf(name);
                String base = p + "blocks." + l + ".";
                String part = partOf(name);
                if (part.equals("relh") || part.equals("relw")) {
                    int side = spec.windows()[l] > 0 ? spec.windows()[l] : spec.grid();
                    return TensorOrigin.whole(base + "attn.rel_pos_" + part.charAt(3),
                            shape(2L * side - 1, spec.headDim()));
                }
                String tail = part.substring(part.lastIndexOf('.'));
                return switch (part.substring(0, part.lastIndexOf('.'))) {
                    case "q", "k", "v" -> fusedThird(base + "attn.qkv.", part, c, shape);
                    case "norm1", "norm2" -> TensorOrigin.whole(base + part, shape);
                    case "proj" -> TensorOrigin.whole(base + "attn.proj" + tail, shape);
                    case "fc1" -> TensorOrigin.whole(base + "mlp.lin1" + tail, shape);
                    case "fc2" -> TensorOrigin.whole(base + "mlp.lin2" + tail, shape);
                    default -> throw new IllegalArgumentException(ID + " has no " + name);
                };
            }
            return switch (name) {
                case "patch.weight" -> TensorOrigin.whole(p + "patch_embed.proj.weight", shape);
                case "patch.bias" -> TensorOrigin.whole(p + "patch_embed.proj.bias", shape);
                case "pos.grid" -> TensorOrigin.reshaped(p + "pos_embed", shape(1, g, g, c), shape);
                default -> throw new IllegalArgumentException(ID + " has no " + name);
            };
        };
    }
}
