package org.brainalign.core;

import java.util.SplittableRandom;

/**
 * Random orders drawn from a seeded stream with the Fisher-Yates shuffle (from the last element down, each swapped
 * with one drawn from those before it, itself included), so that a seed gives the same order on every machine: the
 * splits of images and the epoch orders of every training loop come from here.
 */
public final class Permutations {

    private Permutations() {
    }

    /**
     * Shuffles an array in place.
     *
     * @param a the array
     * @param random the stream the swaps are drawn from
     */
    public static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * @param n how many elements
     * @param random the stream the swaps are drawn from
     * @return 0 .. n - 1 in a random order
     */
    public static int[] of(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, random);
        return p;
    }
}
