package org.brainalign.charts;

import java.awt.Color;
import java.util.Map;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** A bar chart of one value per region of interest (for example the mean layer depth of V1, V2, ..., PPA). */
public final class RoiBarChart {

    private static final Color BAR = new Color(0x3B, 0x4C, 0xC0);

    private RoiBarChart() {
    }

    /**
     * Builds the chart; ROIs keep the order of the map.
     *
     * @param title chart title
     * @param valueLabel label of the value axis
     * @param valuesByRoi value per ROI name, in display order; NaN values are left out
     * @return the chart
     * @throws IllegalArgumentException if there is no value to show
     */
    public static JFreeChart create(String title, String valueLabel, Map<String, Double> valuesByRoi) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        valuesByRoi.forEach((roi, v) -> {
            if (v != null && !v.isNaN()) {
                data.addValue(v, valueLabel, roi);
            }
        });
        if (data.getColumnCount() == 0) {
            throw new IllegalArgumentException("a ROI bar chart needs at least one ROI with a value");
        }
        CategoryAxis rois = new CategoryAxis("ROI");
        rois.setCategoryLabelPositions(
                data.getColumnCount() > 8 ? CategoryLabelPositions.UP_45 : CategoryLabelPositions.STANDARD);
        NumberAxis values = new NumberAxis(valueLabel);
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, BAR);
        renderer.setItemMargin(0);
        CategoryPlot plot = new CategoryPlot(data, rois, values, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        return ChartStyle.apply(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false));
    }
}
