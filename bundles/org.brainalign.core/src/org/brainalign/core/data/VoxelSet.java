package org.brainalign.core.data;

import java.util.Arrays;
import java.util.Optional;

import org.brainalign.core.VolumeGrid;

/**
 * A voxel set is the ordered list of voxels (or surface vertices) a model is fitted to: position n of every response
 * row, of every ROI's member list and of every per-voxel result refers to the same n-th voxel. Each voxel has world
 * coordinates in millimetres (N x 3) and an index: for a volume the linear index into its grid (i fastest, as NIfTI
 * stores voxels), so that results can be written back as a volume; for a surface the vertex number in the surface.
 * Instances are immutable.
 */
public final class VoxelSet {

    private final VolumeGrid grid;
    private final String space;
    private final int[] indices;
    private final double[] coordinates; // N x 3, row-major
    private volatile long[] lookup; // (index << 32 | position), sorted by index: built on first positionOf

    private VoxelSet(VolumeGrid grid, String space, int[] indices, double[] coordinates) {
        this.grid = grid;
        this.space = space;
        this.indices = indices;
        this.coordinates = coordinates;
    }

    /**
     * Creates the voxel set of some voxels of a volume grid, with coordinates from the grid's affine.
     *
     * @param grid the grid the voxels belong to
     * @param indices linear voxel indices (i fastest), each inside the grid and none repeated; their order is kept
     * @return the voxel set
     * @throws IllegalArgumentException if an index is outside the grid or repeated
     */
    public static VoxelSet ofVolume(VolumeGrid grid, int[] indices) {
        int[] idx = indices.clone();
        checkUnique(idx, grid.voxelCount());
        double[] xyz = new double[3 * idx.length];
        for (int n = 0; n < idx.length; n++) {
            int[] ijk = grid.ijk(idx[n]);
            System.arraycopy(grid.world(ijk[0], ijk[1], ijk[2]), 0, xyz, 3 * n, 3);
        }
        return new VoxelSet(grid, "volume", idx, xyz);
    }

    /**
     * Creates the voxel set of the voxels a mask selects, in grid order.
     *
     * @param grid the grid
     * @param mask one flag per grid voxel (i fastest)
     * @return the voxel set
     */
    public static VoxelSet ofMask(VolumeGrid grid, boolean[] mask) {
        if (mask.length != grid.voxelCount()) {
            throw new IllegalArgumentException(
                    "a mask of " + mask.length + " values does not fit a grid of " + grid.voxelCount() + " voxels");
        }
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        int[] idx = new int[n];
        n = 0;
        for (int v = 0; v < mask.length; v++) {
            if (mask[v]) {
                idx[n++] = v;
            }
        }
        return ofVolume(grid, idx);
    }

    /**
     * Creates the voxel set of surface vertices.
     *
     * @param space what the coordinates are, e.g. "fsaverage sphere"
     * @param vertices the vertex number of each member in its surface; none repeated
     * @param coordinates N x 3 positions in mm
     * @return the voxel set
     */
    public static VoxelSet ofSurface(String space, int[] vertices, double[][] coordinates) {
        if (vertices.length != coordinates.length) {
            throw new IllegalArgumentException(
                    vertices.length + " vertices but " + coordinates.length + " coordinates were given");
        }
        double[] xyz = new double[3 * coordinates.length];
        for (int n = 0; n < coordinates.length; n++) {
            if (coordinates[n].length != 3) {
                throw new IllegalArgumentException("coordinate " + n + " has " + coordinates[n].length + " values");
            }
            System.arraycopy(coordinates[n], 0, xyz, 3 * n, 3);
        }
        return new VoxelSet(null, space, vertices.clone(), xyz);
    }

    private static void checkUnique(int[] idx, int limit) {
        int[] sorted = idx.clone();
        Arrays.sort(sorted);
        for (int n = 0; n < sorted.length; n++) {
            if (sorted[n] < 0 || sorted[n] >= limit) {
                throw new IllegalArgumentException("voxel index " + sorted[n] + " is outside a grid of " + limit);
            }
            if (n > 0 && sorted[n] == sorted[n - 1]) {
                throw new IllegalArgumentException("voxel index " + sorted[n] + " appears twice");
            }
        }
    }

    /** @return the number of voxels */
    public int size() {
        return indices.length;
    }

    /** @return whether the voxels belong to a volume grid (else they are surface vertices) */
    public boolean isVolume() {
        return grid != null;
    }

    /** @return the grid of a volume voxel set, empty for surface vertices */
    public Optional<VolumeGrid> grid() {
        return Optional.ofNullable(grid);
    }

    /** @return "volume" or a description of the surface coordinates, e.g. "fsaverage sphere" */
    public String space() {
        return space;
    }

    /**
     * @param n a position, 0 .. size() - 1
     * @return the linear grid index (volume) or vertex number (surface) of the n-th voxel
     */
    public int index(int n) {
        return indices[n];
    }

    /** @return a copy of all indices, in voxel order */
    public int[] indices() {
        return indices.clone();
    }

    /**
     * @param n a position
     * @return the world coordinates (x, y, z) of the n-th voxel in mm
     */
    public double[] coordinate(int n) {
        return Arrays.copyOfRange(coordinates, 3 * n, 3 * n + 3);
    }

    /** @return a copy of the coordinates as an N x 3 array */
    public double[][] coordinates() {
        double[][] c = new double[size()][];
        for (int n = 0; n < c.length; n++) {
            c[n] = coordinate(n);
        }
        return c;
    }

    /**
     * @param index a linear grid index or vertex number
     * @return its position in this set, or -1 if it is not a member
     */
    public int positionOf(int index) {
        long[] l = lookup;
        if (l == null) {
            l = new long[indices.length];
            for (int n = 0; n < indices.length; n++) {
                l[n] = ((long) indices[n] << 32) | n;
            }
            Arrays.sort(l);
            lookup = l;
        }
        int lo = 0;
        int hi = l.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int at = (int) (l[mid] >> 32);
            if (at < index) {
                lo = mid + 1;
            } else if (at > index) {
                hi = mid - 1;
            } else {
                return (int) l[mid];
            }
        }
        return -1;
    }

    /**
     * The voxel set of some of these voxels.
     *
     * @param positions positions into this set, in the order wanted
     * @return a new voxel set with the same grid or space
     */
    public VoxelSet subset(int[] positions) {
        int[] idx = new int[positions.length];
        double[] xyz = new double[3 * positions.length];
        for (int n = 0; n < positions.length; n++) {
            idx[n] = indices[positions[n]];
            System.arraycopy(coordinates, 3 * positions[n], xyz, 3 * n, 3);
        }
        checkUnique(idx, Integer.MAX_VALUE);
        return new VoxelSet(grid, space, idx, xyz);
    }

    @Override
    public String toString() {
        return "VoxelSet[" + size() + " voxels, " + (grid != null ? grid.toString() : space) + "]";
    }
}
