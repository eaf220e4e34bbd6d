package org.brainalign.workflow.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;

/**
 * The demo's brain: a 3 mm grid in MNI space with nine visual areas per hemisphere, each a ball of voxels around a
 * plausible MNI centre (voxels go to the nearest centre, so areas never overlap), and the selections planted in each
 * voxel: the layer depth rises along the visual hierarchy and varies smoothly (posterior to anterior) within each
 * area; early areas read from retinotopic image positions (left hemisphere from the right visual field, ventral from
 * the upper field, anterior from the periphery) with local tokens, late areas from near the centre with mostly the
 * global token. The midline plane x = 0 belongs to neither hemisphere and holds no area.
 */
public final class DemoBrain {

    /**
     * A visual area as planted.
     *
     * @param name the ROI name, as in the paper's groups
     * @param stage hierarchy position t in [0, 1]
     * @param centre right-hemisphere centre in MNI mm (the left one mirrors x)
     * @param radius ball radius in mm
     * @param scale planted scale s (0 local, 1 global)
     * @param retinotopic whether positions follow the visual field map
     */
    public record Area(String name, double stage, double[] centre, double radius, double scale,
            boolean retinotopic) {
    }

    /**
     * One voxel's planted selections.
     *
     * @param index linear voxel index in the grid (i fastest)
     * @param area the area's position in {@link #AREAS}
     * @param depth planted depth in [0, 1]
     * @param layer planted layer, round(depth x (L - 1))
     * @param x planted horizontal position in (-1, 1), left to right
     * @param y planted vertical position in (-1, 1), top to bottom
     * @param scale planted scale in [0, 1]
     */
    public record Voxel(int index, int area, double depth, int layer, double x, double y, double scale) {
    }

    /** The areas, in hierarchy order. */
    public static final List<Area> AREAS = List.of(new Area("V1", 0.0, new double[] { 9, -93, 3 }, 9, 0.1, true),
            new Area("V2", 0.12, new double[] { 16, -91, 14 }, 8, 0.12, true),
            new Area("V3", 0.25, new double[] { 25, -87, 21 }, 8, 0.15, true),
            new Area("hV4", 0.45, new double[] { 31, -78, -12 }, 8, 0.3, true),
            new Area("OFA", 0.6, new double[] { 42, -80, -4 }, 7, 0.45, false),
            new Area("OPA", 0.6, new double[] { 33, -84, 31 }, 7, 0.45, false),
            new Area("EBA", 0.8, new double[] { 48, -70, 6 }, 8, 0.75, false),
            new Area("FFA", 0.9, new double[] { 40, -52, -18 }, 8, 0.8, false),
            new Area("PPA", 0.95, new double[] { 25, -45, -9 }, 8, 0.85, false));

    /** Voxel size in mm. */
    public static final double VOXEL_MM = 3;

    private DemoBrain() {
    }

    /** @return the grid: 48 x 40 x 30 voxels of 3 mm, RAS, covering x -72..69, y -108..9, z -30..57 mm */
    public static VolumeGrid grid() {
        return new VolumeGrid(new int[] { 48, 40, 30 },
                Affine.ofRowMajor(VOXEL_MM, 0, 0, -72, 0, VOXEL_MM, 0, -108, 0, 0, VOXEL_MM, -30));
    }

    /**
     * Plants the selections.
     *
     * @param layers L, the number of layers of the network
     * @param seed the seed for the small random variations
     * @return every voxel of every area, by increasing linear index
     */
    public static List<Voxel> plant(int layers, long seed) {
        VolumeGrid grid = grid();
        Random random = new Random(seed);
        List<Voxel> voxels = new ArrayList<>();
        for (int n = 0; n < grid.voxelCount(); n++) {
            int[] ijk = grid.ijk(n);
            double[] w = grid.world(ijk[0], ijk[1], ijk[2]);
            int best = -1;
            double bestDistance = Double.MAX_VALUE;
            for (int a = 0; a < AREAS.size(); a++) {
                double[] c = AREAS.get(a).centre();
                double d = Math.sqrt(sq(Math.abs(w[0]) - c[0]) + sq(w[1] - c[1]) + sq(w[2] - c[2]));
                if (d <= AREAS.get(a).radius() && d < bestDistance) {
                    best = a;
                    bestDistance = d;
                }
            }
            if (best >= 0 && w[0] != 0) {
                voxels.add(plantVoxel(n, best, w, layers, random));
            }
        }
        return voxels;
    }

    private static Voxel plantVoxel(int index, int a, double[] world, int layers, Random random) {
        Area area = AREAS.get(a);
        double[] c = area.centre();
        double r = area.radius();
        // position within the area, each in [-1, 1]: along y (posterior -> anterior) and z (ventral -> dorsal)
        double along = clamp((world[1] - c[1]) / r, -1, 1);
        double up = clamp((world[2] - c[2]) / r, -1, 1);
        double depth = clamp(area.stage() + 0.06 * along, 0, 1);
        int layer = (int) Math.round(depth * (layers - 1));
        double side = Math.signum(world[0]);
        double x, y;
        if (area.retinotopic()) {
            double eccentricity = 0.5 + 0.5 * along;
            x = -side * (0.1 + 0.7 * eccentricity);
            y = 0.7 * up; // ventral cortex (up < 0) sees the upper field: negative y, the top of the image
        } else {
            x = -side * (0.15 + 0.05 * along);
            y = 0.1 * up;
        }
        double scale = clamp(area.scale() + 0.05 * random.nextGaussian(), 0.02, 0.98);
        return new Voxel(index, a, depth, layer, x, y, scale);
    }

    private static double sq(double v) {
        return v * v;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
