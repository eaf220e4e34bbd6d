package org.brainalign.io.safetensors;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import org.brainalign.io.DataFormatException;
import org.brainalign.io.InputFile;
import org.brainalign.io.TextFile;

/**
 * A safetensors checkpoint opened for reading. A safetensors file is an 8-byte little-endian header length, a JSON
 * header naming each tensor with its element type, shape and byte range, and then the raw little-endian tensor bytes.
 * A sharded checkpoint is several such files tied together by an index ({@code model.safetensors.index.json}, whose
 * {@code weight_map} maps each tensor name to the file holding it); opening the index gives one view over all shards.
 * <p>
 * Opening validates the whole header against the file size (header length, JSON syntax, known element types, byte
 * ranges inside the data area, matching element type times shape, no overlaps), so a truncated or corrupted file is
 * refused at once with a message naming it. Tensor bytes are read through memory maps of their byte ranges and never
 * copied whole into the heap except into the returned float array.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** The format's own limit on the header size (the reference implementation refuses larger headers). */
    private static final long MAX_HEADER_BYTES = 100L * 1000 * 1000;

    /** Bytes mapped at once when converting a tensor; a multiple of every element size. */
    private static final int MAP_CHUNK_BYTES = 1 << 28;

    private static final String METADATA_KEY = "__metadata__";

    private static final String INDEX_SUFFIX = ".index.json";

    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(Map.entry("BOOL", 1), Map.entry("U8", 1),
            Map.entry("I8", 1), Map.entry("F8_E4M3", 1), Map.entry("F8_E5M2", 1), Map.entry("I16", 2),
            Map.entry("U16", 2), Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4),
            Map.entry("F32", 4), Map.entry("I64", 8), Map.entry("U64", 8), Map.entry("F64", 8));

    /** One file on disk: its channel and where its data area starts. */
    private record Shard(Path file, FileChannel channel, long dataStart, long dataLength) {
    }

    /** One tensor: what the header says and where its bytes are. */
    private record Entry(TensorInfo info, Shard shard, long begin, long end) {
    }

    private final Path path;
    private final List<Shard> shards;
    private final LinkedHashMap<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, List<Shard> shards, LinkedHashMap<String, Entry> entries,
            Map<String, String> metadata) {
        this.path = path;
        this.shards = List.copyOf(shards);
        this.entries = entries;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Opens a safetensors file, or a sharded checkpoint through its index (a path ending in {@code .index.json}), and
     * validates its header.
     *
     * @param path the {@code .safetensors} file or the shard index
     * @return the open checkpoint; close it when done
     * @throws SafetensorsFormatException if the file is not valid safetensors, naming the file and the problem
     * @throws IOException if the file cannot be read
     */
    public static SafetensorsFile open(Path path) throws IOException {
        if (path.getFileName() != null && path.getFileName().toString().endsWith(INDEX_SUFFIX)) {
            return openIndex(path);
        }
        LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Shard shard = openShard(path, entries, metadata);
        return new SafetensorsFile(path, List.of(shard), entries, metadata);
    }

    /**
     * @return the tensor names in the order the header (or the shard index) lists them
     */
    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /**
     * @param name a tensor name
     * @return whether the checkpoint holds a tensor of that name
     */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /**
     * @param name a tensor name
     * @return its element type and shape
     * @throws IllegalArgumentException naming the tensor and the file if there is no such tensor
     */
    public TensorInfo info(String name) {
        return entry(name).info();
    }

    /**
     * @param name a tensor name
     * @return the file that holds it (the shard, for a sharded checkpoint)
     * @throws IllegalArgumentException naming the tensor and the file if there is no such tensor
     */
    public Path file(String name) {
        return entry(name).shard().file();
    }

    /** @return the path this checkpoint was opened from (the file, or the shard index) */
    public Path path() {
        return path;
    }

    /** @return every file the checkpoint's tensors live in, in the order they were opened */
    public List<Path> files() {
        return shards.stream().map(Shard::file).toList();
    }

    /**
     * Reads a tensor as 32-bit floats in row-major order, converting from its stored element type (F32, F16, BF16,
     * F64, the 8-bit floats, integers and booleans; integers beyond 2^24 lose precision as floats do).
     *
     * @param name a tensor name
     * @return its elements
     * @throws IOException if the bytes cannot be read or the tensor is too large for one Java array
     * @throws IllegalArgumentException naming the tensor and the file if there is no such tensor
     */
    public float[] readFloats(String name) throws IOException {
        Entry e = entry(name);
        long count = e.info().elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new SafetensorsFormatException(e.shard().file() + ": tensor '" + name + "' has " + count
                    + " elements, too many for one Java array");
        }
        float[] out = new float[(int) count];
        int size = DTYPE_BYTES.get(e.info().dtype());
        long length = e.end() - e.begin();
        int done = 0;
        for (long pos = 0; pos < length; pos += MAP_CHUNK_BYTES) {
            long chunk = Math.min(MAP_CHUNK_BYTES, length - pos);
            MappedByteBuffer map = e.shard().channel().map(FileChannel.MapMode.READ_ONLY,
                    e.shard().dataStart() + e.begin() + pos, chunk);
            map.order(ByteOrder.LITTLE_ENDIAN);
            int n = (int) (chunk / size);
            convert(e.info().dtype(), map, out, done, n);
            done += n;
        }
        return out;
    }

    /** @return the free-form string metadata of the header ({@code __metadata__}), or of the shard index */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Closes the files; tensors already read stay valid.
     *
     * @throws IOException if a file cannot be closed
     */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Shard s : shards) {
            try {
                s.channel().close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + entries.size() + " tensors]";
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException(path + " has no tensor named '" + name + "'");
        }
        return e;
    }

    private static void convert(String dtype, ByteBuffer b, float[] out, int offset, int n) {
        switch (dtype) {
            case "F32" -> b.asFloatBuffer().get(out, offset, n);
            case "F64" -> {
                var d = b.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    out[offset + i] = (float) d.get(i);
                }
            }
            case "F16" -> {
                var s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[offset + i] = Float.float16ToFloat(s.get(i));
                }
            }
            case "BF16" -> {
                var s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[offset + i] = Float.intBitsToFloat((s.get(i) & 0xffff) << 16);
                }
            }
            // E5M2 is the upper byte of an IEEE half
            case "F8_E5M2" -> {
                for (int i = 0; i < n; i++) {
                    out[offset + i] = Float.float16ToFloat((short) ((b.get(i) & 0xff) << 8));
                }
            }
            case "F8_E4M3" -> {
                for (int i = 0; i < n; i++) {
                    out[offset + i] = e4m3ToFloat(b.get(i));
                }
            }
            case "BOOL" -> {
                for (int i = 0; i < n; i++) {
                    out[offset + i] = b.get(i) != 0 ? 1f : 0f;
                }
            }
            case "U8" -> {
                for (int i = 0; i < n; i++) {
                    out[offset + i] = b.get(i) & 0xff;
                }
            }
            case "I8" -> {
                for (int i = 0; i < n; i++) {
                    out[offset + i] = b.get(i);
                }
            }
            case "I16" -> {
                var s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[offset + i] = s.get(i);
                }
            }
            case "U16" -> {
                var s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[offset + i] = s.get(i) & 0xffff;
                }
            }
            case "I32" -> {
                var s = b.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    out[offset + i] = s.get(i);
                }
            }
            case "U32" -> {
                var s = b.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    out[offset + i] = s.get(i) & 0xffffffffL;
                }
            }
            case "I64" -> {
                var s = b.asLongBuffer();
                for (int i = 0; i < n; i++) {
                    out[offset + i] = s.get(i);
                }
            }
            case "U64" -> {
                var s = b.asLongBuffer();
                for (int i = 0; i < n; i++) {
                    long v = s.get(i);
                    // unsigned: halve (keeping the rounding bit), convert, double
                    out[offset + i] = v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2f;
                }
            }
            default -> throw new IllegalStateException("dtype checked at open: " + dtype);
        }
    }

    /** The "fn" variant (no infinities; S.1111.111 is NaN), exponent bias 7. */
    private static float e4m3ToFloat(byte v) {
        int bits = v & 0xff;
        float sign = (bits & 0x80) != 0 ? -1f : 1f;
        int exp = (bits >> 3) & 0xf;
        int mant = bits & 0x7;
        if (exp == 0xf && mant == 0x7) {
            return Float.NaN;
        }
        if (exp == 0) {
            return sign * mant / 8f * 0x1p-6f;
        }
        return sign * (1 + mant / 8f) * Math.scalb(1f, exp - 7);
    }

    private static Shard openShard(Path file, Map<String, Entry> entries, Map<String, String> metadata)
            throws IOException {
        FileChannel channel;
        if (!Files.exists(file) && !Files.isSymbolicLink(file)) {
            throw new SafetensorsFormatException(file + ": no such file");
        }
        try {
            channel = FileChannel.open(InputFile.check(file), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new SafetensorsFormatException(file + ": no such file", e);
        } catch (DataFormatException e) {
            throw new SafetensorsFormatException(sameWording(file, e), e);
        }
        try {
            return readHeader(file, channel, entries, metadata);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static Shard readHeader(Path file, FileChannel channel, Map<String, Entry> entries,
            Map<String, String> metadata) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new SafetensorsFormatException(
                    file + ": only " + size + " bytes long, too short to hold the 8-byte header length of safetensors");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
            throw new SafetensorsFormatException(file + ": the header length " + Long.toUnsignedString(headerLength)
                    + " is impossible (not a safetensors file, or a corrupted one)");
        }
        if (headerLength > size - 8) {
            throw new SafetensorsFormatException(file + ": the header claims " + headerLength + " bytes but only "
                    + (size - 8) + " follow (truncated file?)");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        headerBytes.flip();
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBytes);
            text = chars.toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsFormatException(file + ": the header is not UTF-8 text (corrupted file?)", e);
        }
        if (!text.startsWith("{")) {
            throw new SafetensorsFormatException(file + ": the header does not start with a JSON object '{'");
        }
        long dataStart = 8 + headerLength;
        long dataLength = size - dataStart;
        Shard shard = new Shard(file, channel, dataStart, dataLength);
        List<Entry> own = new ArrayList<>();
        try {
            parseHeader(file, text, shard, own, metadata);
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            if (e instanceof SafetensorsFormatException sfe) {
                throw sfe;
            }
            // the parser's own words (class names, advice, links) are not for users: say where it breaks
            throw new SafetensorsFormatException(file + ": the JSON header is malformed"
                    + (e instanceof RuntimeException r
                            ? TextFile.where(r)
                            : ""),
                    e);
        }
        checkRanges(file, own, dataLength);
        for (Entry e : own) {
            entries.put(e.info().name(), e);
        }
        return shard;
    }

    private static void parseHeader(Path file, String text, Shard shard, List<Entry> out,
            Map<String, String> metadata) throws IOException {
        Set<String> seen = new LinkedHashSet<>();
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.beginObject();
            while (r.hasNext()) {
                String name = r.nextName();
                if (!seen.add(name)) {
                    throw new SafetensorsFormatException(file + ": the header names '" + name + "' twice");
                }
                if (METADATA_KEY.equals(name)) {
                    readMetadata(file, r, metadata);
                } else {
                    out.add(readTensor(file, name, r, shard));
                }
            }
            r.endObject();
            // whatever follows the object may only be the padding spaces the format allows
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new SafetensorsFormatException(file + ": the header has text after its JSON object");
            }
        }
    }

    private static void readMetadata(Path file, JsonReader r, Map<String, String> metadata) throws IOException {
        if (r.peek() == JsonToken.NULL) {
            r.nextNull();
            return;
        }
        r.beginObject();
        while (r.hasNext()) {
            String key = r.nextName();
            JsonToken t = r.peek();
            if (t != JsonToken.STRING) {
                throw new SafetensorsFormatException(
                        file + ": metadata entry '" + key + "' is " + t + ", but metadata values must be strings");
            }
            metadata.put(key, r.nextString());
        }
        r.endObject();
    }

    private static Entry readTensor(Path file, String name, JsonReader r, Shard shard) throws IOException {
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        r.beginObject();
        while (r.hasNext()) {
            switch (r.nextName()) {
                case "dtype" -> dtype = r.nextString();
                case "shape" -> shape = readLongs(r);
                case "data_offsets" -> offsets = readLongs(r);
                default -> r.skipValue();
            }
        }
        r.endObject();
        String where = file + ": tensor '" + name + "'";
        if (dtype == null || shape == null || offsets == null) {
            throw new SafetensorsFormatException(where + " lacks " + (dtype == null
                    ? "its dtype"
                    : shape == null ? "its shape" : "its data_offsets"));
        }
        Integer size = DTYPE_BYTES.get(dtype);
        if (size == null) {
            throw new SafetensorsFormatException(where + " has the unknown dtype '" + dtype + "'");
        }
        if (offsets.length != 2 || offsets[0] < 0 || offsets[1] < offsets[0]) {
            throw new SafetensorsFormatException(where + " has invalid data_offsets " + Arrays.toString(offsets));
        }
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new SafetensorsFormatException(where + " has a negative dimension in " + Arrays.toString(shape));
            }
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw new SafetensorsFormatException(
                        where + " has an impossibly large shape " + Arrays.toString(shape));
            }
        }
        long expected;
        try {
            expected = Math.multiplyExact(count, size);
        } catch (ArithmeticException e) {
            throw new SafetensorsFormatException(where + " has an impossibly large shape " + Arrays.toString(shape));
        }
        if (offsets[1] - offsets[0] != expected) {
            throw new SafetensorsFormatException(where + " spans " + (offsets[1] - offsets[0]) + " bytes but "
                    + dtype + " " + Arrays.toString(shape) + " needs " + expected);
        }
        return new Entry(new TensorInfo(name, dtype, shape), shard, offsets[0], offsets[1]);
    }

    private static long[] readLongs(JsonReader r) throws IOException {
        List<Long> values = new ArrayList<>();
        r.beginArray();
        while (r.hasNext()) {
            values.add(r.nextLong());
        }
        r.endArray();
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static void checkRanges(Path file, List<Entry> own, long dataLength) throws SafetensorsFormatException {
        List<Entry> sorted = new ArrayList<>(own);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.end() > dataLength) {
                throw new SafetensorsFormatException(file + ": tensor '" + e.info().name() + "' ends at byte "
                        + e.end() + " of the data but the file holds only " + dataLength + " data bytes (truncated?)");
            }
            if (e.end() == e.begin()) {
                continue;
            }
            if (previous != null && e.begin() < previous.end()) {
                throw new SafetensorsFormatException(file + ": tensors '" + previous.info().name() + "' and '"
                        + e.info().name() + "' overlap");
            }
            previous = e;
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        long pos = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    /** "File F is a folder..." as this reader words its messages: "F: is a folder...". */
    private static String sameWording(Path file, DataFormatException e) {
        String m = e.getMessage();
        String prefix = "File " + file + " ";
        return file + ": " + (m.startsWith(prefix) ? m.substring(prefix.length()) : m);
    }

    private static SafetensorsFile openIndex(Path index) throws IOException {
        JsonObject root;
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(InputFile.check(index),
                    StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) {
                throw new SafetensorsFormatException(index + ": the shard index is not a JSON object");
            }
            root = parsed.getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new SafetensorsFormatException(index + ": no such file", e);
        } catch (DataFormatException e) {
            throw new SafetensorsFormatException(sameWording(index, e), e);
        } catch (JsonParseException e) {
            throw new SafetensorsFormatException(index + ": the shard index is not valid JSON" + TextFile.where(e), e);
        }
        JsonElement map = root.get("weight_map");
        if (map == null || !map.isJsonObject()) {
            throw new SafetensorsFormatException(index + ": the shard index has no \"weight_map\" object");
        }
        Path folder = index.toAbsolutePath().getParent();
        Map<String, Path> shardOf = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> m : map.getAsJsonObject().entrySet()) {
            if (!m.getValue().isJsonPrimitive() || !m.getValue().getAsJsonPrimitive().isString()) {
                throw new SafetensorsFormatException(
                        index + ": weight_map entry '" + m.getKey() + "' is not a file name");
            }
            shardOf.put(m.getKey(), folder.resolve(m.getValue().getAsString()).normalize());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Shard> shards = new ArrayList<>();
        Map<Path, Map<String, Entry>> byFile = new HashMap<>();
        LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
        try {
            for (Path shardFile : new LinkedHashSet<>(shardOf.values())) {
                Map<String, Entry> own = new LinkedHashMap<>();
                shards.add(openShard(shardFile, own, metadata));
                byFile.put(shardFile, own);
            }
            for (Map.Entry<String, Path> m : shardOf.entrySet()) {
                Entry e = byFile.get(m.getValue()).get(m.getKey());
                if (e == null) {
                    throw new SafetensorsFormatException(index + ": maps tensor '" + m.getKey() + "' to "
                            + m.getValue().getFileName() + ", which has no such tensor");
                }
                entries.put(m.getKey(), e);
            }
        } catch (IOException | RuntimeException e) {
            for (Shard s : shards) {
                try {
                    s.channel().close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        JsonElement indexMetadata = root.get("metadata");
        if (indexMetadata != null && indexMetadata.isJsonObject()) {
            for (Map.Entry<String, JsonElement> m : indexMetadata.getAsJsonObject().entrySet()) {
                JsonElement v = m.getValue();
                metadata.put(m.getKey(),
                        v.isJsonPrimitive() ? v.getAsJsonPrimitive().getAsString() : v.toString());
            }
        }
        return new SafetensorsFile(index, shards, entries, metadata);
    }
}
