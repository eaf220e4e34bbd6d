package org.brainalign.workflow.slices.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.brainalign.core.Affine;
import org.brainalign.core.data.LabelTable;
import org.brainalign.core.VolumeGrid;
import org.brainalign.workflow.slices.Reorientation;
import org.brainalign.workflow.slices.Resampling;
import org.brainalign.workflow.slices.Slice;
import org.brainalign.workflow.slices.SlicePlane;
import org.brainalign.workflow.slices.ViewedVolume;
import org.junit.jupiter.api.Test;

/**
 * Resampling between grids, against closed forms: trilinear interpolation reproduces a linear function exactly
 * anywhere inside the grid, nearest returns the voxel whose centre is closest, a point more than half a voxel outside
 * is outside; and a slice of one grid reads a volume on another (finer, flipped, shifted) by world position.
 */
public class ResamplingTest {

    /** A linear function of voxel indices: trilinear interpolation must reproduce it up to float rounding. */
    private static double linear(double i, double j, double k) {
        return 2 + 3 * i - 1.5 * j + 0.5 * k;
    }

    private static ViewedVolume volume(VolumeGrid grid, java.util.function.ToDoubleFunction<double[]> f) {
        float[] v = new float[grid.voxelCount()];
        for (int n = 0; n < v.length; n++) {
            int[] ijk = grid.ijk(n);
            v[n] = (float) f.applyAsDouble(grid.world(ijk[0], ijk[1], ijk[2]));
        }
        return new ViewedVolume("test", grid, v, new LabelTable(Map.of()), "float32", 1);
    }

    @Test
    public void trilinearReproducesALinearFunction() {
        VolumeGrid grid = new VolumeGrid(new int[] { 5, 4, 3 }, Affine.ofRowMajor(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0));
        ViewedVolume v = volume(grid, w -> linear(w[0], w[1], w[2]));
        double[][] points = { { 1.3, 2.7, 0.4 }, { 0, 0, 0 }, { 4, 3, 2 }, { 3.99, 0.01, 1.5 }, { 2.5, 1.5, 1 } };
        for (double[] p : points) {
            // float32 values of magnitude < 20: 1e-5 is a few units in the last place
            assertEquals(linear(p[0], p[1], p[2]), Resampling.TRILINEAR.sample(v, p[0], p[1], p[2]), 1e-5);
        }
        // within the outer half voxel the edge value extends (clamped), beyond it is outside
        assertEquals(linear(0, 1, 1), Resampling.TRILINEAR.sample(v, -0.4, 1, 1), 1e-5);
        assertTrue(Float.isNaN(Resampling.TRILINEAR.sample(v, -0.6, 1, 1)));
        assertTrue(Float.isNaN(Resampling.TRILINEAR.sample(v, 1, 3.5, 1)));
    }

    @Test
    public void nearestTakesTheVoxelWhoseCentreIsClosest() {
        VolumeGrid grid = new VolumeGrid(new int[] { 5, 4, 3 }, Affine.ofRowMajor(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0));
        ViewedVolume v = volume(grid, w -> w[0] + 10 * w[1] + 100 * w[2]);
        assertEquals(1 + 30 + 0, Resampling.NEAREST.sample(v, 1.49, 2.51, 0.2));
        assertEquals(4 + 0 + 200, Resampling.NEAREST.sample(v, 4.4, -0.4, 2.3));
        assertTrue(Float.isNaN(Resampling.NEAREST.sample(v, 4.5, 0, 0)));
        assertFalse(Float.isNaN(Resampling.NEAREST.sample(v, 4.49, 0, 0)));
    }

    @Test
    public void aSliceReadsAnotherGridByWorldPosition() {
        // the viewer's grid: 2 mm RAS, x -8..6, y -6..4, z -4..4 mm at voxel centres
        VolumeGrid own = new VolumeGrid(new int[] { 8, 6, 5 },
                Affine.ofRowMajor(2, 0, 0, -8, 0, 2, 0, -6, 0, 0, 2, -4));
        // the underlay: 1 mm, stored LAS (x = 7.5 - i), shifted half a voxel, so no centre falls on the viewer's
        VolumeGrid other = new VolumeGrid(new int[] { 16, 12, 10 },
                Affine.ofRowMajor(-1, 0, 0, 7.5, 0, 1, 0, -6.5, 0, 0, 1, -4.5));
        ViewedVolume anatomy = volume(other, w -> 100 + 3 * w[0] + 2 * w[1] - w[2]);
        Reorientation r = Reorientation.of(own);
        for (SlicePlane plane : SlicePlane.values()) {
            Slice s = Slice.of(r, plane, 2, false);
            float[] values = s.sample(own, r.canonicalAffine(), anatomy, Resampling.TRILINEAR);
            for (int row = 0; row < s.height(); row++) {
                for (int col = 0; col < s.width(); col++) {
                    int[] c = s.canonical(col, row);
                    double[] w = own.world(c[0], c[1], c[2]);
                    float got = values[row * s.width() + col];
                    // the underlay reaches from x = -8 to 8 mm: x = -8 lies on its outer edge, i = 15.5, outside
                    if (w[0] < -7.5) {
                        assertTrue(Float.isNaN(got), plane + " " + col + "," + row);
                    } else {
                        assertEquals(100 + 3 * w[0] + 2 * w[1] - w[2], got, 1e-4, plane + " " + col + "," + row);
                    }
                }
            }
        }
    }
}
