package org.brainalign.workflow.slices;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;

/**
 * A slice is one plane of a volume laid out as the screen shows it: pixel (column, row), row 0 at the top, holds the
 * voxel whose file index is {@code voxels[row * width + column]}. It is built from the volume's
 * {@link Reorientation}, so it is in world orientation whatever order the file stores its axes in, and it copies no
 * values: the same slice reads any volume on the same grid.
 *
 * @param plane the plane
 * @param position the slice number along the plane's normal (canonical index)
 * @param width pixels across
 * @param height pixels down
 * @param voxels file linear index per pixel
 * @param pixelWidth the width of one pixel in mm
 * @param pixelHeight the height of one pixel in mm
 * @param radiological whether the radiological convention laid it out
 */
public record Slice(SlicePlane plane, int position, int width, int height, int[] voxels, double pixelWidth,
        double pixelHeight, boolean radiological) {

    /**
     * Lays out one slice.
     *
     * @param r the volume's reorientation
     * @param plane the plane
     * @param position the slice number along the plane's normal, 0 .. size - 1
     * @param radiological whether to use the radiological convention
     * @return the slice
     */
    public static Slice of(Reorientation r, SlicePlane plane, int position, boolean radiological) {
        int n = plane.normal();
        int h = plane.horizontal();
        int v = plane.vertical();
        if (position < 0 || position >= r.size(n)) {
            throw new IndexOutOfBoundsException(plane.label() + " slice " + position + " of " + r.size(n));
        }
        int width = r.size(h);
        int height = r.size(v);
        boolean reversed = plane.horizontalReversed(radiological);
        int[] voxels = new int[width * height];
        int base = r.origin() + position * r.stride(n);
        int sh = r.stride(h);
        int sv = r.stride(v);
        for (int row = 0; row < height; row++) {
            int rowBase = base + (height - 1 - row) * sv;
            int p = row * width;
            for (int col = 0; col < width; col++) {
                voxels[p + col] = rowBase + (reversed ? width - 1 - col : col) * sh;
            }
        }
        double[] zooms = r.canonicalVoxelSizes();
        return new Slice(plane, position, width, height, voxels, zooms[h], zooms[v], radiological);
    }

    /**
     * @param column a pixel column
     * @param row a pixel row
     * @return the canonical voxel shown there
     */
    public int[] canonical(int column, int row) {
        int[] c = new int[3];
        c[plane.normal()] = position;
        c[plane.horizontal()] = plane.horizontalReversed(radiological) ? width - 1 - column : column;
        c[plane.vertical()] = height - 1 - row;
        return c;
    }

    /**
     * @param canonical a canonical voxel
     * @return the pixel (column, row) that shows its projection onto this plane
     */
    public int[] pixel(int[] canonical) {
        int h = canonical[plane.horizontal()];
        return new int[] { plane.horizontalReversed(radiological) ? width - 1 - h : h,
                height - 1 - canonical[plane.vertical()] };
    }

    /**
     * @param volume a volume
     * @return its value at every pixel
     */
    public float[] values(ViewedVolume volume) {
        float[] out = new float[voxels.length];
        for (int p = 0; p < out.length; p++) {
            out[p] = volume.value(voxels[p]);
        }
        return out;
    }

    /**
     * Where another volume's voxels fall on this slice: for each pixel, the file index of the other volume's voxel
     * nearest to the pixel's centre in world space, or -1 outside it. A volume on the same grid gets this slice's
     * own indices; one on another grid is sampled by nearest neighbour, for display only.
     *
     * @param own the grid this slice was laid out on
     * @param canonicalAffine the canonical affine of that grid ({@link Reorientation#canonicalAffine()})
     * @param other the other volume's grid
     * @return one file index of the other volume per pixel, or -1
     */
    public int[] voxelsIn(VolumeGrid own, Affine canonicalAffine, VolumeGrid other) {
        // NIfTI affines are float32: grids saved by different tools agree only to rounding
        if (own.sameSpace(other, 1e-4)) {
            return voxels;
        }
        Affine m = other.affine().inverse().multiply(canonicalAffine);
        int[] shape = other.shape();
        int[] out = new int[voxels.length];
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                int[] c = canonical(col, row);
                double x = c[0];
                double y = c[1];
                double z = c[2];
                long i = Math.round(m.get(0, 0) * x + m.get(0, 1) * y + m.get(0, 2) * z + m.get(0, 3));
                long j = Math.round(m.get(1, 0) * x + m.get(1, 1) * y + m.get(1, 2) * z + m.get(1, 3));
                long k = Math.round(m.get(2, 0) * x + m.get(2, 1) * y + m.get(2, 2) * z + m.get(2, 3));
                boolean inside = i >= 0 && j >= 0 && k >= 0 && i < shape[0] && j < shape[1] && k < shape[2];
                out[row * width + col] = inside ? (int) (i + shape[0] * (j + (long) shape[1] * k)) : -1;
            }
        }
        return out;
    }

    /**
     * Another volume's values on this slice, read by world position: for each pixel, the other volume resampled at
     * the pixel's centre (NaN outside it). A volume on the same grid is read voxel for voxel, without resampling.
     *
     * @param own the grid this slice was laid out on
     * @param canonicalAffine the canonical affine of that grid ({@link Reorientation#canonicalAffine()})
     * @param other the other volume
     * @param resampling how to read between the other volume's voxel centres
     * @return one value per pixel, row by row
     */
    public float[] sample(VolumeGrid own, Affine canonicalAffine, ViewedVolume other, Resampling resampling) {
        if (own.sameSpace(other.grid(), 1e-4)) {
            return values(other);
        }
        // canonical voxel of this grid -> world -> voxel coordinates of the other grid
        Affine m = other.grid().affine().inverse().multiply(canonicalAffine);
        float[] out = new float[voxels.length];
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                int[] c = canonical(col, row);
                double x = c[0];
                double y = c[1];
                double z = c[2];
                out[row * width + col] = resampling.sample(other,
                        m.get(0, 0) * x + m.get(0, 1) * y + m.get(0, 2) * z + m.get(0, 3),
                        m.get(1, 0) * x + m.get(1, 1) * y + m.get(1, 2) * z + m.get(1, 3),
                        m.get(2, 0) * x + m.get(2, 1) * y + m.get(2, 2) * z + m.get(2, 3));
            }
        }
        return out;
    }
}
