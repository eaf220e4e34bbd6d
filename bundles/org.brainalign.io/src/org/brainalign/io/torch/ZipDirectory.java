package org.brainalign.io.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The central directory of a zip file, as {@code torch.save} writes one (stored entries, ZIP64 beyond 4 GB), with
 * where each entry's bytes start in the file, so storages can be mapped in place instead of copied. Every offset and
 * size is checked against the file's length before it is used.
 */
final class ZipDirectory {

    /** One entry: its name, compression method, sizes, the file offset of its data and its recorded CRC-32. */
    record Entry(String name, int method, long compressedSize, long size, long dataStart, long crc) {
    }

    private static final int END_SIGNATURE = 0x06054b50;
    private static final int END64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int END64_SIGNATURE = 0x06064b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    /** Bytes mapped at once when a tensor is copied as bytes (TorchCheckpoint.readBytes). */
    static final int MAP_BYTES = 1 << 28;
    /** Bytes checked and used at once: small enough to stay in a core's cache between the two. */
    static final int WINDOW_BYTES = 1 << 18;

    private final Path file;
    private final FileChannel channel;
    private final long fileSize;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private ZipDirectory(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.fileSize = channel.size();
    }

    /**
     * @param channel an open file
     * @return whether it starts like a zip file (a local header, as torch.save's files do)
     * @throws IOException if it cannot be read
     */
    static boolean looksLikeZip(FileChannel channel) throws IOException {
        if (channel.size() < 4) {
            return false;
        }
        return read(channel, 0, 4).getInt() == LOCAL_SIGNATURE;
    }

    /**
     * Reads the central directory.
     *
     * @param file the file, for messages
     * @param channel the open file
     * @return the directory
     * @throws org.brainalign.io.DataFormatException naming the file if the directory is missing or inconsistent
     * @throws IOException if the file cannot be read
     */
    static ZipDirectory read(Path file, FileChannel channel) throws IOException {
        ZipDirectory z = new ZipDirectory(file, channel);
        z.readDirectory();
        return z;
    }

    /** @return the entries by name, in directory order */
    Map<String, Entry> entries() {
        return entries;
    }

    /**
     * Reads a small entry whole (a pickle, the version or byteorder record), inflating it if compressed, never
     * producing more than {@code limit} bytes whatever its header claims.
     *
     * @param e the entry
     * @param limit the most bytes this entry may hold
     * @return its bytes
     * @throws IOException naming the file if the entry is too large, truncated or corrupt
     */
    ByteBuffer contents(Entry e, long limit) throws IOException {
        if (e.size() > limit) {
            throw bad("its entry '" + e.name() + "' claims " + e.size() + " bytes, more than the " + limit
                    + " this reader accepts for it");
        }
        if (e.method() == STORED) {
            return checked(e, read(channel, e.dataStart(), (int) e.size()));
        }
        ByteBuffer packed = read(channel, e.dataStart(), (int) Math.min(e.compressedSize(), Integer.MAX_VALUE - 8));
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(packed);
            byte[] out = new byte[(int) e.size()];
            int n = 0;
            while (n < out.length && !inflater.finished()) {
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            // a bomb inflates past its declared size: one more byte than declared is enough to know
            if (n != out.length || !inflater.finished() && inflater.inflate(new byte[1]) > 0) {
                throw bad("its entry '" + e.name() + "' does not inflate to the " + e.size()
                        + " bytes its header declares");
            }
            return checked(e, ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN));
        } catch (DataFormatException ex) {
            throw bad("its entry '" + e.name() + "' is corrupt (" + ex.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }

    /** Compares an entry's bytes with the CRC-32 its directory records; returns them unread. */
    private ByteBuffer checked(Entry e, ByteBuffer bytes) throws org.brainalign.io.DataFormatException {
        CRC32 crc = new CRC32();
        crc.update(bytes.duplicate());
        if (crc.getValue() != e.crc()) {
            throw damaged(file, e);
        }
        return bytes;
    }

    /** A consumer of a file's bytes, window by window in file order. */
    interface Window {

        /**
         * @param fileOffset where the window starts in the file
         * @param bytes its bytes, from position to limit
         * @throws IOException if the consumer fails
         */
        void accept(long fileOffset, ByteBuffer bytes) throws IOException;
    }

    /**
     * Checks a stored entry's CRC-32 over its bytes in the file, in mapped windows, so a storage of gigabytes needs no
     * heap.
     *
     * @param file the file, for messages
     * @param channel the open file
     * @param e a stored entry
     * @throws IOException naming the file and the entry if the bytes differ from those written
     */
    static void verify(Path file, FileChannel channel, Entry e) throws IOException {
        verify(file, channel, e, (at, bytes) -> {
        });
    }

    /**
     * Checks a stored entry's CRC-32 and hands each window of its bytes to a consumer right after checking it, while
     * the window is still in the processor's cache, so checking and using a storage take one pass over its bytes.
     * What the consumer made of the bytes must not be used if this throws.
     *
     * @param file the file, for messages
     * @param channel the open file
     * @param e a stored entry
     * @param use the consumer of every window, in order, starting at the entry's first byte
     * @throws IOException naming the file and the entry if the bytes differ from those written
     */
    static void verify(Path file, FileChannel channel, Entry e, Window use) throws IOException {
        CRC32 crc = new CRC32();
        windows(channel, e.dataStart(), e.dataStart() + e.size(), (at, bytes) -> {
            crc.update(bytes.duplicate());
            use.accept(at, bytes);
        });
        if (crc.getValue() != e.crc()) {
            throw damaged(file, e);
        }
    }

    /**
     * Hands the bytes from {@code from} to {@code to} to a consumer in windows of {@link #WINDOW_BYTES} (the last may
     * be shorter), so every window starts at a multiple of any element size counted from {@code from}. The windows
     * are read in file order into one buffer by plain reads, not mapped: reading ahead
     * in order is what the
     * operating system does best, so a checkpoint that is not in the page cache reads at the disk's sequential speed,
     * where faulting in a mapping page by page did not; from the page cache the two are alike. The consumer must not
     * keep the window past its call.
     *
     * @param channel the open file
     * @param from the first byte
     * @param to the end of the range (exclusive)
     * @param use the consumer
     * @throws IOException if the file ends before {@code to}, cannot be read or the consumer fails
     */
    static void windows(FileChannel channel, long from, long to, Window use) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(WINDOW_BYTES, Math.max(0, to - from)));
        for (long at = from; at < to; at += buffer.limit()) {
            buffer.clear().limit((int) Math.min(WINDOW_BYTES, to - at));
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, at + buffer.position()) < 0) {
                    throw new java.io.EOFException("the file ends at byte " + (at + buffer.position())
                            + ", before the end of the data it records at byte " + to);
                }
            }
            buffer.flip();
            use.accept(at, buffer.slice());
        }
    }

    private static org.brainalign.io.DataFormatException damaged(Path file, Entry e) {
        return org.brainalign.io.DataFormatException.of(file, "is damaged: the CRC-32 of its entry '" + e.name()
                + "' differs from the one recorded in the archive");
    }

    private org.brainalign.io.DataFormatException bad(String problem) {
        return org.brainalign.io.DataFormatException.of(file, "is not a valid zip checkpoint: " + problem);
    }

    private void readDirectory() throws IOException {
        // the end record is the last 22 bytes plus a comment of up to 65535 bytes
        int tail = (int) Math.min(fileSize, 22 + 65535);
        ByteBuffer end = read(channel, fileSize - tail, tail);
        int at = -1;
        for (int i = tail - 22; i >= 0; i--) {
            if (end.getInt(i) == END_SIGNATURE) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            throw bad("it has no end of central directory (the file is probably truncated)");
        }
        long endOffset = fileSize - tail + at;
        long count = end.getShort(at + 10) & 0xffff;
        long dirSize = end.getInt(at + 12) & 0xffffffffL;
        long dirOffset = end.getInt(at + 16) & 0xffffffffL;
        if (endOffset >= 20 && read(channel, endOffset - 20, 4).getInt() == END64_LOCATOR_SIGNATURE) {
            long end64 = read(channel, endOffset - 20, 20).getLong(8);
            if (end64 < 0 || end64 + 56 > endOffset) {
                throw bad("its ZIP64 end record lies outside the file");
            }
            ByteBuffer e64 = read(channel, end64, 56);
            if (e64.getInt(0) != END64_SIGNATURE) {
                throw bad("its ZIP64 end record is missing");
            }
            count = e64.getLong(32);
            dirSize = e64.getLong(40);
            dirOffset = e64.getLong(48);
        }
        if (dirOffset < 0 || dirSize < 0 || dirOffset + dirSize > endOffset || dirSize > Integer.MAX_VALUE - 8
                || count < 0 || count > dirSize / 46) {
            throw bad("its central directory (" + count + " entries, " + dirSize + " bytes at " + dirOffset
                    + ") does not fit the file's " + fileSize + " bytes");
        }
        ByteBuffer dir = read(channel, dirOffset, (int) dirSize);
        int p = 0;
        for (long i = 0; i < count; i++) {
            if (p + 46 > dir.limit() || dir.getInt(p) != CENTRAL_SIGNATURE) {
                throw bad("its central directory is damaged at entry " + i);
            }
            int method = dir.getShort(p + 10) & 0xffff;
            long crc = dir.getInt(p + 16) & 0xffffffffL;
            long compressed = dir.getInt(p + 20) & 0xffffffffL;
            long size = dir.getInt(p + 24) & 0xffffffffL;
            int nameLength = dir.getShort(p + 28) & 0xffff;
            int extraLength = dir.getShort(p + 30) & 0xffff;
            int commentLength = dir.getShort(p + 32) & 0xffff;
            long local = dir.getInt(p + 42) & 0xffffffffL;
            if (p + 46 + nameLength + extraLength + commentLength > dir.limit()) {
                throw bad("its central directory is damaged at entry " + i);
            }
            byte[] nameBytes = new byte[nameLength];
            dir.get(p + 46, nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            // ZIP64 extra field: the 64-bit values of the fields that hold 0xFFFFFFFF, in this order
            for (int x = p + 46 + nameLength; x + 4 <= p + 46 + nameLength + extraLength;) {
                int id = dir.getShort(x) & 0xffff;
                int len = dir.getShort(x + 2) & 0xffff;
                int v = x + 4;
                if (id == 1) {
                    if (size == 0xffffffffL && v + 8 <= x + 4 + len) {
                        size = dir.getLong(v);
                        v += 8;
                    }
                    if (compressed == 0xffffffffL && v + 8 <= x + 4 + len) {
                        compressed = dir.getLong(v);
                        v += 8;
                    }
                    if (local == 0xffffffffL && v + 8 <= x + 4 + len) {
                        local = dir.getLong(v);
                    }
                }
                x += 4 + len;
            }
            p += 46 + nameLength + extraLength + commentLength;
            if (method != STORED && method != DEFLATED) {
                throw bad("its entry '" + name + "' uses compression method " + method);
            }
            if (local < 0 || local + 30 > dirOffset) {
                throw bad("its entry '" + name + "' starts outside the file");
            }
            ByteBuffer header = read(channel, local, 30);
            if (header.getInt(0) != LOCAL_SIGNATURE) {
                throw bad("its entry '" + name + "' has no local header where the directory says");
            }
            long dataStart = local + 30 + (header.getShort(26) & 0xffff) + (header.getShort(28) & 0xffff);
            long stored = method == STORED ? size : compressed;
            if (size < 0 || compressed < 0 || method == STORED && compressed != size
                    || dataStart + stored > dirOffset) {
                throw bad("its entry '" + name + "' (" + stored + " bytes at " + dataStart
                        + ") runs past the end of the data; the file is truncated or damaged");
            }
            entries.put(name, new Entry(name, method, compressed, size, dataStart, crc));
        }
    }

    static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                throw new java.io.EOFException("end of file at " + (position + b.position()));
            }
        }
        return b.flip();
    }
}
