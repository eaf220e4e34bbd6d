package org.brainalign.charts.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;

import org.brainalign.charts.ChartFigure;
import org.brainalign.charts.ChartRendering;
import org.brainalign.charts.ChartStyle;
import org.brainalign.charts.TrainingCurveChart;
import org.brainalign.charts.TrainingCurveChart.Losses;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.junit.jupiter.api.Test;

/** Training curves: both losses as given, merged by step in the CSV, the best epoch marked, log scale on demand. */
public class TrainingCurveChartTest {

    /** Training loss every half epoch, validation loss every epoch, lowest at epoch 2. */
    private static Losses losses() {
        return new Losses("epoch", new double[] { 0.5, 1, 1.5, 2, 2.5, 3 },
                new double[] { 0.9, 0.7, 0.55, 0.5, 0.45, 0.42 }, new double[] { 1, 2, 3 },
                new double[] { 0.8, 0.6, 0.65 });
    }

    @Test
    public void csvMergesBothLossesByStep() {
        ChartFigure figure = TrainingCurveChart.create("Training", losses(), false);
        List<List<String>> csv = ChartTestSupport.parseCsv(figure.csv());
        assertEquals(List.of("epoch", "train_loss", "validation_loss"), csv.get(0));
        assertEquals(7, csv.size());
        assertEquals(List.of("0.5", "0.9", ""), csv.get(1));
        assertEquals(List.of("1.0", "0.7", "0.8"), csv.get(2));
        assertEquals(List.of("2.0", "0.5", "0.6"), csv.get(4));
        assertEquals(List.of("3.0", "0.42", "0.65"), csv.get(6));
    }

    @Test
    public void lowestValidationLossIsMarkedAndBothSeriesDrawn() {
        ChartFigure figure = TrainingCurveChart.create("Training", losses(), false);
        XYPlot plot = (XYPlot) figure.chart().getPlot();
        ValueMarker best = (ValueMarker) plot.getDomainMarkers(Layer.FOREGROUND).iterator().next();
        assertEquals(2, best.getValue(), 0);
        assertTrue(plot.getRangeAxis() instanceof NumberAxis);
        assertEquals(6, plot.getDataset().getItemCount(0));
        assertEquals(0.6, plot.getDataset().getYValue(1, 1), 0);
        BufferedImage png = ChartTestSupport.decodePng(ChartRendering.png(figure, 600, 400));
        assertEquals(600, png.getWidth());
        for (int s = 0; s < 2; s++) {
            int rgb = ChartStyle.runColor(s).getRGB() & 0xFFFFFF;
            assertTrue(ChartTestSupport.count(png, rgb, 0, 60, 600, 400) > 300, "series " + s + " is drawn");
        }
        List<String> texts = ChartTestSupport.texts(ChartTestSupport.parseSvg(ChartRendering.svg(figure, 600, 400)));
        assertTrue(texts.containsAll(List.of("train", "validation", "epoch", "lowest validation loss (epoch 2)")),
                texts.toString());
    }

    @Test
    public void logScaleUsesALogAxisWithTextTickLabelsAndRefusesZero() {
        ChartFigure figure = TrainingCurveChart.create("Training", losses(), true);
        XYPlot plot = (XYPlot) figure.chart().getPlot();
        assertTrue(plot.getRangeAxis() instanceof LogAxis);
        List<String> texts = ChartTestSupport.texts(ChartTestSupport.parseSvg(ChartRendering.svg(figure, 600, 400)));
        // tick labels are plain numbers, written as text (not glyph outlines)
        long numeric = texts.stream().filter(t -> t.matches("0\\.[0-9]+")).count();
        assertTrue(numeric >= 3, "log-axis tick labels as text: " + texts);
        Losses zero = new Losses("step", new double[] { 1, 2 }, new double[] { 0.5, 0 }, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingCurveChart.create("t", zero, true));
        assertTrue(e.getMessage().contains("step 2"), e.getMessage());
        TrainingCurveChart.create("t", zero, false);
    }

    @Test
    public void inconsistentSeriesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TrainingCurveChart.create("t",
                new Losses("epoch", new double[] { 1, 2 }, new double[] { 0.5 }, null, null), false));
        assertThrows(IllegalArgumentException.class, () -> TrainingCurveChart.create("t",
                new Losses("epoch", new double[] { 2, 1 }, new double[] { 0.5, 0.4 }, null, null), false));
        assertThrows(IllegalArgumentException.class,
                () -> TrainingCurveChart.create("t", new Losses("epoch", null, null, null, null), false));
    }
}
