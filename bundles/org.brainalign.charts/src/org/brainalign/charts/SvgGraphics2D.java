package org.brainalign.charts;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Composite;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.GraphicsConfiguration;
import java.awt.Image;
import java.awt.LinearGradientPaint;
import java.awt.MultipleGradientPaint;
import java.awt.Paint;
import java.awt.Polygon;
import java.awt.RadialGradientPaint;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.font.TextAttribute;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.NoninvertibleTransformException;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.BufferedImageOp;
import java.awt.image.ImageObserver;
import java.awt.image.RenderedImage;
import java.awt.image.WritableRaster;
import java.awt.image.renderable.RenderableImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.AttributedCharacterIterator;
import java.util.Base64;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;

import javax.imageio.ImageIO;

/**
 * A Graphics2D that records what is drawn on it as an SVG 1.1 document instead of pixels. Shapes become
 * {@code <path>} elements, text stays text ({@code <text>}, selectable and editable in a vector editor), images are
 * embedded as PNG, gradients and clips become {@code <defs>}. Coordinates are in user units, one unit per pixel of
 * the PNG rendered at the same size, and the output is deterministic: the same drawing calls give the same bytes.
 * <p>
 * Copies made by {@link #create()} share the document and have their own state (transform, clip, paint, stroke,
 * font, composite, hints), as Java2D requires. Font measurements come from an image graphics, so a chart laid out
 * here places its labels exactly where the PNG renderer places them. What SVG 1.1 cannot express is approximated and
 * said so where it happens: XOR mode draws in paint mode, {@link #copyArea} does nothing, composites other than
 * source-over contribute only their alpha.
 */
public final class SvgGraphics2D extends Graphics2D {

    /** A 1 x 1 image whose graphics measures fonts the same way as the PNG path does. */
    private static final BufferedImage MEASURE = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);

    /** Coordinates are written to 1/1000 of a unit: far below what any viewer can show, and deterministic. */
    private static final int COORDINATE_DECIMALS = 3;

    /** Matrix coefficients need more digits than coordinates because they multiply coordinates. */
    private static final int MATRIX_DECIMALS = 6;

    private final Document document;
    private AffineTransform transform;
    /** The clip in device (document) coordinates; null means no clip. */
    private Shape clip;
    private Paint paint;
    private Color color;
    private Color background;
    private Stroke stroke;
    private Font font;
    private Composite composite;
    private RenderingHints hints;

    /**
     * Starts an empty document.
     *
     * @param width width of the drawing in user units (pixels), at least 1
     * @param height height of the drawing in user units (pixels), at least 1
     */
    public SvgGraphics2D(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("an SVG drawing needs a positive size, got " + width + " x " + height);
        }
        this.document = new Document(width, height);
        this.transform = new AffineTransform();
        this.color = Color.BLACK;
        this.paint = Color.BLACK;
        this.background = Color.WHITE;
        this.stroke = new BasicStroke();
        this.font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        this.composite = AlphaComposite.SrcOver;
        this.hints = new RenderingHints(null);
    }

    private SvgGraphics2D(SvgGraphics2D parent) {
        this.document = parent.document;
        this.transform = new AffineTransform(parent.transform);
        this.clip = parent.clip;
        this.paint = parent.paint;
        this.color = parent.color;
        this.background = parent.background;
        this.stroke = parent.stroke;
        this.font = parent.font;
        this.composite = parent.composite;
        this.hints = (RenderingHints) parent.hints.clone();
    }

    /** @return the width of the drawing in user units */
    public int getWidth() {
        return document.width;
    }

    /** @return the height of the drawing in user units */
    public int getHeight() {
        return document.height;
    }

    /**
     * Returns the complete SVG document drawn so far; drawing may continue afterwards.
     *
     * @return the SVG 1.1 document as text, with width, height and viewBox set to the drawing's size
     */
    public String svgDocument() {
        StringBuilder out = new StringBuilder(document.body.length() + 400);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"")
                .append(" version=\"1.1\" width=\"").append(document.width).append("\" height=\"")
                .append(document.height).append("\" viewBox=\"0 0 ").append(document.width).append(' ')
                .append(document.height).append("\">\n");
        out.append(document.body);
        if (document.openClip != null) {
            out.append("</g>\n");
        }
        out.append("</svg>\n");
        return out.toString();
    }

    // ---- state -------------------------------------------------------------------------------------------------

    @Override
    public Graphics create() {
        return new SvgGraphics2D(this);
    }

    @Override
    public void dispose() {
        // nothing to release: the document belongs to all copies and stays readable
    }

    @Override
    public Color getColor() {
        return color;
    }

    @Override
    public void setColor(Color c) {
        if (c != null) {
            color = c;
            paint = c;
        }
    }

    @Override
    public Paint getPaint() {
        return paint;
    }

    @Override
    public void setPaint(Paint p) {
        if (p == null) {
            return;
        }
        paint = p;
        if (p instanceof Color c) {
            color = c;
        }
    }

    @Override
    public void setPaintMode() {
        // paint mode is the only mode an SVG document has
    }

    @Override
    public void setXORMode(Color c1) {
        // SVG 1.1 has no XOR drawing; drawing continues in paint mode
    }

    @Override
    public Color getBackground() {
        return background;
    }

    @Override
    public void setBackground(Color c) {
        if (c != null) {
            background = c;
        }
    }

    @Override
    public Stroke getStroke() {
        return stroke;
    }

    @Override
    public void setStroke(Stroke s) {
        if (s == null) {
            throw new IllegalArgumentException("a Graphics2D stroke may not be null");
        }
        stroke = s;
    }

    @Override
    public Font getFont() {
        return font;
    }

    @Override
    public void setFont(Font f) {
        if (f != null) {
            font = f;
        }
    }

    @Override
    public Composite getComposite() {
        return composite;
    }

    @Override
    public void setComposite(Composite comp) {
        if (comp == null) {
            throw new IllegalArgumentException("a Graphics2D composite may not be null");
        }
        composite = comp;
    }

    @Override
    public void setRenderingHint(RenderingHints.Key key, Object value) {
        hints.put(key, value);
    }

    @Override
    public Object getRenderingHint(RenderingHints.Key key) {
        return hints.get(key);
    }

    @Override
    public void setRenderingHints(Map<?, ?> newHints) {
        hints = new RenderingHints(null);
        hints.putAll(newHints);
    }

    @Override
    public void addRenderingHints(Map<?, ?> newHints) {
        hints.putAll(newHints);
    }

    @Override
    public RenderingHints getRenderingHints() {
        return (RenderingHints) hints.clone();
    }

    @Override
    public FontMetrics getFontMetrics(Font f) {
        Graphics2D g = measuringGraphics();
        try {
            return g.getFontMetrics(f);
        } finally {
            g.dispose();
        }
    }

    @Override
    public FontRenderContext getFontRenderContext() {
        Graphics2D g = measuringGraphics();
        try {
            return g.getFontRenderContext();
        } finally {
            g.dispose();
        }
    }

    /** An image graphics with this graphics' hints and transform, so its font measurements match the PNG path's. */
    private Graphics2D measuringGraphics() {
        Graphics2D g = MEASURE.createGraphics();
        g.setRenderingHints(hints);
        g.setTransform(transform);
        return g;
    }

    @Override
    public GraphicsConfiguration getDeviceConfiguration() {
        Graphics2D g = MEASURE.createGraphics();
        try {
            return g.getDeviceConfiguration();
        } finally {
            g.dispose();
        }
    }

    // ---- transform -----------------------------------------------------------------------------------------------

    @Override
    public void translate(int x, int y) {
        transform.translate(x, y);
    }

    @Override
    public void translate(double tx, double ty) {
        transform.translate(tx, ty);
    }

    @Override
    public void rotate(double theta) {
        transform.rotate(theta);
    }

    @Override
    public void rotate(double theta, double x, double y) {
        transform.rotate(theta, x, y);
    }

    @Override
    public void scale(double sx, double sy) {
        transform.scale(sx, sy);
    }

    @Override
    public void shear(double shx, double shy) {
        transform.shear(shx, shy);
    }

    @Override
    public void transform(AffineTransform tx) {
        transform.concatenate(tx);
    }

    @Override
    public void setTransform(AffineTransform tx) {
        transform = new AffineTransform(tx);
    }

    @Override
    public AffineTransform getTransform() {
        return new AffineTransform(transform);
    }

    // ---- clip ------------------------------------------------------------------------------------------------------

    @Override
    public Shape getClip() {
        if (clip == null) {
            return null;
        }
        if (clip instanceof Rectangle2D r && transform.getShearX() == 0 && transform.getShearY() == 0
                && transform.getScaleX() != 0 && transform.getScaleY() != 0) {
            // axis-aligned: hand back a rectangle, which callers such as JFreeChart restore exactly
            double x0 = (r.getMinX() - transform.getTranslateX()) / transform.getScaleX();
            double x1 = (r.getMaxX() - transform.getTranslateX()) / transform.getScaleX();
            double y0 = (r.getMinY() - transform.getTranslateY()) / transform.getScaleY();
            double y1 = (r.getMaxY() - transform.getTranslateY()) / transform.getScaleY();
            return new Rectangle2D.Double(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
        }
        try {
            return transform.createInverse().createTransformedShape(clip);
        } catch (NoninvertibleTransformException e) {
            return null;
        }
    }

    @Override
    public Rectangle getClipBounds() {
        Shape c = getClip();
        return c == null ? null : c.getBounds();
    }

    @Override
    public void setClip(Shape s) {
        clip = s == null ? null : toDevice(s);
    }

    @Override
    public void setClip(int x, int y, int width, int height) {
        setClip(new Rectangle(x, y, width, height));
    }

    @Override
    public void clip(Shape s) {
        if (s == null) {
            // Java2D defines clip(null) as clearing the clip
            clip = null;
            return;
        }
        Shape next = toDevice(s);
        if (clip == null) {
            clip = next;
        } else if (clip instanceof Rectangle2D a && next instanceof Rectangle2D b) {
            double x0 = Math.max(a.getMinX(), b.getMinX());
            double y0 = Math.max(a.getMinY(), b.getMinY());
            double x1 = Math.min(a.getMaxX(), b.getMaxX());
            double y1 = Math.min(a.getMaxY(), b.getMaxY());
            clip = new Rectangle2D.Double(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
        } else {
            Area area = new Area(clip);
            area.intersect(new Area(next));
            clip = area;
        }
    }

    @Override
    public void clipRect(int x, int y, int width, int height) {
        clip(new Rectangle(x, y, width, height));
    }

    /** A shape in user space mapped to device space; rectangles stay rectangles when the transform allows it. */
    private Shape toDevice(Shape s) {
        if (s instanceof Rectangle2D r && transform.getShearX() == 0 && transform.getShearY() == 0) {
            Point2D a = transform.transform(new Point2D.Double(r.getMinX(), r.getMinY()), null);
            Point2D b = transform.transform(new Point2D.Double(r.getMaxX(), r.getMaxY()), null);
            return new Rectangle2D.Double(Math.min(a.getX(), b.getX()), Math.min(a.getY(), b.getY()),
                    Math.abs(b.getX() - a.getX()), Math.abs(b.getY() - a.getY()));
        }
        return transform.createTransformedShape(s);
    }

    private boolean clipIsEmpty() {
        if (clip == null) {
            return false;
        }
        if (clip instanceof Rectangle2D r) {
            return r.getWidth() <= 0 || r.getHeight() <= 0;
        }
        return clip instanceof Area a ? a.isEmpty() : clip.getBounds2D().isEmpty();
    }

    @Override
    public boolean hit(Rectangle rect, Shape s, boolean onStroke) {
        Shape shape = onStroke ? stroke.createStrokedShape(s) : s;
        Area area = new Area(transform.createTransformedShape(shape));
        if (clip != null) {
            area.intersect(new Area(clip));
        }
        return area.intersects(rect);
    }

    // ---- shapes ----------------------------------------------------------------------------------------------------

    @Override
    public void draw(Shape s) {
        if (!(stroke instanceof BasicStroke basic)) {
            // only BasicStroke has SVG attributes; any other stroke is drawn as the outline it produces
            fill(stroke.createStrokedShape(s));
            return;
        }
        writeShape(s, false, basic);
    }

    @Override
    public void fill(Shape s) {
        writeShape(s, true, null);
    }

    @Override
    public void drawLine(int x1, int y1, int x2, int y2) {
        draw(new Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void fillRect(int x, int y, int width, int height) {
        fill(new Rectangle(x, y, width, height));
    }

    @Override
    public void clearRect(int x, int y, int width, int height) {
        Paint savedPaint = paint;
        Color savedColor = color;
        Composite savedComposite = composite;
        setPaint(background);
        composite = AlphaComposite.Src;
        fill(new Rectangle(x, y, width, height));
        paint = savedPaint;
        color = savedColor;
        composite = savedComposite;
    }

    @Override
    public void drawRoundRect(int x, int y, int width, int height, int arcWidth, int arcHeight) {
        draw(new RoundRectangle2D.Double(x, y, width, height, arcWidth, arcHeight));
    }

    @Override
    public void fillRoundRect(int x, int y, int width, int height, int arcWidth, int arcHeight) {
        fill(new RoundRectangle2D.Double(x, y, width, height, arcWidth, arcHeight));
    }

    @Override
    public void drawOval(int x, int y, int width, int height) {
        draw(new Ellipse2D.Double(x, y, width, height));
    }

    @Override
    public void fillOval(int x, int y, int width, int height) {
        fill(new Ellipse2D.Double(x, y, width, height));
    }

    @Override
    public void drawArc(int x, int y, int width, int height, int startAngle, int arcAngle) {
        draw(new Arc2D.Double(x, y, width, height, startAngle, arcAngle, Arc2D.OPEN));
    }

    @Override
    public void fillArc(int x, int y, int width, int height, int startAngle, int arcAngle) {
        fill(new Arc2D.Double(x, y, width, height, startAngle, arcAngle, Arc2D.PIE));
    }

    @Override
    public void drawPolyline(int[] xPoints, int[] yPoints, int nPoints) {
        if (nPoints < 1) {
            return;
        }
        Path2D.Double path = new Path2D.Double();
        path.moveTo(xPoints[0], yPoints[0]);
        for (int i = 1; i < nPoints; i++) {
            path.lineTo(xPoints[i], yPoints[i]);
        }
        draw(path);
    }

    @Override
    public void drawPolygon(int[] xPoints, int[] yPoints, int nPoints) {
        draw(new Polygon(xPoints, yPoints, nPoints));
    }

    @Override
    public void fillPolygon(int[] xPoints, int[] yPoints, int nPoints) {
        fill(new Polygon(xPoints, yPoints, nPoints));
    }

    @Override
    public void copyArea(int x, int y, int width, int height, int dx, int dy) {
        // a recorded vector drawing has no pixels to copy; Java2D callers use this only for scrolling on screen
    }

    private void writeShape(Shape s, boolean fill, BasicStroke basic) {
        if (clipIsEmpty()) {
            return;
        }
        boolean baked = isTranslation(transform);
        PathIterator it = s.getPathIterator(baked ? transform : null);
        String d = pathData(it);
        if (d == null) {
            return;
        }
        String paintAttributes = paintAttributes(fill ? "fill" : "stroke", baked);
        if (paintAttributes == null) {
            return;
        }
        StringBuilder e = new StringBuilder(d.length() + 120);
        e.append("<path");
        if (!baked) {
            e.append(" transform=\"").append(matrix(transform)).append('"');
        }
        if (fill) {
            e.append(paintAttributes);
            if (it.getWindingRule() == PathIterator.WIND_EVEN_ODD) {
                e.append(" fill-rule=\"evenodd\"");
            }
        } else {
            e.append(" fill=\"none\"").append(paintAttributes).append(strokeAttributes(basic));
        }
        if (RenderingHints.VALUE_ANTIALIAS_OFF.equals(hints.get(RenderingHints.KEY_ANTIALIASING))) {
            e.append(" shape-rendering=\"crispEdges\"");
        }
        e.append(" d=\"").append(d).append("\"/>");
        document.element(e.toString(), clip);
    }

    /** The SVG path data of a path, or null if it draws nothing or holds a coordinate that is not finite. */
    private static String pathData(PathIterator it) {
        StringBuilder d = new StringBuilder();
        double[] c = new double[6];
        boolean drawsSomething = false;
        while (!it.isDone()) {
            int type = it.currentSegment(c);
            int n;
            switch (type) {
                case PathIterator.SEG_MOVETO -> {
                    d.append('M');
                    n = 2;
                }
                case PathIterator.SEG_LINETO -> {
                    d.append('L');
                    n = 2;
                    drawsSomething = true;
                }
                case PathIterator.SEG_QUADTO -> {
                    d.append('Q');
                    n = 4;
                    drawsSomething = true;
                }
                case PathIterator.SEG_CUBICTO -> {
                    d.append('C');
                    n = 6;
                    drawsSomething = true;
                }
                default -> {
                    d.append('Z');
                    n = 0;
                }
            }
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(c[i])) {
                    return null;
                }
                if (i > 0) {
                    d.append(' ');
                }
                d.append(number(c[i], COORDINATE_DECIMALS));
            }
            it.next();
        }
        return drawsSomething ? d.toString() : null;
    }

    private static boolean isTranslation(AffineTransform t) {
        return (t.getType() & ~AffineTransform.TYPE_TRANSLATION) == 0;
    }

    // ---- paint and stroke ------------------------------------------------------------------------------------

    /**
     * The attributes that paint a shape's fill or stroke, with a leading space, or null if the result is fully
     * transparent.
     */
    private String paintAttributes(String property, boolean baked) {
        double alpha = compositeAlpha();
        if (paint instanceof Color c) {
            double a = alpha * c.getAlpha() / 255.0;
            if (a <= 0) {
                return null;
            }
            StringBuilder s = new StringBuilder();
            s.append(' ').append(property).append("=\"").append(hex(c)).append('"');
            if (a < 1) {
                s.append(' ').append(property).append("-opacity=\"").append(number(a, 3)).append('"');
            }
            return s.toString();
        }
        String gradient = gradient(baked ? transform : null);
        if (gradient == null) {
            // a paint SVG cannot express (a texture, a custom paint): the current colour stands in for it
            return " " + property + "=\"" + hex(color) + "\""
                    + (alpha < 1 ? " " + property + "-opacity=\"" + number(alpha, 3) + "\"" : "");
        }
        return " " + property + "=\"url(#" + gradient + ")\""
                + (alpha < 1 ? " " + property + "-opacity=\"" + number(alpha, 3) + "\"" : "");
    }

    private double compositeAlpha() {
        return composite instanceof AlphaComposite ac ? ac.getAlpha() : 1.0;
    }

    /**
     * The id of a gradient definition for the current paint, or null if the paint is not a gradient.
     *
     * @param baked the translation already applied to coordinates, or null if the element carries its transform
     */
    private String gradient(AffineTransform baked) {
        StringBuilder def = new StringBuilder();
        if (paint instanceof GradientPaint gp) {
            Point2D p1 = gp.getPoint1();
            Point2D p2 = gp.getPoint2();
            if (baked != null) {
                p1 = baked.transform(p1, null);
                p2 = baked.transform(p2, null);
            }
            def.append("<linearGradient id=\"%ID%\" gradientUnits=\"userSpaceOnUse\"");
            appendPoint(def, "x1", "y1", p1);
            appendPoint(def, "x2", "y2", p2);
            // a cyclic GradientPaint runs back and forth between its colours, which is SVG's "reflect"
            def.append(" spreadMethod=\"").append(gp.isCyclic() ? "reflect" : "pad").append("\">");
            appendStop(def, 0, gp.getColor1());
            appendStop(def, 1, gp.getColor2());
            def.append("</linearGradient>");
        } else if (paint instanceof LinearGradientPaint lp) {
            Point2D p1 = lp.getStartPoint();
            Point2D p2 = lp.getEndPoint();
            def.append("<linearGradient id=\"%ID%\" gradientUnits=\"userSpaceOnUse\"");
            appendPoint(def, "x1", "y1", p1);
            appendPoint(def, "x2", "y2", p2);
            appendMultipleGradient(def, lp, baked);
            def.append("</linearGradient>");
        } else if (paint instanceof RadialGradientPaint rp) {
            def.append("<radialGradient id=\"%ID%\" gradientUnits=\"userSpaceOnUse\"");
            appendPoint(def, "cx", "cy", rp.getCenterPoint());
            def.append(" r=\"").append(number(rp.getRadius(), COORDINATE_DECIMALS)).append('"');
            appendPoint(def, "fx", "fy", rp.getFocusPoint());
            appendMultipleGradient(def, rp, baked);
            def.append("</radialGradient>");
        } else {
            return null;
        }
        return document.definition("gradient", def.toString());
    }

    private static void appendMultipleGradient(StringBuilder def, MultipleGradientPaint p, AffineTransform baked) {
        AffineTransform g = new AffineTransform(p.getTransform());
        if (baked != null) {
            g.preConcatenate(baked);
        }
        if (!g.isIdentity()) {
            def.append(" gradientTransform=\"").append(matrix(g)).append('"');
        }
        String spread = switch (p.getCycleMethod()) {
            case REFLECT -> "reflect";
            case REPEAT -> "repeat";
            default -> "pad";
        };
        def.append(" spreadMethod=\"").append(spread).append("\">");
        float[] fractions = p.getFractions();
        Color[] colors = p.getColors();
        for (int i = 0; i < fractions.length; i++) {
            appendStop(def, fractions[i], colors[i]);
        }
    }

    private static void appendPoint(StringBuilder s, String xName, String yName, Point2D p) {
        s.append(' ').append(xName).append("=\"").append(number(p.getX(), COORDINATE_DECIMALS)).append("\" ")
                .append(yName).append("=\"").append(number(p.getY(), COORDINATE_DECIMALS)).append('"');
    }

    private static void appendStop(StringBuilder s, double offset, Color c) {
        s.append("<stop offset=\"").append(number(offset, 4)).append("\" stop-color=\"").append(hex(c)).append('"');
        if (c.getAlpha() < 255) {
            s.append(" stop-opacity=\"").append(number(c.getAlpha() / 255.0, 3)).append('"');
        }
        s.append("/>");
    }

    private String strokeAttributes(BasicStroke s) {
        StringBuilder a = new StringBuilder();
        double width = s.getLineWidth();
        if (width == 0) {
            // Java2D's zero width means the thinnest line the device can draw: one device unit
            double det = Math.abs(transform.getDeterminant());
            width = det > 0 ? 1 / Math.sqrt(det) : 1;
        }
        a.append(" stroke-width=\"").append(number(width, COORDINATE_DECIMALS)).append('"');
        switch (s.getEndCap()) {
            case BasicStroke.CAP_ROUND -> a.append(" stroke-linecap=\"round\"");
            case BasicStroke.CAP_SQUARE -> a.append(" stroke-linecap=\"square\"");
            default -> {
                // butt is SVG's default
            }
        }
        switch (s.getLineJoin()) {
            case BasicStroke.JOIN_ROUND -> a.append(" stroke-linejoin=\"round\"");
            case BasicStroke.JOIN_BEVEL -> a.append(" stroke-linejoin=\"bevel\"");
            default -> {
                // miter is SVG's default join; its default limit is 4, Java's usually 10
                if (s.getMiterLimit() != 4f) {
                    a.append(" stroke-miterlimit=\"").append(number(s.getMiterLimit(), 3)).append('"');
                }
            }
        }
        float[] dash = s.getDashArray();
        if (dash != null && dash.length > 0) {
            a.append(" stroke-dasharray=\"");
            for (int i = 0; i < dash.length; i++) {
                if (i > 0) {
                    a.append(',');
                }
                a.append(number(dash[i], COORDINATE_DECIMALS));
            }
            a.append('"');
            if (s.getDashPhase() != 0) {
                a.append(" stroke-dashoffset=\"").append(number(s.getDashPhase(), COORDINATE_DECIMALS)).append('"');
            }
        }
        return a.toString();
    }

    // ---- text ------------------------------------------------------------------------------------------------------

    @Override
    public void drawString(String str, int x, int y) {
        drawString(str, (float) x, (float) y);
    }

    @Override
    public void drawString(String str, float x, float y) {
        if (str == null) {
            throw new NullPointerException("drawString needs a string");
        }
        if (str.isEmpty() || clipIsEmpty()) {
            return;
        }
        String paintAttributes = paintAttributes("fill", isTranslation(transform) && !font.isTransformed());
        if (paintAttributes == null) {
            return;
        }
        StringBuilder e = new StringBuilder(120 + str.length());
        e.append("<text");
        appendTextPosition(e, x, y);
        appendFont(e, font);
        e.append(paintAttributes);
        if (needsPreservedSpace(str)) {
            e.append(" xml:space=\"preserve\"");
        }
        e.append('>').append(escape(str)).append("</text>");
        document.element(e.toString(), clip);
    }

    /**
     * Writes x and y of a text element, with the element's transform when the current transform or the font's own
     * transform is more than a translation.
     */
    private void appendTextPosition(StringBuilder e, float x, float y) {
        if (isTranslation(transform) && !font.isTransformed()) {
            e.append(" x=\"").append(number(x + transform.getTranslateX(), COORDINATE_DECIMALS)).append("\" y=\"")
                    .append(number(y + transform.getTranslateY(), COORDINATE_DECIMALS)).append('"');
            return;
        }
        AffineTransform t = new AffineTransform(transform);
        t.translate(x, y);
        if (font.isTransformed()) {
            t.concatenate(font.getTransform());
        }
        e.append(" transform=\"").append(matrix(t)).append("\" x=\"0\" y=\"0\"");
    }

    private static void appendFont(StringBuilder e, Font f) {
        e.append(" font-family=\"").append(escape(cssFamily(f))).append("\" font-size=\"")
                .append(number(f.getSize2D(), COORDINATE_DECIMALS)).append('"');
        if (f.isBold()) {
            e.append(" font-weight=\"bold\"");
        }
        if (f.isItalic()) {
            e.append(" font-style=\"italic\"");
        }
    }

    /** The CSS font-family of a Java font: logical fonts map to the generic CSS families they stand for. */
    private static String cssFamily(Font f) {
        String family = f.getFamily(java.util.Locale.ROOT);
        return switch (family) {
            case Font.SANS_SERIF, Font.DIALOG -> "sans-serif";
            case Font.SERIF -> "serif";
            case Font.MONOSPACED, Font.DIALOG_INPUT -> "monospace";
            default -> "'" + family.replace("'", "") + "', sans-serif";
        };
    }

    private static boolean needsPreservedSpace(String s) {
        return s.startsWith(" ") || s.endsWith(" ") || s.contains("  ") || s.indexOf('\t') >= 0;
    }

    @Override
    public void drawString(AttributedCharacterIterator iterator, int x, int y) {
        drawString(iterator, (float) x, (float) y);
    }

    @Override
    public void drawString(AttributedCharacterIterator iterator, float x, float y) {
        if (clipIsEmpty()) {
            return;
        }
        String paintAttributes = paintAttributes("fill", isTranslation(transform) && !font.isTransformed());
        if (paintAttributes == null) {
            return;
        }
        StringBuilder e = new StringBuilder(200);
        e.append("<text");
        appendTextPosition(e, x, y);
        appendFont(e, font);
        e.append(paintAttributes).append(" xml:space=\"preserve\">");
        // each run of equal attributes becomes a tspan; SVG lays the runs out one after the other, as Java2D does
        for (char c = iterator.first(); c != AttributedCharacterIterator.DONE; c = iterator.current()) {
            int limit = iterator.getRunLimit();
            Map<AttributedCharacterIterator.Attribute, Object> attributes = iterator.getAttributes();
            StringBuilder run = new StringBuilder();
            while (iterator.getIndex() < limit) {
                run.append(iterator.current());
                iterator.next();
            }
            e.append("<tspan");
            Font runFont = attributes.get(TextAttribute.FONT) instanceof Font f ? f : font.deriveFont(attributes);
            appendFont(e, runFont);
            if (attributes.get(TextAttribute.FOREGROUND) instanceof Color fg) {
                e.append(" fill=\"").append(hex(fg)).append('"');
            }
            if (attributes.get(TextAttribute.SUPERSCRIPT) instanceof Integer level && level != 0) {
                e.append(" baseline-shift=\"").append(level > 0 ? "super" : "sub").append('"');
            }
            e.append('>').append(escape(run.toString())).append("</tspan>");
        }
        e.append("</text>");
        document.element(e.toString(), clip);
    }

    @Override
    public void drawGlyphVector(GlyphVector g, float x, float y) {
        // positioned glyphs have no text equivalent in SVG 1.1 without embedded fonts: draw their outlines
        fill(g.getOutline(x, y));
    }

    // ---- images ----------------------------------------------------------------------------------------------------

    @Override
    public boolean drawImage(Image img, int x, int y, ImageObserver observer) {
        BufferedImage b = toBufferedImage(img);
        if (b == null) {
            return false;
        }
        writeImage(b, AffineTransform.getTranslateInstance(x, y), null);
        return true;
    }

    @Override
    public boolean drawImage(Image img, int x, int y, Color bgcolor, ImageObserver observer) {
        BufferedImage b = toBufferedImage(img);
        if (b == null) {
            return false;
        }
        writeImage(b, AffineTransform.getTranslateInstance(x, y), bgcolor);
        return true;
    }

    @Override
    public boolean drawImage(Image img, int x, int y, int width, int height, ImageObserver observer) {
        return drawImage(img, x, y, width, height, null, observer);
    }

    @Override
    public boolean drawImage(Image img, int x, int y, int width, int height, Color bgcolor, ImageObserver observer) {
        BufferedImage b = toBufferedImage(img);
        if (b == null) {
            return false;
        }
        if (width <= 0 || height <= 0) {
            return true;
        }
        AffineTransform place = AffineTransform.getTranslateInstance(x, y);
        place.scale(width / (double) b.getWidth(), height / (double) b.getHeight());
        writeImage(b, place, bgcolor);
        return true;
    }

    @Override
    public boolean drawImage(Image img, int dx1, int dy1, int dx2, int dy2, int sx1, int sy1, int sx2, int sy2,
            ImageObserver observer) {
        return drawImage(img, dx1, dy1, dx2, dy2, sx1, sy1, sx2, sy2, null, observer);
    }

    @Override
    public boolean drawImage(Image img, int dx1, int dy1, int dx2, int dy2, int sx1, int sy1, int sx2, int sy2,
            Color bgcolor, ImageObserver observer) {
        BufferedImage b = toBufferedImage(img);
        if (b == null) {
            return false;
        }
        if (dx1 == dx2 || dy1 == dy2 || sx1 == sx2 || sy1 == sy2) {
            return true;
        }
        int x0 = Math.max(0, Math.min(sx1, sx2));
        int y0 = Math.max(0, Math.min(sy1, sy2));
        int x1 = Math.min(b.getWidth(), Math.max(sx1, sx2));
        int y1 = Math.min(b.getHeight(), Math.max(sy1, sy2));
        if (x1 <= x0 || y1 <= y0) {
            return true;
        }
        BufferedImage part = b.getSubimage(x0, y0, x1 - x0, y1 - y0);
        // map source coordinates to destination ones; a reversed source or destination range flips the image
        double sx = (dx2 - dx1) / (double) (sx2 - sx1);
        double sy = (dy2 - dy1) / (double) (sy2 - sy1);
        AffineTransform place = new AffineTransform(sx, 0, 0, sy, dx1 - sx * sx1, dy1 - sy * sy1);
        place.translate(x0, y0);
        writeImage(part, place, bgcolor);
        return true;
    }

    @Override
    public boolean drawImage(Image img, AffineTransform xform, ImageObserver obs) {
        BufferedImage b = toBufferedImage(img);
        if (b == null) {
            return false;
        }
        writeImage(b, xform == null ? new AffineTransform() : xform, null);
        return true;
    }

    @Override
    public void drawImage(BufferedImage img, BufferedImageOp op, int x, int y) {
        BufferedImage filtered = op == null ? img : op.filter(img, null);
        writeImage(filtered, AffineTransform.getTranslateInstance(x, y), null);
    }

    @Override
    public void drawRenderedImage(RenderedImage img, AffineTransform xform) {
        if (img == null) {
            return;
        }
        BufferedImage b;
        if (img instanceof BufferedImage bi) {
            b = bi;
        } else {
            WritableRaster raster = img.getColorModel().createCompatibleWritableRaster(img.getWidth(),
                    img.getHeight());
            img.copyData(raster);
            b = new BufferedImage(img.getColorModel(), raster, img.getColorModel().isAlphaPremultiplied(),
                    new Hashtable<>());
        }
        writeImage(b, xform == null ? new AffineTransform() : xform, null);
    }

    @Override
    public void drawRenderableImage(RenderableImage img, AffineTransform xform) {
        if (img != null) {
            drawRenderedImage(img.createDefaultRendering(), xform);
        }
    }

    /** The image as a BufferedImage, or null if it has no size yet (a toolkit image still loading). */
    private static BufferedImage toBufferedImage(Image img) {
        if (img == null) {
            return null;
        }
        if (img instanceof BufferedImage b) {
            return b;
        }
        int w = img.getWidth(null);
        int h = img.getHeight(null);
        if (w <= 0 || h <= 0) {
            return null;
        }
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = b.createGraphics();
        try {
            g.drawImage(img, 0, 0, null);
        } finally {
            g.dispose();
        }
        return b;
    }

    /**
     * Writes an image element: the image's pixel (0, 0) to (w, h) placed by {@code place} in user space.
     */
    private void writeImage(BufferedImage img, AffineTransform place, Color bgcolor) {
        if (clipIsEmpty() || img.getWidth() == 0 || img.getHeight() == 0) {
            return;
        }
        if (bgcolor != null) {
            Paint savedPaint = paint;
            Color savedColor = color;
            AffineTransform saved = transform;
            transform = new AffineTransform(transform);
            transform.concatenate(place);
            setPaint(bgcolor);
            fill(new Rectangle(0, 0, img.getWidth(), img.getHeight()));
            transform = saved;
            paint = savedPaint;
            color = savedColor;
        }
        AffineTransform t = new AffineTransform(transform);
        t.concatenate(place);
        StringBuilder e = new StringBuilder();
        e.append("<image");
        if (isTranslation(t)) {
            e.append(" x=\"").append(number(t.getTranslateX(), COORDINATE_DECIMALS)).append("\" y=\"")
                    .append(number(t.getTranslateY(), COORDINATE_DECIMALS)).append('"');
        } else {
            e.append(" transform=\"").append(matrix(t)).append("\" x=\"0\" y=\"0\"");
        }
        e.append(" width=\"").append(img.getWidth()).append("\" height=\"").append(img.getHeight())
                .append("\" preserveAspectRatio=\"none\"");
        double alpha = compositeAlpha();
        if (alpha < 1) {
            e.append(" opacity=\"").append(number(alpha, 3)).append('"');
        }
        if (RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR.equals(hints.get(RenderingHints.KEY_INTERPOLATION))) {
            // keep voxels square when the viewer enlarges the image: SVG 1.1's property and CSS's current value
            e.append(" image-rendering=\"optimizeSpeed\" style=\"image-rendering:pixelated\"");
        }
        e.append(" xlink:href=\"data:image/png;base64,").append(pngBase64(img)).append("\"/>");
        document.element(e.toString(), clip);
    }

    private static String pngBase64(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                // an image type the PNG writer refuses (rare custom colour models): copy to plain ARGB first
                BufferedImage argb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_ARGB);
                Graphics2D g = argb.createGraphics();
                g.drawImage(img, 0, 0, null);
                g.dispose();
                out.reset();
                ImageIO.write(argb, "png", out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed in memory", e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    // ---- formatting --------------------------------------------------------------------------------------------

    /** Colour as #rrggbb (alpha is written separately as an opacity). */
    static String hex(Color c) {
        return String.format(java.util.Locale.ROOT, "#%06x", c.getRGB() & 0xFFFFFF);
    }

    private static String matrix(AffineTransform t) {
        return "matrix(" + number(t.getScaleX(), MATRIX_DECIMALS) + " " + number(t.getShearY(), MATRIX_DECIMALS)
                + " " + number(t.getShearX(), MATRIX_DECIMALS) + " " + number(t.getScaleY(), MATRIX_DECIMALS) + " "
                + number(t.getTranslateX(), COORDINATE_DECIMALS) + " "
                + number(t.getTranslateY(), COORDINATE_DECIMALS) + ")";
    }

    /**
     * A number rounded to a given count of decimals, without trailing zeros, exponent or locale: "12", "-0.5".
     *
     * @param v a finite number of magnitude below 1e12
     * @param decimals digits after the point, 0 to 9
     * @return its text
     */
    static String number(double v, int decimals) {
        long scale = 1;
        for (int i = 0; i < decimals; i++) {
            scale *= 10;
        }
        long n = Math.round(v * scale);
        if (n == 0) {
            return "0";
        }
        StringBuilder s = new StringBuilder();
        if (n < 0) {
            s.append('-');
            n = -n;
        }
        s.append(n / scale);
        long fraction = n % scale;
        if (fraction != 0) {
            String digits = Long.toString(fraction + scale).substring(1);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            s.append('.').append(digits, 0, end);
        }
        return s.toString();
    }

    /**
     * Text escaped for XML character data and attribute values; characters XML 1.0 cannot hold are dropped.
     *
     * @param s the text
     * @return the escaped text
     */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\t', '\n', '\r' -> out.append(c);
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (c >= 0x20 && !Character.isSurrogate(c) && c != 0xFFFE && c != 0xFFFF) {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** The text of the document shared by a graphics and all its copies, with its definitions and open clip group. */
    private static final class Document {

        final int width;
        final int height;
        final StringBuilder body = new StringBuilder(64 * 1024);
        /** Definition text (with %ID% for its id) to id, so equal gradients and clips are written once. */
        final Map<String, String> definitions = new HashMap<>();
        int nextId = 1;
        /** The id of the clip path of the group now open, or null if elements are being written unclipped. */
        String openClip;

        Document(int width, int height) {
            this.width = width;
            this.height = height;
        }

        /** Appends an element inside a group clipped by {@code clip} (device coordinates, null for none). */
        void element(String element, Shape clip) {
            String clipId = null;
            if (clip != null) {
                String d = pathData(clip.getPathIterator(null));
                if (d == null) {
                    return;
                }
                PathIterator it = clip.getPathIterator(null);
                String rule = it.getWindingRule() == PathIterator.WIND_EVEN_ODD ? " clip-rule=\"evenodd\"" : "";
                clipId = definition("clip", "<clipPath id=\"%ID%\" clipPathUnits=\"userSpaceOnUse\"><path" + rule
                        + " d=\"" + d + "\"/></clipPath>");
            }
            if (!Objects.equals(clipId, openClip)) {
                if (openClip != null) {
                    body.append("</g>\n");
                }
                if (clipId != null) {
                    // the group has no transform, so the clip path's coordinates are device coordinates
                    body.append("<g clip-path=\"url(#").append(clipId).append(")\">\n");
                }
                openClip = clipId;
            }
            body.append(element).append('\n');
        }

        /** Writes a definition the first time it is needed and returns its id. */
        String definition(String prefix, String text) {
            String id = definitions.get(text);
            if (id == null) {
                id = prefix + nextId++;
                definitions.put(text, id);
                body.append("<defs>").append(text.replace("%ID%", id)).append("</defs>\n");
            }
            return id;
        }
    }
}
