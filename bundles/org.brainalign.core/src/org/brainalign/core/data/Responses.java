package org.brainalign.core.data;

import java.util.List;

/**
 * Responses are the fMRI data a model is fitted to: one row per image, one column per voxel of a {@link VoxelSet}
 * (images x voxels, float32), and the id of each row's image. For NSD they are betas z-scored per voxel within each
 * session and averaged over the repeats of each image. The matrix is shared, not copied, because it can hold
 * gigabytes: callers must not change the arrays they get.
 */
public final class Responses {

    private final List<String> imageIds;
    private final float[][] values;

    /**
     * @param imageIds the id of each row's image, unique
     * @param values images x voxels; every row the same length
     * @throws IllegalArgumentException if the counts disagree or an id repeats
     */
    public Responses(List<String> imageIds, float[][] values) {
        if (imageIds.size() != values.length) {
            throw new IllegalArgumentException(imageIds.size() + " image ids for " + values.length + " response rows");
        }
        if (new java.util.HashSet<>(imageIds).size() != imageIds.size()) {
            throw new IllegalArgumentException("image ids must be unique");
        }
        int width = values.length == 0 ? 0 : values[0].length;
        for (int r = 0; r < values.length; r++) {
            if (values[r].length != width) {
                throw new IllegalArgumentException(
                        "response row " + r + " has " + values[r].length + " voxels, row 0 has " + width);
            }
        }
        this.imageIds = List.copyOf(imageIds);
        this.values = values;
    }

    /** @return the number of images (rows) */
    public int imageCount() {
        return values.length;
    }

    /** @return the number of voxels (columns) */
    public int voxelCount() {
        return values.length == 0 ? 0 : values[0].length;
    }

    /** @return the image ids, in row order */
    public List<String> imageIds() {
        return imageIds;
    }

    /**
     * @param image a row
     * @param voxel a column
     * @return the response of that voxel to that image
     */
    public float get(int image, int voxel) {
        return values[image][voxel];
    }

    /**
     * @param image a row
     * @return the row itself (shared: do not modify)
     */
    public float[] row(int image) {
        return values[image];
    }

    /**
     * @param voxel a column
     * @return a new array with that voxel's response to every image
     */
    public float[] column(int voxel) {
        float[] c = new float[values.length];
        for (int r = 0; r < c.length; r++) {
            c[r] = values[r][voxel];
        }
        return c;
    }

    /** @return the matrix itself, images x voxels (shared: do not modify) */
    public float[][] values() {
        return values;
    }

    /**
     * @param positions voxel positions to keep, in the order wanted
     * @return new responses with those columns only
     */
    public Responses selectVoxels(int[] positions) {
        float[][] v = new float[values.length][positions.length];
        for (int r = 0; r < values.length; r++) {
            for (int c = 0; c < positions.length; c++) {
                v[r][c] = values[r][positions[c]];
            }
        }
        return new Responses(imageIds, v);
    }

    /**
     * @param rows image rows to keep, in the order wanted (the rows are shared, not copied)
     * @return new responses with those images only
     */
    public Responses selectImages(int[] rows) {
        float[][] v = new float[rows.length][];
        String[] ids = new String[rows.length];
        for (int r = 0; r < rows.length; r++) {
            v[r] = values[rows[r]];
            ids[r] = imageIds.get(rows[r]);
        }
        return new Responses(List.of(ids), v);
    }

    @Override
    public String toString() {
        return "Responses[" + imageCount() + " images x " + voxelCount() + " voxels]";
    }
}
