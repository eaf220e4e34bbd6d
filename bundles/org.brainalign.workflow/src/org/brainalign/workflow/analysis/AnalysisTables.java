package org.brainalign.workflow.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import org.brainalign.core.VolumeGrid;
import org.brainalign.core.analysis.Alignment;
import org.brainalign.core.analysis.Distribution;
import org.brainalign.core.analysis.Drift;
import org.brainalign.core.analysis.ModelComparison;
import org.brainalign.core.analysis.RoiSummary;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.core.data.Roi;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.io.run.Table;

/**
 * The analysis tables: the results of core.analysis laid out as {@link Table}s with fixed column names, written as
 * CSV into run folders and shown in reports. Layers are numbered 1 .. L in every column name and value. Each column
 * is defined in docs/analysis.md.
 */
public final class AnalysisTables {

    /** Name of the per-voxel table. */
    public static final String VOXELS = "voxels";
    /** Name of the per-ROI table. */
    public static final String ROIS = "rois";
    /** Name of the alignment table. */
    public static final String ALIGNMENT = "alignment";
    /** Name of the per-ROI drift table. */
    public static final String DRIFT = "drift";
    /** Name of the overall drift table. */
    public static final String DRIFT_SUMMARY = "drift_summary";
    /** Name of the model comparison table. */
    public static final String COMPARISON = "comparison";

    private AnalysisTables() {
    }

    /**
     * Writes the per-voxel table (one row per voxel: its position, grid index and voxel coordinates for volume data,
     * world coordinates, the ROIs it belongs to, every selector map value and its layer weights) row by row, since
     * it can have hundreds of thousands of rows.
     *
     * @param file the CSV file
     * @param voxels the voxel set
     * @param maps the selector maps over it
     * @param rois ROIs over it (their names fill the rois column, ';'-separated)
     * @throws IOException if writing fails
     */
    public static void writeVoxels(Path file, VoxelSet voxels, SelectorMaps maps, List<Roi> rois) throws IOException {
        if (voxels.size() != maps.voxelCount()) {
            throw new IllegalArgumentException(voxels.size() + " voxels but selector maps of " + maps.voxelCount());
        }
        VolumeGrid grid = voxels.grid().orElse(null);
        List<String> columns = new ArrayList<>(List.of("voxel", "index"));
        if (grid != null) {
            columns.addAll(List.of("i", "j", "k"));
        }
        columns.addAll(List.of("x_mm", "y_mm", "z_mm", "rois", "preferred_layer", "expected_depth", "entropy", "x",
                "y", "scale", "r2", "pearson_r"));
        for (int l = 1; l <= maps.layerCount(); l++) {
            columns.add("p_layer_" + l);
        }
        String[] names = new String[voxels.size()];
        for (Roi roi : rois) {
            for (int n : roi.members()) {
                if (n < names.length) {
                    names[n] = names[n] == null ? roi.name() : names[n] + ";" + roi.name();
                }
            }
        }
        Table.writeCsv(file, columns, voxels.size(), (n, row) -> {
            row.add(n);
            row.add(voxels.index(n));
            if (grid != null) {
                for (int v : grid.ijk(voxels.index(n))) {
                    row.add(v);
                }
            }
            for (double c : voxels.coordinate(n)) {
                row.add(c);
            }
            row.add(names[n] == null ? "" : names[n]);
            row.add(maps.preferredLayer(n) + 1);
            row.add(maps.depth(n));
            row.add(maps.entropy(n));
            // float32 values stay Float so that CSV shows them as stored (0.1, not 0.10000000149011612)
            row.add((float) maps.x(n));
            row.add((float) maps.y(n));
            row.add((float) maps.scale(n));
            row.add((float) maps.r2(n));
            row.add((float) maps.pearson(n));
            for (int l = 0; l < maps.layerCount(); l++) {
                row.add((float) maps.layerWeight(n, l));
            }
        });
    }

    /**
     * One row per ROI, then one for all voxels: size, stage position, depth distribution, mean entropy, position and
     * scale, score distribution and the number of voxels preferring each layer.
     *
     * @param summary the analysis of a run
     * @return the table
     */
    public static Table rois(SelectorSummary summary) {
        List<String> columns = new ArrayList<>(List.of("roi", "voxels", "t", "mean_depth", "sd_depth", "q1_depth",
                "median_depth", "q3_depth", "iqr_depth", "mean_entropy", "mean_x", "mean_y", "mean_scale", "scored",
                "mean_r2", "q1_r2", "median_r2", "q3_r2", "mean_r", "median_r"));
        for (int l = 1; l <= summary.layerCount(); l++) {
            columns.add("layer_" + l);
        }
        Table t = new Table(ROIS, columns);
        List<RoiSummary> all = new ArrayList<>(summary.rois());
        all.add(summary.all());
        for (RoiSummary r : all) {
            List<Object> row = new ArrayList<>(columns.size());
            OptionalDouble position = r == summary.all()
                    ? OptionalDouble.empty()
                    : summary.hierarchy().position(r.name());
            Distribution d = r.depth();
            row.addAll(List.of(r.name(), r.voxelCount()));
            row.add(position.isPresent() ? position.getAsDouble() : null);
            row.addAll(List.of(d.mean(), d.sd(), d.q1(), d.median(), d.q3(), d.iqr(), r.entropy().mean(), r.meanX(),
                    r.meanY(), r.meanScale(), r.r2().count(), r.r2().mean(), r.r2().q1(), r.r2().median(),
                    r.r2().q3(), r.pearson().mean(), r.pearson().median()));
            for (int count : r.layerHistogram()) {
                row.add(count);
            }
            t.add(row);
        }
        return t;
    }

    /**
     * One row: the alignment line of a run.
     *
     * @param summary the analysis of a run
     * @return the table
     */
    public static Table alignment(SelectorSummary summary) {
        Alignment a = summary.alignment();
        return new Table(ALIGNMENT, List.of("run", "layers", "hierarchy", "points", "slope", "b0", "b1", "fit_r2"))
                .add(summary.label(), summary.layerCount(), summary.hierarchy().format(), a.n(), a.slope(), a.b0(),
                        a.b1(), a.rSquared());
    }

    /**
     * One row per ROI, then one for all voxels: the drift of depth, preferred layer, layer weights and score.
     *
     * @param drift a drift
     * @return the table
     */
    public static Table drift(Drift drift) {
        Table t = new Table(DRIFT, List.of("roi", "voxels", "mean_depth_before", "mean_depth_after", "depth_shift",
                "changed_share", "mean_js", "mean_r2_before", "mean_r2_after", "r2_change"));
        for (Drift.RoiDrift r : drift.rois()) {
            t.add(r.roi(), r.voxels(), r.meanDepthBefore(), r.meanDepthAfter(), r.depthShift(), r.changedShare(),
                    r.meanJensenShannon(), r.meanScoreBefore(), r.meanScoreAfter(), r.scoreChange());
        }
        return t;
    }

    /**
     * The overall drift: alignment and mean score before, after and their change.
     *
     * @param drift a drift
     * @return the table, one row per quantity
     */
    public static Table driftSummary(Drift drift) {
        Alignment b = drift.before().alignment();
        Alignment a = drift.after().alignment();
        Table t = new Table(DRIFT_SUMMARY, List.of("quantity", "before", "after", "change"));
        t.add("slope", b.slope(), a.slope(), drift.slopeChange());
        t.add("b0", b.b0(), a.b0(), drift.b0Change());
        t.add("b1", b.b1(), a.b1(), drift.b1Change());
        t.add("fit_r2", b.rSquared(), a.rSquared(), a.rSquared() - b.rSquared());
        t.add("mean_r2", drift.before().all().meanScore(), drift.after().all().meanScore(), drift.scoreChange());
        return t;
    }

    /**
     * One row per run: layer count, alignment, mean score and the mean depth of each ROI.
     *
     * @param comparison a comparison
     * @return the table
     */
    public static Table comparison(ModelComparison comparison) {
        List<String> columns = new ArrayList<>(List.of("run", "layers", "voxels", "slope", "b0", "b1", "fit_r2",
                "mean_r2"));
        for (String roi : comparison.roiNames()) {
            columns.add("depth_" + roi);
        }
        Table t = new Table(COMPARISON, columns);
        for (ModelComparison.Row r : comparison.rows()) {
            List<Object> row = new ArrayList<>(List.of(r.label(), r.layers(), r.voxels(), r.slope(), r.b0(), r.b1(),
                    r.fitR2(), r.meanScore()));
            for (String roi : comparison.roiNames()) {
                row.add(r.meanDepth(roi));
            }
            t.add(row);
        }
        return t;
    }
}
