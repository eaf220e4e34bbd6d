package org.brainalign.engine.backbone;

import org.brainalign.engine.DevicePreference;

/**
 * How to load a backbone.
 *
 * @param inputSize the square input side in pixels; 0 for the family's default (the checkpoint's image_size for
 *        hf-vit and clip, 224 for dinov2, the fixed 1024 of sam)
 * @param device where to run
 * @param positions how dinov2 resizes its position embeddings to the input grid; families other than dinov2 have
 *        one rule only and refuse {@link PositionInterpolation#TORCH_HUB}
 */
public record BackboneOptions(int inputSize, DevicePreference device, PositionInterpolation positions) {

    /** A missing device preference means the CPU, a missing position rule Hugging Face's. */
    public BackboneOptions {
        if (device == null) {
            device = DevicePreference.CPU;
        }
        if (positions == null) {
            positions = PositionInterpolation.HUGGING_FACE;
        }
        if (inputSize < 0) {
            throw new IllegalArgumentException("the input size must be 0 (default) or positive, got " + inputSize);
        }
    }

    /**
     * Options with Hugging Face's position rule.
     *
     * @param inputSize the square input side in pixels; 0 for the family's default
     * @param device where to run
     */
    public BackboneOptions(int inputSize, DevicePreference device) {
        this(inputSize, device, PositionInterpolation.HUGGING_FACE);
    }

    /** @return the family's default input size, on the CPU */
    public static BackboneOptions defaults() {
        return new BackboneOptions(0, DevicePreference.CPU);
    }
}
