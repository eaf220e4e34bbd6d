package org.brainalign.engine.finetune;

import java.util.SplittableRandom;

import org.brainalign.engine.features.DecodedImage;
import org.brainalign.engine.features.Preprocessing;

/**
 * The data augmentation of training images, as torchvision's {@code RandomResizedCrop} followed by
 * {@code RandomHorizontalFlip}: a random rectangle covering a share of the image's area drawn uniformly from
 * [minScale, 1] with an aspect ratio drawn log-uniformly from [3/4, 4/3] (ten tries, then the centred largest
 * rectangle within those ratios), mirrored left to right with probability one half, then resized to the network's
 * input and normalised exactly as {@link Preprocessing} does for extraction. Validation images are not augmented:
 * they go through {@link Preprocessing} alone.
 */
public final class Augmentation {

    /** torchvision's default smallest share of the area a crop covers. */
    public static final double DEFAULT_MIN_SCALE = 0.08;

    private static final double MIN_RATIO = 3.0 / 4.0;
    private static final double MAX_RATIO = 4.0 / 3.0;

    private final Preprocessing preprocessing;
    private final double minScale;
    private final boolean flip;

    /**
     * A crop rectangle.
     *
     * @param top its first row
     * @param left its first column
     * @param height its rows
     * @param width its columns
     */
    public record Crop(int top, int left, int height, int width) {
    }

    /**
     * @param preprocessing the resize and normalisation to the network's input
     * @param minScale the smallest share of the area a crop covers, in (0, 1]
     * @param flip whether to mirror half of the images
     */
    public Augmentation(Preprocessing preprocessing, double minScale, boolean flip) {
        if (!(minScale > 0 && minScale <= 1)) {
            throw new IllegalArgumentException("the smallest crop scale must lie in (0, 1], got " + minScale);
        }
        this.preprocessing = preprocessing;
        this.minScale = minScale;
        this.flip = flip;
    }

    /** @return the resize and normalisation applied after cropping */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /**
     * Augments one image.
     *
     * @param image the decoded image
     * @param random the image's own random stream
     * @return channels x inputSize x inputSize normalised values, row-major
     */
    public float[] apply(DecodedImage image, SplittableRandom random) {
        Crop c = crop(image.height(), image.width(), random);
        boolean mirror = flip && random.nextBoolean();
        int channels = image.channels();
        int w = image.width();
        float[] in = image.planes();
        float[] out = new float[channels * c.height() * c.width()];
        for (int ch = 0; ch < channels; ch++) {
            for (int y = 0; y < c.height(); y++) {
                int from = (ch * image.height() + c.top() + y) * w + c.left();
                int to = (ch * c.height() + y) * c.width();
                if (mirror) {
                    for (int x = 0; x < c.width(); x++) {
                        out[to + x] = in[from + c.width() - 1 - x];
                    }
                } else {
                    System.arraycopy(in, from, out, to, c.width());
                }
            }
        }
        return preprocessing.apply(new DecodedImage(c.width(), c.height(), channels, out));
    }

    /**
     * Draws a crop as torchvision's RandomResizedCrop.get_params does.
     *
     * @param height the image height
     * @param width the image width
     * @param random the random stream
     * @return the rectangle, inside the image
     */
    public Crop crop(int height, int width, SplittableRandom random) {
        double area = (double) height * width;
        // StrictMath: Math.exp and Math.log may differ in the last bit between interpreted and compiled code, which
        // would make a crop, and so a resumed run, depend on when the JIT got to this method
        double logMin = StrictMath.log(MIN_RATIO);
        double logMax = StrictMath.log(MAX_RATIO);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (minScale + (1 - minScale) * random.nextDouble());
            double ratio = StrictMath.exp(logMin + (logMax - logMin) * random.nextDouble());
            int w = (int) Math.round(Math.sqrt(target * ratio));
            int h = (int) Math.round(Math.sqrt(target / ratio));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                return new Crop(random.nextInt(height - h + 1), random.nextInt(width - w + 1), h, w);
            }
        }
        // no draw fitted: the centred largest rectangle whose ratio lies within the bounds
        double inRatio = (double) width / height;
        int w = width;
        int h = height;
        if (inRatio < MIN_RATIO) {
            h = (int) Math.round(w / MIN_RATIO);
        } else if (inRatio > MAX_RATIO) {
            w = (int) Math.round(h * MAX_RATIO);
        }
        return new Crop((height - h) / 2, (width - w) / 2, h, w);
    }
}
