package org.brainalign.workflow.report;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.brainalign.io.AtomicFile;
import org.brainalign.io.run.Table;

/**
 * An HTML report is one self-contained page: headings, paragraphs, fact lists, tables and figures, with its style
 * inlined and its figures embedded as data URIs, so that it opens offline and can be mailed as a single file. It
 * references nothing outside itself (no scripts, style sheets, fonts or images from elsewhere) and escapes all text.
 * The markup is also well-formed XML, so tools can read it back. Numbers are shown to four significant digits; the
 * CSV tables of the run hold them in full.
 */
public final class HtmlReport {

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto;
                   max-width: 70em; padding: 0 1em; color: #222; line-height: 1.4; }
            h1 { font-size: 1.6em; border-bottom: 2px solid #3b4cc0; padding-bottom: .2em; }
            h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #ccc; }
            h3 { font-size: 1.1em; margin-top: 1.5em; }
            table { border-collapse: collapse; margin: .5em 0 1em; font-size: .9em; }
            th, td { border: 1px solid #ccc; padding: .2em .5em; text-align: right; }
            th { background: #f0f0f4; }
            td.text, th.key { text-align: left; }
            td.hash { font-family: monospace; font-size: .85em; text-align: left; word-break: break-all; }
            .scroll { overflow-x: auto; }
            figure { margin: 1em 0; }
            figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
            figcaption { font-size: .9em; color: #555; }
            p.note { color: #555; font-size: .9em; }
            """;

    private final String title;
    private final StringBuilder body = new StringBuilder();

    /**
     * @param title the page's title, also its first heading
     */
    public HtmlReport(String title) {
        this.title = title;
    }

    /**
     * Adds a heading.
     *
     * @param level 2 for a section, 3 for a subsection, 4 below
     * @param text the heading
     * @return this report
     */
    public HtmlReport heading(int level, String text) {
        int l = Math.max(2, Math.min(4, level));
        body.append("<h").append(l).append('>').append(escape(text)).append("</h").append(l).append(">\n");
        return this;
    }

    /**
     * Adds a paragraph.
     *
     * @param text the paragraph
     * @return this report
     */
    public HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /**
     * Adds a paragraph set in a quieter style, for remarks.
     *
     * @param text the note
     * @return this report
     */
    public HtmlReport note(String text) {
        body.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
        return this;
    }

    /**
     * Adds a two-column list of facts.
     *
     * @param facts name to value, in order
     * @return this report
     */
    public HtmlReport facts(Map<String, String> facts) {
        body.append("<table class=\"facts\">\n");
        for (Map.Entry<String, String> e : facts.entrySet()) {
            body.append("<tr><th class=\"key\">").append(escape(e.getKey())).append("</th><td class=\"text\">")
                    .append(escape(e.getValue())).append("</td></tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /**
     * Adds a table.
     *
     * @param table the table; text cells are left-aligned, numbers right-aligned, 64-digit hex as a hash
     * @return this report
     */
    public HtmlReport table(Table table) {
        body.append("<div class=\"scroll\"><table>\n<tr>");
        for (String c : table.columns()) {
            body.append("<th>").append(escape(c)).append("</th>");
        }
        body.append("</tr>\n");
        for (List<Object> row : table.rows()) {
            body.append("<tr>");
            for (Object cell : row) {
                String cls = cell instanceof Number ? "" : isHash(cell) ? " class=\"hash\"" : " class=\"text\"";
                body.append("<td").append(cls).append('>').append(escape(display(cell))).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table></div>\n");
        return this;
    }

    private static boolean isHash(Object cell) {
        return cell instanceof String s && s.length() == 64 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /**
     * Adds a figure, embedding its bytes as a data URI (an SVG too, which a browser then draws as an image, without
     * running or loading anything it might contain).
     *
     * @param figure the figure
     * @return this report
     */
    public HtmlReport figure(ReportFigure figure) {
        body.append("<figure><img alt=\"").append(escape(figure.caption())).append("\" src=\"data:")
                .append(figure.format().mediaType()).append(";base64,")
                .append(Base64.getEncoder().encodeToString(figure.bytes())).append("\"/><figcaption>")
                .append(escape(figure.caption())).append("</figcaption></figure>\n");
        return this;
    }

    /** @return the whole page */
    public String toHtml() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>" + escape(title)
                + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body
                + "</body>\n</html>\n";
    }

    /**
     * Writes the page as UTF-8, atomically.
     *
     * @param file the .html file
     * @throws IOException if writing fails
     */
    public void write(Path file) throws IOException {
        String html = toHtml();
        AtomicFile.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(html);
            w.flush();
        });
    }

    /**
     * Escapes text for HTML and XML: the five markup characters become entities, and characters XML cannot hold
     * (control characters other than tab and line breaks, unpaired surrogates) are dropped.
     *
     * @param text any text (null gives "")
     * @return the escaped text
     */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        b.append(c).append(text.charAt(++i));
                    } else if (c >= 0x20 && !Character.isSurrogate(c) && c != 0xFFFE && c != 0xFFFF
                            || c == '\t' || c == '\n' || c == '\r') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /**
     * How a table cell is shown: whole numbers as they are, real numbers to four significant digits (plain from
     * 0.001 to a million, scientific beyond), NaN as "n/a", null as nothing.
     *
     * @param cell a table cell
     * @return its text
     */
    public static String display(Object cell) {
        if (cell == null) {
            return "";
        }
        if (cell instanceof Double || cell instanceof Float) {
            double d = ((Number) cell).doubleValue();
            if (Double.isNaN(d)) {
                return "n/a";
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? "inf" : "-inf";
            }
            if (d == 0) {
                return "0";
            }
            double a = Math.abs(d);
            if (a >= 1e-3 && a < 1e6) {
                // BigDecimal of the float's own decimal form, so that 0.1f shows as 0.1
                BigDecimal v = cell instanceof Float f ? new BigDecimal(Float.toString(f)) : new BigDecimal(d);
                return v.round(new MathContext(4)).stripTrailingZeros().toPlainString();
            }
            return String.format(Locale.ROOT, "%.3e", d);
        }
        return cell.toString();
    }
}
