package org.brainalign.charts;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

import org.jfree.chart.JFreeChart;

/**
 * Renders charts to the bytes of image files, without a display: PNG through Java2D. Sizes are in pixels (SVG user units); a scale above 1 gives a PNG with more pixels for print.
 */
public final class ChartRendering {

    private ChartRendering() {
    }

    /**
     * @param chart the chart
     * @param width width in pixels, at least 1
     * @param height height in pixels, at least 1
     * @return the bytes of a PNG image of exactly that size
     */
    public static byte[] png(JFreeChart chart, int width, int height) {
        checkSize(width, height);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed in memory", e);
        }
        return out.toByteArray();
    }

    private static void checkSize(int width, int height) {
        if (width < 1 || height < 1 || (long) width * height > 100_000_000L) {
            throw new IllegalArgumentException("a chart image needs a size between 1 x 1 and 100 megapixels, got "
                    + width + " x " + height);
        }
    }
}
