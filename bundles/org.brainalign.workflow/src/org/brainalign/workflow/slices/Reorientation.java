package org.brainalign.workflow.slices;

import java.util.Arrays;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;

/**
 * A reorientation maps the voxel axes of a file onto the closest world axes, the way nibabel's
 * {@code as_closest_canonical} does, but without copying or resampling anything: canonical voxel axis 0 runs towards
 * the subject's Right, axis 1 towards Anterior, axis 2 towards Superior (RAS), each being one of the file's axes,
 * possibly reversed. A file stored LAS (FSL's radiological MNI templates) or slightly oblique is thereby shown in
 * world orientation; the canonical affine places canonical voxels at the same world positions as the file's voxels.
 * Linear indices refer to the file's order (first axis fastest), so values are read in place.
 */
public final class Reorientation {

    private final int[] fileShape;
    private final int[] fileAxis = new int[3];
    private final boolean[] flipped = new boolean[3];
    private final int[] stride = new int[3];
    private final int origin;
    private final Affine fileAffine;
    private final Affine canonicalAffine;
    private final String fileOrientation;

    private Reorientation(VolumeGrid grid) {
        this.fileShape = grid.shape();
        this.fileAffine = grid.affine();
        this.fileOrientation = fileAffine.orientation();
        boolean[] taken = new boolean[3];
        Arrays.fill(fileAxis, -1);
        for (int n = 0; n < 3; n++) {
            int world = "RLAPSI".indexOf(fileOrientation.charAt(n)) / 2;
            if (world >= 0 && fileAxis[world] < 0) {
                fileAxis[world] = n;
                flipped[world] = "LPI".indexOf(fileOrientation.charAt(n)) >= 0;
                taken[n] = true;
            }
        }
        // a voxel axis without extent ("?") keeps its place among the axes left over, unreversed
        for (int a = 0; a < 3; a++) {
            if (fileAxis[a] < 0) {
                for (int n = 0; n < 3; n++) {
                    if (!taken[n]) {
                        fileAxis[a] = n;
                        taken[n] = true;
                        break;
                    }
                }
            }
        }
        int[] fileStride = { 1, fileShape[0], fileShape[0] * fileShape[1] };
        int o = 0;
        double[][] t = new double[4][4];
        t[3][3] = 1;
        for (int a = 0; a < 3; a++) {
            int n = fileAxis[a];
            int last = fileShape[n] - 1;
            stride[a] = flipped[a] ? -fileStride[n] : fileStride[n];
            o += flipped[a] ? last * fileStride[n] : 0;
            t[n][a] = flipped[a] ? -1 : 1;
            t[n][3] = flipped[a] ? last : 0;
        }
        this.origin = o;
        this.canonicalAffine = fileAffine.multiply(Affine.of(t));
    }

    /**
     * @param grid a file's grid
     * @return the reorientation of that grid to its closest canonical (RAS) axes
     */
    public static Reorientation of(VolumeGrid grid) {
        return new Reorientation(grid);
    }

    /** @return the file's orientation code, e.g. "LAS" */
    public String fileOrientation() {
        return fileOrientation;
    }

    /** @return the file's affine */
    public Affine fileAffine() {
        return fileAffine;
    }

    /** @return the affine from canonical voxel indices to world coordinates */
    public Affine canonicalAffine() {
        return canonicalAffine;
    }

    /** @return the file's shape */
    public int[] fileShape() {
        return fileShape.clone();
    }

    /** @return the number of voxels along the canonical R, A and S axes */
    public int[] canonicalShape() {
        return new int[] { fileShape[fileAxis[0]], fileShape[fileAxis[1]], fileShape[fileAxis[2]] };
    }

    /**
     * @param canonicalAxis 0 (R), 1 (A) or 2 (S)
     * @return the number of voxels along it
     */
    public int size(int canonicalAxis) {
        return fileShape[fileAxis[canonicalAxis]];
    }

    /**
     * @param canonicalAxis 0 (R), 1 (A) or 2 (S)
     * @return the file axis it runs along
     */
    public int fileAxis(int canonicalAxis) {
        return fileAxis[canonicalAxis];
    }

    /**
     * @param canonicalAxis 0 (R), 1 (A) or 2 (S)
     * @return whether the file axis runs the opposite way (towards L, P or I)
     */
    public boolean flipped(int canonicalAxis) {
        return flipped[canonicalAxis];
    }

    /**
     * @param canonicalAxis 0, 1 or 2
     * @return the change of the file's linear index for one step along the canonical axis (negative when flipped)
     */
    public int stride(int canonicalAxis) {
        return stride[canonicalAxis];
    }

    /** @return the file's linear index of canonical voxel (0, 0, 0) */
    public int origin() {
        return origin;
    }

    /**
     * @param canonical a canonical voxel (R, A, S indices)
     * @return the same voxel as file indices (i, j, k)
     */
    public int[] toFile(int[] canonical) {
        int[] ijk = new int[3];
        for (int a = 0; a < 3; a++) {
            int n = fileAxis[a];
            ijk[n] = flipped[a] ? fileShape[n] - 1 - canonical[a] : canonical[a];
        }
        return ijk;
    }

    /**
     * @param ijk file voxel indices
     * @return the same voxel as canonical indices
     */
    public int[] toCanonical(int[] ijk) {
        int[] c = new int[3];
        for (int a = 0; a < 3; a++) {
            int n = fileAxis[a];
            c[a] = flipped[a] ? fileShape[n] - 1 - ijk[n] : ijk[n];
        }
        return c;
    }

    /**
     * @param canonical a canonical voxel inside the grid
     * @return its linear index in the file's order
     */
    public int fileIndex(int[] canonical) {
        return origin + canonical[0] * stride[0] + canonical[1] * stride[1] + canonical[2] * stride[2];
    }

    /** @return the voxel sizes along the canonical axes, in mm */
    public double[] canonicalVoxelSizes() {
        return canonicalAffine.voxelSizes();
    }
}
