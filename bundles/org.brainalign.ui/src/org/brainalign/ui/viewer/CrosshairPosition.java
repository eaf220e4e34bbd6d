package org.brainalign.ui.viewer;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A crosshair position is what a volume viewer offers as its selection (through the workbench's selection service),
 * so that other views can follow the voxel the user points at: the file shown, the voxel in its indices and the
 * voxel's world position.
 *
 * @param file the volume's file
 * @param voxel the voxel (i, j, k) in the file's indices
 * @param world its centre in world coordinates (RAS+, mm)
 */
public record CrosshairPosition(Path file, int[] voxel, double[] world) {

    /** Copies the arrays. */
    public CrosshairPosition {
        voxel = voxel.clone();
        world = world.clone();
    }

    @Override
    public int[] voxel() {
        return voxel.clone();
    }

    @Override
    public double[] world() {
        return world.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CrosshairPosition c && file.equals(c.file) && Arrays.equals(voxel, c.voxel);
    }

    @Override
    public int hashCode() {
        return 31 * file.hashCode() + Arrays.hashCode(voxel);
    }

    @Override
    public String toString() {
        return file.getFileName() + " " + Arrays.toString(voxel);
    }
}
