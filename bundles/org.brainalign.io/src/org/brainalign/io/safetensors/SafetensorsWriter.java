package org.brainalign.io.safetensors;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.stream.JsonWriter;

/**
 * Writes named float tensors as a safetensors file: F32, little endian, the JSON header padded with spaces so the data
 * area starts on an 8-byte boundary. The file is written under a temporary name in the same folder and renamed when
 * complete, so a crash never leaves a half-written file under the final name.
 */
public final class SafetensorsWriter {

    /** Elements converted per buffer when writing. */
    private static final int CHUNK_FLOATS = 1 << 20;

    private SafetensorsWriter() {
    }

    /**
     * Writes tensors, in the map's order, with string metadata.
     *
     * @param file the file to write; replaced if it exists
     * @param tensors the tensors by name, in the order to write them
     * @param metadata free-form strings stored as {@code __metadata__}; may be null or empty
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if a tensor is named {@code __metadata__}
     */
    public static void write(Path file, LinkedHashMap<String, FloatTensor> tensors, Map<String, String> metadata)
            throws IOException {
        byte[] header = header(tensors, metadata);
        Path folder = file.toAbsolutePath().getParent();
        Path temp = folder.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".tmp");
        boolean done = false;
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
                writeFully(out, length.flip());
                writeFully(out, ByteBuffer.wrap(header));
                ByteBuffer buffer = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (FloatTensor t : tensors.values()) {
                    float[] data = t.data();
                    for (int from = 0; from < data.length; from += CHUNK_FLOATS) {
                        int n = Math.min(CHUNK_FLOATS, data.length - from);
                        buffer.clear();
                        buffer.asFloatBuffer().put(data, from, n);
                        buffer.limit(n * Float.BYTES);
                        writeFully(out, buffer);
                    }
                }
                out.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static byte[] header(LinkedHashMap<String, FloatTensor> tensors, Map<String, String> metadata)
            throws IOException {
        List<HeaderEntry> entries = new ArrayList<>();
        for (Map.Entry<String, FloatTensor> t : tensors.entrySet()) {
            entries.add(new HeaderEntry(t.getKey(), "F32", t.getValue().shape(),
                    (long) t.getValue().data().length * Float.BYTES));
        }
        return header(entries, metadata);
    }

    /**
     * One tensor as the safetensors header describes it.
     *
     * @param name the tensor's name
     * @param dtype its safetensors dtype code (F32, F16, BF16, I64, ...)
     * @param shape its shape
     * @param bytes its data's length in bytes
     */
    public record HeaderEntry(String name, String dtype, long[] shape, long bytes) {
    }

    /**
     * The safetensors header of tensors stored one after the other in the given order, padded with spaces so that
     * the data area starts on an 8-byte boundary.
     *
     * @param entries the tensors, in data order
     * @param metadata the __metadata__ strings, or null for none
     * @return the header's bytes (without the 8-byte length before them)
     * @throws IOException if the JSON cannot be written
     */
    public static byte[] header(List<HeaderEntry> entries, Map<String, String> metadata) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.beginObject();
            if (metadata != null && !metadata.isEmpty()) {
                json.name("__metadata__").beginObject();
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    json.name(m.getKey()).value(m.getValue());
                }
                json.endObject();
            }
            long offset = 0;
            for (HeaderEntry t : entries) {
                if ("__metadata__".equals(t.name())) {
                    throw new IllegalArgumentException("a tensor may not be named __metadata__");
                }
                json.name(t.name()).beginObject();
                json.name("dtype").value(t.dtype());
                json.name("shape").beginArray();
                for (long d : t.shape()) {
                    json.value(d);
                }
                json.endArray();
                json.name("data_offsets").beginArray().value(offset).value(offset + t.bytes()).endArray();
                json.endObject();
                offset += t.bytes();
            }
            json.endObject();
        }
        byte[] raw = text.toString().getBytes(StandardCharsets.UTF_8);
        // the data area must start on an 8-byte boundary: pad the header with spaces, which JSON ignores
        int padded = (raw.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(raw, 0, header, 0, raw.length);
        for (int i = raw.length; i < padded; i++) {
            header[i] = ' ';
        }
        return header;
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
