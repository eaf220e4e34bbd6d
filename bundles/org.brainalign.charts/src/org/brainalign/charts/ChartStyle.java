package org.brainalign.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;

/** The look every BrainAlign chart shares: white background, light grid, sans-serif text sized for print. */
public final class ChartStyle {

    /** Font family used for all chart text; logical "SansSerif" exists on every JVM, headless or not. */
    public static final String FONT = Font.SANS_SERIF;

    private ChartStyle() {
    }

    /**
     * Applies the house style to a chart.
     *
     * @param chart the chart to restyle in place
     * @return the same chart
     */
    public static JFreeChart apply(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(new Font(FONT, Font.BOLD, 16));
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        Color grid = new Color(0xDD, 0xDD, 0xDD);
        if (plot instanceof CategoryPlot p) {
            p.setRangeGridlinePaint(grid);
            p.setRangeGridlineStroke(new BasicStroke(0.8f));
            p.getDomainAxis().setTickLabelFont(new Font(FONT, Font.PLAIN, 12));
            p.getRangeAxis().setTickLabelFont(new Font(FONT, Font.PLAIN, 12));
            p.getDomainAxis().setLabelFont(new Font(FONT, Font.PLAIN, 13));
            p.getRangeAxis().setLabelFont(new Font(FONT, Font.PLAIN, 13));
        } else if (plot instanceof XYPlot p) {
            p.setRangeGridlinePaint(grid);
            p.setDomainGridlinePaint(grid);
            p.getDomainAxis().setTickLabelFont(new Font(FONT, Font.PLAIN, 12));
            p.getRangeAxis().setTickLabelFont(new Font(FONT, Font.PLAIN, 12));
            p.getDomainAxis().setLabelFont(new Font(FONT, Font.PLAIN, 13));
            p.getRangeAxis().setLabelFont(new Font(FONT, Font.PLAIN, 13));
        }
        return chart;
    }
}
