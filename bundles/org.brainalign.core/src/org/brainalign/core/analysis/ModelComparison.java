package org.brainalign.core.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model comparison sets the analyses of any number of fits side by side, one row per fit: its layer count, its
 * alignment (slope, b0, b1, R^2 of the line), its mean R^2 over all voxels and the mean expected depth of each ROI.
 * The fits may differ in backbone, layer count and subject: expected depth is normalised to [0, 1], so it compares
 * across depths. The ROI columns are the union of the fits' ROI names in order of first appearance; a fit without an
 * ROI has NaN there.
 *
 * @param roiNames the ROI columns
 * @param rows one row per fit, in the order given
 */
public record ModelComparison(List<String> roiNames, List<Row> rows) {

    /**
     * One fit in a comparison.
     *
     * @param label the fit's name
     * @param layers L
     * @param voxels N
     * @param slope the alignment slope
     * @param b0 the alignment's fit at t = 0
     * @param b1 the alignment's fit at t = 1
     * @param fitR2 R^2 of the alignment line
     * @param meanScore mean R^2 over all voxels (NaN if not scored)
     * @param meanDepth ROI name to the mean expected depth of its voxels
     */
    public record Row(String label, int layers, int voxels, double slope, double b0, double b1, double fitR2,
            double meanScore, Map<String, Double> meanDepth) {

        /** Copies the depth map. */
        public Row {
            meanDepth = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(meanDepth));
        }

        /**
         * @param roi an ROI name
         * @return this fit's mean depth in it, NaN if it has no such ROI
         */
        public double meanDepth(String roi) {
            return meanDepth.getOrDefault(roi, Double.NaN);
        }
    }

    /** Copies the lists. */
    public ModelComparison {
        roiNames = List.copyOf(roiNames);
        rows = List.copyOf(rows);
    }

    /**
     * Compares fits.
     *
     * @param summaries the fits' analyses, in the order the table should list them
     * @return the comparison
     */
    public static ModelComparison of(List<SelectorSummary> summaries) {
        List<String> names = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (SelectorSummary s : summaries) {
            LinkedHashMap<String, Double> depth = new LinkedHashMap<>();
            for (RoiSummary r : s.rois()) {
                depth.put(r.name(), r.meanDepth());
                if (!names.contains(r.name())) {
                    names.add(r.name());
                }
            }
            Alignment a = s.alignment();
            rows.add(new Row(s.label(), s.layerCount(), s.voxelCount(), a.slope(), a.b0(), a.b1(), a.rSquared(),
                    s.all().meanScore(), depth));
        }
        return new ModelComparison(names, rows);
    }
}
