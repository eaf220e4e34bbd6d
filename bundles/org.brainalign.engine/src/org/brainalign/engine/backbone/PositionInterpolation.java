package org.brainalign.engine.backbone;

/**
 * The rule that resizes a DINOv2 checkpoint's position embeddings (trained on a G x G patch grid) to the input's
 * g x g grid. Both are bicubic ({@code F.interpolate(mode="bicubic", align_corners=False)}); they differ in where
 * the g samples fall on the trained grid, which changes the features by far more than float rounding.
 */
public enum PositionInterpolation {

    /**
     * Current Hugging Face transformers (4.45 and later): resize to the output size g, so output cell {@code o} reads
     * the trained grid at {@code (o + 0.5) * G / g - 0.5}.
     */
    HUGGING_FACE("huggingface"),

    /**
     * facebookresearch/dinov2 through torch.hub (and transformers before 4.45), which the paper's reference used:
     * resize by the scale factor {@code (g + 0.1) / G}, which PyTorch also uses to place the samples, so output cell
     * {@code o} reads the trained grid at {@code (o + 0.5) * G / (g + 0.1) - 0.5}. Checkpoints with register tokens
     * are unaffected: the hub loads those with antialiased bicubic to the output size, which is Hugging Face's
     * rule for them too.
     */
    TORCH_HUB("torch-hub");

    /** The offset torch.hub's DINOv2 adds to the grid side before dividing by the trained side. */
    public static final double TORCH_HUB_OFFSET = 0.1;

    private final String id;

    PositionInterpolation(String id) {
        this.id = id;
    }

    /** @return the name recorded in feature store manifests ("huggingface" or "torch-hub") */
    public String id() {
        return id;
    }

    /**
     * @param id a name as {@link #id()} gives it
     * @return the rule of that name, or null if there is none
     */
    public static PositionInterpolation fromId(String id) {
        for (PositionInterpolation p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        return null;
    }
}
