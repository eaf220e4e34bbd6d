package org.brainalign.engine.finetune.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.brainalign.engine.backbone.Normalization;
import org.brainalign.engine.features.DecodedImage;
import org.brainalign.engine.features.Preprocessing;
import org.brainalign.engine.finetune.Augmentation;
import org.junit.jupiter.api.Test;

/** The random resized crop's rectangles, its fallback, the flip, and that the rest is extraction's preprocessing. */
class AugmentationTest {

    private static final Preprocessing PREP = new Preprocessing(16, new Normalization(new float[] { 0.5f },
            new float[] { 0.25f }, "test"));

    @Test
    void cropsLieInsideWithTheirAreaAndRatioInBounds() {
        Augmentation a = new Augmentation(PREP, 0.3, true);
        SplittableRandom r = new SplittableRandom(1);
        for (int k = 0; k < 2000; k++) {
            Augmentation.Crop c = a.crop(200, 300, r);
            assertTrue(c.top() >= 0 && c.left() >= 0 && c.top() + c.height() <= 200 && c.left() + c.width() <= 300,
                    c.toString());
            // sides are rounded to whole pixels: allow the area and ratio that rounding by half a pixel gives
            double share = (double) c.height() * c.width() / (200 * 300);
            double ratio = (double) c.width() / c.height();
            assertTrue(share > 0.3 * 0.98 && share <= 1, "share " + share);
            assertTrue(ratio > 0.75 * 0.98 && ratio < 4.0 / 3 * 1.02, "ratio " + ratio);
        }
    }

    @Test
    void whenNoDrawFitsTheCentredLargestRectangleIsTaken() {
        // a 10 x 100 strip cannot hold a whole-area crop of ratio within [3/4, 4/3]: height 10, width round(40/3)
        Augmentation.Crop c = new Augmentation(PREP, 1, true).crop(10, 100, new SplittableRandom(2));
        assertEquals(new Augmentation.Crop(0, 43, 10, 13), c);
    }

    @Test
    void aWholeSquareImageIsPreprocessedAsExtractionDoesOrMirrored() {
        int side = 28;
        float[] planes = new float[side * side];
        for (int i = 0; i < planes.length; i++) {
            planes[i] = (i * 37 % 101) / 100f;
        }
        DecodedImage image = new DecodedImage(side, side, 1, planes);
        float[] mirroredPlanes = new float[planes.length];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                mirroredPlanes[y * side + x] = planes[y * side + side - 1 - x];
            }
        }
        float[] plain = PREP.apply(image);
        float[] mirrored = PREP.apply(new DecodedImage(side, side, 1, mirroredPlanes));
        // at scale 1 on a square every crop that fits is the whole image
        Augmentation a = new Augmentation(PREP, 1, true);
        int flipped = 0;
        for (long seed = 0; seed < 40; seed++) {
            float[] out = a.apply(image, new SplittableRandom(seed));
            boolean isPlain = Arrays.equals(out, plain);
            assertTrue(isPlain || Arrays.equals(out, mirrored), "seed " + seed);
            flipped += isPlain ? 0 : 1;
            assertArrayEquals(out, a.apply(image, new SplittableRandom(seed)), "the stream decides everything");
        }
        // half of 40 fair coins: 20 +- 3.2; outside 8..32 is a one-in-ten-thousand event
        assertTrue(flipped >= 8 && flipped <= 32, flipped + " of 40 mirrored");
        float[] never = new Augmentation(PREP, 1, false).apply(image, new SplittableRandom(3));
        assertArrayEquals(plain, never);
    }
}
