package org.brainalign.charts;

import java.util.List;

/**
 * The CSV text of a figure, built row by row: RFC 4180 quoting, CRLF line ends, '.' as decimal point. Numbers are
 * written in the shortest form that reads back to the same double (or float), so a CSV holds exactly the numbers
 * drawn; NaN is an empty field.
 */
final class CsvTable {

    private final StringBuilder text = new StringBuilder();
    private final int columns;

    /**
     * @param header the column names
     */
    CsvTable(List<String> header) {
        this.columns = header.size();
        appendRow(header.toArray());
    }

    /**
     * @param cells one cell per column: a String, a Double, a Float or an Integer
     * @return this table
     */
    CsvTable row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalStateException("a CSV row needs " + columns + " cells, got " + cells.length);
        }
        appendRow(cells);
        return this;
    }

    /** @return the CSV text */
    String text() {
        return text.toString();
    }

    private void appendRow(Object[] cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(field(cells[i]));
        }
        text.append("\r\n");
    }

    private static String field(Object cell) {
        if (cell == null) {
            return "";
        }
        if (cell instanceof Double d) {
            return d.isNaN() ? "" : Double.toString(d);
        }
        if (cell instanceof Float f) {
            return f.isNaN() ? "" : Float.toString(f);
        }
        if (cell instanceof Number n) {
            return n.toString();
        }
        String s = cell.toString();
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
