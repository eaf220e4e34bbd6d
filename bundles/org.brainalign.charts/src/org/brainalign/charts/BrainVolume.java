package org.brainalign.charts;

import java.util.Arrays;

import org.brainalign.core.VolumeGrid;

/**
 * A brain volume as the brain figure draws it: one float per voxel on a 3-D grid, with the voxel sizes and the
 * orientation letters that say which way each voxel axis points. NaN marks a voxel without a value.
 * <p>
 * The orientation is the three-letter code nibabel calls axis codes: the letter for voxel axis i names the world
 * direction the axis increases towards (R or L, A or P, S or I), then j, then k. "RAS" is i towards the right,
 * j towards anterior, k towards superior. Take it from the data (the affine), never assume it. Oblique grids are shown
 * along their closest axes, as viewers do.
 *
 * @param dims voxels along i, j, k, each at least 1
 * @param voxelSize voxel size along i, j, k in mm, each positive
 * @param orientation three letters, one of R/L, one of A/P, one of S/I, in voxel axis order
 * @param values one value per voxel, i fastest then j then k (NIfTI order); not copied, so do not change it while a
 *        figure uses it
 */
public record BrainVolume(int[] dims, double[] voxelSize, String orientation, float[] values) {

    /**
     * @throws IllegalArgumentException if a size is not positive, the orientation is not a valid code, or the number
     *         of values is not the product of the dims
     */
    public BrainVolume {
        if (dims == null || dims.length != 3 || dims[0] < 1 || dims[1] < 1 || dims[2] < 1) {
            throw new IllegalArgumentException("a brain volume needs three positive sizes, got "
                    + Arrays.toString(dims));
        }
        if (voxelSize == null || voxelSize.length != 3) {
            throw new IllegalArgumentException("a brain volume needs three voxel sizes, got "
                    + Arrays.toString(voxelSize));
        }
        for (double s : voxelSize) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("voxel sizes must be positive, got " + Arrays.toString(voxelSize));
            }
        }
        checkOrientation(orientation);
        long n = (long) dims[0] * dims[1] * dims[2];
        if (values == null || values.length != n) {
            throw new IllegalArgumentException("a " + dims[0] + " x " + dims[1] + " x " + dims[2] + " volume needs "
                    + n + " values, got " + (values == null ? 0 : values.length));
        }
        dims = dims.clone();
        voxelSize = voxelSize.clone();
    }

    /**
     * A volume on a grid of the core model, its orientation and voxel sizes taken from the grid's affine.
     *
     * @param grid the grid
     * @param values one value per voxel, in the grid's voxel order
     * @return the volume
     */
    public static BrainVolume of(VolumeGrid grid, float[] values) {
        return new BrainVolume(grid.shape(), grid.affine().voxelSizes(), grid.orientation(), values);
    }

    /**
     * Reads a preferred-layer map as a run folder stores it (layers 1 to L, 0 outside the fitted voxels) as the
     * brain figure takes it: 0-based layers, NaN outside.
     *
     * @return a new volume on the same grid
     */
    public BrainVolume layersFromStoredMap() {
        float[] layers = new float[values.length];
        for (int n = 0; n < values.length; n++) {
            float v = values[n];
            layers[n] = v >= 1 ? v - 1 : Float.NaN;
        }
        return new BrainVolume(dims, voxelSize, orientation, layers);
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    @Override
    public double[] voxelSize() {
        return voxelSize.clone();
    }

    /**
     * @param i voxel index along i
     * @param j voxel index along j
     * @param k voxel index along k
     * @return the value there
     */
    public float value(int i, int j, int k) {
        return values[i + dims[0] * (j + dims[1] * k)];
    }

    /**
     * Whether another volume lies on the same grid: same dims and orientation, voxel sizes equal within 0.1 %
     * (headers store them in float32 and tools round them differently).
     *
     * @param other the other volume
     * @return true if they line up voxel for voxel
     */
    public boolean sameGrid(BrainVolume other) {
        if (!Arrays.equals(dims, other.dims) || !orientation.equals(other.orientation)) {
            return false;
        }
        for (int a = 0; a < 3; a++) {
            if (Math.abs(voxelSize[a] - other.voxelSize[a]) > 1e-3 * voxelSize[a]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BrainVolume v && Arrays.equals(dims, v.dims) && Arrays.equals(voxelSize, v.voxelSize)
                && orientation.equals(v.orientation) && Arrays.equals(values, v.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims) * 31 + orientation.hashCode();
    }

    @Override
    public String toString() {
        return "BrainVolume" + Arrays.toString(dims) + " " + orientation + " " + Arrays.toString(voxelSize) + " mm";
    }

    private static void checkOrientation(String code) {
        if (code == null || code.length() != 3) {
            throw new IllegalArgumentException("an orientation code has three letters such as RAS, got " + code);
        }
        boolean[] seen = new boolean[3];
        for (char c : code.toCharArray()) {
            int world = worldAxis(c);
            if (world < 0 || seen[world]) {
                throw new IllegalArgumentException("orientation " + code
                        + " is not one of R/L, one of A/P and one of S/I");
            }
            seen[world] = true;
        }
    }

    /**
     * @param letter an orientation letter
     * @return the world axis it lies on: 0 for R/L, 1 for A/P, 2 for S/I, -1 for anything else
     */
    static int worldAxis(char letter) {
        return switch (letter) {
            case 'R', 'L' -> 0;
            case 'A', 'P' -> 1;
            case 'S', 'I' -> 2;
            default -> -1;
        };
    }
}
