package org.brainalign.ui.roi;

import java.util.Optional;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

/**
 * The selection grid of an ROI: the 8 x 8 image grid, each cell coloured by how many of the ROI's voxels read from it
 * ({@link RoiReading}), or a stimulus with that heat map blended over it ({@link StimulusBlend}); the viewer's voxel
 * is marked at its own (x, y) with a ring and cross.
 */
final class SelectionGridCanvas extends Canvas {

    private static final int MARGIN = 6;

    private RoiReading reading;
    private RoiReading.Voxel voxel;
    private ImageData blended;
    private Image image;

    SelectionGridCanvas(Composite parent) {
        super(parent, SWT.DOUBLE_BUFFERED);
        addPaintListener(e -> paint(e.gc, getClientArea().width, getClientArea().height));
        addDisposeListener(e -> disposeImage());
    }

    void show(RoiReading r, Optional<RoiReading.Voxel> v, ImageData blend) {
        reading = r;
        voxel = v.orElse(null);
        if (blend != blended) {
            disposeImage();
            blended = blend;
        }
        redraw();
    }

    private void disposeImage() {
        if (image != null) {
            image.dispose();
            image = null;
        }
    }

    private void paint(GC gc, int width, int height) {
        gc.setBackground(getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        gc.fillRectangle(0, 0, width, height);
        if (reading == null) {
            return;
        }
        int side = Math.max(16, Math.min(width, height) - 2 * MARGIN);
        int x0 = (width - side) / 2;
        int y0 = MARGIN;
        int n = RoiReading.GRID;
        if (blended != null) {
            if (image == null) {
                image = new Image(getDisplay(), blended);
            }
            gc.drawImage(image, 0, 0, blended.width, blended.height, x0, y0, side, side);
        } else {
            int max = reading.maxCount();
            for (int row = 0; row < n; row++) {
                for (int column = 0; column < n; column++) {
                    int count = reading.count(row, column);
                    int rgb = count == 0 ? 0x202020 : StimulusBlend.heatRgb(count / (double) max);
                    gc.setBackground(new Color((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF));
                    int cx = x0 + column * side / n;
                    int cy = y0 + row * side / n;
                    gc.fillRectangle(cx, cy, x0 + (column + 1) * side / n - cx, y0 + (row + 1) * side / n - cy);
                }
            }
        }
        gc.setForeground(new Color(128, 128, 128));
        for (int i = 0; i <= n; i++) {
            gc.drawLine(x0 + i * side / n, y0, x0 + i * side / n, y0 + side);
            gc.drawLine(x0, y0 + i * side / n, x0 + side, y0 + i * side / n);
        }
        if (voxel != null) {
            int px = x0 + (int) Math.round((voxel.x() + 1) / 2 * side);
            int py = y0 + (int) Math.round((voxel.y() + 1) / 2 * side);
            gc.setLineWidth(3);
            gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_BLACK));
            gc.drawOval(px - 7, py - 7, 14, 14);
            gc.setLineWidth(1);
            gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_WHITE));
            gc.drawOval(px - 7, py - 7, 14, 14);
            gc.drawLine(px - 11, py, px + 11, py);
            gc.drawLine(px, py - 11, px, py + 11);
        }
    }

    @Override
    public Point computeSize(int wHint, int hHint, boolean changed) {
        return new Point(wHint == SWT.DEFAULT ? 200 : wHint, hHint == SWT.DEFAULT ? 200 : hHint);
    }
}
