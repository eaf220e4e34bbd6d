package org.brainalign.workflow.slices;

/**
 * A viewport places a slice on a canvas: the slice is scaled to fit the canvas with square millimetres (so
 * anisotropic voxels keep their true shape), centred, then zoomed and panned by the user. It converts between
 * canvas points and slice pixel positions; zooming keeps the point under the mouse in place.
 */
public final class Viewport {

    /** Zoom limits: from a quarter of the fitted size to 64 times it. */
    public static final double MIN_ZOOM = 0.25, MAX_ZOOM = 64;

    private double zoom = 1;
    private double panX;
    private double panY;

    /**
     * Where a slice is drawn: its top-left corner and the size of one slice pixel on the canvas.
     *
     * @param x canvas x of the slice's left edge
     * @param y canvas y of the slice's top edge
     * @param pixelWidth canvas points per slice pixel across
     * @param pixelHeight canvas points per slice pixel down
     */
    public record Placement(double x, double y, double pixelWidth, double pixelHeight) {

        /**
         * @param canvasX a canvas x
         * @return the fractional slice column there
         */
        public double column(double canvasX) {
            return (canvasX - x) / pixelWidth;
        }

        /**
         * @param canvasY a canvas y
         * @return the fractional slice row there
         */
        public double row(double canvasY) {
            return (canvasY - y) / pixelHeight;
        }

        /**
         * @param column a slice column
         * @return the canvas x of that pixel's centre
         */
        public double centreX(int column) {
            return x + (column + 0.5) * pixelWidth;
        }

        /**
         * @param row a slice row
         * @return the canvas y of that pixel's centre
         */
        public double centreY(int row) {
            return y + (row + 0.5) * pixelHeight;
        }
    }

    /** @return the zoom factor, 1 = fitted */
    public double zoom() {
        return zoom;
    }

    /**
     * Places a slice of the given size on a canvas.
     *
     * @param columns slice pixels across
     * @param rows slice pixels down
     * @param pixelWidth mm per slice pixel across
     * @param pixelHeight mm per slice pixel down
     * @param canvasWidth canvas width in points
     * @param canvasHeight canvas height in points
     * @return the placement
     */
    public Placement place(int columns, int rows, double pixelWidth, double pixelHeight, int canvasWidth,
            int canvasHeight) {
        double mmWide = columns * pixelWidth;
        double mmHigh = rows * pixelHeight;
        double fit = Math.min(canvasWidth / mmWide, canvasHeight / mmHigh);
        double scale = fit * zoom;
        double w = mmWide * scale;
        double h = mmHigh * scale;
        return new Placement((canvasWidth - w) / 2 + panX, (canvasHeight - h) / 2 + panY, pixelWidth * scale,
                pixelHeight * scale);
    }

    /**
     * Zooms by a factor about a canvas point, which stays over the same place of the slice.
     *
     * @param factor the zoom change, e.g. 1.25 or 0.8
     * @param columns slice pixels across
     * @param rows slice pixels down
     * @param pixelWidth mm per slice pixel across
     * @param pixelHeight mm per slice pixel down
     * @param canvasWidth canvas width in points
     * @param canvasHeight canvas height in points
     * @param canvasX the fixed point's x
     * @param canvasY the fixed point's y
     */
    public void zoomAt(double factor, int columns, int rows, double pixelWidth, double pixelHeight, int canvasWidth,
            int canvasHeight, double canvasX, double canvasY) {
        Placement before = place(columns, rows, pixelWidth, pixelHeight, canvasWidth, canvasHeight);
        double u = before.column(canvasX);
        double v = before.row(canvasY);
        zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom * factor));
        Placement after = place(columns, rows, pixelWidth, pixelHeight, canvasWidth, canvasHeight);
        panX += canvasX - (after.x() + u * after.pixelWidth());
        panY += canvasY - (after.y() + v * after.pixelHeight());
    }

    /**
     * Moves the slice on the canvas.
     *
     * @param dx points to the right
     * @param dy points down
     */
    public void pan(double dx, double dy) {
        panX += dx;
        panY += dy;
    }

    /** Back to the fitted, centred view. */
    public void reset() {
        zoom = 1;
        panX = 0;
        panY = 0;
    }
}
