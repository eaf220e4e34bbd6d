package org.brainalign.io.nifti.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Edits the bytes of a NIfTI-1 file directly, at the offsets the NIfTI-1 standard gives, so that tests can make
 * files a writer would never produce (pairs, garbage quaternions, broken headers) without going through the code
 * under test.
 */
final class HeaderBytes {

    final ByteBuffer buffer;

    private HeaderBytes(byte[] bytes) {
        int size = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        ByteOrder order = size == 348 || size == 540 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        this.buffer = ByteBuffer.wrap(bytes).order(order);
    }

    static HeaderBytes of(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        if (raw.length > 2 && (raw[0] & 0xFF) == 0x1f && (raw[1] & 0xFF) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                raw = in.readAllBytes();
            }
        }
        return new HeaderBytes(raw);
    }

    byte[] bytes() {
        return buffer.array();
    }

    HeaderBytes putShort(int offset, int value) {
        buffer.putShort(offset, (short) value);
        return this;
    }

    HeaderBytes putFloat(int offset, float value) {
        buffer.putFloat(offset, value);
        return this;
    }

    HeaderBytes putText(int offset, String text) {
        for (int i = 0; i < text.length(); i++) {
            buffer.put(offset + i, (byte) text.charAt(i));
        }
        return this;
    }

    void write(Path file) throws IOException {
        write(file, bytes(), 0, bytes().length);
    }

    static void write(Path file, byte[] b, int offset, int length) throws IOException {
        if (file.getFileName().toString().endsWith(".gz")) {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (OutputStream out = new GZIPOutputStream(gz)) {
                out.write(b, offset, length);
            }
            Files.write(file, gz.toByteArray());
        } else {
            Files.write(file, java.util.Arrays.copyOfRange(b, offset, offset + length));
        }
    }
}
