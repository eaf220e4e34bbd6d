package org.brainalign.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.brainalign.core.Permutations;
import org.junit.jupiter.api.Test;

/** The seeded shuffle behind every split and epoch order. */
class PermutationsTest {

    @Test
    void everyIndexOnceAndTheSameOrderForTheSameSeed() {
        int[] p = Permutations.of(1000, new SplittableRandom(7));
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertArrayEquals(p, Permutations.of(1000, new SplittableRandom(7)));
    }

    @Test
    void aSeedGivesTheOrdersPinnedHere() {
        // computed outside Java from the published algorithms (SplitMix64 behind SplittableRandom, its bounded
        // nextInt, and Fisher-Yates from the last element down); a change of either changes every split and epoch
        int[] a = { 0, 1, 2, 3 };
        Permutations.shuffle(a, new SplittableRandom(42));
        assertArrayEquals(new int[] { 1, 3, 0, 2 }, a);
        assertArrayEquals(new int[] { 1, 5, 0, 4, 2, 8, 7, 3, 9, 6 }, Permutations.of(10, new SplittableRandom(7)));
        assertArrayEquals(new int[] { 9, 1, 8, 11, 15, 13, 10, 3, 4, 6, 0, 5, 14, 2, 7, 12 },
                Permutations.of(16, new SplittableRandom(2024)));
    }
}
