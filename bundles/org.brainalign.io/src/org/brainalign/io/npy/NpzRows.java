package org.brainalign.io.npy;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.brainalign.io.DataFormatException;
import org.brainalign.io.InputFile;

/**
 * One array of an .npz archive read a row (an index of its first axis) at a time, so that an array larger than the
 * heap can be used: only the rows asked for are decoded. Rows are read in increasing order from one pass over the
 * entry (a deflated entry cannot be entered in its middle); asking for an earlier row starts a new pass. The entry's
 * CRC-32 and length are checked whenever a pass reaches the entry's end, as {@link Npz#read} checks them.
 */
public final class NpzRows implements Closeable {

    private final Path file;
    private final ZipFile zip;
    private final ZipEntry entry;
    private final String name;
    private final Npy.Header header;
    private final int rowValues;
    private final byte[] rowBytes;
    private CheckedInputStream in;
    private int next;

    /**
     * Opens an array of the archive and reads its header.
     *
     * @param file the .npz archive
     * @param array the array's name, without .npy
     * @throws DataFormatException if the file is not a zip, lacks the array, or the array's header is unreadable, in
     *         Fortran order or has no first axis (naming file and entry)
     * @throws IOException if it cannot be read
     */
    public NpzRows(Path file, String array) throws IOException {
        InputFile.check(file);
        this.file = file;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException | EOFException e) {
            throw DataFormatException.of(file, "is not a valid .npz (zip) archive (" + e.getMessage() + ")", e);
        }
        try {
            ZipEntry e = zip.getEntry(array + ".npy");
            if (e == null) {
                throw DataFormatException.of(file, "lacks the array " + array);
            }
            entry = e;
            name = file + " (entry " + e.getName() + ")";
            header = open();
            int[] shape = header.shape();
            if (header.fortranOrder() || shape.length == 0) {
                throw new DataFormatException("File " + name + " holds " + (header.fortranOrder()
                        ? "an array in Fortran order"
                        : "a scalar") + ", not rows in C order.");
            }
            if (e.getSize() >= 0 && e.getSize() - header.dataOffset() < header.dataBytes()) {
                throw new DataFormatException("File " + name + " holds " + (e.getSize() - header.dataOffset())
                        + " bytes of data, but its shape needs " + header.dataBytes() + ".");
            }
            long values = shape[0] == 0 ? 0 : header.size() / shape[0];
            if (values * header.type().bytes() > Integer.MAX_VALUE - 8) {
                throw new DataFormatException("File " + name + " has rows of " + values + " values, too long for one"
                        + " read.");
            }
            rowValues = (int) values;
            rowBytes = new byte[rowValues * header.type().bytes()];
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private Npy.Header open() throws IOException {
        if (in != null) {
            in.close();
        }
        in = new CheckedInputStream(zip.getInputStream(entry), new CRC32());
        next = 0;
        try {
            return Npy.readHeader(in, name);
        } catch (ZipException | EOFException e) {
            throw DataFormatException.of(file, "has a damaged entry " + entry.getName() + " (" + e.getMessage() + ")",
                    e);
        }
    }

    /** @return the array's shape; the first axis counts the rows */
    public int[] shape() {
        return header.shape().clone();
    }

    /** @return the number of rows */
    public int rows() {
        return header.shape()[0];
    }

    /** @return the values in one row */
    public int rowValues() {
        return rowValues;
    }

    /**
     * Reads one row as floats.
     *
     * @param row the row, 0 .. rows() - 1
     * @param destination where the values go
     * @param offset the first index in destination
     * @throws DataFormatException if the entry ends early or is damaged (naming file and entry)
     * @throws IOException if it cannot be read
     */
    public void read(int row, float[] destination, int offset) throws IOException {
        if (row < 0 || row >= rows()) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rows());
        }
        try {
            if (row < next) {
                open();
            }
            long skip = (long) (row - next) * rowBytes.length;
            if (skip > 0) {
                in.skipNBytes(skip);
            }
            if (in.readNBytes(rowBytes, 0, rowBytes.length) != rowBytes.length) {
                throw new DataFormatException("File " + name + " ends before its row " + row + ".");
            }
            next = row + 1;
            ByteBuffer b = ByteBuffer.wrap(rowBytes).order(header.byteOrder());
            int size = header.type().bytes();
            for (int i = 0; i < rowValues; i++) {
                destination[offset + i] = (float) header.type().read(b, i * size);
            }
            if (next == rows()) {
                checkEnd();
            }
        } catch (ZipException | EOFException e) {
            throw DataFormatException.of(file, "has a damaged entry " + entry.getName() + " (" + e.getMessage() + ")",
                    e);
        }
    }

    /** The pass reached the last row: the rest of the entry, its CRC-32 and its length must be as recorded. */
    private void checkEnd() throws IOException {
        long trailing = in.transferTo(OutputStream.nullOutputStream());
        long length = header.dataOffset() + header.dataBytes() + trailing;
        if (entry.getCrc() >= 0 && in.getChecksum().getValue() != entry.getCrc()
                || entry.getSize() >= 0 && length != entry.getSize()) {
            throw new DataFormatException("File " + name + " is damaged: its CRC-32 or length differs from the one"
                    + " recorded in the archive.");
        }
    }

    @Override
    public void close() throws IOException {
        try (ZipFile z = zip; InputStream i = in) {
            // closes both
        }
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(header.shape());
    }
}
