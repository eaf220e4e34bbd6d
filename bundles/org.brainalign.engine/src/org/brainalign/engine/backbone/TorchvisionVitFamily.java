package org.brainalign.engine.backbone;

import java.util.Map;

import org.osgi.service.component.annotations.Component;

/**
 * The "torchvision-vit" family: torchvision's VisionTransformer state dict ({@code vit_b_16-c867db91.pth} and its
 * siblings): {@code class_token}, {@code conv_proj}, {@code encoder.pos_embedding} and
 * {@code encoder.layers.encoder_layer_N.*} with a fused {@code self_attention.in_proj_weight}; the MLP spelled
 * {@code mlp.0 / mlp.3} or, in files saved before torchvision 0.13 (the released ImageNet weights),
 * {@code mlp.linear_1 / mlp.linear_2}. LayerNorm eps 1e-6 and exact GELU, as torchvision builds it. The paper takes
 * the outputs of the blocks ({@code encoder_layer_N.add_1}), without {@code encoder.ln}.
 */
@Component(name = "org.brainalign.engine.backbone."
        + TorchvisionVitFamily.ID, service = BackboneFamily.class, property = BackboneFamily.ID_PROPERTY
                + "=" + TorchvisionVitFamily.ID)
public final class TorchvisionVitFamily extends NativeFamily {

    /** The family id. */
    public static final String ID = "torchvision-vit";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "torchvision VisionTransformer state dict (vit_b_16, vit_l_16, ...; .pth as torchvision ships it)";
    }

    @Override
    String signatureTensor() {
        return "encoder.pos_embedding";
    }

    @Override
    Map<String, Integer> architectures() {
        return Map.of("vit_b_16", 12, "vit_b_32", 12, "vit_l_16", 16, "vit_l_32", 16, "vit_h_14", 16);
    }

    @Override
    Map<Integer, Integer> headsByWidth() {
        return Map.of(768, 12, 1024, 16, 1280, 16);
    }

    @Override
    double eps() {
        return 1e-6;
    }

    @Override
    TransformerSpec spec(Checkpoint checkpoint, int inputSize) throws CheckpointException {
        String p = prefix(checkpoint);
        long[] conv = checkpoint.shape(p + "conv_proj.weight");
        int c = (int) conv[0];
        int patch = (int) conv[2];
        int layers = countBlocks(checkpoint, p, "encoder.layers.encoder_layer_%d.ln_1.weight");
        int grid = positionGrid(checkpoint, checkpoint.shape(p + "encoder.pos_embedding")[1], 1);
        int hidden = (int) checkpoint.shape(mlp(checkpoint, p, 0, true) + ".weight")[0];
        return TransformerSpec.builder(ID).size(c, layers, heads(checkpoint, c), hidden).eps(eps(checkpoint))
                .activation(activation(checkpoint, TransformerSpec.Activation.GELU))
                .input(patch, grid, size(checkpoint, grid * patch, patch, inputSize)).inputChannels((int) conv[1])
                .build();
    }

    /** The MLP's first or second linear layer: {@code mlp.0}/{@code mlp.3}, or the pre-0.13 spelling. */
    private static String mlp(Checkpoint checkpoint, String p, int layer, boolean first) {
        String base = p + "encoder.layers.encoder_layer_" + layer + ".mlp.";
        return checkpoint.has(base + "linear_1.weight")
                ? base + (first ? "linear_1" : "linear_2")
                : base + (first ? "0" : "3");
    }

    @Override
    TensorLayout layout(Checkpoint checkpoint, TransformerSpec spec) throws CheckpointException {
        String p = prefix(checkpoint);
        long c = spec.channels();
        int g = spec.positionGrid();
        return (name, shape) -> {
            if (name.startsWith("blocks.")) {
                int l = blockOf(name);
                String base = p + "encoder.layers.encoder_layer_" + l + ".";
                String part = partOf(name);
                String tail = part.substring(part.lastIndexOf('.'));
                return switch (part.substring(0, part.lastIndexOf('.'))) {
                    case "q", "k", "v" -> fusedThird(base + "self_attention.in_proj_", part, c, shape);
                    case "norm1" -> TensorOrigin.whole(base + "ln_1" + tail, shape);
                    case "norm2" -> TensorOrigin.whole(base + "ln_2" + tail, shape);
                    case "proj" -> TensorOrigin.whole(base + "self_attention.out_proj" + tail, shape);
                    case "fc1" -> TensorOrigin.whole(mlp(checkpoint, p, l, true) + tail, shape);
                    case "fc2" -> TensorOrigin.whole(mlp(checkpoint, p, l, false) + tail, shape);
                    default -> throw new IllegalArgumentException(ID + " has no " + name);
                };
            }
            return switch (name) {
                case "patch.weight" -> TensorOrigin.whole(p + "conv_proj.weight", shape);
                case "patch.bias" -> TensorOrigin.whole(p + "conv_proj.bias", shape);
                case "cls" -> TensorOrigin.reshaped(p + "class_token", shape(1, 1, c), shape);
                case "pos.cls", "pos.grid" -> positionPart(p + "encoder.pos_embedding", shape(1, 1 + (long) g * g, c),
                        name.equals("pos.cls"), g, (int) c);
                default -> throw new IllegalArgumentException(ID + " has no " + name);
            };
        };
    }
}
