package org.brainalign.core.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import org.brainalign.core.data.Roi;

/**
 * Brain-network alignment measures how well a network's depth follows the brain's visual hierarchy. Every voxel of
 * every ROI the {@link Hierarchy} places gives one point (t, depth): its ROI's stage position and its expected layer
 * depth (a voxel in two placed ROIs gives two points). The line depth = b0 + slope * t is fitted to these points by
 * ordinary least squares; b0 is the fit at t = 0 (small: early layers match early cortex), b1 = b0 + slope the fit at
 * t = 1 (large: late layers match late cortex), and a larger slope means a more brain-like network. R^2 is the share
 * of the depth variance the line explains. With fewer than two distinct positions among the points the line is not
 * defined and slope, b0, b1 and R^2 are NaN; with no depth variance R^2 is NaN.
 *
 * @param slope the fitted slope
 * @param b0 the fit at t = 0
 * @param b1 the fit at t = 1
 * @param n the number of points (voxel memberships) fitted
 * @param rSquared the coefficient of determination of the fit
 * @param points one entry per placed ROI: its t, voxel count and mean depth (the points of an alignment chart)
 */
public record Alignment(double slope, double b0, double b1, int n, double rSquared, List<RoiPoint> points) {

    /**
     * One ROI on the hierarchy.
     *
     * @param roi its name
     * @param t its stage position
     * @param voxels its voxel count
     * @param meanDepth the mean expected depth of its voxels (NaN if it has none)
     */
    public record RoiPoint(String roi, double t, int voxels, double meanDepth) {
    }

    /** Copies the point list. */
    public Alignment {
        points = List.copyOf(points);
    }

    /**
     * Fits the alignment of selector maps.
     *
     * @param maps the selector maps
     * @param rois ROIs of the maps' voxel set; those the hierarchy does not place are ignored
     * @param hierarchy the stage positions
     * @return the fit
     */
    public static Alignment fit(SelectorMaps maps, List<Roi> rois, Hierarchy hierarchy) {
        List<RoiPoint> points = new ArrayList<>();
        int total = 0;
        for (Roi roi : rois) {
            if (hierarchy.position(roi.name()).isPresent()) {
                total += roi.size();
            }
        }
        double[] t = new double[total];
        double[] depth = new double[total];
        int k = 0;
        for (Roi roi : rois) {
            OptionalDouble position = hierarchy.position(roi.name());
            if (position.isEmpty()) {
                continue;
            }
            double sum = 0;
            for (int n : roi.members()) {
                if (n >= maps.voxelCount()) {
                    throw new IllegalArgumentException("ROI " + roi.name() + " has member " + n
                            + " but the selector maps hold " + maps.voxelCount() + " voxels");
                }
                t[k] = position.getAsDouble();
                depth[k] = maps.depth(n);
                sum += depth[k++];
            }
            points.add(new RoiPoint(roi.name(), position.getAsDouble(), roi.size(),
                    roi.size() == 0 ? Double.NaN : sum / roi.size()));
        }
        Alignment line = leastSquares(t, depth);
        return new Alignment(line.slope, line.b0, line.b1, line.n, line.rSquared, points);
    }

    /**
     * Fits depth = b0 + slope * t by ordinary least squares.
     *
     * @param t the positions
     * @param depth the depths, one per position
     * @return the fit, with no ROI points
     */
    public static Alignment leastSquares(double[] t, double[] depth) {
        if (t.length != depth.length) {
            throw new IllegalArgumentException(t.length + " positions for " + depth.length + " depths");
        }
        int n = t.length;
        if (n == 0) {
            return new Alignment(Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, List.of());
        }
        // centred sums (two passes), so a fit of points on a line is exact to rounding
        double mt = 0;
        double md = 0;
        for (int i = 0; i < n; i++) {
            mt += t[i];
            md += depth[i];
        }
        mt /= n;
        md /= n;
        double stt = 0;
        double std = 0;
        double sdd = 0;
        for (int i = 0; i < n; i++) {
            double dt = t[i] - mt;
            double dd = depth[i] - md;
            stt += dt * dt;
            std += dt * dd;
            sdd += dd * dd;
        }
        if (stt == 0) {
            return new Alignment(Double.NaN, Double.NaN, Double.NaN, n, Double.NaN, List.of());
        }
        double slope = std / stt;
        double b0 = md - slope * mt;
        double residual = 0;
        for (int i = 0; i < n; i++) {
            double e = depth[i] - (b0 + slope * t[i]);
            residual += e * e;
        }
        double r2 = sdd == 0 ? Double.NaN : 1 - residual / sdd;
        return new Alignment(slope, b0, b0 + slope, n, r2, List.of());
    }

    /** @return whether the line is defined (the points span at least two positions) */
    public boolean isDefined() {
        return !Double.isNaN(slope);
    }

    /**
     * @param t a stage position
     * @return the fitted depth there
     */
    public double at(double t) {
        return b0 + slope * t;
    }
}
