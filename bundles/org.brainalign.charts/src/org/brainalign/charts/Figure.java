package org.brainalign.charts;

import java.awt.Dimension;

import org.jfree.chart.ui.Drawable;

/**
 * A figure is one finished picture of results, ready for a paper or a report: it draws itself into any rectangle of a
 * Graphics2D, so the same object renders to PNG, to SVG and into a workbench view, and it lists the numbers it shows
 * as CSV, so every picture can be checked and redrawn elsewhere.
 */
public interface Figure extends Drawable {

    /**
     * The numbers the figure shows, as CSV text: a header row, then one row per item, '.' as decimal point, fields
     * quoted as RFC 4180 says, lines ending in CRLF; a missing value is an empty field.
     *
     * @return the CSV text
     */
    String csv();

    /**
     * The size at which the figure reads best, in pixels (SVG user units).
     *
     * @return width and height
     */
    Dimension preferredSize();

    /**
     * Renders the figure as PNG at its preferred size.
     *
     * @return the bytes of the PNG file
     */
    default byte[] png() {
        Dimension size = preferredSize();
        return ChartRendering.png(this, size.width, size.height);
    }

    /**
     * Renders the figure as an SVG document at its preferred size.
     *
     * @return the SVG document
     */
    default String svg() {
        Dimension size = preferredSize();
        return ChartRendering.svg(this, size.width, size.height);
    }
}
