package org.brainalign.ui.roi;

import org.brainalign.workflow.slices.Colormap;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.RGB;

/**
 * A stimulus blend shows where on an image an ROI reads from: the image as the network sees it (stretched to a
 * square, as it is resized before the backbone) with the ROI's selection grid ({@link RoiReading}) laid over it cell
 * by cell. A cell holding the largest count is painted at {@value #MAX_ALPHA} opacity in the top of the hot scale;
 * fewer voxels give a darker, more transparent colour; cells without voxels leave the image as it is.
 */
public final class StimulusBlend {

    /** Opacity of the fullest cell: the image stays visible under it. */
    public static final double MAX_ALPHA = 0.7;

    /** Where on the hot scale the emptiest non-empty cell starts: its black end would only darken the image. */
    private static final double LOWEST_HEAT = 0.35;

    private StimulusBlend() {
    }

    /**
     * @param fraction a cell's count over the largest count, 0 to 1
     * @return the colour laid over the cell, as 0xRRGGBB
     */
    public static int heatRgb(double fraction) {
        return Colormap.HOT.exact(LOWEST_HEAT + (1 - LOWEST_HEAT) * fraction);
    }

    /**
     * @param fraction a cell's count over the largest count, 0 to 1
     * @return its opacity
     */
    public static double alpha(double fraction) {
        return MAX_ALPHA * fraction;
    }

    /**
     * Blends a selection grid over an image.
     *
     * @param image the stimulus
     * @param reading the ROI's reading
     * @param size the side of the square result, in pixels
     * @return the blended image, 24-bit RGB
     */
    public static ImageData blend(ImageData image, RoiReading reading, int size) {
        ImageData scaled = image.scaledTo(size, size);
        PaletteData palette = scaled.palette;
        ImageData out = new ImageData(size, size, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF));
        int max = reading.maxCount();
        for (int py = 0; py < size; py++) {
            int row = Math.min(RoiReading.GRID - 1, py * RoiReading.GRID / size);
            for (int px = 0; px < size; px++) {
                int column = Math.min(RoiReading.GRID - 1, px * RoiReading.GRID / size);
                RGB c = palette.getRGB(scaled.getPixel(px, py));
                int count = reading.count(row, column);
                int r = c.red;
                int g = c.green;
                int b = c.blue;
                if (count > 0) {
                    double f = count / (double) max;
                    double a = alpha(f);
                    int heat = heatRgb(f);
                    r = mix(r, (heat >> 16) & 0xFF, a);
                    g = mix(g, (heat >> 8) & 0xFF, a);
                    b = mix(b, heat & 0xFF, a);
                }
                out.setPixel(px, py, r << 16 | g << 8 | b);
            }
        }
        return out;
    }

    private static int mix(int under, int over, double alpha) {
        return (int) Math.round(under * (1 - alpha) + over * alpha);
    }
}
