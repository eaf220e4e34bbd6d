package org.brainalign.charts.tests;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Draws an SVG document back into pixels with Java2D, reading it as the SVG 1.1 specification says: the subset a
 * chart uses (paths with M/L/Q/C/Z, fill and stroke with opacity, stroke attributes, matrix transforms, clip paths on
 * groups, text, embedded PNG images). No SVG rasteriser is available here; this one exists so that a test can check
 * the coordinates, colours and clips of an SVG against the PNG of the same drawing. Elements it does not know are
 * skipped, which makes a comparison fail rather than pass.
 */
final class SvgReplay {

    private static final String SVG = "http://www.w3.org/2000/svg";
    private static final String XLINK = "http://www.w3.org/1999/xlink";
    private static final Pattern TOKEN = Pattern.compile("[MLQCZ]|-?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?");

    private final Map<String, Shape> clips = new HashMap<>();

    private SvgReplay() {
    }

    /** Renders the document at its width x height on white, antialiased like the PNG path. */
    static BufferedImage render(String svg) {
        Document doc = ChartTestSupport.parseSvg(svg);
        Element root = doc.getDocumentElement();
        int w = Integer.parseInt(root.getAttribute("width"));
        int h = Integer.parseInt(root.getAttribute("height"));
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        // SVG paints the exact geometry, as Java2D's pure stroke control does (JFreeChart sets it for its charts too)
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        SvgReplay replay = new SvgReplay();
        for (Element clip : ChartTestSupport.elements(doc, "clipPath")) {
            Element path = (Element) clip.getElementsByTagNameNS(SVG, "path").item(0);
            replay.clips.put(clip.getAttribute("id"), path(path.getAttribute("d"), path.getAttribute("clip-rule")));
        }
        replay.children(g, root);
        g.dispose();
        return image;
    }

    private void children(Graphics2D g, Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && SVG.equals(e.getNamespaceURI())) {
                element(g, e);
            }
        }
    }

    private void element(Graphics2D parent, Element e) {
        switch (e.getLocalName()) {
            case "defs" -> {
                // definitions are looked up by id, never drawn in place
            }
            case "g" -> {
                Graphics2D g = (Graphics2D) parent.create();
                String clip = e.getAttribute("clip-path");
                if (!clip.isEmpty()) {
                    g.clip(clips.get(clip.substring("url(#".length(), clip.length() - 1)));
                }
                children(g, e);
                g.dispose();
            }
            case "path" -> path(parent, e);
            case "text" -> text(parent, e);
            case "image" -> image(parent, e);
            default -> {
                // not part of what charts write
            }
        }
    }

    private static void path(Graphics2D parent, Element e) {
        Graphics2D g = transformed(parent, e);
        Shape shape = path(e.getAttribute("d"), e.getAttribute("fill-rule"));
        String fill = e.getAttribute("fill");
        if (!fill.equals("none")) {
            g.setPaint(colour(fill, e.getAttribute("fill-opacity")));
            g.fill(shape);
        }
        String stroke = e.getAttribute("stroke");
        if (!stroke.isEmpty() && !stroke.equals("none")) {
            g.setPaint(colour(stroke, e.getAttribute("stroke-opacity")));
            g.setStroke(stroke(e));
            g.draw(shape);
        }
        g.dispose();
    }

    private static BasicStroke stroke(Element e) {
        float width = e.hasAttribute("stroke-width") ? Float.parseFloat(e.getAttribute("stroke-width")) : 1;
        int cap = switch (e.getAttribute("stroke-linecap")) {
            case "round" -> BasicStroke.CAP_ROUND;
            case "square" -> BasicStroke.CAP_SQUARE;
            default -> BasicStroke.CAP_BUTT;
        };
        int join = switch (e.getAttribute("stroke-linejoin")) {
            case "round" -> BasicStroke.JOIN_ROUND;
            case "bevel" -> BasicStroke.JOIN_BEVEL;
            default -> BasicStroke.JOIN_MITER;
        };
        float miter = e.hasAttribute("stroke-miterlimit") ? Float.parseFloat(e.getAttribute("stroke-miterlimit")) : 4;
        float[] dash = null;
        if (e.hasAttribute("stroke-dasharray")) {
            String[] parts = e.getAttribute("stroke-dasharray").split("[ ,]+");
            dash = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                dash[i] = Float.parseFloat(parts[i]);
            }
        }
        float phase = e.hasAttribute("stroke-dashoffset") ? Float.parseFloat(e.getAttribute("stroke-dashoffset")) : 0;
        return new BasicStroke(width, cap, join, Math.max(1, miter), dash, phase);
    }

    private static void text(Graphics2D parent, Element e) {
        Graphics2D g = transformed(parent, e);
        String family = switch (e.getAttribute("font-family")) {
            case "sans-serif" -> Font.SANS_SERIF;
            case "serif" -> Font.SERIF;
            case "monospace" -> Font.MONOSPACED;
            default -> e.getAttribute("font-family").replaceAll("^'([^']*)'.*$", "$1");
        };
        int style = ("bold".equals(e.getAttribute("font-weight")) ? Font.BOLD : 0)
                | ("italic".equals(e.getAttribute("font-style")) ? Font.ITALIC : 0);
        g.setFont(new Font(family, style, 1).deriveFont(Float.parseFloat(e.getAttribute("font-size"))));
        g.setPaint(colour(e.getAttribute("fill"), e.getAttribute("fill-opacity")));
        g.drawString(e.getTextContent(), Float.parseFloat(e.getAttribute("x")), Float.parseFloat(e.getAttribute("y")));
        g.dispose();
    }

    private static void image(Graphics2D parent, Element e) {
        Graphics2D g = transformed(parent, e);
        String href = e.getAttributeNS(XLINK, "href");
        String prefix = "data:image/png;base64,";
        if (!href.startsWith(prefix)) {
            throw new AssertionError("an image that is not an embedded PNG: " + href.substring(0, 40));
        }
        BufferedImage img = ChartTestSupport.decodePng(Base64.getDecoder().decode(href.substring(prefix.length())));
        if (e.getAttribute("style").contains("pixelated")) {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        }
        if (e.hasAttribute("opacity")) {
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER,
                    Float.parseFloat(e.getAttribute("opacity"))));
        }
        AffineTransform place = AffineTransform.getTranslateInstance(Double.parseDouble(e.getAttribute("x")),
                Double.parseDouble(e.getAttribute("y")));
        place.scale(Double.parseDouble(e.getAttribute("width")) / img.getWidth(),
                Double.parseDouble(e.getAttribute("height")) / img.getHeight());
        g.drawImage(img, place, null);
        g.dispose();
    }

    /** A copy of the graphics with the element's transform attribute applied. */
    private static Graphics2D transformed(Graphics2D parent, Element e) {
        Graphics2D g = (Graphics2D) parent.create();
        String t = e.getAttribute("transform");
        if (!t.isEmpty()) {
            if (!t.startsWith("matrix(")) {
                throw new AssertionError("a transform that is not a matrix: " + t);
            }
            String[] m = t.substring(7, t.length() - 1).trim().split("[ ,]+");
            g.transform(new AffineTransform(Double.parseDouble(m[0]), Double.parseDouble(m[1]),
                    Double.parseDouble(m[2]), Double.parseDouble(m[3]), Double.parseDouble(m[4]),
                    Double.parseDouble(m[5])));
        }
        return g;
    }

    static Path2D path(String d, String rule) {
        Path2D.Double p = new Path2D.Double("evenodd".equals(rule) ? Path2D.WIND_EVEN_ODD : Path2D.WIND_NON_ZERO);
        Matcher m = TOKEN.matcher(d);
        List<String> tokens = new ArrayList<>();
        while (m.find()) {
            tokens.add(m.group());
        }
        int i = 0;
        while (i < tokens.size()) {
            String command = tokens.get(i++);
            switch (command) {
                case "M" -> p.moveTo(num(tokens, i), num(tokens, i + 1));
                case "L" -> p.lineTo(num(tokens, i), num(tokens, i + 1));
                case "Q" -> p.quadTo(num(tokens, i), num(tokens, i + 1), num(tokens, i + 2), num(tokens, i + 3));
                case "C" -> p.curveTo(num(tokens, i), num(tokens, i + 1), num(tokens, i + 2), num(tokens, i + 3),
                        num(tokens, i + 4), num(tokens, i + 5));
                case "Z" -> p.closePath();
                default -> throw new AssertionError("unexpected path token " + command + " in " + d);
            }
            i += switch (command) {
                case "M", "L" -> 2;
                case "Q" -> 4;
                case "C" -> 6;
                default -> 0;
            };
        }
        return p;
    }

    private static double num(List<String> tokens, int i) {
        return Double.parseDouble(tokens.get(i));
    }

    private static Color colour(String hex, String opacity) {
        if (!hex.matches("#[0-9a-f]{6}")) {
            throw new AssertionError("a paint that is not a #rrggbb colour: " + hex);
        }
        int rgb = Integer.parseInt(hex.substring(1), 16);
        int alpha = opacity.isEmpty() ? 255 : (int) Math.round(Double.parseDouble(opacity) * 255);
        return new Color(rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF, alpha);
    }
}
