package org.brainalign.engine.features;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.brainalign.engine.backbone.Backbone;
import org.brainalign.engine.backbone.Normalization;
import org.brainalign.engine.backbone.Resampling;

/**
 * The way an image file becomes a network input, as in the reference pipeline (PIL + torchvision): decode to floats
 * in [0, 1] with the network's channel count, resize the whole image to the square input size with PIL's bilinear
 * filter (a triangle whose support grows with the shrink factor, i.e. antialiased when shrinking, plain bilinear
 * when enlarging; the aspect ratio is not kept, so images of any size and shape become inputs of one size), with no
 * rounding to 8 bits in between, then normalise each channel by {@code (x - mean) / std}.
 */
public final class Preprocessing {

    private final int inputSize;
    private final Normalization normalization;

    /**
     * @param inputSize the square side in pixels
     * @param normalization the per-channel mean and std; its length is the channel count
     */
    public Preprocessing(int inputSize, Normalization normalization) {
        if (inputSize <= 0) {
            throw new IllegalArgumentException("input size must be positive: " + inputSize);
        }
        this.inputSize = inputSize;
        this.normalization = normalization;
    }

    /**
     * The preprocessing a backbone expects.
     *
     * @param backbone the network
     * @param forceImageNet use ImageNet's mean and std whatever the checkpoint declares (the reference did, for every
     *        backbone)
     * @return the preprocessing
     */
    public static Preprocessing of(Backbone backbone, boolean forceImageNet) {
        Normalization n = forceImageNet ? Normalization.imageNet(backbone.inputChannels()) : backbone.normalization();
        return new Preprocessing(backbone.inputSize(), n);
    }

    /** @return the square input side */
    public int inputSize() {
        return inputSize;
    }

    /** @return the normalisation */
    public Normalization normalization() {
        return normalization;
    }

    /** @return the channel count */
    public int channels() {
        return normalization.channels();
    }

    /** @return the number of floats one image becomes: channels x inputSize x inputSize */
    public int valuesPerImage() {
        return channels() * inputSize * inputSize;
    }

    /**
     * Decodes, resizes and normalises one image file.
     *
     * @param image a JPEG, PNG (or other format javax.imageio reads)
     * @return channels x inputSize x inputSize values, row-major
     * @throws ImageReadException if the file cannot be decoded, naming it
     */
    public float[] apply(Path image) throws ImageReadException {
        return apply(decode(image));
    }

    /**
     * Resizes and normalises a decoded image.
     *
     * @param image the image
     * @return channels x inputSize x inputSize values, row-major
     */
    public float[] apply(DecodedImage image) {
        DecodedImage img = image.withChannels(channels());
        float[] wy = Resampling.antialiasedBilinear(img.height(), inputSize);
        float[] wx = Resampling.antialiasedBilinear(img.width(), inputSize);
        float[] out = Resampling.resize(img.planes(), channels(), img.height(), img.width(), wy, wx);
        float[] mean = normalization.mean();
        float[] std = normalization.std();
        int n = inputSize * inputSize;
        for (int c = 0; c < channels(); c++) {
            for (int i = c * n; i < (c + 1) * n; i++) {
                out[i] = (out[i] - mean[c]) / std[c];
            }
        }
        return out;
    }

    /**
     * Decodes an image file to floats in [0, 1]: grey stays one plane, colour becomes red, green, blue; alpha is
     * dropped; palette images go through their palette (a palette of greys, as in 1-, 2- and 4-bit grey PNGs, gives
     * one grey plane); 16-bit samples keep their precision.
     *
     * @param file the image
     * @return the decoded image
     * @throws ImageReadException naming the file when it is missing or not a decodable image
     */
    public static DecodedImage decode(Path file) throws ImageReadException {
        BufferedImage img;
        try (InputStream in = Files.newInputStream(file)) {
            img = ImageIO.read(in);
        } catch (NoSuchFileException e) {
            throw new ImageReadException(file + ": no such image file", e);
        } catch (IOException | RuntimeException e) {
            throw new ImageReadException(file + ": cannot be decoded as an image (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new ImageReadException(file + ": not an image format that can be read (JPEG, PNG, BMP, GIF)");
        }
        return toPlanes(img);
    }

    static DecodedImage toPlanes(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int n = w * h;
        Raster raster = img.getRaster();
        ColorModel cm = img.getColorModel();
        int colours = cm.getNumColorComponents();
        int space = cm.getColorSpace().getType();
        if (!(cm instanceof IndexColorModel) && (space == ColorSpace.TYPE_GRAY && colours == 1
                || space == ColorSpace.TYPE_RGB && colours == 3)) {
            // read the stored samples directly: getRGB() would push linear grey through a gamma conversion
            float[] planes = new float[colours * n];
            int[] row = new int[w];
            for (int c = 0; c < colours; c++) {
                double max = (1L << raster.getSampleModel().getSampleSize(c)) - 1;
                for (int y = 0; y < h; y++) {
                    raster.getSamples(0, y, w, 1, c, row);
                    for (int x = 0; x < w; x++) {
                        planes[c * n + y * w + x] = (float) (row[x] / max);
                    }
                }
            }
            return new DecodedImage(w, h, colours, planes);
        }
        if (cm instanceof IndexColorModel palette && isGrey(palette)) {
            // 1-, 2- and 4-bit grey PNGs arrive with a palette; they are grey, as PIL reads them ("1", "L")
            float[] plane = new float[n];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    plane[y * w + x] = palette.getRed(row[x]) / 255f;
                }
            }
            return new DecodedImage(w, h, 1, plane);
        }
        // palettes and unusual colour spaces: through sRGB at 8 bits, as PIL's convert("RGB") would give
        float[] planes = new float[3 * n];
        int[] argb = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                planes[y * w + x] = ((argb[x] >> 16) & 0xff) / 255f;
                planes[n + y * w + x] = ((argb[x] >> 8) & 0xff) / 255f;
                planes[2 * n + y * w + x] = (argb[x] & 0xff) / 255f;
            }
        }
        return new DecodedImage(w, h, 3, planes);
    }

    private static boolean isGrey(IndexColorModel palette) {
        for (int i = 0; i < palette.getMapSize(); i++) {
            int r = palette.getRed(i);
            if (palette.getGreen(i) != r || palette.getBlue(i) != r) {
                return false;
            }
        }
        return true;
    }

    /** @return one line for manifests and logs */
    public String describe() {
        return "decode to [0,1], " + channels() + " channel(s), PIL bilinear (antialiased) resize to " + inputSize
                + "x" + inputSize + ", normalise " + normalization;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && p.inputSize == inputSize && p.normalization.equals(normalization);
    }

    @Override
    public int hashCode() {
        return inputSize * 31 + normalization.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
