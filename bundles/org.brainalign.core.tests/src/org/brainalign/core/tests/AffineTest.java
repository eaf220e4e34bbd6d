package org.brainalign.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.brainalign.core.Affine;
import org.junit.jupiter.api.Test;

/** Affine against cases worked out by hand. */
public class AffineTest {

    /** The affine of nibabel's anatomical.nii test file: 2 mm voxels, i running right to left. */
    private static final Affine LAS = Affine.ofRowMajor(-2, 0, 0, 32, 0, 2, 0, -40, 0, 0, 2, -16);

    @Test
    public void voxelToWorldAppliesRowsAndTranslation() {
        // x = -2*3 + 32 = 26, y = 2*4 - 40 = -32, z = 2*5 - 16 = -6
        assertArrayEquals(new double[] { 26, -32, -6 }, LAS.voxelToWorld(3, 4, 5), 0);
    }

    @Test
    public void worldToVoxelInvertsVoxelToWorld() {
        assertArrayEquals(new double[] { 3, 4, 5 }, LAS.worldToVoxel(26, -32, -6), 1e-12);
        Affine oblique = Affine.ofRowMajor(1.5, 0.2, -0.1, 10, -0.3, 2, 0.4, -5, 0.05, -0.2, 1.8, 3);
        double[] w = oblique.voxelToWorld(7.25, -1.5, 30);
        assertArrayEquals(new double[] { 7.25, -1.5, 30 }, oblique.worldToVoxel(w[0], w[1], w[2]), 1e-12);
    }

    @Test
    public void inverseTimesAffineIsIdentity() {
        Affine a = Affine.ofRowMajor(0, 0, 3, 1, 2, 0, 0, 2, 0, -1, 0, 3);
        // columns: i -> y (2), j -> -z (1), k -> x (3); the inverse maps x -> k/3 etc.
        Affine inv = a.inverse();
        assertArrayEquals(new double[] { 0, 0.5, 0, -1, 0, 0, -1, 3, 1.0 / 3, 0, 0, -1.0 / 3, 0, 0, 0, 1 },
                inv.toRowMajor(), 1e-15);
        assertTrue(a.multiply(inv).approxEquals(Affine.identity(), 1e-15));
        assertTrue(inv.multiply(a).approxEquals(Affine.identity(), 1e-15));
    }

    @Test
    public void singularAffineHasNoInverse() {
        Affine flat = Affine.ofRowMajor(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, flat::inverse);
        assertTrue(e.getMessage().contains("singular"), e.getMessage());
    }

    @Test
    public void multiplyComposesRightToLeft() {
        Affine shift = Affine.ofRowMajor(1, 0, 0, 10, 0, 1, 0, 20, 0, 0, 1, 30);
        Affine scale = Affine.scaling(2, 3, 4);
        // shift after scale: (1,1,1) -> (2,3,4) -> (12,23,34)
        assertArrayEquals(new double[] { 12, 23, 34 }, shift.multiply(scale).voxelToWorld(1, 1, 1), 0);
        // scale after shift: (1,1,1) -> (11,21,31) -> (22,63,124)
        assertArrayEquals(new double[] { 22, 63, 124 }, scale.multiply(shift).voxelToWorld(1, 1, 1), 0);
    }

    @Test
    public void orientationCodesOfAxisAlignedAffines() {
        assertEquals("RAS", Affine.identity().orientation());
        assertEquals("LAS", LAS.orientation());
        assertEquals("LPI", Affine.scaling(-1, -1, -1).orientation());
        // i -> y, j -> -z, k -> x: "ASIR"-style permutation, here A, I, R
        assertEquals("AIR", Affine.ofRowMajor(0, 0, 3, 1, 2, 0, 0, 2, 0, -1, 0, 3).orientation());
    }

    @Test
    public void orientationOfObliqueAffineTakesNearestAxis() {
        // 20 degrees about z: i still mostly along x, j mostly along y
        double c = Math.cos(Math.toRadians(20)), s = Math.sin(Math.toRadians(20));
        assertEquals("RAS", Affine.ofRowMajor(c, -s, 0, 0, s, c, 0, 0, 0, 0, 1, 0).orientation());
        // 70 degrees about z: i now mostly along y, j along -x
        c = Math.cos(Math.toRadians(70));
        s = Math.sin(Math.toRadians(70));
        assertEquals("ALS", Affine.ofRowMajor(c, -s, 0, 0, s, c, 0, 0, 0, 0, 1, 0).orientation());
        // anisotropic voxels do not fool it: column lengths are divided out first
        assertEquals("RAS", Affine.ofRowMajor(10, -0.5, 0, 0, 0.2, 1, 0, 0, 0, 0, 1, 0).orientation());
    }

    @Test
    public void voxelSizesAreColumnLengths() {
        Affine a = Affine.ofRowMajor(0, 0, 3, 1, 2, 0, 0, 2, 0, -1, 0, 3);
        assertArrayEquals(new double[] { 2, 1, 3 }, a.voxelSizes(), 0);
        assertArrayEquals(new double[] { 5, 13, 1 },
                Affine.ofRowMajor(3, 5, 0, 0, 4, 12, 0, 0, 0, 0, 1, 0).voxelSizes(), 1e-15);
    }

    @Test
    public void badMatricesAreRefusedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Affine.of(new double[][] { { 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 1, 0, 0, 1 } }));
        assertTrue(e.getMessage().contains("last row"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Affine.ofRowMajor(1, 0, 0, Double.NaN, 0, 1, 0, 0, 0, 0, 1, 0));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Affine.ofRowMajor(1, 2, 3));
    }
}
