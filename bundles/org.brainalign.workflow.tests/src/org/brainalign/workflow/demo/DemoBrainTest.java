package org.brainalign.workflow.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.brainalign.core.VolumeGrid;
import org.junit.jupiter.api.Test;

/**
 * The planted brain: areas that do not overlap, each voxel inside its own area, depth rising along the hierarchy,
 * and the visual-field conventions (each hemisphere sees the opposite half of the image, ventral early cortex the upper
 * half).
 */
public class DemoBrainTest {

    private static final int LAYERS = 6;
    private static final List<DemoBrain.Voxel> VOXELS = DemoBrain.plant(LAYERS, 1);

    private static double[] world(DemoBrain.Voxel v) {
        VolumeGrid grid = DemoBrain.grid();
        int[] ijk = grid.ijk(v.index());
        return grid.world(ijk[0], ijk[1], ijk[2]);
    }

    @Test
    public void everyAreaHasVoxelsAndNoVoxelBelongsToTwo() {
        Set<Integer> seen = new HashSet<>();
        int[] count = new int[DemoBrain.AREAS.size()];
        for (DemoBrain.Voxel v : VOXELS) {
            assertTrue(seen.add(v.index()), "voxel " + v.index() + " planted twice");
            count[v.area()]++;
        }
        for (int a = 0; a < count.length; a++) {
            // a ball of radius >= 7 mm on a 3 mm grid holds about 50 voxels or more in each hemisphere
            assertTrue(count[a] > 50, DemoBrain.AREAS.get(a).name() + " has " + count[a] + " voxels");
        }
    }

    @Test
    public void everyVoxelLiesInsideItsOwnAreaAndNearestToItsCentre() {
        for (DemoBrain.Voxel v : VOXELS) {
            double[] w = world(v);
            double own = distance(w, DemoBrain.AREAS.get(v.area()));
            assertTrue(own <= DemoBrain.AREAS.get(v.area()).radius() + 1e-9, "voxel " + v.index() + " outside");
            for (DemoBrain.Area other : DemoBrain.AREAS) {
                assertTrue(own <= distance(w, other) + 1e-9, "voxel " + v.index() + " nearer " + other.name());
            }
        }
    }

    @Test
    public void plantedDepthRisesAlongTheHierarchy() {
        int areas = DemoBrain.AREAS.size();
        double[] depth = new double[areas];
        int[] count = new int[areas];
        for (DemoBrain.Voxel v : VOXELS) {
            depth[v.area()] += v.depth();
            count[v.area()]++;
            assertEquals(Math.round(v.depth() * (LAYERS - 1)), v.layer(), "the layer is the depth rounded");
        }
        for (int a = 0; a < areas; a++) {
            for (int b = 0; b < areas; b++) {
                double sa = DemoBrain.AREAS.get(a).stage(), sb = DemoBrain.AREAS.get(b).stage();
                if (sa < sb) {
                    assertTrue(depth[a] / count[a] < depth[b] / count[b], DemoBrain.AREAS.get(a).name()
                            + " is planted deeper than " + DemoBrain.AREAS.get(b).name());
                }
            }
        }
        assertEquals(0, VOXELS.stream().filter(v -> v.area() == 0).mapToInt(DemoBrain.Voxel::layer).max()
                .getAsInt(), "V1 reads the first layer");
        assertEquals(LAYERS - 1, VOXELS.stream().filter(v -> v.area() == areas - 1)
                .mapToInt(DemoBrain.Voxel::layer).min().getAsInt(), "PPA reads the last layer");
    }

    @Test
    public void eachHemisphereSeesTheOppositeHalfOfTheImage() {
        int left = 0, right = 0;
        for (DemoBrain.Voxel v : VOXELS) {
            double x = world(v)[0];
            assertTrue(x != 0, "no area reaches the midline");
            assertTrue(Math.signum(v.x()) == -Math.signum(x), "voxel " + v.index() + " at x = " + x
                    + " mm reads image position x = " + v.x());
            if (x < 0) {
                left++;
            } else {
                right++;
            }
        }
        assertEquals(left, right, "the hemispheres mirror each other");
    }

    @Test
    public void ventralEarlyCortexSeesTheUpperField() {
        for (DemoBrain.Voxel v : VOXELS) {
            DemoBrain.Area area = DemoBrain.AREAS.get(v.area());
            double above = world(v)[2] - area.centre()[2];
            if (area.retinotopic() && above != 0) {
                // image y runs from the top (-1) to the bottom (1)
                assertTrue(Math.signum(v.y()) == Math.signum(above), "voxel " + v.index() + " " + above
                        + " mm from its area's centre reads image position y = " + v.y());
            }
        }
    }

    private static double distance(double[] w, DemoBrain.Area area) {
        double[] c = area.centre();
        return Math.sqrt(Math.pow(Math.abs(w[0]) - c[0], 2) + Math.pow(w[1] - c[1], 2) + Math.pow(w[2] - c[2], 2));
    }
}
