package org.brainalign.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.junit.jupiter.api.Test;

/** VolumeGrid against cases worked out by hand. */
public class VolumeGridTest {

    private final VolumeGrid grid = new VolumeGrid(new int[] { 4, 5, 7 },
            Affine.ofRowMajor(-2, 0, 0, 90, 0, 2, 0, -126, 0, 0, 2, -72));

    @Test
    public void linearIndexRunsIFastest() {
        assertEquals(140, grid.voxelCount());
        assertEquals(0, grid.index(0, 0, 0));
        assertEquals(1, grid.index(1, 0, 0));
        assertEquals(4, grid.index(0, 1, 0));
        assertEquals(20, grid.index(0, 0, 1));
        assertEquals(3 + 4 * 2 + 20 * 6, grid.index(3, 2, 6));
        assertArrayEquals(new int[] { 3, 2, 6 }, grid.ijk(3 + 4 * 2 + 20 * 6));
        for (int n = 0; n < grid.voxelCount(); n++) {
            int[] v = grid.ijk(n);
            assertEquals(n, grid.index(v[0], v[1], v[2]));
        }
    }

    @Test
    public void outsideTheGridIsAnError() {
        assertFalse(grid.contains(4, 0, 0));
        assertFalse(grid.contains(0, -1, 0));
        assertTrue(grid.contains(3, 4, 6));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> grid.index(0, 5, 0));
        assertTrue(e.getMessage().contains("(0, 5, 0)"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> grid.ijk(140));
    }

    @Test
    public void worldPositionAndOrientation() {
        // MNI-like 2 mm grid stored right to left: voxel (0,0,0) sits at (90, -126, -72)
        assertArrayEquals(new double[] { 90, -126, -72 }, grid.world(0, 0, 0), 0);
        assertArrayEquals(new double[] { 84, -118, -60 }, grid.world(3, 4, 6), 0);
        assertEquals("LAS", grid.orientation());
    }

    @Test
    public void sameSpaceToleratesFloat32Rounding() {
        VolumeGrid rounded = new VolumeGrid(new int[] { 4, 5, 7 },
                Affine.ofRowMajor(-2, 0, 0, (float) 90.0000001, 0, 2, 0, -126, 0, 0, 2, -72));
        assertTrue(grid.sameSpace(rounded, 1e-4));
        VolumeGrid shifted = new VolumeGrid(new int[] { 4, 5, 7 },
                Affine.ofRowMajor(-2, 0, 0, 92, 0, 2, 0, -126, 0, 0, 2, -72));
        assertFalse(grid.sameSpace(shifted, 1e-4));
        VolumeGrid otherShape = new VolumeGrid(new int[] { 4, 5, 8 }, grid.affine());
        assertFalse(grid.sameSpace(otherShape, 1e-4));
    }

    @Test
    public void shapeIsValidatedAndDefensivelyCopied() {
        assertThrows(IllegalArgumentException.class, () -> new VolumeGrid(new int[] { 4, 0, 7 }, Affine.identity()));
        assertThrows(IllegalArgumentException.class, () -> new VolumeGrid(new int[] { 4, 5 }, Affine.identity()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VolumeGrid(new int[] { 2000, 2000, 2000 }, Affine.identity()));
        assertTrue(e.getMessage().contains("more than"), e.getMessage());
        int[] shape = { 2, 3, 4 };
        VolumeGrid g = new VolumeGrid(shape, Affine.identity());
        shape[0] = 99;
        assertEquals(2, g.size(0));
        g.shape()[1] = 99;
        assertEquals(3, g.size(1));
    }
}
