package org.brainalign.core.data;

import java.util.Arrays;

/**
 * An ROI definition says which labels of which atlas make up a named ROI, e.g. V1 = labels 1 and 2 of
 * "prf-visualrois". It is what a user saves and reloads; {@link RoiAtlas#roi} turns it into the {@link Roi} of a
 * particular voxel set.
 *
 * @param name the ROI's name
 * @param atlas the atlas's name (an NSD atlas name such as "prf-visualrois", or the file the labels refer to)
 * @param labels the atlas labels that belong to the ROI
 */
public record RoiDefinition(String name, String atlas, int[] labels) {

    /**
     * @throws IllegalArgumentException if the name is blank or no label is given
     */
    public RoiDefinition {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an ROI definition needs a name");
        }
        if (labels == null || labels.length == 0) {
            throw new IllegalArgumentException("ROI " + name + " needs at least one label");
        }
        labels = labels.clone();
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoiDefinition d && name.equals(d.name) && java.util.Objects.equals(atlas, d.atlas)
                && Arrays.equals(labels, d.labels);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return name + " = " + atlas + " " + Arrays.toString(labels);
    }
}
