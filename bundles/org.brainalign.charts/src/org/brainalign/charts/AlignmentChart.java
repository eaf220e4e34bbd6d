package org.brainalign.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.brainalign.core.analysis.Alignment;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Brain-network alignment: mean layer depth (0 = first layer, 1 = last) against the position t of each ROI in the
 * visual hierarchy (0 = early, 1 = late), with the least-squares line depth = b0 + slope * t. Slope, b0 (the line at
 * t = 0) and b1 (at t = 1) are written under the title: a larger slope is a more brain-like network, a small b0 means
 * early layers match early cortex, a large b1 late layers match late cortex. Points may be ROI means (labelled) or
 * single voxels (unlabelled, drawn small and translucent when there are many).
 */
public final class AlignmentChart {

    /** Above this many points they are drawn small and translucent so that dense regions show as dense. */
    private static final int MANY_POINTS = 200;
    /** Points closer than this in t have labels that could touch (a label is about 0.06 wide at 640 px). */
    public static final double NEIGHBOURS = 0.12;
    /**
     * The least depth between two neighbouring labels: a 12 pt line is about 0.04 of the depth axis at the figure's
     * 520 px and 0.07 in the workbench's chart view, about 250 px high.
     */
    public static final double LABEL_GAP = 0.07;
    /** Labels start this far right of their points (about 10 px at 640 px). */
    private static final double LABEL_OFFSET = 0.025;

    private static final Color POINT = ChartStyle.runColor(0);
    private static final Color LINE = ChartStyle.runColor(1);

    private AlignmentChart() {
    }

    /**
     * One point of the scatter: a ROI's mean depth, or a voxel's depth.
     *
     * @param label the ROI name to print beside the point, or null or empty for none (voxels)
     * @param t position in the visual hierarchy, 0 (early) to 1 (late)
     * @param depth (mean) layer depth, 0 (first layer) to 1 (last layer)
     */
    public record Point(String label, double t, double depth) {
    }

    /**
     * Builds the chart from an alignment of the analysis: its ROI means as labelled points (empty ROIs left out),
     * its line fitted over voxels.
     *
     * @param title chart title
     * @param alignment the alignment
     * @return the figure
     * @throws IllegalArgumentException if no ROI of the alignment has voxels
     */
    public static ChartFigure create(String title, Alignment alignment) {
        ChartStyle.required(alignment, "an alignment");
        List<Point> points = new ArrayList<>();
        for (Alignment.RoiPoint p : alignment.points()) {
            if (!Double.isNaN(p.meanDepth())) {
                points.add(new Point(p.roi(), p.t(), p.meanDepth()));
            }
        }
        checkPoints(points);
        String how = String.format(Locale.ROOT, "least squares over %,d voxels, R² %.3f", alignment.n(),
                alignment.rSquared());
        return create(title, points, alignment, how);
    }

    /**
     * Builds the chart with the least-squares line through the points themselves ({@link Alignment#leastSquares}).
     *
     * @param title chart title
     * @param points ROI means or voxels, at least one
     * @return the figure; without a line if all points share one t
     * @throws IllegalArgumentException if there is no point or a value is not finite
     */
    public static ChartFigure create(String title, List<Point> points) {
        checkPoints(points);
        double[] t = points.stream().mapToDouble(Point::t).toArray();
        double[] depth = points.stream().mapToDouble(Point::depth).toArray();
        Alignment line = Alignment.leastSquares(t, depth);
        return create(title, points, line, "least squares over " + points.size() + " points");
    }

    private static ChartFigure create(String title, List<Point> points, Alignment fit, String how) {
        XYSeries scatter = new XYSeries(points.size() > MANY_POINTS ? "voxels" : "ROIs", false, true);
        CsvTable csv = new CsvTable(List.of("label", "t", "depth", "fit"));
        for (Point p : points) {
            scatter.add(p.t(), p.depth());
            csv.row(p.label() == null ? "" : p.label(), p.t(), p.depth(), fit.at(p.t()));
        }
        XYSeries line = new XYSeries("least-squares line", false, true);
        if (fit.isDefined()) {
            line.add(0.0, fit.at(0));
            line.add(1.0, fit.at(1));
        }

        NumberAxis t = new NumberAxis("position in the visual hierarchy, t (0 = early, 1 = late)");
        boolean labelled = points.stream().anyMatch(p -> p.label() != null && !p.label().isEmpty());
        // room on the right for the labels of the latest ROIs, which sit at t = 1
        t.setRange(-0.05, labelled && points.size() <= MANY_POINTS ? 1.17 : 1.05);
        t.setTickUnit(new NumberTickUnit(0.2));
        NumberAxis depth = new NumberAxis("mean layer depth (0 = first layer, 1 = last)");
        depth.setRange(-0.05, 1.05);
        depth.setTickUnit(new NumberTickUnit(0.2));

        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        boolean many = points.size() > MANY_POINTS;
        double r = many ? 1.5 : 4.5;
        dots.setSeriesShape(0, new Ellipse2D.Double(-r, -r, 2 * r, 2 * r));
        dots.setSeriesPaint(0, many ? new Color(POINT.getRed(), POINT.getGreen(), POINT.getBlue(), 70) : POINT);
        if (!many) {
            dots.setUseOutlinePaint(true);
            dots.setDrawOutlines(true);
            dots.setSeriesOutlinePaint(0, Color.WHITE);
            dots.setSeriesOutlineStroke(0, new BasicStroke(1f));
        }
        XYLineAndShapeRenderer fitLine = new XYLineAndShapeRenderer(true, false);
        fitLine.setSeriesPaint(0, LINE);
        fitLine.setSeriesStroke(0, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));

        XYPlot plot = new XYPlot(new XYSeriesCollection(scatter), t, depth, dots);
        plot.setDataset(1, new XYSeriesCollection(line));
        plot.setRenderer(1, fitLine);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        if (!many) {
            double[] at = labelDepths(points);
            for (int i = 0; i < points.size(); i++) {
                String label = points.get(i).label();
                if (label != null && !label.isEmpty()) {
                    XYTextAnnotation text = new XYTextAnnotation(label, points.get(i).t() + LABEL_OFFSET, at[i]);
                    text.setFont(ChartStyle.NOTE_FONT);
                    text.setPaint(Color.BLACK);
                    text.setTextAnchor(TextAnchor.CENTER_LEFT);
                    plot.addAnnotation(text);
                }
            }
        }
        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE_FONT, plot, false);
        chart.addSubtitle(ChartStyle.subtitle(fit.isDefined()
                ? String.format(Locale.ROOT, "slope %.3f,  b0 %.3f,  b1 %.3f  (%s)", fit.slope(), fit.b0(), fit.b1(),
                        how)
                : "no line: the points lie at fewer than two hierarchy positions"));
        ChartStyle.apply(chart);
        return new ChartFigure(chart, csv.text(), 640, 520);
    }

    /**
     * Where the labels of ROI points go, in depth: beside their points, except that labels of points close in t
     * (chains of points each within {@link #NEIGHBOURS} of the next) are pushed apart to at least {@link #LABEL_GAP},
     * keeping their order and centred
     * on their points, so that V2 and V3, or EBA, FFA and PPA at the end of the hierarchy, do not print over each
     * other.
     *
     * @param points the points
     * @return the depth of each point's label
     */
    public static double[] labelDepths(List<Point> points) {
        double[] at = new double[points.size()];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            at[i] = points.get(i).depth();
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(points.get(a).t(), points.get(b).t()));
        int start = 0;
        while (start < order.size()) {
            int end = start + 1;
            while (end < order.size()
                    && points.get(order.get(end)).t() - points.get(order.get(end - 1)).t() <= NEIGHBOURS) {
                end++;
            }
            List<Integer> group = new ArrayList<>(order.subList(start, end));
            group.sort((a, b) -> Double.compare(points.get(a).depth(), points.get(b).depth()));
            double shift = 0;
            for (int g = 0; g < group.size(); g++) {
                int i = group.get(g);
                if (g > 0) {
                    at[i] = Math.max(at[i], at[group.get(g - 1)] + LABEL_GAP);
                }
                shift += at[i] - points.get(i).depth();
            }
            // spreading only moves labels up: move the group back down by the mean move, gaps unchanged
            for (int i : group) {
                at[i] -= shift / group.size();
            }
            start = end;
        }
        return at;
    }

    private static void checkPoints(List<Point> points) {
        ChartStyle.required(points, "points");
        if (points.isEmpty()) {
            throw new IllegalArgumentException("an alignment chart needs at least one point");
        }
        for (Point p : points) {
            if (p == null || !Double.isFinite(p.t()) || !Double.isFinite(p.depth())) {
                throw new IllegalArgumentException("an alignment point needs a finite t and depth, got " + p);
            }
        }
    }
}
