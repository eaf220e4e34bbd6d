package org.brainalign.core.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.brainalign.core.VolumeGrid;

/**
 * An ROI atlas is an integer label for every voxel of a volume grid (or every vertex of a surface) together with the
 * {@link LabelTable} that names the labels. ROIs are sets of its labels ({@link RoiDefinition}). Instances are
 * immutable; the label array is copied once on construction.
 */
public final class RoiAtlas {

    private final String name;
    private final VolumeGrid grid;
    private final int[] labels;
    private final LabelTable table;

    /**
     * @param name the atlas's name, e.g. "prf-visualrois" or a file name
     * @param grid the grid the labels lie on, or null for surface vertices
     * @param labels one label per grid voxel (i fastest) or per vertex
     * @param table names of the labels (may be empty: labels are then called by their numbers)
     * @throws IllegalArgumentException if the label count does not match the grid
     */
    public RoiAtlas(String name, VolumeGrid grid, int[] labels, LabelTable table) {
        if (grid != null && labels.length != grid.voxelCount()) {
            throw new IllegalArgumentException("atlas " + name + " has " + labels.length + " labels for a grid of "
                    + grid.voxelCount() + " voxels");
        }
        this.name = name;
        this.grid = grid;
        this.labels = labels.clone();
        this.table = table;
    }

    /** @return the atlas's name */
    public String name() {
        return name;
    }

    /** @return the grid of a volume atlas, empty for a surface atlas */
    public Optional<VolumeGrid> grid() {
        return Optional.ofNullable(grid);
    }

    /** @return the label table */
    public LabelTable table() {
        return table;
    }

    /** @return the number of voxels or vertices labelled */
    public int size() {
        return labels.length;
    }

    /**
     * @param index a linear grid index or vertex number
     * @return the label there
     */
    public int label(int index) {
        return labels[index];
    }

    /**
     * @param label a label value
     * @return its name from the table, or the number as text
     */
    public String labelName(int label) {
        return table.name(label).orElse(Integer.toString(label));
    }

    /** @return for every label that occurs (0 and negatives included), the number of voxels carrying it, ascending */
    public Map<Integer, Integer> counts() {
        TreeMap<Integer, Integer> c = new TreeMap<>();
        for (int l : labels) {
            c.merge(l, 1, Integer::sum);
        }
        return c;
    }

    /**
     * @param wanted label values
     * @return one flag per voxel: whether its label is among the wanted ones
     */
    public boolean[] mask(int... wanted) {
        int[] w = wanted.clone();
        Arrays.sort(w);
        boolean[] m = new boolean[labels.length];
        for (int v = 0; v < labels.length; v++) {
            m[v] = Arrays.binarySearch(w, labels[v]) >= 0;
        }
        return m;
    }

    /**
     * The ROI a definition gives within a voxel set: the members whose atlas label is among the definition's labels.
     * The voxel set must lie on this atlas's grid (volume) or index this atlas's vertices (surface).
     *
     * @param definition the ROI's name and labels (its atlas name is not checked here)
     * @param voxels the voxel set the ROI refers to
     * @return the ROI, possibly empty
     * @throws IllegalArgumentException if the voxel set is not on this atlas's grid
     */
    public Roi roi(RoiDefinition definition, VoxelSet voxels) {
        checkSameSpace(voxels);
        int[] w = definition.labels();
        Arrays.sort(w);
        int[] members = new int[voxels.size()];
        int n = 0;
        for (int p = 0; p < voxels.size(); p++) {
            if (Arrays.binarySearch(w, labels[voxels.index(p)]) >= 0) {
                members[n++] = p;
            }
        }
        return new Roi(definition.name(), Arrays.copyOf(members, n));
    }

    /**
     * One ROI per named label of the table, within a voxel set; labels with no member voxel are left out.
     *
     * @param voxels the voxel set
     * @return ROIs by label name, in table order
     */
    public Map<String, Roi> labelRois(VoxelSet voxels) {
        LinkedHashMap<String, Roi> rois = new LinkedHashMap<>();
        for (Map.Entry<Integer, String> e : table.asMap().entrySet()) {
            Roi r = roi(new RoiDefinition(e.getValue(), name, new int[] { e.getKey() }), voxels);
            if (r.size() > 0) {
                rois.put(e.getValue(), r);
            }
        }
        return rois;
    }

    private void checkSameSpace(VoxelSet voxels) {
        if (grid != null) {
            VolumeGrid g = voxels.grid().orElseThrow(() -> new IllegalArgumentException(
                    "atlas " + name + " is a volume but the voxel set holds surface vertices"));
            if (!g.sameSpace(grid, 1e-3)) {
                throw new IllegalArgumentException("atlas " + name + " (" + grid + ") and the voxel set (" + g
                        + ") do not lie on the same grid");
            }
        } else if (voxels.isVolume()) {
            throw new IllegalArgumentException(
                    "atlas " + name + " labels surface vertices but the voxel set is a volume");
        }
    }

    @Override
    public String toString() {
        return "RoiAtlas[" + name + ", " + labels.length + " voxels, " + table.size() + " named labels]";
    }
}
