package org.brainalign.charts;

import java.awt.BasicStroke;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.brainalign.core.analysis.ModelComparison;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.AbstractCategoryItemRenderer;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Model comparison: one value per category for several runs (fits of different backbones, or of one backbone on
 * different subjects), one series per run. Categories are ROIs (mean depth, mean score per ROI) or the alignment
 * numbers themselves (slope, b0, b1).
 */
public final class ModelComparisonChart {

    /** How the series are drawn. */
    public enum Style {
        /** Grouped bars, one bar per run in each category. */
        BARS,
        /** One line with markers per run across the categories (for ordered categories such as the hierarchy). */
        LINES
    }

    private ModelComparisonChart() {
    }

    /**
     * The mean layer depth of each ROI, one series per fit of a comparison.
     *
     * @param title chart title
     * @param comparison the comparison
     * @param style bars or lines
     * @return the figure
     */
    public static ChartFigure meanDepth(String title, ModelComparison comparison, Style style) {
        Map<String, Map<String, Double>> runs = new LinkedHashMap<>();
        for (ModelComparison.Row row : ChartStyle.required(comparison, "a comparison").rows()) {
            Map<String, Double> depths = new LinkedHashMap<>();
            for (String roi : comparison.roiNames()) {
                depths.put(roi, row.meanDepth(roi));
            }
            runs.put(uniqueLabel(runs, row.label()), depths);
        }
        return create(title, "mean layer depth (0 = first layer, 1 = last)", runs, style);
    }

    /**
     * The alignment of each fit of a comparison: slope, b0 and b1 side by side, one series per fit.
     *
     * @param title chart title
     * @param comparison the comparison
     * @return the figure
     */
    public static ChartFigure alignment(String title, ModelComparison comparison) {
        Map<String, Map<String, Double>> runs = new LinkedHashMap<>();
        for (ModelComparison.Row row : ChartStyle.required(comparison, "a comparison").rows()) {
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("slope", row.slope());
            values.put("b0", row.b0());
            values.put("b1", row.b1());
            runs.put(uniqueLabel(runs, row.label()), values);
        }
        return create(title, "alignment", runs, Style.BARS);
    }

    /** A label made unique among those taken by appending " (2)", " (3)", ..., so that no run hides another. */
    private static String uniqueLabel(Map<String, ?> taken, String label) {
        String unique = label;
        for (int n = 2; taken.containsKey(unique); n++) {
            unique = label + " (" + n + ")";
        }
        return unique;
    }

    /**
     * Builds the chart. Categories appear in the order they are first met, run by run.
     *
     * @param title chart title
     * @param valueLabel label of the value axis, for example "mean layer depth" or "slope"
     * @param valuesByRun per run name, in legend order, its value per category; a category a run lacks, or a NaN
     *        value, leaves a gap
     * @param style bars or lines
     * @return the figure
     * @throws IllegalArgumentException if there is no run or no value, or a value is infinite
     */
    public static ChartFigure create(String title, String valueLabel, Map<String, Map<String, Double>> valuesByRun,
            Style style) {
        ChartStyle.required(valuesByRun, "values per run");
        ChartStyle.required(style, "a style");
        if (valuesByRun.isEmpty()) {
            throw new IllegalArgumentException("a model comparison chart needs at least one run");
        }
        Set<String> categories = new LinkedHashSet<>();
        for (Map.Entry<String, Map<String, Double>> run : valuesByRun.entrySet()) {
            if (run.getKey() == null || run.getValue() == null) {
                throw new IllegalArgumentException("every run of a model comparison chart needs a name and values");
            }
            for (Map.Entry<String, Double> v : run.getValue().entrySet()) {
                if (v.getValue() != null && Double.isInfinite(v.getValue())) {
                    throw new IllegalArgumentException("run " + run.getKey() + " has an infinite value for "
                            + v.getKey());
                }
            }
            categories.addAll(run.getValue().keySet());
        }
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("a model comparison chart needs at least one value");
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<String> header = new ArrayList<>();
        header.add("category");
        header.addAll(valuesByRun.keySet());
        CsvTable csv = new CsvTable(header);
        for (String category : categories) {
            Object[] row = new Object[header.size()];
            row[0] = category;
            int column = 1;
            for (Map.Entry<String, Map<String, Double>> run : valuesByRun.entrySet()) {
                Double v = run.getValue().get(category);
                boolean missing = v == null || v.isNaN();
                data.addValue(missing ? null : v, run.getKey(), category);
                row[column++] = missing ? null : v;
            }
            csv.row(row);
        }

        CategoryAxis axis = new CategoryAxis(null);
        axis.setCategoryMargin(style == Style.BARS ? 0.25 : 0.0);
        axis.setCategoryLabelPositions(ChartStyle.categoryLabels(categories));
        NumberAxis values = new NumberAxis(valueLabel);
        values.setAutoRangeIncludesZero(style == Style.BARS);
        AbstractCategoryItemRenderer renderer;
        if (style == Style.BARS) {
            BarRenderer bars = new BarRenderer();
            bars.setBarPainter(new StandardBarPainter());
            bars.setShadowVisible(false);
            bars.setItemMargin(0.04);
            bars.setMaximumBarWidth(0.05);
            renderer = bars;
        } else {
            LineAndShapeRenderer lines = new LineAndShapeRenderer(true, true);
            for (int i = 0; i < valuesByRun.size(); i++) {
                lines.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                lines.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
            }
            renderer = lines;
        }
        for (int i = 0; i < valuesByRun.size(); i++) {
            renderer.setSeriesPaint(i, ChartStyle.runColor(i));
        }
        CategoryPlot plot = new CategoryPlot(data, axis, values, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE_FONT, plot, false);
        LegendTitle legend = new LegendTitle(plot);
        legend.setPosition(RectangleEdge.TOP);
        chart.addSubtitle(legend);
        ChartStyle.apply(chart);
        int perCategory = style == Style.BARS ? 12 * valuesByRun.size() + 24 : 56;
        int width = Math.max(560, 160 + categories.size() * perCategory);
        return new ChartFigure(chart, csv.text(), Math.min(width, 1400), 460);
    }
}
