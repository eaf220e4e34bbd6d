package org.brainalign.workflow.slices;

/**
 * Resampling reads a volume at a point between its voxel centres, given in its own voxel coordinates (the world
 * point mapped through the inverse of its affine), so that volumes on different grids are drawn over one another by
 * world position. Nearest takes the voxel whose centre is closest (labels and masks keep their values); trilinear
 * weighs the eight surrounding voxels by distance, as FSLeyes and niivue smooth an anatomical image. A point more than
 * half a voxel outside the grid is outside (NaN).
 */
public enum Resampling {

    /** The value of the voxel whose centre is closest. */
    NEAREST("nearest"),
    /** The distance-weighted mean of the eight voxels around the point (edge voxels extend half a voxel out). */
    TRILINEAR("trilinear");

    private final String id;

    Resampling(String id) {
        this.id = id;
    }

    /** @return its name as the viewer shows it */
    public String id() {
        return id;
    }

    /**
     * @param volume a volume
     * @param i the first voxel coordinate (may lie between voxels)
     * @param j the second
     * @param k the third
     * @return the value there, or NaN outside the volume
     */
    public float sample(ViewedVolume volume, double i, double j, double k) {
        int[] shape = volume.grid().shape();
        if (!(i >= -0.5 && j >= -0.5 && k >= -0.5 && i < shape[0] - 0.5 && j < shape[1] - 0.5
                && k < shape[2] - 0.5)) {
            return Float.NaN;
        }
        if (this == NEAREST) {
            // floor(x + 0.5) rounds halves up, as Math.round does, and stays inside by the test above
            return volume.value(index(shape, (int) Math.floor(i + 0.5), (int) Math.floor(j + 0.5),
                    (int) Math.floor(k + 0.5)));
        }
        double x = clamp(i, shape[0]);
        double y = clamp(j, shape[1]);
        double z = clamp(k, shape[2]);
        int i0 = Math.min((int) Math.floor(x), Math.max(0, shape[0] - 2));
        int j0 = Math.min((int) Math.floor(y), Math.max(0, shape[1] - 2));
        int k0 = Math.min((int) Math.floor(z), Math.max(0, shape[2] - 2));
        double fx = x - i0;
        double fy = y - j0;
        double fz = z - k0;
        double sum = 0;
        for (int c = 0; c < 8; c++) {
            int di = c & 1;
            int dj = (c >> 1) & 1;
            int dk = (c >> 2) & 1;
            double w = (di == 1 ? fx : 1 - fx) * (dj == 1 ? fy : 1 - fy) * (dk == 1 ? fz : 1 - fz);
            if (w != 0) {
                int ii = Math.min(i0 + di, shape[0] - 1);
                int jj = Math.min(j0 + dj, shape[1] - 1);
                int kk = Math.min(k0 + dk, shape[2] - 1);
                sum += w * volume.value(index(shape, ii, jj, kk));
            }
        }
        return (float) sum;
    }

    private static double clamp(double v, int size) {
        return Math.min(size - 1, Math.max(0, v));
    }

    private static int index(int[] shape, int i, int j, int k) {
        return i + shape[0] * (j + shape[1] * k);
    }
}
