package org.brainalign.io.run;

import org.brainalign.core.analysis.SelectorMaps;

/**
 * A selector map is one per-voxel quantity of a fit written as an image in the subject's grid (maps/NAME.nii.gz) or,
 * for surface data, as a per-vertex array (maps/NAME.npy). The preferred layer is stored as a whole number 1 .. L
 * with 0 outside the voxel set (int16); every other map is float32 with NaN outside the voxel set.
 */
public enum SelectorMap {

    /** argmax_l p(n, l), numbered 1 .. L */
    PREFERRED_LAYER("preferred_layer", "preferred layer (1..L)"),
    /** sum_l p(n, l) l / (L - 1), in [0, 1] */
    EXPECTED_DEPTH("expected_depth", "expected layer depth (0..1)"),
    /** (sum_l p log p) / log(1 / L), in [0, 1] */
    ENTROPY("entropy", "normalised layer entropy (0..1)"),
    /** horizontal image position, in [-1, 1] */
    X("x", "image position x (-1..1)"),
    /** vertical image position, in [-1, 1] */
    Y("y", "image position y (-1..1)"),
    /** scale, 0 local to 1 global */
    SCALE("scale", "scale s (0 local, 1 global)"),
    /** coefficient of determination on held-out images */
    R2("r2", "R^2 on held-out images"),
    /** Pearson correlation on held-out images */
    PEARSON_R("pearson_r", "Pearson r on held-out images");

    private final String stem;
    private final String description;

    SelectorMap(String stem, String description) {
        this.stem = stem;
        this.description = description;
    }

    /** @return the file name without extension, e.g. "expected_depth" */
    public String stem() {
        return stem;
    }

    /** @return what the map shows, for headers and legends */
    public String description() {
        return description;
    }

    /** @return whether the map holds whole numbers (stored as int16 in NIfTI) */
    public boolean isInteger() {
        return this == PREFERRED_LAYER;
    }

    /**
     * @param maps selector maps
     * @param n a voxel position
     * @return this map's value at the voxel (the preferred layer as 1 .. L)
     */
    public double value(SelectorMaps maps, int n) {
        return switch (this) {
            case PREFERRED_LAYER -> maps.preferredLayer(n) + 1;
            case EXPECTED_DEPTH -> maps.depth(n);
            case ENTROPY -> maps.entropy(n);
            case X -> maps.x(n);
            case Y -> maps.y(n);
            case SCALE -> maps.scale(n);
            case R2 -> maps.r2(n);
            case PEARSON_R -> maps.pearson(n);
        };
    }
}
