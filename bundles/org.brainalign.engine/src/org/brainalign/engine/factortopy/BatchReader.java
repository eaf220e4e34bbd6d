package org.brainalign.engine.factortopy;

import java.io.IOException;

/** Reads the features of consecutive batches of images into arrays it reuses. */
final class BatchReader {

    private final FeatureSource features;
    private final float[] local;
    private final float[] global;
    private final int[][] ids;

    /**
     * @param features the source
     * @param maxBatch the largest batch
     */
    BatchReader(FeatureSource features, int maxBatch) {
        this.features = features;
        long lc = (long) features.layers() * features.channels();
        long cells = (long) features.grid() * features.grid();
        this.local = new float[Math.toIntExact(maxBatch * lc * cells)];
        this.global = new float[Math.toIntExact(maxBatch * lc)];
        this.ids = new int[maxBatch + 1][];
        for (int b = 1; b <= maxBatch; b++) {
            ids[b] = new int[b];
        }
    }

    /**
     * @param images image numbers
     * @param from the first to read
     * @param count how many
     * @throws IOException if the source cannot read them
     */
    void read(int[] images, int from, int count) throws IOException {
        int[] which = ids[count];
        System.arraycopy(images, from, which, 0, count);
        features.read(which, local, global);
    }

    /** @return the local features of the last batch read */
    float[] local() {
        return local;
    }

    /** @return the global features of the last batch read */
    float[] global() {
        return global;
    }
}
