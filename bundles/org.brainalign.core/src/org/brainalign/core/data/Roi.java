package org.brainalign.core.data;

import java.util.Arrays;

/**
 * A region of interest (ROI) is a named subset of a {@link VoxelSet}: its members are positions in that set, sorted
 * and without repeats. The same ROI over another voxel set must be rebuilt from its {@link RoiDefinition}. Instances
 * are immutable.
 */
public final class Roi {

    private final String name;
    private final int[] members;

    /**
     * @param name the ROI's name, e.g. "V1" or "FFA"
     * @param members positions in the voxel set; sorted and made unique here
     */
    public Roi(String name, int[] members) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an ROI needs a name");
        }
        this.name = name;
        this.members = Arrays.stream(members).sorted().distinct().toArray();
        if (this.members.length > 0 && this.members[0] < 0) {
            throw new IllegalArgumentException("ROI " + name + " has a negative member position " + this.members[0]);
        }
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return a copy of the member positions, ascending */
    public int[] members() {
        return members.clone();
    }

    /** @return the number of members */
    public int size() {
        return members.length;
    }

    /**
     * @param position a position in the voxel set
     * @return whether it belongs to this ROI
     */
    public boolean contains(int position) {
        return Arrays.binarySearch(members, position) >= 0;
    }

    /**
     * @param newName the union's name
     * @param other another ROI of the same voxel set
     * @return the ROI holding the members of both
     */
    public Roi union(String newName, Roi other) {
        int[] all = Arrays.copyOf(members, members.length + other.members.length);
        System.arraycopy(other.members, 0, all, members.length, other.members.length);
        return new Roi(newName, all);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Roi r && name.equals(r.name) && Arrays.equals(members, r.members);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(members);
    }

    @Override
    public String toString() {
        return "Roi[" + name + ", " + members.length + " voxels]";
    }
}
