package org.brainalign.workflow.slices.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.testing.SharedData;
import org.brainalign.workflow.slices.Reorientation;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

/** Reorientation to the closest RAS axes, checked against nibabel's affines and closed-form cases. */
public class ReorientationTest {

    /** Affines are float32 in the files: 1e-4 mm is far below any voxel and above float32 rounding of ~100 mm. */
    private static final double MM = 1e-4;

    @Test
    public void lasFileIsFlippedAlongItsFirstAxis() throws IOException {
        JsonObject ref = SharedData.nibabel("anatomical.nii");
        NiftiImage image = NiftiImage.read(SharedData.nifti("anatomical.nii"));
        assertTrue(image.grid().affine().approxEquals(SharedData.affine(ref), MM));
        Reorientation r = Reorientation.of(image.grid());
        assertEquals("LAS", r.fileOrientation());
        assertTrue(r.flipped(0));
        assertFalse(r.flipped(1));
        assertFalse(r.flipped(2));
        // as_closest_canonical of diag(-2, 2, 2) + (32, -40, -16) over 33 voxels: x = 2 i' + (32 - 2 * 32)
        Affine expected = Affine.ofRowMajor(2, 0, 0, -32, 0, 2, 0, -40, 0, 0, 2, -16);
        assertTrue(r.canonicalAffine().approxEquals(expected, MM), r.canonicalAffine().toString());
        assertEquals("RAS", r.canonicalAffine().orientation());
        assertArrayEquals(new int[] { 33, 41, 25 }, r.canonicalShape());
    }

    @Test
    public void canonicalVoxelsKeepTheirWorldPositionAndValue() throws IOException {
        for (String name : new String[] { "anatomical.nii", "example4d.nii.gz", "small_101D.nii.gz", "aal.nii.gz" }) {
            JsonObject ref = SharedData.nibabel(name);
            Affine nibabel = SharedData.affine(ref);
            int[] shape = new int[3];
            for (int d = 0; d < 3; d++) {
                shape[d] = ref.getAsJsonArray("shape").get(d).getAsInt();
            }
            Reorientation r = Reorientation.of(new VolumeGrid(shape, nibabel));
            assertEquals("RAS", r.canonicalAffine().orientation(), name);
            int[] cs = r.canonicalShape();
            for (int[] c : new int[][] { { 0, 0, 0 }, { cs[0] - 1, 0, 0 }, { 0, cs[1] - 1, cs[2] - 1 },
                    { cs[0] / 3, cs[1] / 2, cs[2] - 1 } }) {
                int[] ijk = r.toFile(c);
                assertArrayEquals(c, r.toCanonical(ijk), name);
                double[] expected = nibabel.voxelToWorld(ijk[0], ijk[1], ijk[2]);
                assertArrayEquals(expected, r.canonicalAffine().voxelToWorld(c[0], c[1], c[2]), MM, name);
                assertEquals(ijk[0] + shape[0] * (ijk[1] + shape[1] * ijk[2]), r.fileIndex(c), name);
            }
        }
    }

    @Test
    public void permutedAxesAreReorderedToRas() {
        // i runs towards Superior, j towards Left, k towards Anterior: orientation "SLA"
        Affine a = Affine.ofRowMajor(0, -3, 0, 10, 0, 0, 2, -5, 1, 0, 0, 7);
        VolumeGrid grid = new VolumeGrid(new int[] { 4, 5, 6 }, a);
        Reorientation r = Reorientation.of(grid);
        assertEquals("SLA", r.fileOrientation());
        assertEquals(1, r.fileAxis(0));
        assertEquals(2, r.fileAxis(1));
        assertEquals(0, r.fileAxis(2));
        assertTrue(r.flipped(0));
        assertArrayEquals(new int[] { 5, 6, 4 }, r.canonicalShape());
        assertArrayEquals(new double[] { 3, 2, 1 }, r.canonicalVoxelSizes(), 1e-12);
        // canonical (0, 0, 0) is the file voxel with the largest j: (0, 4, 0)
        assertArrayEquals(new int[] { 0, 4, 0 }, r.toFile(new int[] { 0, 0, 0 }));
        assertEquals(grid.index(0, 4, 0), r.origin());
        assertEquals(-4, r.stride(0));
        assertEquals(20, r.stride(1));
        assertEquals(1, r.stride(2));
    }
}
