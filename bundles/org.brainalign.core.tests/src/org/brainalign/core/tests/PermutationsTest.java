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
    void drawsTheSwapsOfFisherYatesFromTheLastElementDown() {
        // by hand: for i = 3, 2, 1 swap a[i] with a[nextInt(i + 1)] of an identical stream
        SplittableRandom draws = new SplittableRandom(42);
        int[] expected = { 0, 1, 2, 3 };
        for (int i = 3; i > 0; i--) {
            int j = draws.nextInt(i + 1);
            int t = expected[i];
            expected[i] = expected[j];
            expected[j] = t;
        }
        int[] a = { 0, 1, 2, 3 };
        Permutations.shuffle(a, new SplittableRandom(42));
        assertArrayEquals(expected, a);
    }
}
