package org.brainalign.charts;

import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;

import org.jfree.chart.JFreeChart;

/**
 * A figure that is a JFreeChart: the chart (for the workbench, which shows and restyles it live), the CSV of the data
 * it was built from, and the size it reads best at. The builders of this package return these.
 */
public final class ChartFigure implements Figure {

    private final JFreeChart chart;
    private final String csv;
    private final Dimension preferredSize;

    /**
     * @param chart the chart
     * @param csv the CSV text of what it shows
     * @param width preferred width in pixels
     * @param height preferred height in pixels
     */
    ChartFigure(JFreeChart chart, String csv, int width, int height) {
        this.chart = chart;
        this.csv = csv;
        this.preferredSize = new Dimension(width, height);
    }

    /** @return the chart itself, to show in a chart view or restyle */
    public JFreeChart chart() {
        return chart;
    }

    @Override
    public String csv() {
        return csv;
    }

    @Override
    public Dimension preferredSize() {
        return new Dimension(preferredSize);
    }

    @Override
    public void draw(Graphics2D g, Rectangle2D area) {
        chart.draw(g, area);
    }
}
