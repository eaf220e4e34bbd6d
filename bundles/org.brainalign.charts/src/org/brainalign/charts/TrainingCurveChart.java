package org.brainalign.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.text.AttributedCharacterIterator;
import java.text.CharacterIterator;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Training curve: the loss on the training images and on the held-out validation images against the epoch or step
 * of training, on a linear or a logarithmic loss axis. The lowest validation loss, where early stopping keeps the
 * model, is marked with a dashed line.
 */
public final class TrainingCurveChart {

    /** Markers on every point are readable up to this many points per series; beyond, lines alone. */
    private static final int MAX_MARKED_POINTS = 60;

    /** Tick labels with '.' as decimal point whatever the default locale. */
    private static final DecimalFormatSymbols SYMBOLS = DecimalFormatSymbols.getInstance(Locale.ROOT);

    private TrainingCurveChart() {
    }

    /**
     * The losses of one training run. The two series may be sampled at different steps (training loss every step,
     * validation loss every epoch); either may be empty, not both.
     *
     * @param stepName what the x values count: "epoch" or "step"
     * @param trainSteps strictly increasing x values of the training loss
     * @param trainLoss training loss at each of them
     * @param validationSteps strictly increasing x values of the validation loss
     * @param validationLoss validation loss at each of them
     */
    public record Losses(String stepName, double[] trainSteps, double[] trainLoss, double[] validationSteps,
            double[] validationLoss) {
    }

    /**
     * Builds the chart.
     *
     * @param title chart title
     * @param losses the losses
     * @param logScale whether the loss axis is logarithmic (every loss must then be above 0)
     * @return the figure
     * @throws IllegalArgumentException if both series are empty, lengths differ, steps do not increase, a value is
     *         not finite, or a loss is not positive on a log scale
     */
    public static ChartFigure create(String title, Losses losses, boolean logScale) {
        ChartStyle.required(losses, "losses");
        String stepName = ChartStyle.required(losses.stepName(), "a name for the steps");
        XYSeries train = series("train", stepName, losses.trainSteps(), losses.trainLoss(), logScale);
        XYSeries validation = series("validation", stepName, losses.validationSteps(), losses.validationLoss(),
                logScale);
        if (train.getItemCount() == 0 && validation.getItemCount() == 0) {
            throw new IllegalArgumentException("a training curve needs at least one training or validation loss");
        }

        // one row per step at which either loss is known, the other left empty where it was not measured
        Map<Double, double[]> rows = new TreeMap<>();
        for (int i = 0; i < train.getItemCount(); i++) {
            rows.computeIfAbsent(train.getX(i).doubleValue(), k -> new double[] { Double.NaN, Double.NaN })[0] = train
                    .getY(i).doubleValue();
        }
        for (int i = 0; i < validation.getItemCount(); i++) {
            rows.computeIfAbsent(validation.getX(i).doubleValue(),
                    k -> new double[] { Double.NaN, Double.NaN })[1] = validation.getY(i).doubleValue();
        }
        CsvTable csv = new CsvTable(List.of(stepName, "train_loss", "validation_loss"));
        rows.forEach((step, v) -> csv.row(step, v[0], v[1]));

        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(train);
        data.addSeries(validation);
        NumberAxis x = new NumberAxis(stepName);
        x.setAutoRangeIncludesZero(false);
        if (allIntegers(losses.trainSteps()) && allIntegers(losses.validationSteps())) {
            x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        ValueAxis y;
        if (logScale) {
            LogAxis log = new PlainLogAxis("loss (log scale)");
            log.setBase(10);
            log.setSmallestValue(1e-12);
            // plain numbers read better than powers of ten with fractional exponents over a narrow range
            double smallest = Math.min(min(losses.trainLoss()), min(losses.validationLoss()));
            log.setNumberFormatOverride(smallest >= 1e-3
                    ? new DecimalFormat("0.####", SYMBOLS)
                    : new DecimalFormat("0.##E0", SYMBOLS));
            y = log;
        } else {
            NumberAxis linear = new NumberAxis("loss");
            linear.setAutoRangeIncludesZero(false);
            y = linear;
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        XYSeries[] all = { train, validation };
        for (int s = 0; s < 2; s++) {
            renderer.setSeriesPaint(s, ChartStyle.runColor(s));
            renderer.setSeriesStroke(s, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            renderer.setSeriesShape(s, new Ellipse2D.Double(-3, -3, 6, 6));
            renderer.setSeriesShapesVisible(s, all[s].getItemCount() <= MAX_MARKED_POINTS);
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        int best = bestIndex(validation);
        if (best >= 0) {
            double step = validation.getX(best).doubleValue();
            ValueMarker marker = new ValueMarker(step);
            marker.setPaint(Color.DARK_GRAY);
            marker.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] { 5f, 4f }, 0f));
            marker.setLabel(String.format(Locale.ROOT, "lowest validation loss (%s %s)", stepName, format(step)));
            marker.setLabelFont(ChartStyle.NOTE_FONT);
            marker.setLabelPaint(Color.DARK_GRAY);
            marker.setLabelBackgroundColor(ChartStyle.LABEL_BACKGROUND);
            boolean rightHalf = step > (x.getLowerBound() + x.getUpperBound()) / 2;
            // keep the label inside the plot: left of the line when the line is in the right half
            marker.setLabelAnchor(rightHalf ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(rightHalf ? TextAnchor.TOP_RIGHT : TextAnchor.TOP_LEFT);
            marker.setLabelOffset(new RectangleInsets(4, 4, 4, 4));
            plot.addDomainMarker(marker);
        }
        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE_FONT, plot, false);
        LegendTitle legend = new LegendTitle(plot);
        legend.setPosition(RectangleEdge.TOP);
        chart.addSubtitle(legend);
        ChartStyle.apply(chart);
        return new ChartFigure(chart, csv.text(), 640, 440);
    }

    private static XYSeries series(String name, String stepName, double[] steps, double[] loss, boolean logScale) {
        XYSeries s = new XYSeries(name, false, false);
        if (steps == null && loss == null) {
            return s;
        }
        if (steps == null || loss == null || steps.length != loss.length) {
            throw new IllegalArgumentException("the " + name + " loss needs one value per " + stepName + ", got "
                    + (steps == null ? 0 : steps.length) + " " + stepName + "s and "
                    + (loss == null ? 0 : loss.length) + " losses");
        }
        for (int i = 0; i < steps.length; i++) {
            if (!Double.isFinite(steps[i]) || !Double.isFinite(loss[i])) {
                throw new IllegalArgumentException("the " + name + " loss at " + stepName + " " + steps[i]
                        + " is " + loss[i] + "; a training curve needs finite values");
            }
            if (i > 0 && !(steps[i] > steps[i - 1])) {
                throw new IllegalArgumentException("the " + name + " " + stepName + "s must increase, but "
                        + format(steps[i]) + " follows " + format(steps[i - 1]));
            }
            if (logScale && !(loss[i] > 0)) {
                throw new IllegalArgumentException("a log-scale loss axis needs positive losses, but the " + name
                        + " loss at " + stepName + " " + format(steps[i]) + " is " + loss[i]);
            }
            s.add(steps[i], loss[i]);
        }
        return s;
    }

    /**
     * A log axis whose tick labels are plain strings. LogAxis hands its labels over as attributed strings, which
     * JFreeChart draws through TextLayout, and those reach an SVG as glyph outlines instead of text.
     */
    private static final class PlainLogAxis extends LogAxis {

        private static final long serialVersionUID = 1L;

        PlainLogAxis(String label) {
            super(label);
        }

        @Override
        @SuppressWarnings({ "rawtypes", "unchecked" })
        public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            List<Object> plain = new ArrayList<>();
            for (Object tick : super.refreshTicks(g2, state, dataArea, edge)) {
                if (tick instanceof LogTick t) {
                    String text = null;
                    if (t.getAttributedLabel() != null) {
                        StringBuilder s = new StringBuilder();
                        AttributedCharacterIterator it = t.getAttributedLabel().getIterator();
                        for (char c = it.first(); c != CharacterIterator.DONE; c = it.next()) {
                            s.append(c);
                        }
                        text = s.toString();
                    }
                    plain.add(new NumberTick(t.getTickType(), t.getValue(), text, t.getTextAnchor(),
                            t.getRotationAnchor(), t.getAngle()));
                } else {
                    plain.add(tick);
                }
            }
            return plain;
        }
    }

    private static double min(double[] values) {
        double m = Double.POSITIVE_INFINITY;
        if (values != null) {
            for (double v : values) {
                m = Math.min(m, v);
            }
        }
        return m;
    }

    private static int bestIndex(XYSeries validation) {
        int best = -1;
        for (int i = 0; i < validation.getItemCount(); i++) {
            if (best < 0 || validation.getY(i).doubleValue() < validation.getY(best).doubleValue()) {
                best = i;
            }
        }
        return best;
    }

    private static boolean allIntegers(double[] values) {
        if (values != null) {
            for (double v : values) {
                if (v != Math.rint(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String format(double step) {
        return step == Math.rint(step) && Math.abs(step) < 1e15
                ? Long.toString((long) step)
                : String.format(Locale.ROOT, "%g", step);
    }
}
