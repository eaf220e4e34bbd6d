package org.brainalign.engine.features.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.brainalign.engine.backbone.Normalization;
import org.brainalign.engine.features.DecodedImage;
import org.brainalign.engine.features.ImageReadException;
import org.brainalign.engine.features.Preprocessing;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding and resizing images against closed-form cases. */
class PreprocessingTest {

    /** float32 sums of a few dozen products of values in [0, 1]. */
    private static final double EPS = 1e-5;

    @TempDir
    Path dir;

    private static final Normalization IDENTITY_GREY = new Normalization(new float[] { 0 }, new float[] { 1 }, "test");

    private Path png(String name, BufferedImage img) throws IOException {
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(img, "png", f.toFile()));
        return f;
    }

    private static BufferedImage grey(int w, int h, java.util.function.IntBinaryOperator value) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, value.applyAsInt(x, y));
            }
        }
        return img;
    }

    @Test
    void constantImageStaysConstantAndIsNormalised() throws IOException {
        Path f = png("grey.png", grey(37, 23, (x, y) -> 51));
        Normalization n = new Normalization(new float[] { 0.1f }, new float[] { 0.5f }, "test");
        float[] out = new Preprocessing(16, n).apply(f);
        assertEquals(16 * 16, out.length);
        for (float v : out) {
            assertEquals((51 / 255.0 - 0.1) / 0.5, v, EPS);
        }
    }

    /** A horizontal ramp shrunk 5x: away from the borders the triangle filter lands on the output centres. */
    @Test
    void rampShrunkByAnIntegerFactorIsSampledAtOutputCentres() throws IOException {
        Path f = png("ramp.png", grey(40, 10, (x, y) -> 5 * x));
        float[] out = new Preprocessing(8, IDENTITY_GREY).apply(f);
        for (int y = 0; y < 8; y++) {
            for (int o = 2; o < 6; o++) {
                // output o covers input x in [5o, 5o + 5): centre 5o + 2 (pixel centres at x + 0.5)
                assertEquals(5 * (5 * o + 2) / 255.0, out[y * 8 + o], EPS);
            }
        }
    }

    /**
     * Halving with PIL's bilinear filter: each output is (1, 3, 3, 1) / 8 of four inputs centred on it (inside),
     * (3, 3, 1) / 7 at the first border. An image constant over 2 x 2 blocks is therefore not simply pooled: the
     * closed form mixes in each neighbouring block by 1/8.
     */
    @Test
    void exactTwofoldReductionHasTheStretchedTriangleWeights() throws IOException {
        int[] blocks = { 10, 200, 40, 90 };
        Path f = png("blocks.png", grey(8, 2, (x, y) -> blocks[x / 2]));
        float[] out = new Preprocessing(4, IDENTITY_GREY).apply(decodeStretched(f, 8, 8));
        double b0 = blocks[0] / 255.0;
        double b1 = blocks[1] / 255.0;
        double b2 = blocks[2] / 255.0;
        // output 0: inputs 0, 1, 2 with (3, 3, 1) / 7; output 1: inputs 1..4 with (1, 3, 3, 1) / 8
        assertEquals((6 * b0 + b1) / 7, out[0], EPS);
        assertEquals((b0 + 6 * b1 + b2) / 8, out[1], EPS);
    }

    /** Stretches a 2-row image to h rows by repeating rows, so that vertical resampling is trivial. */
    private static DecodedImage decodeStretched(Path f, int w, int h) throws ImageReadException {
        DecodedImage d = Preprocessing.decode(f);
        float[] planes = new float[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(d.planes(), 0, planes, y * w, w);
        }
        return new DecodedImage(w, h, 1, planes);
    }

    @Test
    void enlargingIsPlainBilinearInterpolation() throws IOException {
        Path f = png("small.png", grey(4, 4, (x, y) -> 60 * x));
        float[] out = new Preprocessing(8, IDENTITY_GREY).apply(f);
        for (int o = 0; o < 8; o++) {
            double src = Math.clamp((o + 0.5) / 2 - 0.5, 0, 3);
            assertEquals(60 * src / 255.0, out[3 * 8 + o], EPS);
        }
    }

    @Test
    void colourToGreyUsesTheItu601Luma() throws IOException {
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xff0000);
        rgb.setRGB(1, 0, 0x10_80_f0);
        DecodedImage d = Preprocessing.decode(png("rgb.png", rgb)).withChannels(1);
        assertEquals(0.299, d.planes()[0], EPS);
        assertEquals((0x10 * 0.299 + 0x80 * 0.587 + 0xf0 * 0.114) / 255, d.planes()[1], EPS);
    }

    @Test
    void alphaIsDroppedAndGreyIsRepeatedForColourNetworks() throws IOException {
        BufferedImage rgba = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0x20_40_80_c0);
        DecodedImage d = Preprocessing.decode(png("rgba.png", rgba));
        assertEquals(3, d.channels());
        assertArrayEquals(new float[] { 0x40 / 255f, 0x80 / 255f, 0xc0 / 255f }, d.planes(), (float) EPS);
        DecodedImage g = Preprocessing.decode(png("g.png", grey(1, 1, (x, y) -> 7))).withChannels(3);
        assertArrayEquals(new float[] { 7 / 255f, 7 / 255f, 7 / 255f }, g.planes(), (float) EPS);
    }

    @Test
    void sixteenBitSamplesKeepTheirPrecision() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(0, 0, 0, 1000);
        img.getRaster().setSample(1, 0, 0, 65535);
        DecodedImage d = Preprocessing.decode(png("deep.png", img));
        assertEquals(1, d.channels());
        assertEquals(1000 / 65535.0, d.planes()[0], 1e-7);
        assertEquals(1.0, d.planes()[1], 1e-7);
    }

    @Test
    void paletteImagesGoThroughTheirPalette() throws IOException {
        byte[] r = { 0, (byte) 255 };
        byte[] g = { 0, (byte) 128 };
        byte[] b = { 0, 0 };
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g,
                b));
        img.getRaster().setSample(1, 0, 0, 1);
        DecodedImage d = Preprocessing.decode(png("palette.png", img));
        assertArrayEquals(new float[] { 0, 1, 0, 128 / 255f, 0, 0 }, d.planes(), (float) EPS);
    }

    @Test
    void realPhotographDecodesToItsSize() throws IOException {
        Path photo = SharedData.photograph("img_001.jpg");
        DecodedImage d = Preprocessing.decode(photo);
        assertEquals(3, d.channels());
        assertTrue(d.width() * d.height() == 480 * 320, d.width() + " x " + d.height());
        for (float v : d.planes()) {
            assertTrue(v >= 0 && v <= 1);
        }
    }

    @Test
    void unreadableImageIsNamed() throws IOException {
        Path f = dir.resolve("broken.jpg");
        Files.writeString(f, "not a picture");
        var e = assertThrows(ImageReadException.class, () -> Preprocessing.decode(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        var missing = assertThrows(ImageReadException.class, () -> Preprocessing.decode(dir.resolve("none.png")));
        assertTrue(missing.getMessage().contains("none.png"), missing.getMessage());
    }
}
