package org.brainalign.core.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.brainalign.core.data.Roi;

/**
 * Drift is how the selector maps of one subject change between two fits on the same voxels, typically a backbone
 * before and after fine-tuning. Per ROI (and over all voxels): the shift of mean expected depth (after minus before),
 * the share of voxels whose preferred layer changed, the mean Jensen-Shannon divergence between each voxel's layer
 * weights before and after, and the change of mean R^2; overall: the change of the alignment's slope, b0 and b1 and
 * of the mean R^2. The divergence uses natural logarithms, so it lies in [0, ln 2]: 0 for identical weights, ln 2 for
 * weights on disjoint layers. Both fits must have the same number of layers, since weights are compared layer by
 * layer; fits of backbones of different depths are compared with {@link ModelComparison} instead.
 *
 * @param before the earlier fit's analysis
 * @param after the later fit's analysis
 * @param rois one row per ROI, in the order given, then one for all voxels
 */
public record Drift(SelectorSummary before, SelectorSummary after, List<RoiDrift> rois) {

    /**
     * The drift of one ROI.
     *
     * @param roi the ROI's name
     * @param voxels its voxel count
     * @param meanDepthBefore mean expected depth before
     * @param meanDepthAfter mean expected depth after
     * @param changedShare the share of its voxels whose preferred layer changed, in [0, 1]
     * @param meanJensenShannon the mean over its voxels of the Jensen-Shannon divergence of their layer weights
     * @param meanScoreBefore mean R^2 before (NaN if not scored)
     * @param meanScoreAfter mean R^2 after
     */
    public record RoiDrift(String roi, int voxels, double meanDepthBefore, double meanDepthAfter, double changedShare,
            double meanJensenShannon, double meanScoreBefore, double meanScoreAfter) {

        /** @return the depth shift, after minus before */
        public double depthShift() {
            return meanDepthAfter - meanDepthBefore;
        }

        /** @return the change of mean R^2, after minus before */
        public double scoreChange() {
            return meanScoreAfter - meanScoreBefore;
        }
    }

    /** Copies the row list. */
    public Drift {
        rois = List.copyOf(rois);
    }

    /**
     * Measures the drift between two fits on the same voxels.
     *
     * @param labelBefore the earlier fit's name
     * @param before its selector maps
     * @param labelAfter the later fit's name
     * @param after its selector maps
     * @param rois ROIs of the common voxel set
     * @param hierarchy stage positions for the alignments
     * @return the drift
     * @throws IllegalArgumentException if the fits differ in voxel or layer count
     */
    public static Drift between(String labelBefore, SelectorMaps before, String labelAfter, SelectorMaps after,
            List<Roi> rois, Hierarchy hierarchy) {
        if (before.voxelCount() != after.voxelCount()) {
            throw new IllegalArgumentException("drift compares two fits of the same voxels, but " + labelBefore
                    + " has " + before.voxelCount() + " voxels and " + labelAfter + " " + after.voxelCount());
        }
        if (before.layerCount() != after.layerCount()) {
            throw new IllegalArgumentException("drift compares layer weights layer by layer, but " + labelBefore
                    + " has " + before.layerCount() + " layers and " + labelAfter + " " + after.layerCount()
                    + "; compare backbones of different depths with a model comparison instead");
        }
        List<RoiDrift> rows = new ArrayList<>();
        for (Roi roi : rois) {
            rows.add(roiDrift(roi.name(), roi.members(), before, after));
        }
        int[] all = new int[before.voxelCount()];
        Arrays.setAll(all, n -> n);
        rows.add(roiDrift(RoiSummary.ALL, all, before, after));
        return new Drift(SelectorSummary.of(labelBefore, before, rois, hierarchy),
                SelectorSummary.of(labelAfter, after, rois, hierarchy), rows);
    }

    private static RoiDrift roiDrift(String name, int[] members, SelectorMaps before, SelectorMaps after) {
        double depthBefore = 0;
        double depthAfter = 0;
        double js = 0;
        int changed = 0;
        double[] r2Before = new double[members.length];
        double[] r2After = new double[members.length];
        for (int i = 0; i < members.length; i++) {
            int n = members[i];
            if (n >= before.voxelCount()) {
                throw new IllegalArgumentException("ROI " + name + " has member " + n + " but the selector maps hold "
                        + before.voxelCount() + " voxels");
            }
            depthBefore += before.depth(n);
            depthAfter += after.depth(n);
            js += jensenShannon(before.layerWeights(n), after.layerWeights(n));
            changed += before.preferredLayer(n) != after.preferredLayer(n) ? 1 : 0;
            r2Before[i] = before.r2(n);
            r2After[i] = after.r2(n);
        }
        int count = members.length;
        if (count == 0) {
            return new RoiDrift(name, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new RoiDrift(name, count, depthBefore / count, depthAfter / count, changed / (double) count,
                js / count, Distribution.of(r2Before).mean(), Distribution.of(r2After).mean());
    }

    /**
     * The Jensen-Shannon divergence of two distributions over the same outcomes, in nats: JS(p, q) = KL(p || m) / 2 +
     * KL(q || m) / 2 with m = (p + q) / 2 and 0 log 0 = 0.
     *
     * @param p one distribution
     * @param q another, of the same length
     * @return the divergence, in [0, ln 2]
     */
    public static double jensenShannon(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("distributions over " + p.length + " and " + q.length + " outcomes");
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2;
            if (p[i] > 0) {
                sum += p[i] * Math.log(p[i] / m);
            }
            if (q[i] > 0) {
                sum += q[i] * Math.log(q[i] / m);
            }
        }
        return Math.max(0, sum / 2);
    }

    /** @return the change of the alignment slope, after minus before */
    public double slopeChange() {
        return after.alignment().slope() - before.alignment().slope();
    }

    /** @return the change of b0, after minus before */
    public double b0Change() {
        return after.alignment().b0() - before.alignment().b0();
    }

    /** @return the change of b1, after minus before */
    public double b1Change() {
        return after.alignment().b1() - before.alignment().b1();
    }

    /** @return the change of the mean R^2 over all voxels, after minus before */
    public double scoreChange() {
        return after.all().meanScore() - before.all().meanScore();
    }
}
