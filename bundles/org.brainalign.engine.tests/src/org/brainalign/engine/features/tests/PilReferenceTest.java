package org.brainalign.engine.features.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.brainalign.engine.backbone.Normalization;
import org.brainalign.engine.features.DecodedImage;
import org.brainalign.engine.features.Preprocessing;
import org.brainalign.engine.tests.ReferenceFixtures;
import org.brainalign.io.npy.NpyArray;
import org.brainalign.io.npy.NpyType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoding and resizing against Pillow (releng/reference/generate.py wrote the images with Pillow and kept Pillow's
 * readings): PNGs of seven modes (RGBA, RGB, 8-bit grey, 16-bit grey, grey with alpha, palette, 1-bit) and JPEGs (4:2:0
 * and 4:4:4
 * colour, grey) decode to Pillow's samples, and the resize to the input size is Pillow's bilinear resize of the
 * float image (mode "F", which widens its triangle filter when shrinking), shrinking, enlarging and both at once.
 */
class PilReferenceTest {

    /**
     * Resized values in [0, 1]: Pillow sums with double weights and keeps its intermediate (after the horizontal
     * pass) in float32; the engine uses float32 weights and double sums. Both round at the level of 1e-7.
     */
    private static final double RESIZE_TOLERANCE = 1e-6;

    private static final String[] PNGS = { "rgba.png", "rgb.png", "grey.png", "grey16.png", "grey-alpha.png",
            "palette.png", "bilevel.png" };
    private static final String[] JPEGS = { "photo420.jpg", "photo444.jpg", "grey.jpg" };

    private static final List<String> ALL = Stream.concat(Arrays.stream(PNGS), Arrays.stream(JPEGS)).toList();

    private static Path folder;
    private static Map<String, NpyArray> pil;

    @BeforeAll
    static void copy(@TempDir Path dir) throws IOException {
        List<String> files = new ArrayList<>(ALL);
        files.add("reference.npz");
        folder = ReferenceFixtures.copy("images", dir, files.toArray(String[]::new));
        pil = ReferenceFixtures.arrays(folder);
    }

    private static String key(String file) {
        return file.replace('.', '_').replace('-', '_');
    }

    /**
     * @return Pillow's decoded samples as an image in [0, 1]: 8-bit samples / 255; 16-bit ones (Pillow's mode "I",
     *         which its convert() would clip to 0..255) / 65535
     */
    private static DecodedImage pillowImage(String file) {
        NpyArray a = pil.get(key(file) + "_decoded");
        int[] s = a.shape();
        int channels = s.length == 3 ? s[2] : 1;
        double max = a.type() == NpyType.UINT16 ? 65535 : 255;
        int n = s[0] * s[1];
        float[] planes = new float[channels * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                planes[c * n + i] = (float) (a.get((long) i * channels + c) / max);
            }
        }
        return new DecodedImage(s[1], s[0], channels, planes);
    }

    private static Normalization identity(int channels) {
        float[] ones = new float[channels];
        Arrays.fill(ones, 1);
        return new Normalization(new float[channels], ones, "none");
    }

    private static void assertSameShape(DecodedImage expected, DecodedImage actual, String file) {
        assertEquals(expected.width(), actual.width(), file);
        assertEquals(expected.height(), actual.height(), file);
        assertEquals(expected.channels(), actual.channels(), file);
    }

    private static void assertDecodesToPillowsSamples(String file) throws IOException {
        DecodedImage expected = pillowImage(file);
        DecodedImage actual = Preprocessing.decode(folder.resolve(file));
        assertSameShape(expected, actual, file);
        // the same samples through the same division differ by at most a float rounding (6e-8 below 1)
        double d = ReferenceFixtures.maxDifference(expected.planes(), 0, actual.planes(), 0, expected.planes().length);
        assertTrue(d <= 1e-7, file + " decodes " + d + " (" + 255 * d + " of 255 levels) away from Pillow");
    }

    @Test
    void pngsDecodeToPillowsSamples() throws IOException {
        for (String file : PNGS) {
            assertDecodesToPillowsSamples(file);
        }
    }

    /**
     * Java's JPEG decoder (derived from IJG libjpeg 6b) and Pillow's libjpeg-turbo both use the exact integer
     * inverse DCT, "fancy" chroma upsampling and the same YCbCr tables: measured, they give identical samples, on
     * these three JPEGs and on all 200 photographs of the shared test data (104 million samples; JDK 25, Pillow 9.4
     * with libjpeg-turbo 2.1.5). So identity is asserted; a difference would mean another decoding, not rounding.
     */
    @Test
    void jpegsDecodeToPillowsSamples() throws IOException {
        for (String file : JPEGS) {
            assertDecodesToPillowsSamples(file);
        }
    }

    /** The resize alone, on Pillow's own samples, for every size the fixture holds. */
    @Test
    void resizeIsPillowsBilinearResizeOfTheFloatImage() {
        int checked = 0;
        for (Map.Entry<String, NpyArray> e : pil.entrySet()) {
            int at = e.getKey().indexOf("_resized_");
            if (at < 0) {
                continue;
            }
            String file = e.getKey().substring(0, at);
            int size = Integer.parseInt(e.getKey().substring(at + "_resized_".length()));
            DecodedImage image = pillowImage(ALL.stream().filter(f -> key(f).equals(file)).findFirst().orElseThrow());
            float[] expected = e.getValue().toFloatArray();
            float[] actual = new Preprocessing(size, identity(image.channels())).apply(image);
            assertEquals(expected.length, actual.length, e.getKey());
            double d = ReferenceFixtures.maxDifference(expected, 0, actual, 0, expected.length);
            assertTrue(d < RESIZE_TOLERANCE, e.getKey() + " differs from Pillow by " + d);
            checked++;
        }
        assertEquals(ALL.size() + 1, checked, "resized arrays in the fixture");
    }

    /** File to input in one go: decoding is exact, so only the resize's rounding remains. */
    @Test
    void filesBecomePillowsResizedAndNormalisedValues() throws IOException {
        for (String file : ALL) {
            float[] expected = pil.get(key(file) + "_resized_24").toFloatArray();
            int channels = expected.length / (24 * 24);
            float[] actual = new Preprocessing(24, identity(channels)).apply(folder.resolve(file));
            double d = ReferenceFixtures.maxDifference(expected, 0, actual, 0, expected.length);
            assertTrue(d < RESIZE_TOLERANCE, file + " differs from Pillow by " + d);
        }
        float[] resized = pil.get("rgba_png_resized_24").toFloatArray();
        float[] normalised = new Preprocessing(24, Normalization.imageNet(3)).apply(folder.resolve("rgba.png"));
        for (int c = 0; c < 3; c++) {
            for (int i = c * 576; i < (c + 1) * 576; i++) {
                double expected = (resized[i] - Normalization.IMAGENET_MEAN[c]) / Normalization.IMAGENET_STD[c];
                // the resize's 1e-6, divided by a std of about 0.22
                assertEquals(expected, normalised[i], 5e-6);
            }
        }
    }

    /**
     * Colour to grey is Pillow's convert("L") formula without its rounding to 8 bits: within half a level of Pillow's
     * rounded value (plus the 1e-2 level by which Pillow's 16-bit fixed-point coefficients differ from 0.299, 0.587,
     * 0.114).
     */
    @Test
    void colourToGreyIsPillowsLumaBeforeRounding() throws IOException {
        DecodedImage grey = Preprocessing.decode(folder.resolve("rgba.png")).withChannels(1);
        NpyArray luma = pil.get("rgba_png_luma");
        assertEquals(grey.planes().length, (int) luma.size());
        for (int i = 0; i < grey.planes().length; i++) {
            assertEquals(luma.get(i), 255 * grey.planes()[i], 0.51, "pixel " + i);
        }
    }
}
