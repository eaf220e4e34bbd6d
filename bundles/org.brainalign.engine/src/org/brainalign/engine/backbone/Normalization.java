package org.brainalign.engine.backbone;

import java.util.Arrays;

/**
 * The per-channel normalisation a network expects of its input: {@code (x - mean) / std} for pixel values x in
 * [0, 1].
 *
 * @param mean one value per input channel
 * @param std one value per input channel, all positive
 * @param source where the values come from, e.g. "preprocessor_config.json" or "ImageNet (default)"
 */
public record Normalization(float[] mean, float[] std, String source) {

    /** ImageNet's channel means, used by the reference for every backbone. */
    public static final float[] IMAGENET_MEAN = { 0.485f, 0.456f, 0.406f };

    /** ImageNet's channel standard deviations. */
    public static final float[] IMAGENET_STD = { 0.229f, 0.224f, 0.225f };

    /**
     * Checks that mean and std have the same length and std is positive.
     *
     * @throws IllegalArgumentException if not
     */
    public Normalization {
        mean = mean.clone();
        std = std.clone();
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std must have one value per channel");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive: " + Arrays.toString(std));
            }
        }
    }

    /**
     * ImageNet's normalisation for a number of channels: RGB as is; for one channel the mean of the three means and
     * of the three deviations (a grey image has equal channels).
     *
     * @param channels 1 or 3
     * @return the normalisation
     */
    public static Normalization imageNet(int channels) {
        if (channels == 3) {
            return new Normalization(IMAGENET_MEAN, IMAGENET_STD, "ImageNet");
        }
        float m = (IMAGENET_MEAN[0] + IMAGENET_MEAN[1] + IMAGENET_MEAN[2]) / 3;
        float s = (IMAGENET_STD[0] + IMAGENET_STD[1] + IMAGENET_STD[2]) / 3;
        float[] mean = new float[channels];
        float[] std = new float[channels];
        Arrays.fill(mean, m);
        Arrays.fill(std, s);
        return new Normalization(mean, std, "ImageNet (averaged over RGB for " + channels + " channel(s))");
    }

    /** @return a copy of the means */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /** @return a copy of the deviations */
    @Override
    public float[] std() {
        return std.clone();
    }

    /** @return the number of channels */
    public int channels() {
        return mean.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + " (" + source + ")";
    }
}
