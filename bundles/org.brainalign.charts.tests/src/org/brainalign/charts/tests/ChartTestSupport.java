package org.brainalign.charts.tests;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/** Reading back what the charts write: CSV by RFC 4180, PNG by ImageIO, SVG by the JDK's XML parser. */
final class ChartTestSupport {

    private ChartTestSupport() {
    }

    /**
     * Parses CSV text strictly as RFC 4180 says: CRLF line ends, fields in double quotes when they hold a comma,
     * quote or line break, quotes doubled inside.
     */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        boolean quoted = false;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
                i++;
                continue;
            }
            if (c == '"') {
                if (field.length() != 0) {
                    throw new AssertionError("a quote inside an unquoted CSV field at offset " + i);
                }
                quoted = true;
                i++;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
                i++;
            } else if (c == '\r') {
                if (i + 1 >= text.length() || text.charAt(i + 1) != '\n') {
                    throw new AssertionError("a CR without LF in CSV at offset " + i);
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i += 2;
            } else if (c == '\n') {
                throw new AssertionError("a bare LF in CSV at offset " + i + "; RFC 4180 lines end in CRLF");
            } else {
                field.append(c);
                i++;
            }
        }
        if (quoted) {
            throw new AssertionError("an unterminated quoted CSV field");
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        for (List<String> r : rows) {
            if (r.size() != rows.get(0).size()) {
                throw new AssertionError("CSV rows of different lengths: " + rows.get(0) + " and " + r);
            }
        }
        return rows;
    }

    /** A CSV number field read back; an empty field is NaN. */
    static double number(String field) {
        return field.isEmpty() ? Double.NaN : Double.parseDouble(field);
    }

    static BufferedImage decodePng(byte[] png) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            if (image == null) {
                throw new AssertionError("the bytes are not an image ImageIO can read");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses an SVG document with the JDK's XML parser, namespace-aware, never fetching anything. */
    static Document parseSvg(String svg) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder b = f.newDocumentBuilder();
            return b.parse(new InputSource(new StringReader(svg)));
        } catch (ParserConfigurationException | SAXException e) {
            throw new AssertionError("the SVG is not well-formed XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All elements of the SVG namespace with a given local name, in document order. */
    static List<Element> elements(Document doc, String localName) {
        NodeList nodes = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", localName);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    /** Elements that are drawn where they stand: those of a local name outside {@code <defs>}. */
    static List<Element> drawn(Document doc, String localName) {
        return elements(doc, localName).stream().filter(e -> {
            for (org.w3c.dom.Node n = e.getParentNode(); n != null; n = n.getParentNode()) {
                if ("defs".equals(n.getLocalName())) {
                    return false;
                }
            }
            return true;
        }).toList();
    }

    /** The texts of all {@code <text>} elements, in document order. */
    static List<String> texts(Document doc) {
        return elements(doc, "text").stream().map(Element::getTextContent).toList();
    }

    /** Counts pixels of exactly one colour (0xRRGGBB) inside a rectangle of an image. */
    static int count(BufferedImage image, int rgb, int x0, int y0, int x1, int y1) {
        return count(image, p -> p == rgb, x0, y0, x1, y1);
    }

    /** Counts pixels whose colour (0xRRGGBB) passes a test inside a rectangle of an image. */
    static int count(BufferedImage image, IntPredicate test, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = Math.max(0, y0); y < Math.min(image.getHeight(), y1); y++) {
            for (int x = Math.max(0, x0); x < Math.min(image.getWidth(), x1); x++) {
                if (test.test(image.getRGB(x, y) & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The CSS colour #rrggbb of an RGB value, as the SVG writer spells it. */
    static String hex(int rgb) {
        return String.format("#%06x", rgb & 0xFFFFFF);
    }
}
