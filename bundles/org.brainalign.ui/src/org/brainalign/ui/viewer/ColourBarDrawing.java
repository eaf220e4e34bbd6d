package org.brainalign.ui.viewer;

import java.util.List;

import org.brainalign.workflow.slices.ColourBar;
import org.brainalign.workflow.slices.Readout;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;

/**
 * Draws colour bars ({@link ColourBar}) one under the other, each as its title, the bar (a continuous scale column
 * by column, or a layer legend as one swatch per layer) and the values or layer numbers under it: the same drawing
 * on screen and in exported PNGs.
 */
final class ColourBarDrawing {

    /** Height of the coloured strip in pixels. */
    static final int BAR_HEIGHT = 12;
    private static final int GAP = 6;

    private ColourBarDrawing() {
    }

    /**
     * @param gc a GC with the font the bars will be drawn in
     * @param count how many bars
     * @return the height they take
     */
    static int height(GC gc, int count) {
        int text = gc.textExtent("0").y;
        return count * (2 * text + BAR_HEIGHT + GAP);
    }

    /**
     * @param gc where to draw, with the font and foreground colour of the text set
     * @param bars the bars
     * @param x the left edge
     * @param y the top edge
     * @param width the width of each bar
     */
    static void draw(GC gc, List<ColourBar> bars, int x, int y, int width) {
        int text = gc.textExtent("0").y;
        int top = y;
        for (ColourBar bar : bars) {
            gc.drawText(bar.title(), x, top, true);
            int barTop = top + text;
            if (bar.isLegend()) {
                drawLegend(gc, bar, x, barTop, width, text);
            } else {
                drawScale(gc, bar, x, barTop, width);
                for (double[] tick : bar.ticks()) {
                    String label = Readout.format((float) tick[1]);
                    Point e = gc.textExtent(label);
                    int at = x + (int) Math.round(tick[0] * (width - 1));
                    int left = Math.max(x, Math.min(x + width - e.x, at - e.x / 2));
                    gc.drawLine(at, barTop + BAR_HEIGHT, at, barTop + BAR_HEIGHT + 2);
                    gc.drawText(label, left, barTop + BAR_HEIGHT + 2, true);
                }
            }
            top += 2 * text + BAR_HEIGHT + GAP;
        }
    }

    private static void drawScale(GC gc, ColourBar bar, int x, int y, int width) {
        Color saved = gc.getForeground();
        for (int c = 0; c < width; c++) {
            Color colour = new Color(rgb(bar.rgbAt(width == 1 ? 0 : c / (width - 1.0))));
            gc.setForeground(colour);
            gc.drawLine(x + c, y, x + c, y + BAR_HEIGHT - 1);
        }
        gc.setForeground(saved);
    }

    private static void drawLegend(GC gc, ColourBar bar, int x, int y, int width, int text) {
        List<ColourBar.Swatch> swatches = bar.legend();
        int n = swatches.size();
        Color saved = gc.getBackground();
        // numbers are written under every swatch when they fit, else under the first and last
        int widest = gc.textExtent(swatches.get(n - 1).label()).x + 2;
        boolean every = width / n >= widest;
        for (int s = 0; s < n; s++) {
            int left = x + s * width / n;
            int right = x + (s + 1) * width / n;
            gc.setBackground(new Color(rgb(swatches.get(s).rgb())));
            gc.fillRectangle(left, y, right - left, BAR_HEIGHT);
            if (every || s == 0 || s == n - 1) {
                String label = swatches.get(s).label();
                Point e = gc.textExtent(label);
                int at = Math.max(x, Math.min(x + width - e.x, (left + right - e.x) / 2));
                gc.drawText(label, at, y + BAR_HEIGHT + 2, true);
            }
        }
        gc.setBackground(saved);
    }

    private static RGB rgb(int rgb) {
        return new RGB((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
    }
}
