package org.brainalign.engine.factortopy;

/**
 * What the fitted selectors say for each voxel: the image position (x, y) in (-1, 1) it reads from (x along the
 * grid's width, y along its height), its layer weights p(n, l), which sum to 1, and its scale s in (0, 1) (0 local
 * tokens, 1 the global token). Derived maps (preferred layer, entropy, expected depth) are computed from these.
 *
 * @param x per voxel
 * @param y per voxel
 * @param scale s per voxel
 * @param layerWeights N x L
 */
public record SelectorOutputs(float[] x, float[] y, float[] scale, float[][] layerWeights) {

    /** @return the number of voxels */
    public int voxels() {
        return x.length;
    }

    /**
     * @param voxel a voxel position
     * @return argmax over l of p(n, l), the first when tied
     */
    public int preferredLayer(int voxel) {
        float[] p = layerWeights[voxel];
        int best = 0;
        for (int l = 1; l < p.length; l++) {
            if (p[l] > p[best]) {
                best = l;
            }
        }
        return best;
    }
}
