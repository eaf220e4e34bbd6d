package org.brainalign.workflow.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import org.brainalign.core.VolumeGrid;
import org.brainalign.io.nifti.NiftiImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's synthetic anatomy: brain-shaped in the demo's grid (air at the corners, a head around the brain, white
 * matter inside grey matter), every planted voxel inside the skull, so that maps drawn over it are seen in a brain;
 * looking like a T1 at the window a viewer opens it with (white matter light grey, grey matter darker, fluid and
 * background dark); and written with the grid's affine, as the viewer reads it by world position.
 */
public class DemoAnatomyTest {

    @TempDir
    Path temp;

    /** The tissue at each voxel centre. */
    private static float[] tissues(VolumeGrid grid) {
        float[] out = new float[grid.voxelCount()];
        for (int n = 0; n < out.length; n++) {
            int[] ijk = grid.ijk(n);
            out[n] = DemoAnatomy.at(grid.world(ijk[0], ijk[1], ijk[2]));
        }
        return out;
    }

    @Test
    public void theBrainHoldsEveryPlantedVoxel() {
        VolumeGrid grid = DemoBrain.grid();
        float[] t1 = tissues(grid);
        Map<Float, Integer> tissues = new TreeMap<>();
        for (float v : t1) {
            tissues.merge(v, 1, Integer::sum);
        }
        // five tissues and air, each a visible part of the grid (at least 1 % of its 57,600 voxels)
        assertEquals(6, tissues.size(), tissues.toString());
        tissues.forEach((tissue, count) -> assertTrue(count > 576, tissue + ": " + count));
        assertEquals(DemoAnatomy.AIR, t1[0]);
        assertEquals(DemoAnatomy.AIR, t1[grid.index(47, 0, 29)]);
        // deep inside, near the posterior horns of the ventricles' level but off the midline: white matter
        assertEquals(DemoAnatomy.WHITE, DemoAnatomy.at(new double[] { 25, -40, 20 }));
        for (DemoBrain.Voxel v : DemoBrain.plant(6, 1)) {
            float value = t1[v.index()];
            assertTrue(value == DemoAnatomy.GREY || value == DemoAnatomy.WHITE || value == DemoAnatomy.FLUID,
                    "planted voxel " + v.index() + " of " + DemoBrain.AREAS.get(v.area()).name() + " lies in " + value);
        }
    }

    @Test
    public void itLooksLikeAT1AtAPercentileWindow() {
        VolumeGrid grid = DemoBrain.grid();
        float[] tissue = tissues(grid);
        float[] t1 = DemoAnatomy.t1(grid);
        // the window viewers open an anatomy with: the 1st to 99th percentile of the non-zero values (the workbench),
        // or the 2nd to 98th (FSLeyes' robust range, niivue)
        float[] nonZero = new float[t1.length];
        int n = 0;
        for (float v : t1) {
            if (v != 0) {
                nonZero[n++] = v;
            }
        }
        Arrays.sort(nonZero, 0, n);
        for (double p : new double[] { 0.01, 0.02 }) {
            double low = nonZero[(int) Math.floor(p * (n - 1))];
            double high = nonZero[(int) Math.ceil((1 - p) * (n - 1))];
            // where the voxels of each tissue fall in the window, from 0 (black) to 1 (white)
            double white = meanFraction(t1, tissue, DemoAnatomy.WHITE, low, high);
            double grey = meanFraction(t1, tissue, DemoAnatomy.GREY, low, high);
            double fluid = meanFraction(t1, tissue, DemoAnatomy.FLUID, low, high);
            String what = "window " + low + ".." + high + ": white " + white + ", grey " + grey + ", fluid " + fluid;
            // white matter light but not one saturated plateau, grey matter clearly darker, fluid dark
            assertTrue(white > 0.75 && white < 0.95, what);
            assertTrue(white - grey > 0.25 && grey > 0.4, what);
            assertTrue(fluid < 0.25, what);
            // and few white-matter voxels at the top of the window (a flat plateau would put half of them there)
            int top = 0;
            int whites = 0;
            for (int i = 0; i < t1.length; i++) {
                if (tissue[i] == DemoAnatomy.WHITE) {
                    whites++;
                    top += t1[i] >= high ? 1 : 0;
                }
            }
            assertTrue(top < 0.1 * whites, top + " of " + whites + " white-matter voxels at the top, " + what);
        }
        // the background is black: air is exactly 0, and the noise never makes the head 0
        assertEquals(0, t1[0]);
        for (int i = 0; i < t1.length; i++) {
            if (tissue[i] != DemoAnatomy.AIR) {
                assertTrue(t1[i] > 0, "voxel " + i);
            }
        }
        // the same image every time
        assertArrayEquals(t1, DemoAnatomy.t1(grid));
    }

    /** @return the mean place in the window of the voxels whose centre lies in a tissue, clipped to 0..1 */
    private static double meanFraction(float[] t1, float[] tissue, float which, double low, double high) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < t1.length; i++) {
            if (tissue[i] == which) {
                sum += Math.min(1, Math.max(0, (t1[i] - low) / (high - low)));
                count++;
            }
        }
        return sum / count;
    }

    @Test
    public void itIsWrittenOnTheGrid() throws Exception {
        VolumeGrid grid = DemoBrain.grid();
        Path file = temp.resolve("T1_to_func1pt8mm.nii.gz");
        DemoAnatomy.write(file, grid);
        NiftiImage image = NiftiImage.read(file);
        assertTrue(image.grid().sameSpace(grid, 1e-6), image.grid().toString());
        float[] t1 = DemoAnatomy.t1(grid);
        for (int n = 0; n < t1.length; n += 97) {
            assertEquals(t1[n], image.get(n), 0);
        }
    }
}
