package org.brainalign.charts;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

import org.jfree.chart.text.TextUtils;
import org.jfree.chart.ui.Drawable;

/**
 * Renders charts and figures to the bytes of image files, without a display: PNG through Java2D, SVG through
 * {@link SvgGraphics2D}. Anything that draws itself into a rectangle can be rendered: a JFreeChart, a {@link Figure}.
 * Sizes are in pixels (SVG user units); a PNG scale above 1 gives more pixels for the same layout, for print.
 */
public final class ChartRendering {

    /** Largest PNG accepted, in pixels: 100 megapixels (400 MB of pixels in memory while encoding). */
    private static final long MAX_PIXELS = 100_000_000L;

    private ChartRendering() {
    }

    /**
     * Renders a PNG image at one pixel per user unit.
     *
     * @param figure the chart or figure
     * @param width width in pixels, at least 1
     * @param height height in pixels, at least 1
     * @return the bytes of a PNG image of exactly that size
     */
    public static byte[] png(Drawable figure, int width, int height) {
        return png(figure, width, height, 1);
    }

    /**
     * Renders a PNG image with the layout of a {@code width x height} drawing and {@code scale} times as many pixels
     * along each side (scale 2 for print at twice the screen resolution: same fonts and proportions, sharper).
     *
     * @param figure the chart or figure
     * @param width layout width in user units, at least 1
     * @param height layout height in user units, at least 1
     * @param scale pixels per user unit, from 0.25 to 16
     * @return the bytes of a PNG image of round(width * scale) x round(height * scale) pixels
     */
    public static byte[] png(Drawable figure, int width, int height, double scale) {
        checkSize(width, height);
        if (!(scale >= 0.25 && scale <= 16)) {
            throw new IllegalArgumentException("a PNG scale must be between 0.25 and 16, got " + scale);
        }
        int w = Math.max(1, (int) Math.round(width * scale));
        int h = Math.max(1, (int) Math.round(height * scale));
        checkSize(w, h);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            prepare(g);
            g.scale(scale, scale);
            figure.draw(g, new Rectangle2D.Double(0, 0, width, height));
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

    /**
     * Renders an SVG 1.1 document; the same figure gives the same text every time.
     *
     * @param figure the chart or figure
     * @param width width in user units (the PNG's pixels), at least 1
     * @param height height in user units, at least 1
     * @return the SVG document, with width, height and viewBox set to that size
     */
    public static String svg(Drawable figure, int width, int height) {
        checkSize(width, height);
        SvgGraphics2D g = new SvgGraphics2D(width, height);
        // JFreeChart draws rotated text (the value axis name) through TextLayout unless told otherwise, a workaround
        // for a Java 1.4 bug; TextLayout reaches a Graphics2D as glyph outlines, drawString as text an editor can
        // change. The flag is global, so SVG renders take turns and put it back.
        synchronized (ChartRendering.class) {
            boolean workaround = TextUtils.isUseDrawRotatedStringWorkaround();
            TextUtils.setUseDrawRotatedStringWorkaround(false);
            try {
                prepare(g);
                figure.draw(g, new Rectangle2D.Double(0, 0, width, height));
            } finally {
                TextUtils.setUseDrawRotatedStringWorkaround(workaround);
                g.dispose();
            }
        }
        return g.svgDocument();
    }

    /** The same hints for both paths, so that text is measured and laid out alike in PNG and SVG. */
    private static void prepare(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    }

    private static void checkSize(int width, int height) {
        if (width < 1 || height < 1 || (long) width * height > MAX_PIXELS) {
            throw new IllegalArgumentException("a chart image needs a size between 1 x 1 and 100 megapixels, got "
                    + width + " x " + height);
        }
    }
}
