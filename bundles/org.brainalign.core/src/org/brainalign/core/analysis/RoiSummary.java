package org.brainalign.core.analysis;

import java.util.Arrays;

import org.brainalign.core.data.Roi;

/**
 * An ROI summary is what the selector maps say about one region of interest as a whole: how many of its voxels prefer
 * each layer, the distribution of their expected depths (mean, spread as standard deviation and interquartile range),
 * of their layer entropies, their mean image position (x, y) and mean scale s, and the distribution of their scores
 * (R^2, the paper's brain score, and Pearson r). An empty ROI has count 0 and NaN statistics.
 *
 * @param name the ROI's name
 * @param voxelCount the number of its voxels
 * @param layerHistogram for each layer 0 .. L - 1, the number of its voxels preferring it
 * @param depth the distribution of expected depth
 * @param entropy the distribution of normalised layer entropy
 * @param meanX the mean horizontal image position
 * @param meanY the mean vertical image position
 * @param meanScale the mean scale s
 * @param r2 the distribution of R^2 over its scored voxels
 * @param pearson the distribution of Pearson r over its scored voxels
 */
public record RoiSummary(String name, int voxelCount, int[] layerHistogram, Distribution depth, Distribution entropy,
        double meanX, double meanY, double meanScale, Distribution r2, Distribution pearson) {

    /** The name of the summary over every voxel of a fit. */
    public static final String ALL = "all voxels";

    /** Copies the histogram, so the record stays immutable. */
    public RoiSummary {
        layerHistogram = layerHistogram.clone();
    }

    /**
     * Summarises an ROI.
     *
     * @param roi the ROI, over the same voxel set as the maps
     * @param maps the selector maps
     * @return the summary
     * @throws IllegalArgumentException if a member lies beyond the maps' voxels
     */
    public static RoiSummary of(Roi roi, SelectorMaps maps) {
        int[] members = roi.members();
        if (members.length > 0 && members[members.length - 1] >= maps.voxelCount()) {
            throw new IllegalArgumentException("ROI " + roi.name() + " has member " + members[members.length - 1]
                    + " but the selector maps hold " + maps.voxelCount() + " voxels: they are of another voxel set");
        }
        return summarise(roi.name(), members, maps);
    }

    /**
     * Summarises every voxel of the maps.
     *
     * @param maps the selector maps
     * @return the summary named {@link #ALL}
     */
    public static RoiSummary ofAll(SelectorMaps maps) {
        int[] all = new int[maps.voxelCount()];
        Arrays.setAll(all, n -> n);
        return summarise(ALL, all, maps);
    }

    private static RoiSummary summarise(String name, int[] members, SelectorMaps maps) {
        int[] histogram = new int[maps.layerCount()];
        double[] depth = new double[members.length];
        double[] entropy = new double[members.length];
        double[] r2 = new double[members.length];
        double[] r = new double[members.length];
        double sx = 0;
        double sy = 0;
        double ss = 0;
        for (int i = 0; i < members.length; i++) {
            int n = members[i];
            histogram[maps.preferredLayer(n)]++;
            depth[i] = maps.depth(n);
            entropy[i] = maps.entropy(n);
            r2[i] = maps.r2(n);
            r[i] = maps.pearson(n);
            sx += maps.x(n);
            sy += maps.y(n);
            ss += maps.scale(n);
        }
        int count = members.length;
        return new RoiSummary(name, count, histogram, Distribution.of(depth), Distribution.of(entropy),
                count == 0 ? Double.NaN : sx / count, count == 0 ? Double.NaN : sy / count,
                count == 0 ? Double.NaN : ss / count, Distribution.of(r2), Distribution.of(r));
    }

    @Override
    public int[] layerHistogram() {
        return layerHistogram.clone();
    }

    /** @return the share of the ROI's voxels preferring each layer (all 0 for an empty ROI) */
    public double[] layerFractions() {
        double[] f = new double[layerHistogram.length];
        for (int l = 0; l < f.length; l++) {
            f[l] = voxelCount == 0 ? 0 : layerHistogram[l] / (double) voxelCount;
        }
        return f;
    }

    /** @return the mean expected depth */
    public double meanDepth() {
        return depth.mean();
    }

    /** @return the mean R^2 (NaN when no voxel is scored) */
    public double meanScore() {
        return r2.mean();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoiSummary s && name.equals(s.name) && voxelCount == s.voxelCount
                && Arrays.equals(layerHistogram, s.layerHistogram) && depth.equals(s.depth)
                && entropy.equals(s.entropy) && Double.compare(meanX, s.meanX) == 0
                && Double.compare(meanY, s.meanY) == 0 && Double.compare(meanScale, s.meanScale) == 0
                && r2.equals(s.r2) && pearson.equals(s.pearson);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(layerHistogram);
    }

    @Override
    public String toString() {
        return "RoiSummary[" + name + ", " + voxelCount + " voxels, mean depth " + depth.mean() + "]";
    }
}
