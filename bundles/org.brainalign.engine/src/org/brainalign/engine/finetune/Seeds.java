package org.brainalign.engine.finetune;

/**
 * Seeds of the independent random streams of a fine-tuning, each derived from the user's seed and a position (a
 * class, an epoch, an image), so a stream never depends on how much of the run came before it: a resumed run draws
 * exactly what an uninterrupted one would.
 */
final class Seeds {

    /** Stream of the validation split, per class. */
    static final long SPLIT = 1;

    /** Stream of an epoch's image order. */
    static final long ORDER = 2;

    /** Stream of one image's augmentation in one epoch. */
    static final long AUGMENT = 3;

    private Seeds() {
    }

    /**
     * @param seed the user's seed
     * @param stream which stream ({@link #SPLIT}, {@link #ORDER}, {@link #AUGMENT})
     * @param positions where in the stream (class; epoch; epoch and image)
     * @return a well-mixed 64-bit seed
     */
    static long mix(long seed, long stream, long... positions) {
        long h = mix64(seed ^ 0x5851F42D4C957F2DL * stream);
        for (long p : positions) {
            h = mix64(h + 0x9E3779B97F4A7C15L + p);
        }
        return h;
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser: every input bit affects every output bit. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
