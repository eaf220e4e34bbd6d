package org.brainalign.workflow.slices;

import org.brainalign.charts.LayerColors;
import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;

/**
 * Slice rendering turns a slice of a {@link VolumeView} into pixels: each layer, from the underlay (if any) and the
 * opened volume up, is read at the slice's pixels by world position (resampled when it lies on another grid),
 * coloured by its colormap and window, made transparent at or below its threshold, reduced to outlines if asked,
 * dimmed by its entropy volume if it has one, and blended over what lies below with its opacity. The result is one
 * 0xRRGGBB value per slice pixel, row by row; the widget only copies it into an image.
 */
public final class SliceRendering {

    private SliceRendering() {
    }

    /**
     * @param view the view
     * @param plane the plane to render (through the crosshair)
     * @return the pixels, {@code width * height} of {@link VolumeView#slice(SlicePlane)}
     */
    public static int[] render(VolumeView view, SlicePlane plane) {
        Slice slice = view.slice(plane);
        int[] rgb = new int[slice.width() * slice.height()];
        VolumeGrid grid = view.volume().grid();
        Affine canonical = view.reorientation().canonicalAffine();
        for (Overlay o : view.layers()) {
            if (o.visible() && o.opacity() > 0) {
                float[] values = slice.sample(grid, canonical, o.volume(), o.resampling());
                float[] dimming = o.dimming() == null
                        ? null
                        : slice.sample(grid, canonical, o.dimming(), Resampling.NEAREST);
                draw(o, slice, values, dimming, rgb);
            }
        }
        return rgb;
    }

    private static void draw(Overlay o, Slice slice, float[] values, float[] dimming, int[] rgb) {
        int n = values.length;
        boolean[] shown = new boolean[n];
        for (int p = 0; p < n; p++) {
            shown[p] = o.shows(values[p]);
        }
        if (o.outline()) {
            shown = outline(shown, values, slice.width(), slice.height());
        }
        int alpha = (int) Math.round(o.opacity() * 256);
        Colormap map = o.colormap();
        WindowLevel window = o.window();
        for (int p = 0; p < n; p++) {
            if (!shown[p]) {
                continue;
            }
            int c = map.rgb(values[p], window);
            if (dimming != null) {
                c = LayerColors.dimmed(c, dimming[p]);
            }
            rgb[p] = alpha >= 256 ? c : blend(rgb[p], c, alpha);
        }
    }

    /** Keeps the shown pixels that touch (4-neighbourhood) a pixel with another value, or one not shown. */
    static boolean[] outline(boolean[] shown, float[] values, int width, int height) {
        boolean[] edge = new boolean[shown.length];
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                int p = row * width + col;
                if (shown[p]) {
                    edge[p] = differs(shown, values, p, col > 0 ? p - 1 : -1)
                            || differs(shown, values, p, col < width - 1 ? p + 1 : -1)
                            || differs(shown, values, p, row > 0 ? p - width : -1)
                            || differs(shown, values, p, row < height - 1 ? p + width : -1);
                }
            }
        }
        return edge;
    }

    private static boolean differs(boolean[] shown, float[] values, int p, int q) {
        return q < 0 || !shown[q] || values[q] != values[p];
    }

    /**
     * @param below the colour underneath, 0xRRGGBB
     * @param above the colour on top
     * @param alpha the top colour's weight, 0 .. 256
     * @return the blend
     */
    static int blend(int below, int above, int alpha) {
        int inv = 256 - alpha;
        int r = (((below >> 16) & 0xFF) * inv + ((above >> 16) & 0xFF) * alpha) >> 8;
        int g = (((below >> 8) & 0xFF) * inv + ((above >> 8) & 0xFF) * alpha) >> 8;
        int b = ((below & 0xFF) * inv + (above & 0xFF) * alpha) >> 8;
        return r << 16 | g << 8 | b;
    }
}
