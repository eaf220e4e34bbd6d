package org.brainalign.workflow.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.brainalign.core.VolumeGrid;
import org.brainalign.io.nifti.NiftiImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's synthetic anatomy: brain-shaped in the demo's grid (air at the corners, a head around the brain, white
 * matter inside grey matter), every planted voxel inside the skull, so that maps drawn over it are seen in a brain;
 * and written with the grid's affine, as the viewer reads it by world position.
 */
public class DemoAnatomyTest {

    @TempDir
    Path temp;

    @Test
    public void theBrainHoldsEveryPlantedVoxel() {
        VolumeGrid grid = DemoBrain.grid();
        float[] t1 = DemoAnatomy.t1(grid);
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
