package org.brainalign.io.run;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.brainalign.io.AtomicFile;

/**
 * A table is a named grid of results with one header row: per-voxel selector values, per-ROI summaries, alignment,
 * drift, comparisons. Cells are text, whole numbers or real numbers (NaN for "not defined"). It is written as CSV
 * (RFC 4180: comma separated, fields quoted when they hold a comma, quote or line break; real numbers in Java's
 * shortest round-trip form, NaN as "NaN", which pandas and R read as missing) and shown in HTML reports.
 */
public final class Table {

    private final String name;
    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    /**
     * @param name the table's name, also its CSV file's stem, e.g. "rois"
     * @param columns the column headers
     */
    public Table(String name, List<String> columns) {
        this.name = name;
        this.columns = List.copyOf(columns);
    }

    /**
     * Adds a row.
     *
     * @param cells one cell per column: a String, a Number or null (an empty cell)
     * @return this table
     * @throws IllegalArgumentException if the row has the wrong length or a cell of another kind
     */
    public Table add(Object... cells) {
        return add(Arrays.asList(cells));
    }

    /**
     * Adds a row.
     *
     * @param cells one cell per column
     * @return this table
     */
    public Table add(List<?> cells) {
        if (cells.size() != columns.size()) {
            throw new IllegalArgumentException("table " + name + " has " + columns.size() + " columns, a row has "
                    + cells.size() + " cells");
        }
        for (Object c : cells) {
            if (c != null && !(c instanceof String) && !(c instanceof Number)) {
                throw new IllegalArgumentException("a table cell must be text or a number, not " + c.getClass());
            }
        }
        rows.add(Collections.unmodifiableList(new ArrayList<>(cells)));
        return this;
    }

    /** @return the table's name */
    public String name() {
        return name;
    }

    /** @return the column headers */
    public List<String> columns() {
        return columns;
    }

    /** @return the rows (unmodifiable) */
    public List<List<Object>> rows() {
        return Collections.unmodifiableList(rows);
    }

    /**
     * @param row a row number
     * @param column a column header
     * @return the cell there
     * @throws IllegalArgumentException if there is no such column
     */
    public Object cell(int row, String column) {
        int c = columns.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException("table " + name + " has no column " + column);
        }
        return rows.get(row).get(c);
    }

    /**
     * A table of some of this table's columns, e.g. to show a wide table in a report.
     *
     * @param wanted column headers, in the order wanted; those this table lacks are skipped
     * @return a new table with the same name and rows
     */
    public Table select(List<String> wanted) {
        List<Integer> keep = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        for (String w : wanted) {
            int c = columns.indexOf(w);
            if (c >= 0) {
                keep.add(c);
                headers.add(w);
            }
        }
        Table t = new Table(name, headers);
        for (List<Object> r : rows) {
            List<Object> cells = new ArrayList<>(keep.size());
            for (int c : keep) {
                cells.add(r.get(c));
            }
            t.add(cells);
        }
        return t;
    }

    /** @return the table as CSV text, lines ending in \n */
    public String toCsv() {
        StringBuilder b = new StringBuilder();
        appendCsvRow(b, new ArrayList<>(columns));
        for (List<Object> r : rows) {
            appendCsvRow(b, r);
        }
        return b.toString();
    }

    /**
     * Writes the table as CSV, atomically.
     *
     * @param file the CSV file
     * @throws IOException if writing fails
     */
    public void writeCsv(Path file) throws IOException {
        writeCsv(file, columns, rows.size(), (r, cells) -> cells.addAll(rows.get(r)));
    }

    /** Supplies the cells of one row of a table too large to hold, such as one row per voxel. */
    @FunctionalInterface
    public interface RowSource {

        /**
         * @param row the row number
         * @param cells an empty list to add the row's cells to, one per column
         */
        void fill(int row, List<Object> cells);
    }

    /**
     * Writes a table row by row as CSV, atomically, without holding it: for tables with a row per voxel.
     *
     * @param file the CSV file
     * @param columns the column headers
     * @param rowCount the number of rows
     * @param source the rows' cells
     * @throws IOException if writing fails
     */
    public static void writeCsv(Path file, List<String> columns, int rowCount, RowSource source) throws IOException {
        AtomicFile.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            StringBuilder b = new StringBuilder();
            appendCsvRow(b, new ArrayList<>(columns));
            List<Object> cells = new ArrayList<>(columns.size());
            for (int r = 0; r < rowCount; r++) {
                cells.clear();
                source.fill(r, cells);
                if (cells.size() != columns.size()) {
                    throw new IllegalArgumentException(
                            "a CSV of " + columns.size() + " columns got a row of " + cells.size() + " cells");
                }
                appendCsvRow(b, cells);
                if (b.length() > 1 << 16) {
                    w.append(b);
                    b.setLength(0);
                }
            }
            w.append(b);
            w.flush();
        });
    }

    private static void appendCsvRow(StringBuilder b, List<Object> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(csvField(cells.get(i)));
        }
        b.append('\n');
    }

    private static String csvField(Object cell) {
        if (cell == null) {
            return "";
        }
        if (cell instanceof Double || cell instanceof Float) {
            double d = ((Number) cell).doubleValue();
            return Double.isNaN(d) ? "NaN" : cell.toString();
        }
        String s = cell.toString();
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    @Override
    public String toString() {
        return "Table[" + name + ", " + columns.size() + " columns, " + rows.size() + " rows]";
    }
}
