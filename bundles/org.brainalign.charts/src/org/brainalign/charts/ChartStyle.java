package org.brainalign.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.Collection;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.RectangleInsets;

/** The look every BrainAlign chart shares: white background, light grid, sans-serif text sized for print. */
public final class ChartStyle {

    /** Font family used for all chart text; logical "SansSerif" exists on every JVM, headless or not. */
    public static final String FONT = Font.SANS_SERIF;

    /** Title text. */
    static final Font TITLE_FONT = new Font(FONT, Font.BOLD, 16);

    /** Subtitles, legends and annotations. */
    static final Font NOTE_FONT = new Font(FONT, Font.PLAIN, 12);

    /** Axis names. */
    static final Font AXIS_LABEL_FONT = new Font(FONT, Font.PLAIN, 13);

    /** Tick labels. */
    static final Font TICK_FONT = new Font(FONT, Font.PLAIN, 12);

    /** Grid lines: light enough to read values against, not to compete with the data. */
    static final Color GRID = new Color(0xDD, 0xDD, 0xDD);

    /** Behind marker labels: white, slightly see-through so that the data under a label still shows. */
    static final Color LABEL_BACKGROUND = new Color(255, 255, 255, 210);

    /**
     * Colours for runs (series that are not layers): the Okabe-Ito palette, told apart by colour-blind readers too;
     * its yellow is left out because it does not show on white.
     */
    private static final Color[] RUN_COLORS = { new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
            new Color(0xE69F00), new Color(0xCC79A7), new Color(0x56B4E9), new Color(0x000000) };

    private ChartStyle() {
    }

    /**
     * The colour of the i-th run or series of a chart that compares runs; colours repeat after seven.
     *
     * @param i the series index, from 0
     * @return its colour
     */
    public static Color runColor(int i) {
        return RUN_COLORS[Math.floorMod(i, RUN_COLORS.length)];
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
        chart.setPadding(new RectangleInsets(8, 8, 8, 12));
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(TITLE_FONT);
        }
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            Title t = chart.getSubtitle(i);
            if (t instanceof LegendTitle legend) {
                legend.setItemFont(NOTE_FONT);
                legend.setFrame(BlockBorder.NONE);
                legend.setBackgroundPaint(Color.WHITE);
            } else if (t instanceof TextTitle text) {
                text.setFont(NOTE_FONT);
                text.setPaint(Color.DARK_GRAY);
            }
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        if (plot instanceof CategoryPlot p) {
            p.setRangeGridlinePaint(GRID);
            p.setRangeGridlineStroke(new BasicStroke(0.8f));
            styleAxis(p.getDomainAxis());
            styleAxis(p.getRangeAxis());
        } else if (plot instanceof XYPlot p) {
            p.setRangeGridlinePaint(GRID);
            p.setDomainGridlinePaint(GRID);
            p.setRangeGridlineStroke(new BasicStroke(0.8f));
            p.setDomainGridlineStroke(new BasicStroke(0.8f));
            styleAxis(p.getDomainAxis());
            styleAxis(p.getRangeAxis());
        }
        return chart;
    }

    private static void styleAxis(Axis axis) {
        if (axis != null) {
            axis.setTickLabelFont(TICK_FONT);
            axis.setLabelFont(AXIS_LABEL_FONT);
            axis.setTickLabelPaint(Color.BLACK);
            axis.setLabelPaint(Color.BLACK);
        }
    }

    /**
     * How category names are set under a category axis: level while they fit (up to 16 short names), at 45 degrees
     * beyond.
     *
     * @param names the category names
     * @return the label positions
     */
    static CategoryLabelPositions categoryLabels(Collection<String> names) {
        int longest = names.stream().mapToInt(String::length).max().orElse(0);
        return names.size() > 16 || longest > 7 && names.size() > 6
                ? CategoryLabelPositions.UP_45
                : CategoryLabelPositions.STANDARD;
    }

    /**
     * A subtitle in the house style.
     *
     * @param text the text
     * @return the title, to add with {@link JFreeChart#addSubtitle(Title)}
     */
    static TextTitle subtitle(String text) {
        TextTitle t = new TextTitle(text, NOTE_FONT);
        t.setPaint(Color.DARK_GRAY);
        t.setPadding(new RectangleInsets(2, 0, 6, 0));
        return t;
    }

    /**
     * Checks a chart input that must be present, with a message that names it.
     *
     * @param value the input
     * @param what what it is, for the message
     * @param <T> its type
     * @return the input
     */
    static <T> T required(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("a chart needs " + what + ", got none");
        }
        return value;
    }
}
