package org.brainalign.engine.backbone;

import org.brainalign.engine.DevicePreference;

/**
 * How to load a backbone.
 *
 * @param inputSize the square input side in pixels; 0 for the family's default (the checkpoint's image_size for
 *        hf-vit and clip, 224 for dinov2, the fixed 1024 of sam)
 * @param device where to run
 */
public record BackboneOptions(int inputSize, DevicePreference device) {

    /** A missing device preference means the CPU. */
    public BackboneOptions {
        if (device == null) {
            device = DevicePreference.CPU;
        }
        if (inputSize < 0) {
            throw new IllegalArgumentException("the input size must be 0 (default) or positive, got " + inputSize);
        }
    }

    /** @return the family's default input size, on the CPU */
    public static BackboneOptions defaults() {
        return new BackboneOptions(0, DevicePreference.CPU);
    }
}
