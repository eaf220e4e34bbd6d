package org.brainalign.core.analysis;

import java.util.Arrays;

/**
 * Selector maps are what a fitted FactorTopy encoder says about each of its N voxels, read from its three selectors
 * and its scores: the layer weights p(n, l) over the L layers (a softmax, each row summing to 1), the image position
 * (x, y) in (-1, 1) the voxel reads from, its scale s in (0, 1) (0 local patch tokens, 1 the global token), and its
 * R^2 and Pearson r on held-out images (NaN when the fit did not score them). From the layer weights follow the
 * preferred layer (argmax, the lowest layer on a tie), the normalised entropy e = (sum_l p log p) / log(1 / L) in
 * [0, 1] (0 one-hot, 1 uniform) and the expected depth sum_l p(n, l) l / (L - 1) in [0, 1] (0 the first layer, 1 the
 * last). Layers are numbered 0 .. L - 1 here; files and figures show them as 1 .. L. A single-layer model has depth 0
 * and entropy 0 everywhere. Instances are immutable.
 */
public final class SelectorMaps {

    /**
     * How far a row of layer weights may sum from 1: float32 softmax outputs of up to a few hundred layers sum to 1
     * within about 1e-5; 1e-3 still catches arrays that are not probabilities (logits, unnormalised weights).
     */
    public static final double SUM_TOLERANCE = 1e-3;

    private final int voxels;
    private final int layers;
    private final float[] weights; // N x L, row-major
    private final float[] x;
    private final float[] y;
    private final float[] scale;
    private final float[] r2;
    private final float[] pearson;
    private final int[] preferred;
    private final double[] entropy;
    private final double[] depth;

    private SelectorMaps(int layers, float[] weights, float[] x, float[] y, float[] scale, float[] r2,
            float[] pearson) {
        if (layers < 1) {
            throw new IllegalArgumentException("selector maps need at least one layer, got " + layers);
        }
        if (weights.length % layers != 0) {
            throw new IllegalArgumentException(
                    weights.length + " layer weights do not make whole rows of " + layers + " layers");
        }
        this.layers = layers;
        this.voxels = weights.length / layers;
        this.weights = weights;
        this.x = checked("x", x, -1, 1);
        this.y = checked("y", y, -1, 1);
        this.scale = checked("scale", scale, 0, 1);
        this.r2 = r2 == null ? nan(voxels) : checkedLength("R^2", r2.clone());
        this.pearson = pearson == null ? nan(voxels) : checkedLength("Pearson r", pearson.clone());
        this.preferred = new int[voxels];
        this.entropy = new double[voxels];
        this.depth = new double[voxels];
        double logL = Math.log(layers);
        for (int n = 0; n < voxels; n++) {
            int base = n * layers;
            double sum = 0;
            double plogp = 0;
            double expected = 0;
            int best = 0;
            for (int l = 0; l < layers; l++) {
                double p = weights[base + l];
                if (!(p >= 0 && p <= 1 + SUM_TOLERANCE)) {
                    throw new IllegalArgumentException("the layer weight of voxel " + n + " for layer " + (l + 1)
                            + " is " + p + ", not a probability");
                }
                sum += p;
                if (p > 0) {
                    plogp += p * Math.log(p);
                }
                expected += p * l;
                if (p > weights[base + best]) {
                    best = l;
                }
            }
            if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                throw new IllegalArgumentException(
                        "the layer weights of voxel " + n + " sum to " + sum + ", not 1: they are not a softmax");
            }
            preferred[n] = best;
            // clamped because float32 weights can push the ratio a hair outside [0, 1]
            entropy[n] = layers == 1 ? 0 : Math.min(1, Math.max(0, -plogp / logL));
            depth[n] = layers == 1 ? 0 : expected / (layers - 1);
        }
    }

    /**
     * Creates selector maps from the arrays a fit produces.
     *
     * @param layerWeights N rows of L layer weights p(n, l), each row a probability distribution
     * @param x the horizontal image position of each voxel, in [-1, 1]
     * @param y the vertical image position of each voxel, in [-1, 1]
     * @param scale the scale s of each voxel, in [0, 1]
     * @param r2 R^2 per voxel, or null when not scored
     * @param pearson Pearson r per voxel, or null when not scored
     * @return the maps
     * @throws IllegalArgumentException if the arrays disagree in length or hold values out of range
     */
    public static SelectorMaps of(float[][] layerWeights, float[] x, float[] y, float[] scale, float[] r2,
            float[] pearson) {
        if (layerWeights.length == 0) {
            throw new IllegalArgumentException("selector maps need at least one voxel");
        }
        int layers = layerWeights[0].length;
        float[] flat = new float[layerWeights.length * layers];
        for (int n = 0; n < layerWeights.length; n++) {
            if (layerWeights[n].length != layers) {
                throw new IllegalArgumentException("voxel " + n + " has " + layerWeights[n].length
                        + " layer weights, voxel 0 has " + layers);
            }
            System.arraycopy(layerWeights[n], 0, flat, n * layers, layers);
        }
        return new SelectorMaps(layers, flat, x, y, scale, r2, pearson);
    }

    /**
     * Creates selector maps from layer weights stored row by row in one array (as a C-order N x L .npy holds them).
     *
     * @param layers L
     * @param layerWeights N x L values, voxel by voxel
     * @param x horizontal positions in [-1, 1]
     * @param y vertical positions in [-1, 1]
     * @param scale scales in [0, 1]
     * @param r2 R^2 per voxel, or null
     * @param pearson Pearson r per voxel, or null
     * @return the maps
     * @throws IllegalArgumentException if the arrays disagree in length or hold values out of range
     */
    public static SelectorMaps ofRows(int layers, float[] layerWeights, float[] x, float[] y, float[] scale,
            float[] r2, float[] pearson) {
        return new SelectorMaps(layers, layerWeights.clone(), x, y, scale, r2, pearson);
    }

    private float[] checked(String what, float[] values, double low, double high) {
        checkedLength(what, values);
        float[] copy = values.clone();
        for (int n = 0; n < copy.length; n++) {
            if (!(copy[n] >= low && copy[n] <= high)) {
                throw new IllegalArgumentException(
                        "the " + what + " of voxel " + n + " is " + copy[n] + ", outside [" + low + ", " + high + "]");
            }
        }
        return copy;
    }

    private float[] checkedLength(String what, float[] values) {
        if (values == null || values.length != voxels) {
            throw new IllegalArgumentException("the " + what + " map has " + (values == null ? 0 : values.length)
                    + " values for " + voxels + " voxels");
        }
        return values;
    }

    private static float[] nan(int n) {
        float[] v = new float[n];
        Arrays.fill(v, Float.NaN);
        return v;
    }

    /** @return N, the number of voxels */
    public int voxelCount() {
        return voxels;
    }

    /** @return L, the number of layers */
    public int layerCount() {
        return layers;
    }

    /**
     * @param n a voxel position
     * @param l a layer, 0 .. L - 1
     * @return p(n, l)
     */
    public double layerWeight(int n, int l) {
        if (l < 0 || l >= layers) {
            throw new IndexOutOfBoundsException("layer " + l + " of " + layers);
        }
        return weights[n * layers + l];
    }

    /**
     * @param n a voxel position
     * @return a new array with p(n, 0 .. L - 1)
     */
    public double[] layerWeights(int n) {
        double[] p = new double[layers];
        for (int l = 0; l < layers; l++) {
            p[l] = weights[n * layers + l];
        }
        return p;
    }

    /** @return a copy of all layer weights, N x L row by row */
    public float[] layerWeightRows() {
        return weights.clone();
    }

    /**
     * @param n a voxel position
     * @return its preferred layer, 0 .. L - 1
     */
    public int preferredLayer(int n) {
        return preferred[n];
    }

    /** @return a copy of the preferred layer of every voxel, 0 .. L - 1 */
    public int[] preferredLayers() {
        return preferred.clone();
    }

    /**
     * @param n a voxel position
     * @return the normalised entropy of its layer weights, in [0, 1]
     */
    public double entropy(int n) {
        return entropy[n];
    }

    /** @return a copy of the normalised entropy of every voxel */
    public double[] entropies() {
        return entropy.clone();
    }

    /**
     * @param n a voxel position
     * @return its expected layer depth, in [0, 1]
     */
    public double depth(int n) {
        return depth[n];
    }

    /** @return a copy of the expected depth of every voxel */
    public double[] depths() {
        return depth.clone();
    }

    /**
     * @param n a voxel position
     * @return its horizontal image position x
     */
    public double x(int n) {
        return x[n];
    }

    /**
     * @param n a voxel position
     * @return its vertical image position y
     */
    public double y(int n) {
        return y[n];
    }

    /**
     * @param n a voxel position
     * @return its scale s
     */
    public double scale(int n) {
        return scale[n];
    }

    /**
     * @param n a voxel position
     * @return its R^2, NaN when not scored
     */
    public double r2(int n) {
        return r2[n];
    }

    /**
     * @param n a voxel position
     * @return its Pearson r, NaN when not scored
     */
    public double pearson(int n) {
        return pearson[n];
    }

    /** @return a copy of x per voxel */
    public float[] xs() {
        return x.clone();
    }

    /** @return a copy of y per voxel */
    public float[] ys() {
        return y.clone();
    }

    /** @return a copy of s per voxel */
    public float[] scales() {
        return scale.clone();
    }

    /** @return a copy of R^2 per voxel (NaN where not scored) */
    public float[] r2s() {
        return r2.clone();
    }

    /** @return a copy of Pearson r per voxel (NaN where not scored) */
    public float[] pearsons() {
        return pearson.clone();
    }

    @Override
    public String toString() {
        return "SelectorMaps[" + voxels + " voxels x " + layers + " layers]";
    }
}
