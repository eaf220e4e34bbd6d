package org.brainalign.ui.viewer;

import java.util.function.Supplier;

import org.brainalign.workflow.slices.Overlay;
import org.brainalign.workflow.slices.Slice;
import org.brainalign.workflow.slices.SlicePlane;
import org.brainalign.workflow.slices.SliceRendering;
import org.brainalign.workflow.slices.ViewedVolume;
import org.brainalign.workflow.slices.Viewport;
import org.brainalign.workflow.slices.VolumeView;
import org.brainalign.workflow.slices.WindowLevel;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;

/**
 * A slice canvas shows one plane of a {@link VolumeView} through the crosshair: the rendered slice (copied into an
 * SWT image as it is, then scaled without interpolation), the crosshair, and the orientation letters at the four
 * edges. The left button places the crosshair, the right button drags the window, the middle button pans, the wheel
 * zooms about the mouse; Page Up/Down change slice, the arrows move the crosshair, + and - zoom, Home resets.
 */
public final class SliceCanvas extends Canvas {

    private static final double ZOOM_STEP = 1.15;
    /** Crosshair and letter colours: green lines, yellow letters, as most viewers draw them. */
    private static final int CROSSHAIR_RGB = 0x00E000, LETTER_RGB = 0xFFE000;

    private final VolumeView view;
    private final SlicePlane plane;
    private final Supplier<Overlay> windowTarget;
    private final Viewport viewport = new Viewport();
    private final Runnable listener = this::refresh;
    private final Font letterFont;
    private Image image;
    private boolean stale = true;
    private int dragButton;
    private int lastX;
    private int lastY;

    /**
     * @param parent the parent
     * @param view the view to show
     * @param plane the plane this canvas shows
     * @param windowTarget the overlay whose window a right-button drag changes
     */
    public SliceCanvas(Composite parent, VolumeView view, SlicePlane plane, Supplier<Overlay> windowTarget) {
        super(parent, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
        this.view = view;
        this.plane = plane;
        this.windowTarget = windowTarget;
        FontData fd = getFont().getFontData()[0];
        this.letterFont = new Font(getDisplay(), fd.getName(), Math.max(10, fd.getHeight() + 2), SWT.BOLD);
        view.addListener(listener);
        addPaintListener(e -> {
            Rectangle area = getClientArea();
            paint(e.gc, area.width, area.height);
        });
        addListener(SWT.MouseDown, this::mouseDown);
        addListener(SWT.MouseMove, this::mouseMove);
        addListener(SWT.MouseUp, e -> dragButton = 0);
        addListener(SWT.MouseVerticalWheel, this::wheel);
        addListener(SWT.KeyDown, this::key);
        // the keys this canvas uses must not move the focus to another control
        addListener(SWT.Traverse, e -> {
            if (e.detail == SWT.TRAVERSE_ARROW_NEXT || e.detail == SWT.TRAVERSE_ARROW_PREVIOUS
                    || e.detail == SWT.TRAVERSE_PAGE_NEXT || e.detail == SWT.TRAVERSE_PAGE_PREVIOUS) {
                e.doit = false;
            }
        });
        addDisposeListener(e -> {
            view.removeListener(listener);
            if (image != null) {
                image.dispose();
            }
            letterFont.dispose();
        });
    }

    /** @return the plane shown */
    public SlicePlane plane() {
        return plane;
    }

    /** @return the letters at the left, right, top and bottom edges, as drawn */
    public String[] letters() {
        return plane.letters(view.radiological());
    }

    /** @return the viewport (zoom and pan) */
    public Viewport viewport() {
        return viewport;
    }

    /** Marks the slice as changed and redraws it. */
    public void refresh() {
        stale = true;
        if (!isDisposed()) {
            redraw();
        }
    }

    /**
     * @param width a canvas width
     * @param height a canvas height
     * @return where the current slice is drawn on a canvas of that size
     */
    public Viewport.Placement placement(int width, int height) {
        Slice s = view.slice(plane);
        return viewport.place(s.width(), s.height(), s.pixelWidth(), s.pixelHeight(), width, height);
    }

    /**
     * @param canonical a canonical voxel
     * @return the canvas point at the centre of its projection on this slice
     */
    public Point pointOf(int[] canonical) {
        Rectangle area = getClientArea();
        Viewport.Placement p = placement(area.width, area.height);
        int[] px = view.slice(plane).pixel(canonical);
        return new Point((int) Math.floor(p.centreX(px[0])), (int) Math.floor(p.centreY(px[1])));
    }

    /**
     * Draws the slice, crosshair and letters: on screen, and into images for export.
     *
     * @param gc where to draw
     * @param width the drawing's width
     * @param height the drawing's height
     */
    public void paint(GC gc, int width, int height) {
        Slice s = view.slice(plane);
        if (stale || image == null) {
            Image old = image;
            image = new Image(getDisplay(), imageData(s, SliceRendering.render(view, plane)));
            if (old != null) {
                old.dispose();
            }
            stale = false;
        }
        gc.setBackground(getDisplay().getSystemColor(SWT.COLOR_BLACK));
        gc.fillRectangle(0, 0, width, height);
        if (width <= 0 || height <= 0) {
            return;
        }
        Viewport.Placement p = placement(width, height);
        gc.setAntialias(SWT.OFF);
        gc.setInterpolation(SWT.NONE);
        gc.drawImage(image, 0, 0, s.width(), s.height(), (int) Math.round(p.x()), (int) Math.round(p.y()),
                (int) Math.round(s.width() * p.pixelWidth()), (int) Math.round(s.height() * p.pixelHeight()));

        int[] px = s.pixel(view.crosshair());
        int cx = (int) Math.floor(p.centreX(px[0]));
        int cy = (int) Math.floor(p.centreY(px[1]));
        Color green = new Color(rgb(CROSSHAIR_RGB));
        Color yellow = new Color(rgb(LETTER_RGB));
        gc.setForeground(green);
        gc.setLineWidth(1);
        int gap = 4;
        gc.drawLine(0, cy, cx - gap, cy);
        gc.drawLine(cx + gap, cy, width, cy);
        gc.drawLine(cx, 0, cx, cy - gap);
        gc.drawLine(cx, cy + gap, cx, height);

        gc.setFont(letterFont);
        gc.setForeground(yellow);
        String[] letters = letters();
        Point l = gc.textExtent(letters[0]);
        Point r = gc.textExtent(letters[1]);
        Point t = gc.textExtent(letters[2]);
        Point b = gc.textExtent(letters[3]);
        gc.drawText(letters[0], 4, (height - l.y) / 2, true);
        gc.drawText(letters[1], width - r.x - 4, (height - r.y) / 2, true);
        gc.drawText(letters[2], (width - t.x) / 2, 2, true);
        gc.drawText(letters[3], (width - b.x) / 2, height - b.y - 2, true);

        gc.setFont(getFont());
        int size = view.reorientation().size(plane.normal());
        String title = plane.label() + " " + (s.position() + 1) + "/" + size;
        // white on a dark box, readable on a bright image as on a dark one
        Point extent = gc.textExtent(title);
        gc.setBackground(getDisplay().getSystemColor(SWT.COLOR_BLACK));
        gc.setAlpha(170);
        gc.fillRectangle(2, 1, extent.x + 4, extent.y + 2);
        gc.setAlpha(255);
        gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_WHITE));
        gc.drawText(title, 4, 2, true);
    }

    private static org.eclipse.swt.graphics.RGB rgb(int rgb) {
        return new org.eclipse.swt.graphics.RGB((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
    }

    /**
     * Copies rendered pixels into image data row by row: no drawing call per pixel.
     *
     * @param s the slice
     * @param rgb its pixels, 0xRRGGBB row by row
     * @return 24-bit image data
     */
    static ImageData imageData(Slice s, int[] rgb) {
        ImageData data = new ImageData(s.width(), s.height(), 24, new PaletteData(0xFF0000, 0x00FF00, 0x0000FF));
        for (int row = 0; row < s.height(); row++) {
            data.setPixels(0, row, s.width(), rgb, row * s.width());
        }
        return data;
    }

    private void mouseDown(Event e) {
        setFocus();
        dragButton = e.button;
        lastX = e.x;
        lastY = e.y;
        if (e.button == 1) {
            placeCrosshair(e.x, e.y);
        }
    }

    private void mouseMove(Event e) {
        int dx = e.x - lastX;
        int dy = e.y - lastY;
        lastX = e.x;
        lastY = e.y;
        if (dragButton == 1 && (e.stateMask & SWT.BUTTON1) != 0) {
            placeCrosshair(e.x, e.y);
        } else if (dragButton == 2 && (e.stateMask & SWT.BUTTON2) != 0) {
            viewport.pan(dx, dy);
            redraw();
        } else if (dragButton == 3 && (e.stateMask & SWT.BUTTON3) != 0) {
            Overlay o = windowTarget.get();
            ViewedVolume v = o.volume();
            double range = Float.isNaN(v.min()) ? 1 : Math.max(v.max() - v.min(), 1e-6);
            WindowLevel w = o.window();
            o.setWindow(w.dragged(dx, dy, range / 500));
            view.changed();
        }
    }

    private void placeCrosshair(int x, int y) {
        Rectangle area = getClientArea();
        Viewport.Placement p = placement(area.width, area.height);
        Slice s = view.slice(plane);
        int col = (int) Math.floor(p.column(x));
        int row = (int) Math.floor(p.row(y));
        if (col >= 0 && row >= 0 && col < s.width() && row < s.height()) {
            view.setCrosshairAt(plane, col, row);
        }
    }

    private void wheel(Event e) {
        zoom(Math.pow(ZOOM_STEP, e.count > 0 ? 1 : -1), e.x, e.y);
    }

    private void zoom(double factor, double x, double y) {
        Rectangle area = getClientArea();
        Slice s = view.slice(plane);
        viewport.zoomAt(factor, s.width(), s.height(), s.pixelWidth(), s.pixelHeight(), area.width, area.height, x, y);
        redraw();
    }

    private void key(Event e) {
        Rectangle area = getClientArea();
        switch (e.keyCode) {
            case SWT.PAGE_UP -> view.scroll(plane, 1);
            case SWT.PAGE_DOWN -> view.scroll(plane, -1);
            case SWT.ARROW_LEFT -> view.move(plane, -1, 0);
            case SWT.ARROW_RIGHT -> view.move(plane, 1, 0);
            case SWT.ARROW_UP -> view.move(plane, 0, -1);
            case SWT.ARROW_DOWN -> view.move(plane, 0, 1);
            case SWT.HOME -> {
                viewport.reset();
                redraw();
            }
            case SWT.KEYPAD_ADD -> zoom(ZOOM_STEP, area.width / 2.0, area.height / 2.0);
            case SWT.KEYPAD_SUBTRACT -> zoom(1 / ZOOM_STEP, area.width / 2.0, area.height / 2.0);
            default -> {
                if (e.character == '+' || e.character == '=') {
                    zoom(ZOOM_STEP, area.width / 2.0, area.height / 2.0);
                } else if (e.character == '-') {
                    zoom(1 / ZOOM_STEP, area.width / 2.0, area.height / 2.0);
                }
            }
        }
    }
}
