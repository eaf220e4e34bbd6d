package org.brainalign.charts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.brainalign.core.analysis.Alignment;
import org.brainalign.core.analysis.Drift;
import org.brainalign.core.analysis.RoiSummary;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Fine-tuning drift per ROI: the mean layer depth of each region of interest in two fits of the same subject, the
 * backbone before and after fine-tuning, as paired bars. A ROI whose bars differ has moved to earlier (lower) or later
 * (higher) layers; the CSV also gives the shift, after minus before.
 */
public final class DriftChart {

    private DriftChart() {
    }

    /**
     * Mean depths of one ROI in the two fits.
     *
     * @param roi the ROI name
     * @param before mean layer depth (0 to 1) in the first fit, NaN if the ROI had no voxels there
     * @param after mean layer depth (0 to 1) in the second fit, NaN if the ROI had no voxels there
     */
    public record RoiDepths(String roi, double before, double after) {

        /** @return after minus before (NaN if either is missing) */
        public double shift() {
            return after - before;
        }
    }

    /**
     * Builds the chart.
     *
     * @param title chart title
     * @param beforeName name of the first fit, for the legend (for example "CLIP")
     * @param afterName name of the second fit (for example "CLIP fine-tuned")
     * @param rois the ROIs in display order, each named once
     * @return the figure
     * @throws IllegalArgumentException if there is no ROI, a name repeats, or a depth is infinite
     */
    public static ChartFigure create(String title, String beforeName, String afterName, List<RoiDepths> rois) {
        return create(title, beforeName, afterName, rois, null);
    }

    /**
     * Builds the chart from a drift of the analysis: its ROIs (not the row over all voxels), the fits' labels, and
     * the change of the alignment line under the title.
     *
     * @param title chart title
     * @param drift the drift
     * @return the figure
     * @throws IllegalArgumentException if the drift has no ROI or its fits share one label
     */
    public static ChartFigure create(String title, Drift drift) {
        ChartStyle.required(drift, "a drift");
        List<RoiDepths> rois = new ArrayList<>();
        for (Drift.RoiDrift r : drift.rois()) {
            if (!RoiSummary.ALL.equals(r.roi())) {
                rois.add(new RoiDepths(r.roi(), r.meanDepthBefore(), r.meanDepthAfter()));
            }
        }
        Alignment a = drift.before().alignment();
        Alignment b = drift.after().alignment();
        String note = String.format(Locale.ROOT, "alignment slope %.3f → %.3f,  b0 %.3f → %.3f,  b1 %.3f → %.3f",
                a.slope(), b.slope(), a.b0(), b.b0(), a.b1(), b.b1());
        return create(title, drift.before().label(), drift.after().label(), rois, note);
    }

    private static ChartFigure create(String title, String beforeName, String afterName, List<RoiDepths> rois,
            String note) {
        ChartStyle.required(rois, "ROIs");
        ChartStyle.required(beforeName, "a name for the first fit");
        ChartStyle.required(afterName, "a name for the second fit");
        if (rois.isEmpty()) {
            throw new IllegalArgumentException("a drift chart needs at least one ROI");
        }
        if (beforeName.equals(afterName)) {
            throw new IllegalArgumentException("the two fits of a drift chart need different names, both are "
                    + beforeName);
        }
        Set<String> seen = new LinkedHashSet<>();
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        CsvTable csv = new CsvTable(List.of("roi", beforeName, afterName, "shift"));
        for (RoiDepths r : rois) {
            if (r == null || r.roi() == null || !seen.add(r.roi())) {
                throw new IllegalArgumentException("each ROI of a drift chart needs a name of its own, got "
                        + (r == null ? null : r.roi()) + " twice or none");
            }
            if (Double.isInfinite(r.before()) || Double.isInfinite(r.after())) {
                throw new IllegalArgumentException("ROI " + r.roi() + " has an infinite mean depth");
            }
            data.addValue(Double.isNaN(r.before()) ? null : r.before(), beforeName, r.roi());
            data.addValue(Double.isNaN(r.after()) ? null : r.after(), afterName, r.roi());
            csv.row(r.roi(), r.before(), r.after(), r.shift());
        }
        CategoryAxis axis = new CategoryAxis("ROI");
        axis.setCategoryMargin(0.3);
        axis.setCategoryLabelPositions(ChartStyle.categoryLabels(seen));
        NumberAxis depth = new NumberAxis("mean layer depth (0 = first layer, 1 = last)");
        depth.setRange(0, 1);
        depth.setTickUnit(new NumberTickUnit(0.2));
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.04);
        renderer.setMaximumBarWidth(0.06);
        renderer.setSeriesPaint(0, ChartStyle.runColor(0));
        renderer.setSeriesPaint(1, ChartStyle.runColor(1));
        CategoryPlot plot = new CategoryPlot(data, axis, depth, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE_FONT, plot, false);
        if (note != null) {
            chart.addSubtitle(ChartStyle.subtitle(note));
        }
        LegendTitle legend = new LegendTitle(plot);
        legend.setPosition(RectangleEdge.TOP);
        chart.addSubtitle(legend);
        ChartStyle.apply(chart);
        return new ChartFigure(chart, csv.text(), Math.max(560, 160 + 64 * rois.size()), 460);
    }
}
