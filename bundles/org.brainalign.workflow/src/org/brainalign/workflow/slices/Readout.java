package org.brainalign.workflow.slices;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    /**
     * The readout as the viewer prints it: "Voxel [i, j, k]", "World (x, y, z) mm" with two decimals, "Value v"
     * (whole numbers without decimals, others to six significant digits), then one line per overlay value and per
     * label found.
     *
     * @return the lines
     */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("Voxel [" + voxel[0] + ", " + voxel[1] + ", " + voxel[2] + "]");
        lines.add(String.format(Locale.ROOT, "World (%.2f, %.2f, %.2f) mm", world[0], world[1], world[2]));
        lines.add("Value " + format(value));
        for (int i = 1; i < overlays.size(); i++) {
            Reading r = overlays.get(i);
            lines.add(r.name() + " " + format(r.value()));
        }
        lines.addAll(labels());
        return lines;
    }

    /**
     * @param v a value
     * @return whole numbers without decimals, others to six significant digits, NaN as "outside"
     */
    public static String format(float v) {
        if (Float.isNaN(v)) {
            return "outside";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** @return the label names found at the crosshair, top overlay last */
    public List<String> labels() {
        return overlays.stream().filter(r -> r.label() != null).map(r -> r.name() + ": " + r.label()).toList();
    }
}
