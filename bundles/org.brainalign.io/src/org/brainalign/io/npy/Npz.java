package org.brainalign.io.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.brainalign.io.InputFile;
import org.brainalign.io.AtomicFile;
import org.brainalign.io.DataFormatException;

/**
 * The NumPy .npz format: a zip archive of .npy entries, stored or deflated, one per named array ("a.npy" holds the
 * array named "a").
 */
public final class Npz {

    /**
     * The most bytes an entry may hold after its array's data: they are read to check the entry's CRC-32, so a
     * small array in a giant entry (a zip bomb) must not make us inflate gigabytes; NumPy writes none.
     */
    private static final long TRAILING_LIMIT = 1 << 20;

    private Npz() {
    }

    /**
     * Reads every array of an .npz file.
     *
     * @param file the archive
     * @return arrays by name (the entry name without .npy), in archive order
     * @throws DataFormatException if the file is not a zip of readable .npy entries (the message names the file
     *         and entry)
     * @throws IOException if it cannot be read
     */
    public static Map<String, NpyArray> read(Path file) throws IOException {
        return read(file, null);
    }

    /**
     * Reads some arrays of an .npz file; the other entries are skipped unread (they may be of types we do not read,
     * such as the string array of image names that {@code features export} writes).
     *
     * @param file the archive
     * @param wanted the names (without .npy) to read, or null for all
     * @return the arrays found among those wanted, by name, in archive order
     * @throws DataFormatException if the file is not a zip or a wanted entry is unreadable (naming file and entry)
     * @throws IOException if it cannot be read
     */
    public static Map<String, NpyArray> read(Path file, java.util.Set<String> wanted) throws IOException {
        InputFile.check(file);
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String name = file + " (entry " + e.getName() + ")";
                String entryKey = e.getName().endsWith(".npy")
                        ? e.getName().substring(0, e.getName().length() - 4)
                        : e.getName();
                if (wanted != null && !wanted.contains(entryKey)) {
                    continue;
                }
                // ZipFile checks no entry's CRC-32 (only ZipInputStream does): count and check it as NumPy does
                try (CheckedInputStream in = new CheckedInputStream(zip.getInputStream(e), new CRC32())) {
                    Npy.Header h = Npy.readHeader(in, name);
                    if (e.getSize() >= 0 && e.getSize() - h.dataOffset() < h.dataBytes()) {
                        throw new DataFormatException("File " + name + " holds " + (e.getSize() - h.dataOffset())
                                + " bytes of data, but its shape needs " + h.dataBytes() + ".");
                    }
                    if (e.getSize() - h.dataOffset() - h.dataBytes() > TRAILING_LIMIT) {
                        throw new DataFormatException("File " + name + " holds " + (e.getSize() - h.dataOffset()
                                - h.dataBytes()) + " bytes after its array's data, where an .npy entry ends.");
                    }
                    NpyArray array = Npy.readData(in, h, name);
                    long length = h.dataOffset() + h.dataBytes() + in.transferTo(OutputStream.nullOutputStream());
                    if (e.getCrc() >= 0 && in.getChecksum().getValue() != e.getCrc()
                            || e.getSize() >= 0 && length != e.getSize()) {
                        throw new DataFormatException("File " + name + " is damaged: its CRC-32 or length differs"
                                + " from the one recorded in the archive.");
                    }
                    arrays.put(entryKey, array);
                } catch (ZipException | java.io.EOFException ze) {
                    // a damaged deflated entry ends early (EOFException) or breaks its code (ZipException)
                    throw DataFormatException.of(file, "has a damaged entry " + e.getName() + " (" + ze.getMessage()
                            + ")", ze);
                }
            }
        } catch (ZipException e) {
            throw DataFormatException.of(file, "is not a valid .npz (zip) archive (" + e.getMessage() + ")", e);
        } catch (java.io.EOFException e) {
            // the zip directory points past the end of the file (a damaged or truncated archive)
            throw DataFormatException.of(file, "is not a valid .npz (zip) archive: its directory points past its end",
                    e);
        }
        return arrays;
    }

    /**
     * Writes arrays as an .npz archive, atomically.
     *
     * @param file the archive to write
     * @param arrays arrays by name
     * @param compressed whether to deflate the entries (as numpy.savez_compressed) or store them (numpy.savez)
     * @throws IOException if writing fails
     */
    public static void write(Path file, Map<String, NpyArray> arrays, boolean compressed) throws IOException {
        AtomicFile.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, NpyArray> a : arrays.entrySet()) {
                ZipEntry e = new ZipEntry(a.getKey() + ".npy");
                if (compressed) {
                    e.setMethod(ZipEntry.DEFLATED);
                } else {
                    // a stored entry needs its size and CRC up front
                    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                    Npy.writeTo(bytes, a.getValue());
                    byte[] b = bytes.toByteArray();
                    CRC32 crc = new CRC32();
                    crc.update(b);
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(b.length);
                    e.setCompressedSize(b.length);
                    e.setCrc(crc.getValue());
                    zip.putNextEntry(e);
                    zip.write(b);
                    zip.closeEntry();
                    continue;
                }
                zip.putNextEntry(e);
                Npy.writeTo(zip, a.getValue());
                zip.closeEntry();
            }
            zip.finish();
        });
    }
}
