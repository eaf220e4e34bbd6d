package org.brainalign.core;

import java.util.Arrays;

/**
 * A volume grid is the space a 3-D image lives in: its shape (voxels along i, j, k) and the affine that places each
 * voxel in world coordinates. Two images on the same grid can be compared voxel by voxel. Voxels are numbered with i
 * fastest, then j, then k, the order NIfTI stores them in.
 *
 * @param shape the number of voxels along i, j and k, each at least 1
 * @param affine voxel to world
 */
public record VolumeGrid(int[] shape, Affine affine) {

    /** Largest voxel count a grid may have: 2^31 - 1, so that a voxel's linear index fits in an int. */
    public static final long MAX_VOXELS = Integer.MAX_VALUE;

    /**
     * @throws IllegalArgumentException if the shape is not three positive sizes or holds too many voxels
     */
    public VolumeGrid {
        if (shape == null || shape.length != 3) {
            throw new IllegalArgumentException("a volume grid needs three sizes, got " + Arrays.toString(shape));
        }
        long n = 1;
        for (int s : shape) {
            if (s < 1) {
                throw new IllegalArgumentException("grid sizes must be positive, got " + Arrays.toString(shape));
            }
            n *= s;
        }
        if (n > MAX_VOXELS) {
            throw new IllegalArgumentException("a grid of " + Arrays.toString(shape) + " has more than "
                    + MAX_VOXELS + " voxels");
        }
        shape = shape.clone();
        if (affine == null) {
            throw new IllegalArgumentException("a volume grid needs an affine");
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /**
     * @param axis 0, 1 or 2
     * @return the number of voxels along that axis
     */
    public int size(int axis) {
        return shape[axis];
    }

    /** @return the number of voxels in the grid */
    public int voxelCount() {
        return shape[0] * shape[1] * shape[2];
    }

    /**
     * @return whether (i, j, k) lies inside the grid
     */
    public boolean contains(int i, int j, int k) {
        return i >= 0 && j >= 0 && k >= 0 && i < shape[0] && j < shape[1] && k < shape[2];
    }

    /**
     * @return the linear index of voxel (i, j, k), i fastest
     * @throws IndexOutOfBoundsException outside the grid
     */
    public int index(int i, int j, int k) {
        if (!contains(i, j, k)) {
            throw new IndexOutOfBoundsException(
                    "voxel (" + i + ", " + j + ", " + k + ") is outside the grid " + Arrays.toString(shape));
        }
        return i + shape[0] * (j + shape[1] * k);
    }

    /**
     * @param index a linear index, i fastest
     * @return (i, j, k)
     */
    public int[] ijk(int index) {
        if (index < 0 || index >= voxelCount()) {
            throw new IndexOutOfBoundsException("voxel index " + index + " is outside a grid of " + voxelCount());
        }
        int i = index % shape[0];
        int rest = index / shape[0];
        return new int[] { i, rest % shape[1], rest / shape[1] };
    }

    /** @return the world position of the voxel's centre, in mm */
    public double[] world(int i, int j, int k) {
        return affine.voxelToWorld(i, j, k);
    }

    /** @return the orientation code of the affine, e.g. "RAS" */
    public String orientation() {
        return affine.orientation();
    }

    /**
     * Whether another grid holds the same voxels in the same places: equal shapes and affines that agree within a
     * tolerance (NIfTI stores affines in float32, so grids saved by different tools differ by rounding).
     *
     * @param other the other grid
     * @param tolerance in mm per affine element
     * @return true if the grids line up
     */
    public boolean sameSpace(VolumeGrid other, double tolerance) {
        return Arrays.equals(shape, other.shape) && affine.approxEquals(other.affine, tolerance);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VolumeGrid g && Arrays.equals(shape, g.shape) && affine.equals(g.affine);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + affine.hashCode();
    }

    @Override
    public String toString() {
        return "VolumeGrid" + Arrays.toString(shape) + " " + affine.orientation() + " " + affine;
    }
}
