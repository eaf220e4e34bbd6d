package org.brainalign.io.nifti;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.brainalign.io.DataFormatException;

/**
 * How one NIfTI version lays a {@link NiftiHeader} out in bytes. The header value knows nothing of offsets; each
 * codec reads and writes its version's fixed layout, so the two layouts sit side by side and cannot drift into one
 * another.
 */
abstract sealed class NiftiCodec permits Nifti1Codec, Nifti2Codec {

    private static final NiftiCodec NIFTI1 = new Nifti1Codec();
    private static final NiftiCodec NIFTI2 = new Nifti2Codec();

    private final int version;
    private final int size;

    NiftiCodec(int version, int size) {
        this.version = version;
        this.size = size;
    }

    /**
     * @param version 1 or 2
     * @return the codec of that NIfTI version
     */
    static NiftiCodec of(int version) {
        return version == 1 ? NIFTI1 : NIFTI2;
    }

    /**
     * @param size a header size announced by a file's first four bytes (348 or 540)
     * @return the codec whose header has that size
     */
    static NiftiCodec ofSize(int size) {
        return size == NiftiHeader.NIFTI1_SIZE ? NIFTI1 : NIFTI2;
    }

    /** @return the NIfTI version, 1 or 2 */
    final int version() {
        return version;
    }

    /** @return the header size in bytes, without the four-byte extension flag */
    final int size() {
        return size;
    }

    /**
     * Reads the fields of this layout into a header whose byte order is already set; the header's own rules are
     * checked afterwards by the header.
     *
     * @param b the header's bytes in the file's byte order
     * @param file the file, for messages
     * @param h the header to fill
     * @throws DataFormatException if the magic does not belong to this layout or a field is unusable
     */
    abstract void decode(ByteBuffer b, Path file, NiftiHeader h) throws DataFormatException;

    /**
     * Writes the fields of a header into this layout; the size at byte 0 is written already.
     *
     * @param h the header
     * @param b a zeroed buffer of {@link #size()} + 4 bytes in the header's byte order
     */
    abstract void encode(NiftiHeader h, ByteBuffer b);

    /**
     * @param h the header
     * @return the header's bytes for a single file, followed by the four-byte extension flag (no extensions)
     */
    final byte[] encode(NiftiHeader h) {
        ByteBuffer b = ByteBuffer.allocate(size + 4).order(h.byteOrder);
        b.putInt(0, size);
        encode(h, b);
        return b.array();
    }

    static byte[] bytes(ByteBuffer b, int offset, int length) {
        byte[] r = new byte[length];
        b.get(offset, r);
        return r;
    }

    static String text(ByteBuffer b, int offset, int length) {
        byte[] r = bytes(b, offset, length);
        int n = 0;
        while (n < length && r[n] != 0) {
            n++;
        }
        return new String(r, 0, n, StandardCharsets.ISO_8859_1).trim();
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == 0) {
                break;
            }
            b.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return b.toString();
    }

    static void putText(ByteBuffer b, int offset, int length, String s) {
        byte[] t = s.getBytes(StandardCharsets.ISO_8859_1);
        b.put(offset, t, 0, Math.min(t.length, length - 1));
    }
}
