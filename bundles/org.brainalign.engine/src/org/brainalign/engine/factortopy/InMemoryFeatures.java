package org.brainalign.engine.factortopy;

/**
 * Features held in memory, for tests, benchmarks and small data sets: arrays laid out as {@link FeatureSource#read}
 * fills them, for all images at once.
 */
public final class InMemoryFeatures implements FeatureSource {

    private final int images;
    private final int layers;
    private final int channels;
    private final int grid;
    private final float[] local;
    private final float[] global;
    private final String description;

    /**
     * @param layers L
     * @param channels C
     * @param grid G
     * @param local images x L x C x G x G values (shared, not copied)
     * @param global images x L x C values (shared, not copied)
     * @param description what the features are, for messages
     * @throws IllegalArgumentException if the array lengths disagree with the sizes
     */
    public InMemoryFeatures(int layers, int channels, int grid, float[] local, float[] global, String description) {
        if (layers < 1 || channels < 1 || grid < 1) {
            throw new IllegalArgumentException("features need at least one layer, channel and grid cell");
        }
        long perImage = (long) layers * channels;
        if (global.length % perImage != 0) {
            throw new IllegalArgumentException(global.length + " global values are not a whole number of images of "
                    + layers + " x " + channels);
        }
        this.images = (int) (global.length / perImage);
        if ((long) local.length != images * perImage * grid * grid) {
            throw new IllegalArgumentException(local.length + " local values do not fit " + images + " images of "
                    + layers + " x " + channels + " x " + grid + " x " + grid);
        }
        this.layers = layers;
        this.channels = channels;
        this.grid = grid;
        this.local = local;
        this.global = global;
        this.description = description;
    }

    @Override
    public int imageCount() {
        return images;
    }

    @Override
    public int layers() {
        return layers;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int grid() {
        return grid;
    }

    @Override
    public void read(int[] which, float[] localOut, float[] globalOut) {
        int lc = layers * channels;
        int lcg = lc * grid * grid;
        for (int i = 0; i < which.length; i++) {
            int img = which[i];
            if (img < 0 || img >= images) {
                throw new IndexOutOfBoundsException("image " + img + " of " + images);
            }
            System.arraycopy(local, img * lcg, localOut, i * lcg, lcg);
            System.arraycopy(global, img * lc, globalOut, i * lc, lc);
        }
    }

    @Override
    public String description() {
        return description;
    }
}
