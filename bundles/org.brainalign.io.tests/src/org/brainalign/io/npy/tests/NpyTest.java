package org.brainalign.io.npy.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.io.DataFormatException;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.npy.NpyArray;
import org.brainalign.io.npy.NpyType;
import org.brainalign.io.npy.Npz;
import org.brainalign.io.npy.NpzRows;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * .npy and .npz files written by NumPy itself (resources/npy, made by make_fixtures.py there), against the
 * closed-form values the script used; and our writer read back by our reader and byte-compared with NumPy's output.
 */
class NpyTest {

    @TempDir
    Path dir;

    private Path fixture(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = NpyTest.class.getResourceAsStream("/resources/npy/" + name)) {
            assertTrue(in != null, "fixture " + name + " is on the test class path");
            Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    @Test
    void float32CLittleEndian() throws IOException {
        NpyArray a = Npy.read(fixture("f4_little_c.npy"));
        assertArrayEquals(new int[] { 3, 4 }, a.shape());
        assertEquals(NpyType.FLOAT32, a.type());
        assertEquals(ByteOrder.LITTLE_ENDIAN, a.byteOrder());
        assertFalse(a.isFortranOrder());
        float[] v = a.toFloatArray();
        for (int i = 0; i < 12; i++) {
            assertEquals(i * 0.5f - 1, v[i]);
        }
        assertEquals(1 * 0.5 * 4 + 3 * 0.5 - 1, a.get(1, 3)); // element (1, 3) is C index 7
    }

    @Test
    void float64FortranBigEndian() throws IOException {
        NpyArray a = Npy.read(fixture("f8_big_fortran.npy"));
        assertArrayEquals(new int[] { 2, 3, 4 }, a.shape());
        assertTrue(a.isFortranOrder());
        assertEquals(ByteOrder.BIG_ENDIAN, a.byteOrder());
        double[] v = a.toDoubleArray();
        for (int i = 0; i < 24; i++) {
            assertEquals(i / 7.0, v[i], 0.0, "C-order element " + i);
        }
        assertEquals((1 * 12 + 2 * 4 + 3) / 7.0, a.get(1, 2, 3), 0.0);
    }

    @Test
    void float16() throws IOException {
        double[] v = Npy.read(fixture("f2.npy")).toDoubleArray();
        assertArrayEquals(new double[] { 0, 1.5, -2.25, 65504, Math.pow(2, -14), Double.POSITIVE_INFINITY },
                java.util.Arrays.copyOf(v, 6), 0.0);
        assertTrue(Double.isNaN(v[6]));
    }

    @Test
    void integerTypesBothByteOrders() throws IOException {
        assertArrayEquals(new long[] { -128, -1, 0, 127 }, Npy.read(fixture("i1.npy")).toLongArray());
        assertArrayEquals(new long[] { 0, 1, 200, 255 }, Npy.read(fixture("u1.npy")).toLongArray());
        assertArrayEquals(new long[] { -32768, -300, 0, 32767 }, Npy.read(fixture("i2_big.npy")).toLongArray());
        assertArrayEquals(new long[] { 0, 1, 40000, 65535 }, Npy.read(fixture("u2.npy")).toLongArray());
        assertArrayEquals(new long[] { 0, 1, 4000000000L, 4294967295L }, Npy.read(fixture("u4.npy")).toLongArray());
        assertArrayEquals(new long[] { -(1L << 40), -1, 0, 1L << 40 }, Npy.read(fixture("i8.npy")).toLongArray());
        assertArrayEquals(new long[] { 0, 1, 1L << 40 }, Npy.read(fixture("u8_big.npy")).toLongArray());
        NpyArray f = Npy.read(fixture("i4_big_fortran.npy"));
        assertArrayEquals(new int[] { -3, -2, -1, 0, 1, 2 }, f.toIntArray());
        assertEquals(ByteOrder.BIG_ENDIAN, f.byteOrder());
        assertArrayEquals(new double[] { 1, 0, 0, 1, 1 }, Npy.read(fixture("bool.npy")).toDoubleArray(), 0.0);
        assertEquals(3.25, Npy.read(fixture("scalar.npy")).get(0));
        assertEquals(0, Npy.read(fixture("scalar.npy")).shape().length);
    }

    @Test
    void versionsTwoAndThree() throws IOException {
        assertEquals("2.0", Npy.header(fixture("v2.npy")).version());
        assertArrayEquals(new float[] { 0, 2, 4, 6, 8 }, Npy.read(fixture("v2.npy")).toFloatArray());
        assertEquals("3.0", Npy.header(fixture("v3.npy")).version());
        assertArrayEquals(new int[] { -2, -1, 0, 1, 2 }, Npy.read(fixture("v3.npy")).toIntArray());
    }

    @Test
    void npzStoredAndDeflated() throws IOException {
        for (String name : new String[] { "stored.npz", "deflated.npz" }) {
            Map<String, NpyArray> m = Npz.read(fixture(name));
            assertEquals(List.of("a", "b"), List.copyOf(m.keySet()));
            assertArrayEquals(new float[] { 0, 1, 2, 3, 4, 5 }, m.get("a").toFloatArray());
            assertArrayEquals(new int[] { 2, 3 }, m.get("a").shape());
            assertArrayEquals(new int[] { 7, 8, 9 }, m.get("b").toIntArray());
        }
    }

    @Test
    void ourWriterMatchesNumpyByteForByte() throws IOException {
        float[] v = new float[12];
        for (int i = 0; i < 12; i++) {
            v[i] = i * 0.5f - 1;
        }
        Path ours = dir.resolve("ours.npy");
        Npy.write(ours, NpyArray.ofFloats(v, 3, 4));
        assertArrayEquals(Files.readAllBytes(fixture("f4_little_c.npy")), Files.readAllBytes(ours));
    }

    @Test
    void roundTripsOfEveryWrittenType() throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("f", NpyArray.ofFloats(new float[] { 1.5f, Float.NaN, -0f, 3e38f }, 2, 2));
        arrays.put("d", NpyArray.ofDoubles(new double[] { Math.PI, -1e-300 }, 2));
        arrays.put("i", NpyArray.ofInts(new int[] { Integer.MIN_VALUE, 7, Integer.MAX_VALUE }, 3, 1));
        arrays.put("l", NpyArray.ofLongs(new long[] { Long.MIN_VALUE, 1 }, 2));
        arrays.put("b", NpyArray.ofBooleans(new boolean[] { true, false, true }, 3));
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            Path p = dir.resolve(e.getKey() + ".npy");
            Npy.write(p, e.getValue());
            NpyArray back = Npy.read(p);
            assertEquals(e.getValue().descr(), back.descr());
            assertArrayEquals(e.getValue().shape(), back.shape());
            assertEquals(e.getValue().data(), back.data());
            assertEquals(0, (Files.size(p) - e.getValue().data().capacity()) % 64, "header padded to 64 bytes");
        }
        for (boolean compressed : new boolean[] { true, false }) {
            Path z = dir.resolve("all" + compressed + ".npz");
            Npz.write(z, arrays, compressed);
            Map<String, NpyArray> back = Npz.read(z);
            assertEquals(arrays.keySet(), back.keySet());
            for (String k : arrays.keySet()) {
                assertEquals(arrays.get(k).data(), back.get(k).data());
            }
        }
    }

    @Test
    void picklesAreRefusedNamingTheFile() throws IOException {
        for (String name : new String[] { "object.npy", "pickle.npy" }) {
            Path p = fixture(name);
            DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.read(p));
            assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("unpickl"), e.getMessage());
        }
        Path u = fixture("unicode.npy");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.read(u));
        assertTrue(e.getMessage().contains("<U3") && e.getMessage().contains(u.toString()), e.getMessage());
    }

    @Test
    void aShapeThatDoesNotMatchTheDataIsRefused() throws IOException {
        byte[] b = Files.readAllBytes(fixture("f4_little_c.npy"));
        String text = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).replace("(3, 4)", "(9, 4)");
        Path p = dir.resolve("lying.npy");
        Files.write(p, text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("does not match"), e.getMessage());
        Path q = dir.resolve("plain.npy");
        Files.writeString(q, "x,y\n1,2\n");
        e = assertThrows(DataFormatException.class, () -> Npy.read(q));
        assertTrue(e.getMessage().contains("NUMPY magic"), e.getMessage());
    }

    @Test
    void theSharedReferenceArraysOfPytorchRead() throws IOException {
        Path root = SharedData.vitMnist().resolve("reference");
        NpyArray inputs = Npy.read(root.resolve("inputs.npy"));
        assertArrayEquals(new int[] { 16, 1, 28, 28 }, inputs.shape());
        assertEquals(NpyType.FLOAT32, inputs.type());
        // the digits are normalised (x - 0.1307) / 0.3081 from pixels in [0, 1]: the background is -0.4242
        assertEquals(-0.1307 / 0.3081, inputs.statistics().min(), 1e-4);
        assertEquals((1 - 0.1307) / 0.3081, inputs.statistics().max(), 1e-4);
        float[][] logits = Npy.readMatrix(root.resolve("logits.npy"), null);
        assertEquals(16, logits.length);
        assertEquals(10, logits[0].length);
        assertArrayEquals(Npy.read(root.resolve("logits.npy")).toFloatArray(), flatten(logits));
    }

    private static float[] flatten(float[][] m) {
        float[] f = new float[m.length * m[0].length];
        for (int r = 0; r < m.length; r++) {
            System.arraycopy(m[r], 0, f, r * m[0].length, m[0].length);
        }
        return f;
    }

    @Test
    public void rowsWrittenOneByOneAreTheWholeMatrixWrittenAtOnce() throws IOException {
        int rows = 5;
        int cols = 7;
        float[] flat = new float[rows * cols];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = i * 0.25f - 3;
        }
        Path whole = dir.resolve("whole.npy");
        Npy.write(whole, NpyArray.ofFloats(flat, rows, cols));
        Path streamed = dir.resolve("streamed.npy");
        Npy.writeFloatRows(streamed, rows, cols, sink -> {
            for (int r = 0; r < rows; r++) {
                sink.add(java.util.Arrays.copyOfRange(flat, r * cols, (r + 1) * cols));
            }
        });
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(streamed));
        // too few rows, or one of the wrong length: an error naming the file, and no file
        Path shortFile = dir.resolve("short.npy");
        IOException e = assertThrows(IOException.class, () -> Npy.writeFloatRows(shortFile, rows, cols,
                sink -> sink.add(new float[cols])));
        assertEquals(shortFile + ": 1 rows were given for a matrix of 5", e.getMessage());
        assertThrows(IOException.class, () -> Npy.writeFloatRows(shortFile, rows, cols, sink -> sink.add(
                new float[cols + 1])));
        assertFalse(Files.exists(shortFile));
        try (var listing = Files.list(dir)) {
            assertEquals(2, listing.count(), "temporary files left behind");
        }
    }

    /** A matrix of rows x cols of a type and order, value r / 4 - 3 c + 1/8 (whole numbers r 7 - 100 c), and a NaN. */
    private static NpyArray matrix(NpyType type, ByteOrder order, boolean fortran, int rows, int cols) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(rows * cols * type.bytes()).order(order);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int at = (fortran ? c * rows + r : r * cols + c) * type.bytes();
                double v = r / 4.0 - 3 * c + 0.125;
                switch (type) {
                    // a quiet NaN with a payload: its bits must come through
                    case FLOAT32 -> b.putFloat(at, r == 5 && c == 1 ? Float.intBitsToFloat(0x7fc01234) : (float) v);
                    case FLOAT64 -> b.putDouble(at, r == 5 && c == 1 ? Double.NaN : v);
                    case INT16 -> b.putShort(at, (short) (r * 7 - 100 * c));
                    default -> throw new IllegalArgumentException(type.toString());
                }
            }
        }
        return new NpyArray(new int[] { rows, cols }, type, fortran, b);
    }

    private static int[] bits(float[] values, int from, int to) {
        return java.util.stream.IntStream.range(from, to).map(i -> Float.floatToRawIntBits(values[i])).toArray();
    }

    /**
     * Some rows read into a wider matrix are those rows of the whole array read at once, bit for bit, in C and
     * Fortran order, for float32, float64 and int16 of both byte orders; the destination's other columns are left
     * alone.
     */
    @Test
    void someRowsAreThoseRowsOfTheWholeArray() throws IOException {
        int rows = 70;
        int cols = 3;
        int offset = 2;
        int[][] subsets = { {}, { 0 }, { 69 }, { 3, 4, 5, 17, 63, 64, 65, 69 },
                java.util.stream.IntStream.range(0, rows).toArray() };
        Object[][] kinds = { { NpyType.FLOAT32, ByteOrder.LITTLE_ENDIAN, false },
                { NpyType.FLOAT32, ByteOrder.LITTLE_ENDIAN, true }, { NpyType.FLOAT64, ByteOrder.BIG_ENDIAN, true },
                { NpyType.FLOAT64, ByteOrder.LITTLE_ENDIAN, false }, { NpyType.INT16, ByteOrder.BIG_ENDIAN, false },
                { NpyType.INT16, ByteOrder.LITTLE_ENDIAN, true } };
        for (Object[] k : kinds) {
            NpyType type = (NpyType) k[0];
            boolean fortran = (Boolean) k[2];
            String name = type.code() + (k[1] == ByteOrder.BIG_ENDIAN ? "big" : "little") + (fortran ? "F" : "C");
            Path file = dir.resolve(name + ".npy");
            Npy.write(file, matrix(type, (ByteOrder) k[1], fortran, rows, cols));
            float[] whole = Npy.read(file).toFloatArray();
            for (int[] subset : subsets) {
                float[][] d = new float[subset.length][offset + cols + 1];
                for (float[] row : d) {
                    java.util.Arrays.fill(row, -7f);
                }
                Npy.readRowsInto(file, subset, d, offset, null);
                for (int i = 0; i < subset.length; i++) {
                    int r = subset[i];
                    assertArrayEquals(bits(whole, r * cols, (r + 1) * cols), bits(d[i], offset, offset + cols),
                            name + " row " + r);
                    assertArrayEquals(new float[] { -7, -7 }, java.util.Arrays.copyOf(d[i], offset), name);
                    assertEquals(-7f, d[i][offset + cols], name);
                }
            }
        }
        // NumPy's own files: rows 0 and 2 of the C-order (3, 4), row 1 of the big-endian Fortran-order int32 (2, 3)
        float[][] c = new float[2][4];
        Npy.readRowsInto(fixture("f4_little_c.npy"), new int[] { 0, 2 }, c, 0, null);
        assertArrayEquals(new float[] { -1, -0.5f, 0, 0.5f }, c[0]);
        assertArrayEquals(new float[] { 3, 3.5f, 4, 4.5f }, c[1]);
        float[][] f = new float[1][3];
        Npy.readRowsInto(fixture("i4_big_fortran.npy"), new int[] { 1 }, f, 0, null);
        assertArrayEquals(new float[] { 0, 1, 2 }, f[0]);
    }

    /** Rows out of order, repeated or beyond the array, or a destination that does not fit, are the caller's bug. */
    @Test
    void rowsThatAreNotAscendingOrBeyondTheArrayAreRefused() throws IOException {
        Path file = dir.resolve("m.npy");
        Npy.write(file, matrix(NpyType.FLOAT32, ByteOrder.LITTLE_ENDIAN, false, 4, 3));
        Path fortran = dir.resolve("f.npy");
        Npy.write(fortran, matrix(NpyType.FLOAT32, ByteOrder.LITTLE_ENDIAN, true, 4, 3));
        for (Path p : List.of(file, fortran)) {
            for (int[] rows : new int[][] { { 2, 1 }, { 1, 1 }, { -1, 0 }, { 0, 4 } }) {
                assertThrows(IllegalArgumentException.class,
                        () -> Npy.readRowsInto(p, rows, new float[rows.length][3], 0, null),
                        java.util.Arrays.toString(rows));
            }
            assertThrows(IllegalArgumentException.class,
                    () -> Npy.readRowsInto(p, new int[] { 0, 1 }, new float[3][3], 0, null));
            assertThrows(IllegalArgumentException.class,
                    () -> Npy.readRowsInto(p, new int[] { 0, 1 }, new float[2][3], 1, null));
        }
    }

    /** A file that ends before its shape says is refused in a sentence naming it, before any row is read. */
    @Test
    void someRowsOfATruncatedFileAreRefusedNamingIt() throws IOException {
        for (boolean fortran : new boolean[] { false, true }) {
            Path file = dir.resolve("cut" + fortran + ".npy");
            Npy.write(file, matrix(NpyType.FLOAT64, ByteOrder.LITTLE_ENDIAN, fortran, 10, 3));
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 9));
            DataFormatException e = assertThrows(DataFormatException.class,
                    () -> Npy.readRowsInto(file, new int[] { 0 }, new float[1][3], 0, null));
            assertTrue(e.getMessage().startsWith("File " + file + " ") && e.getMessage().contains("truncated"),
                    e.getMessage());
        }
        Path flat = dir.resolve("flat.npy");
        Npy.write(flat, NpyArray.ofFloats(new float[6], 6));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Npy.readRowsInto(flat, new int[] { 0 }, new float[1][1], 0, null));
        assertTrue(e.getMessage().contains(flat.toString()) && e.getMessage().contains("2-D"), e.getMessage());
    }

    /** ZipFile checks no CRC: a stored entry with a changed byte inflates fine, and only its CRC-32 tells. */
    @Test
    void anNpzEntryWithABadCrcIsRefusedAsNumPyRefusesIt() throws Exception {
        float[] values = new float[256];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1000 + i;
        }
        for (boolean compressed : new boolean[] { false, true }) {
            Path file = dir.resolve("crc" + compressed + ".npz");
            Npz.write(file, Map.of("a", NpyArray.ofFloats(values, 16, 16)), compressed);
            assertArrayEquals(values, Npz.read(file).get("a").toFloatArray(), 0f);
            byte[] bytes = Files.readAllBytes(file);
            if (compressed) {
                // the recorded CRC-32 of the entry, in its local header (offset 14) and the central directory
                bytes[14] ^= 0x01;
                int central = bytes.length - 22 - 46 - "a.npy".length();
                bytes[central + 16] ^= 0x01;
            } else {
                bytes[bytes.length / 2] ^= 0x40;
            }
            Path bad = Files.write(dir.resolve("bad" + compressed + ".npz"), bytes);
            DataFormatException e = assertThrows(DataFormatException.class, () -> Npz.read(bad));
            assertTrue(e.getMessage().contains("bad" + compressed + ".npz") && e.getMessage().contains("CRC-32"),
                    e.getMessage());
        }
    }

    /** Rows read one by one, in any order, are NumPy's rows of the fixtures and of arrays the whole reader reads. */
    @Test
    void npzRowsAreTheWholeArraysRows() throws Exception {
        for (String name : new String[] { "stored.npz", "deflated.npz" }) {
            try (NpzRows a = new NpzRows(fixture(name), "a")) {
                assertEquals(2, a.rows());
                assertEquals(3, a.rowValues());
                float[] row = new float[4];
                a.read(1, row, 1);
                assertArrayEquals(new float[] { 0, 3, 4, 5 }, row);
                // an earlier row: a new pass over the entry
                a.read(0, row, 0);
                assertArrayEquals(new float[] { 0, 1, 2, 5 }, row);
            }
        }
        float[] values = new float[5 * 2 * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25f - 3;
        }
        for (boolean compressed : new boolean[] { false, true }) {
            Path file = dir.resolve("rows" + compressed + ".npz");
            Npz.write(file, Map.of("x", NpyArray.ofFloats(values, 5, 2, 3)), compressed);
            try (NpzRows x = new NpzRows(file, "x")) {
                float[] row = new float[6];
                for (int r : new int[] { 4, 0, 2, 3, 1, 4 }) {
                    x.read(r, row, 0);
                    assertArrayEquals(java.util.Arrays.copyOfRange(values, 6 * r, 6 * r + 6), row, 0f);
                }
            }
            DataFormatException e = assertThrows(DataFormatException.class, () -> new NpzRows(file, "y"));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("y"), e.getMessage());
        }
    }

    /** A damaged entry read row by row is refused when the pass reaches its end, as the whole reader refuses it. */
    @Test
    void npzRowsCheckTheCrcAtTheEntrysEnd() throws Exception {
        float[] values = new float[256];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1000 + i;
        }
        Path file = dir.resolve("crc.npz");
        Npz.write(file, Map.of("a", NpyArray.ofFloats(values, 16, 16)), false);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Path bad = Files.write(dir.resolve("bad.npz"), bytes);
        try (NpzRows a = new NpzRows(bad, "a")) {
            float[] row = new float[16];
            for (int r = 0; r < 15; r++) {
                a.read(r, row, 0);
            }
            DataFormatException e = assertThrows(DataFormatException.class, () -> a.read(15, row, 0));
            assertTrue(e.getMessage().contains("bad.npz") && e.getMessage().contains("CRC-32"), e.getMessage());
        }
    }
}
