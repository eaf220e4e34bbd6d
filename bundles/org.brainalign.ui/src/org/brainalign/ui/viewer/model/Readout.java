package org.brainalign.ui.viewer.model;

import java.util.List;

/**
 * A readout is what the viewer reports at the crosshair: the voxel in the opened file's own indices, its world
 * position, the value there, and what each overlay holds at that place (with the label's name for an atlas).
 *
 * @param voxel the file voxel indices (i, j, k) of the opened volume
 * @param world the world position in mm (x, y, z)
 * @param value the opened volume's value
 * @param overlays one reading per overlay, the opened volume first
 */
public record Readout(int[] voxel, double[] world, float value, List<Reading> overlays) {

    /**
     * What one overlay holds at the crosshair.
     *
     * @param name the overlay's volume name
     * @param value its value there (NaN outside it)
     * @param label the name of its label there, or null when it is not an atlas or the label has no name
     */
    public record Reading(String name, float value, String label) {
    }

    /** @return the label names found at the crosshair, top overlay last */
    public List<String> labels() {
        return overlays.stream().filter(r -> r.label() != null).map(r -> r.name() + ": " + r.label()).toList();
    }
}
