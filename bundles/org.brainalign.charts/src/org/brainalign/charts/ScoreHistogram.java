package org.brainalign.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * Score histogram: how the voxels' prediction scores (R^2, the paper's brain score, or Pearson r) are distributed,
 * in bins of equal width, with the median marked by a dashed line. Voxels without a score (NaN) are counted in the
 * subtitle, not drawn.
 */
public final class ScoreHistogram {

    /** Enough bins to show the shape of 10^4-10^5 voxel scores, few enough that each holds many voxels. */
    public static final int DEFAULT_BINS = 40;

    private ScoreHistogram() {
    }

    /**
     * Builds the histogram over the range of the scores, in {@link #DEFAULT_BINS} bins.
     *
     * @param title chart title
     * @param scoreName the score, for the axis: "R²", "Pearson r"
     * @param scores one score per voxel, NaN for none
     * @return the figure
     * @throws IllegalArgumentException if no score is finite or one is infinite
     */
    public static ChartFigure create(String title, String scoreName, double[] scores) {
        double[] finite = finiteSorted(scores);
        double low = finite[0];
        double high = finite[finite.length - 1];
        if (low == high) {
            // one value only: give its bar a width
            low -= 0.5;
            high += 0.5;
        }
        return create(title, scoreName, scores, DEFAULT_BINS, low, high);
    }

    /**
     * Builds the histogram over a given range. Bin b covers [low + b * w, low + (b + 1) * w) with w = (high - low) /
     * bins; the last bin includes high. Scores outside the range are counted in the subtitle, not drawn.
     *
     * @param title chart title
     * @param scoreName the score, for the axis
     * @param scores one score per voxel, NaN for none
     * @param bins number of bins, 1 to 10,000
     * @param low lower end of the first bin
     * @param high upper end of the last bin, above low
     * @return the figure
     * @throws IllegalArgumentException if no score is finite, one is infinite, or the bins are not as described
     */
    public static ChartFigure create(String title, String scoreName, double[] scores, int bins, double low,
            double high) {
        double[] finite = finiteSorted(scores);
        if (bins < 1 || bins > 10_000) {
            throw new IllegalArgumentException("a score histogram needs 1 to 10000 bins, got " + bins);
        }
        if (!Double.isFinite(low) || !Double.isFinite(high) || !(high > low)) {
            throw new IllegalArgumentException("a score histogram needs a range low < high, got " + low + " to "
                    + high);
        }
        double width = (high - low) / bins;
        int[] counts = new int[bins];
        int outside = 0;
        for (double v : finite) {
            if (v < low || v > high) {
                outside++;
            } else {
                counts[Math.min(bins - 1, (int) ((v - low) / width))]++;
            }
        }
        double median = median(finite);

        XYIntervalSeries series = new XYIntervalSeries("voxels");
        CsvTable csv = new CsvTable(List.of("bin_low", "bin_high", "count"));
        for (int b = 0; b < bins; b++) {
            double from = low + b * width;
            double to = b == bins - 1 ? high : low + (b + 1) * width;
            series.add((from + to) / 2, from, to, counts[b], 0, counts[b]);
            csv.row(from, to, counts[b]);
        }
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        data.addSeries(series);

        NumberAxis x = new NumberAxis(scoreName);
        x.setAutoRangeIncludesZero(false);
        x.setRange(low, high);
        NumberAxis y = new NumberAxis("voxels");
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        y.setUpperMargin(0.12);
        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, ChartStyle.runColor(0));
        renderer.setDrawBarOutline(true);
        renderer.setSeriesOutlinePaint(0, Color.WHITE);
        renderer.setSeriesOutlineStroke(0, new BasicStroke(0.5f));
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setDomainGridlinesVisible(false);

        ValueMarker marker = new ValueMarker(median);
        marker.setPaint(Color.BLACK);
        marker.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] { 6f, 4f }, 0f));
        marker.setLabel(String.format(Locale.ROOT, "median %.3f", median));
        marker.setLabelFont(ChartStyle.NOTE_FONT);
        marker.setLabelPaint(Color.BLACK);
        marker.setLabelBackgroundColor(ChartStyle.LABEL_BACKGROUND);
        marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        marker.setLabelOffset(new RectangleInsets(4, 4, 4, 4));
        plot.addDomainMarker(marker);

        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE_FONT, plot, false);
        int missing = scores.length - finite.length;
        StringBuilder note = new StringBuilder(String.format(Locale.ROOT, "%,d voxels", finite.length));
        if (missing > 0) {
            note.append(String.format(Locale.ROOT, "; %,d without a score", missing));
        }
        if (outside > 0) {
            note.append(String.format(Locale.ROOT, "; %,d outside the range shown", outside));
        }
        chart.addSubtitle(ChartStyle.subtitle(note.toString()));
        ChartStyle.apply(chart);
        return new ChartFigure(chart, csv.text(), 640, 440);
    }

    /**
     * The median of the finite scores: the middle one, or the mean of the two middle ones for an even count.
     *
     * @param scores scores, NaN for none
     * @return the median
     * @throws IllegalArgumentException if no score is finite
     */
    public static double median(double[] scores) {
        double[] sorted = finiteSorted(scores);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double[] finiteSorted(double[] scores) {
        ChartStyle.required(scores, "scores");
        double[] finite = Arrays.stream(scores).filter(v -> !Double.isNaN(v)).toArray();
        for (double v : finite) {
            if (Double.isInfinite(v)) {
                throw new IllegalArgumentException("a score histogram got an infinite score");
            }
        }
        if (finite.length == 0) {
            throw new IllegalArgumentException("a score histogram needs at least one voxel with a score");
        }
        Arrays.sort(finite);
        return finite;
    }
}
