package org.brainalign.engine.factortopy;

/**
 * The shape of a FactorTopy encoder: how many layers L and channels C the backbone's features have, the side G of
 * their local token grid (8 after resizing), how many voxels N it predicts, the bottleneck width D and the hidden
 * width H of the selector networks. MODEL.md fixes D = H = 128; smaller values exist for tests worked out by hand.
 *
 * @param layers L, at least 1
 * @param channels C, at least 1
 * @param grid G, the local tokens are G x G, at least 1
 * @param voxels N, at least 1
 * @param bottleneck D, at least 1
 * @param hidden H, at least 1
 */
public record EncoderShape(int layers, int channels, int grid, int voxels, int bottleneck, int hidden) {

    /** D and H of the paper's model. */
    public static final int DEFAULT_WIDTH = 128;

    /** Frequencies of the positional encoding per axis. */
    public static final int FREQUENCIES = 32;

    /** Length of the positional encoding: 3 axes x 32 frequencies x (sin, cos). */
    public static final int ENCODING = 3 * FREQUENCIES * 2;

    /** The largest voxel count supported. */
    public static final int MAX_VOXELS = 200_000;

    /**
     * @throws IllegalArgumentException if a size is out of range
     */
    public EncoderShape {
        positive("layers", layers);
        positive("channels", channels);
        positive("grid", grid);
        positive("voxels", voxels);
        positive("bottleneck", bottleneck);
        positive("hidden", hidden);
        if (voxels > MAX_VOXELS) {
            throw new IllegalArgumentException(voxels + " voxels is more than the " + MAX_VOXELS + " supported");
        }
    }

    /**
     * @param layers L
     * @param channels C
     * @param grid G
     * @param voxels N
     * @return the paper's shape (D = H = 128) for these features and voxels
     */
    public static EncoderShape of(int layers, int channels, int grid, int voxels) {
        return new EncoderShape(layers, channels, grid, voxels, DEFAULT_WIDTH, DEFAULT_WIDTH);
    }

    /** @return the number of local token cells, G x G */
    public int cells() {
        return grid * grid;
    }

    /**
     * @param voxelCount another N
     * @return this shape for another number of voxels
     */
    public EncoderShape withVoxels(int voxelCount) {
        return new EncoderShape(layers, channels, grid, voxelCount, bottleneck, hidden);
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("the encoder's " + what + " must be at least 1, got " + value);
        }
    }
}
