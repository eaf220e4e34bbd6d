package org.brainalign.io.npy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.io.InputFile;
import org.brainalign.io.AtomicFile;
import org.brainalign.io.DataFormatException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * The NumPy .npy format: a magic string, a version (1.0, 2.0 or 3.0), a header that is a Python dict literal
 * ({'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }) padded to a multiple of 64 bytes, then the raw
 * elements. Arrays of Python objects are pickles and are refused without being unpickled.
 */
public final class Npy {

    private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };
    private static final int ALIGN = 64;

    /**
     * What a .npy header says.
     *
     * @param type the element type
     * @param byteOrder the data's byte order
     * @param fortranOrder whether the data are in Fortran order
     * @param shape the shape
     * @param version the format version, e.g. "1.0"
     * @param dataOffset the byte offset of the first element
     */
    public record Header(NpyType type, ByteOrder byteOrder, boolean fortranOrder, int[] shape, String version,
            long dataOffset) {

        /** @return the number of elements */
        public long size() {
            long n = 1;
            for (int s : shape) {
                n *= s;
            }
            return n;
        }

        /** @return the number of data bytes the shape and type call for */
        public long dataBytes() {
            return size() * type.bytes();
        }
    }

    private Npy() {
    }

    /**
     * Reads a .npy file whole.
     *
     * @param file the file
     * @return the array
     * @throws DataFormatException if the file is not a readable .npy of numbers (pickles, strings and structured
     *         arrays are refused; the message names the file and the problem)
     * @throws IOException if the file cannot be read
     */
    public static NpyArray read(Path file) throws IOException {
        try (InputStream in = open(file)) {
            Header h = readHeader(in, file.toString());
            checkFileSize(file, h);
            return readData(in, h, file.toString());
        }
    }

    /**
     * Reads only the header of a .npy file.
     *
     * @param file the file
     * @return its header
     * @throws IOException if the file is unreadable or not a .npy of numbers
     */
    public static Header header(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return readHeader(in, file.toString());
        }
    }

    /**
     * Reads a 2-D array as float32 rows, streaming row by row so that only the result is held (an Algonauts
     * response file of 9841 x 20544 float32 takes its 800 MB once, not twice).
     *
     * @param file the file
     * @param monitor progress in rows; may be null
     * @return rows x columns
     * @throws IOException if the file is unreadable, not 2-D, or not a .npy of numbers
     */
    public static float[][] readMatrix(Path file, IProgressMonitor monitor) throws IOException {
        Header h = header(file);
        if (h.shape().length != 2) {
            throw DataFormatException.of(file,
                    "holds an array of shape " + shapeText(h.shape()) + ", but a 2-D matrix is needed");
        }
        float[][] m = new float[h.shape()[0]][h.shape()[1]];
        readMatrixInto(file, m, 0, monitor);
        return m;
    }

    /**
     * Reads a 2-D array into columns of an existing matrix, row by row (to join the two hemispheres of a subject
     * without a second copy).
     *
     * @param file the file
     * @param destination rows x (at least columnOffset + the file's columns); its row count must equal the file's
     * @param columnOffset the first destination column
     * @param monitor progress in rows (columns for an array in Fortran order); may be null
     * @throws IOException if the file is unreadable, not 2-D, or does not fit the destination
     */
    public static void readMatrixInto(Path file, float[][] destination, int columnOffset, IProgressMonitor monitor)
            throws IOException {
        readInto(file, null, destination, columnOffset, monitor);
    }

    /**
     * Reads some rows of a 2-D array into columns of an existing matrix, holding no more than the destination: in C
     * order the rows not wanted are skipped unread, in Fortran order the array is read a column at a time and the
     * wanted rows are picked from it. A pass over a subject's images reads the responses of its images only.
     *
     * @param file the file
     * @param rows the rows to read, ascending and each once
     * @param destination rows.length x (at least columnOffset + the file's columns): destination[i] receives row
     *        rows[i]
     * @param columnOffset the first destination column
     * @param monitor progress in rows (columns for an array in Fortran order); may be null
     * @throws IllegalArgumentException if the rows are not ascending, one lies beyond the file's rows, or the
     *         destination does not have a row for each of them or is too narrow
     * @throws IOException if the file is unreadable, not 2-D, or ends early
     */
    public static void readRowsInto(Path file, int[] rows, float[][] destination, int columnOffset,
            IProgressMonitor monitor) throws IOException {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || i > 0 && rows[i] <= rows[i - 1]) {
                throw new IllegalArgumentException("rows must be ascending and not negative, but " + (rows[i] < 0
                        ? "row " + rows[i] + " is asked for"
                        : "row " + rows[i] + " follows row " + rows[i - 1]));
            }
        }
        readInto(file, rows, destination, columnOffset, monitor);
    }

    /** Reads the given rows (null: every row, as many as the destination has) into the destination's columns. */
    private static void readInto(Path file, int[] wanted, float[][] destination, int columnOffset,
            IProgressMonitor monitor) throws IOException {
        try (InputStream in = open(file)) {
            Header h = readHeader(in, file.toString());
            checkFileSize(file, h);
            if (h.shape().length != 2) {
                throw DataFormatException.of(file,
                        "holds an array of shape " + shapeText(h.shape()) + ", but a 2-D matrix is needed");
            }
            int rows = h.shape()[0];
            int cols = h.shape()[1];
            if (wanted == null) {
                if (rows != destination.length) {
                    throw DataFormatException.of(file,
                            "has " + rows + " rows where " + destination.length + " are needed");
                }
                wanted = java.util.stream.IntStream.range(0, rows).toArray();
            } else if (wanted.length > 0 && wanted[wanted.length - 1] >= rows) {
                throw new IllegalArgumentException("row " + wanted[wanted.length - 1] + " was asked of " + file
                        + ", which has " + rows + " rows");
            }
            if (destination.length != wanted.length) {
                throw new IllegalArgumentException(
                        destination.length + " destination rows for " + wanted.length + " rows read");
            }
            for (float[] d : destination) {
                if (columnOffset < 0 || d.length < (long) columnOffset + cols) {
                    throw new IllegalArgumentException("a destination row of " + d.length + " values cannot take "
                            + cols + " columns from column " + columnOffset);
                }
            }
            if (h.fortranOrder()) {
                readColumns(in, h, file, wanted, destination, columnOffset, monitor);
            } else {
                readRows(in, h, file, wanted, destination, columnOffset, monitor);
            }
        }
    }

    /** C order: each wanted row is read whole into one row buffer; the rows between are skipped unread. */
    private static void readRows(InputStream in, Header h, Path file, int[] wanted, float[][] destination,
            int columnOffset, IProgressMonitor monitor) throws IOException {
        int rows = h.shape()[0];
        int cols = h.shape()[1];
        NpyType type = h.type();
        SubMonitor sub = SubMonitor.convert(monitor, "Reading " + file.getFileName(), wanted.length);
        byte[] rowBytes = new byte[Math.multiplyExact(cols, type.bytes())];
        ByteBuffer b = ByteBuffer.wrap(rowBytes).order(h.byteOrder());
        int next = 0;
        for (int i = 0; i < wanted.length; i++) {
            if (i % 64 == 0) {
                sub.split(Math.min(64, wanted.length - i));
            }
            int r = wanted[i];
            skip(in, (long) (r - next) * rowBytes.length, file, "in row " + r + " of its " + rows + " rows");
            if (in.readNBytes(rowBytes, 0, rowBytes.length) < rowBytes.length) {
                throw DataFormatException.of(file, "ends in row " + r + " of its " + rows + " rows");
            }
            if (type == NpyType.FLOAT32) {
                b.asFloatBuffer().get(destination[i], columnOffset, cols);
            } else {
                for (int c = 0; c < cols; c++) {
                    destination[i][columnOffset + c] = (float) type.read(b, c * type.bytes());
                }
            }
            next = r + 1;
        }
    }

    /**
     * Fortran order: each column's stretch from the first to the last wanted row is read into one column buffer
     * and the wanted rows are picked from it, so the array is never held whole.
     */
    private static void readColumns(InputStream in, Header h, Path file, int[] wanted, float[][] destination,
            int columnOffset, IProgressMonitor monitor) throws IOException {
        int rows = h.shape()[0];
        int cols = h.shape()[1];
        NpyType type = h.type();
        int size = type.bytes();
        SubMonitor sub = SubMonitor.convert(monitor, "Reading " + file.getFileName(), cols);
        if (wanted.length == 0) {
            return;
        }
        int first = wanted[0];
        int last = wanted[wanted.length - 1];
        byte[] column = new byte[Math.multiplyExact(last - first + 1, size)];
        ByteBuffer b = ByteBuffer.wrap(column).order(h.byteOrder());
        for (int c = 0; c < cols; c++) {
            if (c % 64 == 0) {
                sub.split(Math.min(64, cols - c));
            }
            long before = c == 0 ? first : first + (long) rows - 1 - last;
            skip(in, before * size, file, "in column " + c + " of its " + cols + " columns");
            if (in.readNBytes(column, 0, column.length) < column.length) {
                throw DataFormatException.of(file, "ends in column " + c + " of its " + cols + " columns");
            }
            for (int i = 0; i < wanted.length; i++) {
                int at = (wanted[i] - first) * size;
                // float32 straight from its bits: a float widened to double and back may lose a NaN's payload
                destination[i][columnOffset + c] = type == NpyType.FLOAT32 ? b.getFloat(at) : (float) type.read(b, at);
            }
        }
    }

    private static void skip(InputStream in, long bytes, Path file, String where) throws IOException {
        try {
            in.skipNBytes(bytes);
        } catch (java.io.EOFException e) {
            throw DataFormatException.of(file, "ends " + where);
        }
    }

    private static InputStream open(Path file) throws IOException {
        try {
            return new BufferedInputStream(Files.newInputStream(InputFile.check(file)), 1 << 16);
        } catch (NoSuchFileException e) {
            throw DataFormatException.of(file, "does not exist");
        }
    }

    private static void checkFileSize(Path file, Header h) throws IOException {
        long available = Files.size(file) - h.dataOffset();
        if (available < h.dataBytes()) {
            throw DataFormatException.of(file, "holds " + Math.max(0, available) + " bytes of data, but its shape "
                    + shapeText(h.shape()) + " of " + h.type().numpyName() + " needs " + h.dataBytes()
                    + ": the shape does not match the data (or the file is truncated)");
        }
    }

    /**
     * Reads a .npy header from a stream, leaving the stream at the first element.
     *
     * @param in the stream
     * @param name the file or entry name, for messages
     * @return the header
     * @throws IOException if it is not a .npy of numbers
     */
    static Header readHeader(InputStream in, String name) throws IOException {
        byte[] start = in.readNBytes(10);
        if (start.length > 0 && (start[0] & 0xFF) == 0x80) {
            throw new DataFormatException("File " + name + " is a Python pickle, not a NumPy array; BrainAlign never"
                    + " unpickles files (Algonauts mapping_*.npy files are such pickles: the NSD label tables are"
                    + " built in instead).");
        }
        if (start.length < 10 || !Arrays.equals(Arrays.copyOf(start, 6), MAGIC)) {
            throw new DataFormatException(
                    "File " + name + " is not a NumPy .npy file (it lacks the \\x93NUMPY magic).");
        }
        int major = start[6] & 0xFF;
        int minor = start[7] & 0xFF;
        long headerLength;
        int prefix;
        if (major == 1) {
            headerLength = ByteBuffer.wrap(start, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            byte[] more = in.readNBytes(2);
            if (more.length < 2) {
                throw new DataFormatException("File " + name + " ends inside its .npy header.");
            }
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).put(start, 8, 2).put(more);
            headerLength = b.getInt(0) & 0xFFFFFFFFL;
            prefix = 12;
        } else {
            throw new DataFormatException(
                    "File " + name + " has .npy format version " + major + "." + minor + ", not 1.0, 2.0 or 3.0.");
        }
        if (headerLength > 1 << 20) {
            throw new DataFormatException(
                    "File " + name + " claims a .npy header of " + headerLength + " bytes, which is absurd.");
        }
        byte[] text = in.readNBytes((int) headerLength);
        if (text.length < headerLength) {
            throw new DataFormatException("File " + name + " ends inside its .npy header.");
        }
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> fields;
        try {
            fields = new DictParser(dict).parse();
        } catch (IllegalArgumentException e) {
            throw new DataFormatException("File " + name + " has an unreadable .npy header (" + oneLine(e.getMessage())
                    + ").");
        }
        Object descr = fields.get("descr");
        Object fortran = fields.get("fortran_order");
        Object shape = fields.get("shape");
        if (descr instanceof List) {
            throw new DataFormatException("File " + name + " holds a structured array (fields " + descr
                    + "), which BrainAlign does not read.");
        }
        if (!(descr instanceof String d) || !(fortran instanceof Boolean f) || !(shape instanceof int[] s)) {
            throw new DataFormatException("File " + name
                    + " has a .npy header without the descr, fortran_order and shape fields: " + oneLine(dict));
        }
        String code = d.length() > 1 && "<>|=".indexOf(d.charAt(0)) >= 0 ? d.substring(1) : d;
        if (code.startsWith("O")) {
            throw new DataFormatException("File " + name + " holds Python objects (dtype 'O'), and reading them would"
                    + " mean unpickling, which BrainAlign never does.");
        }
        NpyType type = NpyType.ofCode(code);
        if (type == null) {
            throw new DataFormatException("File " + name + " holds elements of dtype '" + d
                    + "', which BrainAlign does not read (numbers and booleans only).");
        }
        ByteOrder order = d.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        long n = 1;
        for (int size : s) {
            if (size < 0) {
                throw new DataFormatException(
                        "File " + name + " has a negative size in its shape " + shapeText(s) + ".");
            }
            if (size > 0 && n > (1L << 40) / size) {
                throw new DataFormatException("File " + name + " has an absurd shape " + shapeText(s) + ".");
            }
            n *= size;
        }
        return new Header(type, order, f, s, major + "." + minor, prefix + headerLength);
    }

    static NpyArray readData(InputStream in, Header h, String name) throws IOException {
        long need = h.dataBytes();
        if (need > Integer.MAX_VALUE - 16) {
            throw new DataFormatException("File " + name + " holds " + need + " bytes, too many to read whole.");
        }
        // readNBytes grows as data arrive: a header that lies about the shape cannot make us allocate its claim
        byte[] data = in.readNBytes((int) need);
        if (data.length < need) {
            throw new DataFormatException("File " + name + " holds " + data.length + " bytes of data, but its shape "
                    + shapeText(h.shape()) + " of " + h.type().numpyName() + " needs " + need
                    + ": the shape does not match the data (or the file is truncated).");
        }
        return new NpyArray(h.shape(), h.type(), h.fortranOrder(), ByteBuffer.wrap(data).order(h.byteOrder()));
    }

    static String shapeText(int[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /**
     * Writes an array as a .npy file (version 1.0, or 2.0 if the header needs it), atomically.
     *
     * @param file the file to write
     * @param array the array
     * @throws IOException if writing fails
     */
    public static void write(Path file, NpyArray array) throws IOException {
        AtomicFile.write(file, out -> writeTo(out, array));
    }

    /**
     * Writes an array in .npy format to a stream.
     *
     * @param out the stream (not closed)
     * @param array the array
     * @throws IOException if writing fails
     */
    public static void writeTo(OutputStream out, NpyArray array) throws IOException {
        writeHeader(out, array.descr(), array.isFortranOrder(), array.shape());
        ByteBuffer data = array.data();
        byte[] chunk = new byte[1 << 16];
        while (data.hasRemaining()) {
            int n = Math.min(chunk.length, data.remaining());
            data.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    /** Receives the rows of a matrix being written by {@link #writeFloatRows}. */
    @FunctionalInterface
    public interface FloatRows {

        /**
         * @param row the next row, as long as the matrix is wide
         * @throws IOException if writing fails, or the row has the wrong length or is one too many
         */
        void add(float[] row) throws IOException;
    }

    /** Produces the rows of a matrix for {@link #writeFloatRows}. */
    @FunctionalInterface
    public interface FloatRowSource {

        /**
         * @param rows where to put every row, in order
         * @throws IOException if producing or writing them fails
         */
        void writeTo(FloatRows rows) throws IOException;
    }

    /**
     * Writes a little-endian float32 matrix as a .npy file row by row, atomically, without holding it: the file
     * appears under its name only once all rows have come.
     *
     * @param file the file to write
     * @param rows how many rows the source will give
     * @param cols the length of every row
     * @param source gives the rows
     * @throws IOException if writing fails or the source gives other than rows rows of cols values (the file is then
     *         not written)
     */
    public static void writeFloatRows(Path file, int rows, int cols, FloatRowSource source) throws IOException {
        AtomicFile.write(file, out -> {
            writeHeader(out, "<f4", false, new int[] { rows, cols });
            ByteBuffer bytes = ByteBuffer.allocate(cols * 4).order(ByteOrder.LITTLE_ENDIAN);
            int[] written = { 0 };
            source.writeTo(row -> {
                if (row.length != cols || written[0] == rows) {
                    throw new IOException(file + ": row " + written[0] + " of " + row.length + " values does not fit "
                            + "a matrix of " + rows + " x " + cols);
                }
                bytes.clear();
                bytes.asFloatBuffer().put(row);
                out.write(bytes.array());
                written[0]++;
            });
            if (written[0] != rows) {
                throw new IOException(file + ": " + written[0] + " rows were given for a matrix of " + rows);
            }
        });
    }

    private static void writeHeader(OutputStream out, String descr, boolean fortranOrder, int[] shape)
            throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
                + ", 'shape': " + shapeText(shape) + ", }";
        int major = dict.length() + 11 > 65535 ? 2 : 1;
        int prefix = major == 1 ? 10 : 12;
        int total = prefix + dict.length() + 1;
        int padded = (total + ALIGN - 1) / ALIGN * ALIGN;
        String header = dict + " ".repeat(padded - total) + "\n";
        ByteBuffer b = ByteBuffer.allocate(prefix).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) header.length());
        } else {
            b.putInt(header.length());
        }
        out.write(b.array());
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A header's text as part of a one-line message: its newline and any control character become spaces. */
    private static String oneLine(String text) {
        return String.valueOf(text).replaceAll("\\p{Cntrl}", " ").strip();
    }

    /** Parses the Python dict literal of a .npy header: strings, True/False/None, ints and tuples or lists. */
    private static final class DictParser {

        private final String s;
        private int pos;

        DictParser(String s) {
            this.s = s;
        }

        Map<String, Object> parse() {
            Map<String, Object> m = new LinkedHashMap<>();
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    return m;
                }
                Object key = value();
                if (!(key instanceof String k)) {
                    throw new IllegalArgumentException("a key is not a string at " + pos);
                }
                expect(':');
                m.put(k, value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                }
            }
        }

        private Object value() {
            skipSpace();
            char c = peek();
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, pos + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated string at " + pos);
                }
                String v = s.substring(pos + 1, end);
                pos = end + 1;
                return v;
            }
            if (c == '(' || c == '[') {
                char close = c == '(' ? ')' : ']';
                pos++;
                List<Object> items = new ArrayList<>();
                while (true) {
                    skipSpace();
                    if (peek() == close) {
                        pos++;
                        break;
                    }
                    items.add(value());
                    skipSpace();
                    if (peek() == ',') {
                        pos++;
                    }
                }
                if (c == '(' && items.stream().allMatch(i -> i instanceof Long)) {
                    int[] shape = new int[items.size()];
                    for (int i = 0; i < shape.length; i++) {
                        long v = (Long) items.get(i);
                        if (v > Integer.MAX_VALUE) {
                            throw new IllegalArgumentException("size " + v + " is too large");
                        }
                        shape[i] = (int) v;
                    }
                    return shape;
                }
                return items;
            }
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '-')) {
                pos++;
            }
            String word = s.substring(start, pos);
            switch (word) {
                case "True" :
                    return Boolean.TRUE;
                case "False" :
                    return Boolean.FALSE;
                case "None" :
                    return null;
                default :
                    try {
                        // Python 2 wrote long sizes as 3L
                        return Long.parseLong(word.endsWith("L") ? word.substring(0, word.length() - 1) : word);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("unexpected '" + word + "' at " + start);
                    }
            }
        }

        private void expect(char c) {
            skipSpace();
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + pos);
            }
            pos++;
        }

        private char peek() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("the header ends early");
            }
            return s.charAt(pos);
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }
    }
}
