package org.brainalign.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.core.analysis.RoiSummary;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.util.SortOrder;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Layer preference per ROI: for each region of interest, a stacked bar of the fraction of its voxels that prefer each
 * layer of the network (argmax of the layer selector), first layer at the bottom in blue, last at the top in red
 * ({@link LayerColors}). A brain-like network gives early visual areas blue bars and late ones red bars.
 */
public final class LayerPreferenceChart {

    /** Above this many layers a colour bar replaces the legend, which would no longer fit beside the plot. */
    private static final int MAX_LEGEND_ITEMS = 16;

    /** Fractions are sums of float32 counts divided by a total: they add up to 1 within rounding, never exactly. */
    private static final double SUM_TOLERANCE = 1e-4;

    private LayerPreferenceChart() {
    }

    /**
     * Builds the chart.
     *
     * @param title chart title
     * @param fractionsByRoi per ROI name, in display order, the fraction of its voxels preferring each layer (index 0
     *        the first layer); every ROI has the same number of layers and fractions that add up to 1
     * @return the figure
     * @throws IllegalArgumentException if there is no ROI, the layer counts differ, or a fraction is outside [0, 1]
     *         or a ROI's fractions do not add up to 1
     */
    public static ChartFigure create(String title, Map<String, double[]> fractionsByRoi) {
        ChartStyle.required(fractionsByRoi, "fractions per ROI");
        if (fractionsByRoi.isEmpty()) {
            throw new IllegalArgumentException("a layer preference chart needs at least one ROI");
        }
        int layers = -1;
        for (Map.Entry<String, double[]> e : fractionsByRoi.entrySet()) {
            checkFractions(e.getKey(), e.getValue(), layers);
            layers = e.getValue().length;
        }

        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<String> header = new ArrayList<>();
        header.add("roi");
        for (int l = 0; l < layers; l++) {
            header.add("layer_" + (l + 1));
        }
        CsvTable csv = new CsvTable(header);
        for (Map.Entry<String, double[]> e : fractionsByRoi.entrySet()) {
            Object[] row = new Object[layers + 1];
            row[0] = e.getKey();
            for (int l = 0; l < layers; l++) {
                // series in layer order: JFreeChart stacks the first series against the axis
                data.addValue(e.getValue()[l], layerName(l), e.getKey());
                row[l + 1] = e.getValue()[l];
            }
            csv.row(row);
        }

        CategoryAxis rois = new CategoryAxis("ROI");
        rois.setCategoryMargin(0.25);
        rois.setCategoryLabelPositions(ChartStyle.categoryLabels(fractionsByRoi.keySet()));
        NumberAxis fraction = new NumberAxis("fraction of voxels");
        fraction.setRange(0, 1);
        fraction.setTickUnit(new NumberTickUnit(0.2));
        StackedBarRenderer renderer = new StackedBarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setMaximumBarWidth(0.12);
        for (int l = 0; l < layers; l++) {
            renderer.setSeriesPaint(l, LayerColors.layerColor(l, layers));
        }
        if (layers <= 24) {
            // thin white seams keep neighbouring layers, whose colours are close, apart
            renderer.setDrawBarOutline(true);
            renderer.setDefaultOutlinePaint(Color.WHITE);
            renderer.setDefaultOutlineStroke(new BasicStroke(0.5f));
        }
        CategoryPlot plot = new CategoryPlot(data, rois, fraction, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE_FONT, plot, false);
        if (layers <= MAX_LEGEND_ITEMS) {
            LegendTitle legend = new LegendTitle(plot);
            legend.setPosition(RectangleEdge.RIGHT);
            // last layer on top, as in the bars
            legend.setSortOrder(SortOrder.DESCENDING);
            legend.setMargin(new RectangleInsets(0, 8, 0, 0));
            chart.addSubtitle(legend);
        } else {
            chart.addSubtitle(colourBar(layers));
        }
        ChartStyle.apply(chart);
        int width = Math.max(560, 200 + 60 * data.getColumnCount());
        return new ChartFigure(chart, csv.text(), width, 460);
    }

    /**
     * Builds the chart from ROI summaries of the analysis, leaving out ROIs without voxels.
     *
     * @param title chart title
     * @param rois the summaries, in display order
     * @return the figure
     * @throws IllegalArgumentException if no ROI has voxels
     */
    public static ChartFigure create(String title, List<RoiSummary> rois) {
        ChartStyle.required(rois, "ROI summaries");
        Map<String, double[]> fractions = new LinkedHashMap<>();
        for (RoiSummary r : rois) {
            if (r.voxelCount() > 0) {
                fractions.put(r.name(), r.layerFractions());
            }
        }
        return create(title, fractions);
    }

    /** The name of a layer as the legend and the data set show it: "layer 1" for index 0. */
    static String layerName(int layer) {
        return "layer " + (layer + 1);
    }

    private static PaintScaleLegend colourBar(int layers) {
        LookupPaintScale scale = new LookupPaintScale(0.5, layers + 0.5, Color.WHITE);
        for (int l = 0; l < layers; l++) {
            scale.add(l + 0.5, LayerColors.layerColor(l, layers));
        }
        NumberAxis axis = new NumberAxis("layer");
        axis.setRange(0.5, layers + 0.5);
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        axis.setTickLabelFont(ChartStyle.TICK_FONT);
        axis.setLabelFont(ChartStyle.AXIS_LABEL_FONT);
        PaintScaleLegend bar = new PaintScaleLegend(scale, axis);
        bar.setPosition(RectangleEdge.RIGHT);
        bar.setStripWidth(14);
        bar.setAxisOffset(4);
        bar.setSubdivisionCount(layers * 4);
        bar.setFrame(BlockBorder.NONE);
        bar.setMargin(new RectangleInsets(20, 10, 20, 0));
        return bar;
    }

    private static void checkFractions(String roi, double[] fractions, int layers) {
        if (roi == null || fractions == null) {
            throw new IllegalArgumentException("a layer preference chart needs a name and fractions for every ROI");
        }
        if (fractions.length == 0) {
            throw new IllegalArgumentException("ROI " + roi + " has no layer fractions");
        }
        if (layers >= 0 && fractions.length != layers) {
            throw new IllegalArgumentException("ROI " + roi + " has fractions for " + fractions.length
                    + " layers, the ROIs before it for " + layers);
        }
        double sum = 0;
        for (int l = 0; l < fractions.length; l++) {
            double f = fractions[l];
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("ROI " + roi + " has a fraction of " + f + " for "
                        + layerName(l) + "; fractions lie in [0, 1]");
            }
            sum += f;
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new IllegalArgumentException("the layer fractions of ROI " + roi + " add up to " + sum + ", not 1");
        }
    }
}
