package org.brainalign.ui.roi;

import java.util.Locale;
import java.util.Optional;

import org.brainalign.charts.LayerColors;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

/**
 * The preferred-layer histogram of an ROI: one bar per layer, as many voxels as prefer it, in the layer's colour on
 * the one layer scale ({@link LayerColors}); under it, when the viewer's voxel belongs to the run, that voxel's own
 * layer weights p(n, l) as a strip of bars from 0 to 1, its preferred layer outlined.
 */
final class LayerHistogramCanvas extends Canvas {

    private static final int MARGIN = 6;
    private static final int STRIP = 40;

    private RoiReading reading;
    private RoiReading.Voxel voxel;

    LayerHistogramCanvas(Composite parent) {
        super(parent, SWT.DOUBLE_BUFFERED);
        addPaintListener(e -> paint(e.gc, getClientArea().width, getClientArea().height));
    }

    void show(RoiReading r, Optional<RoiReading.Voxel> v) {
        reading = r;
        voxel = v.orElse(null);
        redraw();
    }

    private void paint(GC gc, int width, int height) {
        gc.setBackground(getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        gc.fillRectangle(0, 0, width, height);
        if (reading == null) {
            return;
        }
        int layers = reading.layerCount();
        int[] histogram = reading.summary().layerHistogram();
        int max = 1;
        for (int c : histogram) {
            max = Math.max(max, c);
        }
        int text = gc.getFontMetrics().getHeight();
        int strip = voxel != null ? STRIP : 0;
        int left = MARGIN;
        int slot = Math.max(1, (width - 2 * MARGIN) / layers);
        // below the title, with a line for the tallest bar's count
        int barTop = MARGIN + 2 * text;
        int barBottom = height - MARGIN - text - strip;
        gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_LIST_FOREGROUND));
        for (int l = 0; l < layers; l++) {
            int x = left + l * slot;
            int h = (int) Math.round((barBottom - barTop) * histogram[l] / (double) max);
            gc.setBackground(color(LayerColors.layerRgb(l, layers)));
            gc.fillRectangle(x + 1, barBottom - h, Math.max(1, slot - 2), h);
            if (slot >= 18 || l == 0 || l == layers - 1) {
                centred(gc, Integer.toString(l + 1), x + slot / 2, barBottom + 1);
            }
            if (histogram[l] > 0 && slot >= 18) {
                centred(gc, Integer.toString(histogram[l]), x + slot / 2, barBottom - h - text);
            }
        }
        if (voxel != null) {
            int top = height - MARGIN - strip + 4;
            int bottom = height - MARGIN;
            double[] w = voxel.layerWeights();
            gc.drawText("voxel's layer weights", left, top - 2, true);
            int base = top + text;
            for (int l = 0; l < layers; l++) {
                int x = left + l * slot;
                int h = (int) Math.round((bottom - base) * Math.min(1, Math.max(0, w[l])));
                gc.setBackground(color(LayerColors.layerRgb(l, layers)));
                gc.fillRectangle(x + 1, bottom - h, Math.max(1, slot - 2), h);
                if (l == voxel.preferredLayer()) {
                    gc.setLineWidth(2);
                    gc.drawRectangle(x + 1, base, Math.max(1, slot - 2), bottom - base);
                    gc.setLineWidth(1);
                }
            }
        }
        gc.setBackground(getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        gc.drawText(String.format(Locale.ROOT, "preferred layer (1..%d), voxels", layers), left, 0, true);
    }

    private static void centred(GC gc, String s, int x, int y) {
        Point size = gc.textExtent(s);
        gc.drawText(s, x - size.x / 2, y, true);
    }

    private static Color color(int rgb) {
        return new Color((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
    }

    @Override
    public Point computeSize(int wHint, int hHint, boolean changed) {
        return new Point(wHint == SWT.DEFAULT ? 240 : wHint, hHint == SWT.DEFAULT ? 150 : hHint);
    }
}
