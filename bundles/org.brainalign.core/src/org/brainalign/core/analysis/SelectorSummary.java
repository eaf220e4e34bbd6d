package org.brainalign.core.analysis;

import java.util.ArrayList;
import java.util.List;

import org.brainalign.core.data.Roi;

/**
 * A selector summary is the analysis of one fit: its selector maps summarised over all voxels and ROI by ROI, and its
 * brain-network alignment along a hierarchy. It is what a run's tables, report section and comparison row are made
 * of.
 *
 * @param label the fit's name (a run name), for tables and legends
 * @param voxelCount N
 * @param layerCount L
 * @param all the summary over every voxel
 * @param rois one summary per ROI, in the order given
 * @param alignment the alignment fit
 * @param hierarchy the hierarchy the alignment used
 */
public record SelectorSummary(String label, int voxelCount, int layerCount, RoiSummary all, List<RoiSummary> rois,
        Alignment alignment, Hierarchy hierarchy) {

    /** Copies the ROI list. */
    public SelectorSummary {
        rois = List.copyOf(rois);
    }

    /**
     * Analyses selector maps.
     *
     * @param label the fit's name
     * @param maps the selector maps
     * @param rois ROIs of the maps' voxel set, in the order the tables should list them
     * @param hierarchy stage positions for the alignment
     * @return the summary
     */
    public static SelectorSummary of(String label, SelectorMaps maps, List<Roi> rois, Hierarchy hierarchy) {
        List<RoiSummary> summaries = new ArrayList<>();
        for (Roi roi : rois) {
            summaries.add(RoiSummary.of(roi, maps));
        }
        return new SelectorSummary(label, maps.voxelCount(), maps.layerCount(), RoiSummary.ofAll(maps), summaries,
                Alignment.fit(maps, rois, hierarchy), hierarchy);
    }

    /**
     * Chooses ROIs by name from those available: each wanted name in order, matched directly or through the V4 / hV4
     * alias; wanted names with no ROI are skipped.
     *
     * @param available the ROIs a voxel set has
     * @param wanted the names wanted, e.g. {@link Hierarchy#DEFAULT_ROIS}
     * @return the chosen ROIs, in the wanted order
     */
    public static List<Roi> choose(List<Roi> available, List<String> wanted) {
        List<Roi> chosen = new ArrayList<>();
        for (String w : wanted) {
            Roi match = null;
            for (Roi r : available) {
                if (r.name().equals(w)) {
                    match = r;
                    break;
                }
                if (match == null && Hierarchy.sameArea(r.name(), w)) {
                    match = r;
                }
            }
            if (match != null && !chosen.contains(match)) {
                chosen.add(match);
            }
        }
        return chosen;
    }

    /**
     * @param roiName an ROI's name
     * @return its summary, or null if this analysis has none of that name
     */
    public RoiSummary roi(String roiName) {
        for (RoiSummary s : rois) {
            if (s.name().equals(roiName)) {
                return s;
            }
        }
        return null;
    }
}
