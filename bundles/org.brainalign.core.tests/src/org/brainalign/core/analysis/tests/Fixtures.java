package org.brainalign.core.analysis.tests;

import java.util.Arrays;

import org.brainalign.core.analysis.SelectorMaps;

/** Small selector maps built from one-hot or given layer weights, for tests. */
final class Fixtures {

    private Fixtures() {
    }

    static float[] fill(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    /** One-hot weights: voxel n prefers layer layers[n] with weight 1. */
    static float[][] oneHot(int layerCount, int... layers) {
        float[][] p = new float[layers.length][layerCount];
        for (int n = 0; n < layers.length; n++) {
            p[n][layers[n]] = 1;
        }
        return p;
    }

    static SelectorMaps maps(float[][] p, float[] r2) {
        int n = p.length;
        return SelectorMaps.of(p, fill(n, 0), fill(n, 0), fill(n, 0.5f), r2, null);
    }
}
