package org.brainalign.io.torch;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.brainalign.io.DataFormatException;

/**
 * A PyTorch checkpoint opened for reading: the object {@code torch.save} pickled (usually a state dict, sometimes a
 * dict around one) and the tensors in it, found by walking that object. Three containers are read:
 * <ul>
 * <li>the zip format of torch 1.6 and later: {@code ROOT/data.pkl} with the object and {@code ROOT/data/KEY} with
 * each storage's raw bytes, ROOT being whatever the file was called when saved, and an optional
 * {@code ROOT/byteorder} record;</li>
 * <li>the legacy format before it: a magic number, the protocol, system information, the object and the list of
 * storage keys as five pickles, followed by each storage as an element count and its bytes;</li>
 * <li>TorchScript archives ({@code torch.jit.save}): the same zip with the module's attributes in {@code data.pkl};
 * their {@code code/} is never read.</li>
 * </ul>
 * Opening reads only the pickle and the container's directory and checks every tensor against its storage, so
 * listing a multi-gigabyte file is quick and takes little memory; elements are read on request through memory maps.
 */
public final class TorchCheckpoint implements AutoCloseable {

    /** The largest pickle accepted: real checkpoints' pickles are a few megabytes. */
    private static final long MAX_PICKLE_BYTES = 1L << 30;

    /** Deeper nesting than any checkpoint has: a state dict inside a dict inside a list is three. */
    private static final int MAX_DEPTH = 100;

    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);

    private static final long LEGACY_PROTOCOL = 1001;

    /**
     * The two containers' ways of locating a storage's first byte; a zip storage's entry, whose CRC-32 is checked
     * before its first element is used (the legacy container records none).
     */
    private record Block(long fileOffset, long numel, ZipDirectory.Entry entry) {
    }

    private final Path file;
    private final FileChannel channel;
    private final String format;
    private final Object root;
    private final ByteOrder order;
    private final Map<String, Block> blocks;
    private final LinkedHashMap<String, TorchTensor> tensors;
    /** Storages whose CRC-32 has been checked: each is checked once, however many tensors view it. */
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    private TorchCheckpoint(Path file, FileChannel channel, String format, Object root, ByteOrder order,
            Map<String, Block> blocks) throws DataFormatException {
        this.file = file;
        this.channel = channel;
        this.format = format;
        this.root = root;
        this.order = order;
        this.blocks = blocks;
        this.tensors = walk(file, root);
    }

    /**
     * Opens a checkpoint and checks its container, its pickle and every tensor against the storage it views.
     *
     * @param file a {@code .pth}, {@code .pt}, {@code .bin}, {@code .pth.tar} or {@code .ckpt} file
     * @return the open checkpoint; close it when done
     * @throws DataFormatException naming the file and the problem if it is not a checkpoint this reader can read
     * @throws IOException if the file cannot be read
     */
    public static TorchCheckpoint open(Path file) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw DataFormatException.of(file, "does not exist", e);
        }
        boolean ok = false;
        try {
            TorchCheckpoint c = ZipDirectory.looksLikeZip(channel)
                    ? openZip(file, channel)
                    : openLegacy(file, channel);
            ok = true;
            return c;
        } finally {
            if (!ok) {
                channel.close();
            }
        }
    }

    private static TorchCheckpoint openZip(Path file, FileChannel channel) throws IOException {
        ZipDirectory zip = ZipDirectory.read(file, channel);
        ZipDirectory.Entry pickle = null;
        for (ZipDirectory.Entry e : zip.entries().values()) {
            // the root folder is the file's name at save time: find the shallowest data.pkl, whatever its folder
            if ((e.name().equals("data.pkl") || e.name().endsWith("/data.pkl"))
                    && (pickle == null || e.name().length() < pickle.name().length())) {
                pickle = e;
            }
        }
        if (pickle == null) {
            throw DataFormatException.of(file, "is a zip file without a data.pkl, so not a PyTorch checkpoint");
        }
        String prefix = pickle.name().substring(0, pickle.name().length() - "data.pkl".length());
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        ZipDirectory.Entry byteorder = zip.entries().get(prefix + "byteorder");
        if (byteorder != null) {
            String text = StandardCharsets.US_ASCII.decode(zip.contents(byteorder, 16)).toString().trim();
            switch (text) {
                case "little" -> order = ByteOrder.LITTLE_ENDIAN;
                case "big" -> order = ByteOrder.BIG_ENDIAN;
                default -> throw DataFormatException.of(file, "records the byte order '" + text
                        + "', neither little nor big");
            }
        }
        Map<String, Block> blocks = new HashMap<>();
        PickleReader.StorageSource source = pid -> {
            TorchStorage s = storage(file, pid);
            ZipDirectory.Entry e = zip.entries().get(prefix + "data/" + s.key());
            if (e == null) {
                throw DataFormatException.of(file, "refers to storage '" + s.key() + "' but has no entry "
                        + prefix + "data/" + s.key());
            }
            if (e.method() != 0) {
                throw DataFormatException.of(file, "has its storage '" + s.key()
                        + "' compressed, which torch.save never does");
            }
            long bytes = Math.multiplyExact(s.numel(), s.dtype().bytes());
            if (e.size() < bytes) {
                throw DataFormatException.of(file, "declares storage '" + s.key() + "' as " + s.numel() + " "
                        + s.dtype().torchName() + " elements (" + bytes + " bytes) but its entry holds only "
                        + e.size() + " bytes");
            }
            blocks.put(s.key(), new Block(e.dataStart(), s.numel(), e));
            return s;
        };
        Object root = PickleReader.read(file, pickle.name(), zip.contents(pickle, MAX_PICKLE_BYTES), source);
        // TorchScript archives carry their module's code beside the data; it is never read
        boolean script = zip.entries().keySet().stream()
                .anyMatch(n -> n.startsWith(prefix + "code/") || n.equals(prefix + "constants.pkl"));
        return new TorchCheckpoint(file, channel, script ? "torchscript" : "zip", root, order, blocks);
    }

    private static TorchCheckpoint openLegacy(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size > Integer.MAX_VALUE - 8) {
            // the pickles come first; map as much as the largest pickle may need
            size = Math.min(size, MAX_PICKLE_BYTES);
        }
        MappedByteBuffer head = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        head.order(ByteOrder.LITTLE_ENDIAN);
        Map<String, TorchStorage> declared = new LinkedHashMap<>();
        PickleReader.StorageSource none = pid -> {
            throw DataFormatException.of(file, "refers to a storage outside its object pickle");
        };
        Object magic;
        try {
            magic = PickleReader.read(file, "magic number", head, none);
        } catch (DataFormatException e) {
            throw DataFormatException.of(file, "is neither a zip nor a legacy PyTorch checkpoint (it starts with no "
                    + "pickle or zip header)", e);
        }
        if (!(magic instanceof BigInteger m && m.equals(LEGACY_MAGIC))) {
            throw DataFormatException.of(file, "is neither a zip nor a legacy PyTorch checkpoint (wrong magic number)");
        }
        Object protocol = PickleReader.read(file, "protocol", head, none);
        if (!Long.valueOf(LEGACY_PROTOCOL).equals(protocol)) {
            throw DataFormatException.of(file, "is a legacy checkpoint of protocol " + protocol + ", not 1001");
        }
        // the system information's little_endian is the writing machine's: torch swaps every storage (and its
        // element count) to little endian before writing a legacy file, so a big-endian machine's file reads alike
        PickleReader.read(file, "system information", head, none);
        Object root = PickleReader.read(file, "object", head, pid -> {
            TorchStorage s = storage(file, pid);
            TorchStorage known = declared.putIfAbsent(s.key(), s);
            if (known != null && (known.dtype() != s.dtype())) {
                throw DataFormatException.of(file, "declares storage '" + s.key() + "' with two element types");
            }
            return view(file, s, pid);
        });
        Object keys = PickleReader.read(file, "storage keys", head, none);
        if (!(keys instanceof List<?> keyList)) {
            throw DataFormatException.of(file, "has no list of storage keys after its object");
        }
        Map<String, Block> blocks = new HashMap<>();
        long position = head.position();
        for (Object k : keyList) {
            if (!(k instanceof String key)) {
                throw DataFormatException.of(file, "lists a storage key that is not a string");
            }
            TorchStorage s = declared.get(key);
            if (s == null) {
                throw DataFormatException.of(file, "lists storage '" + key + "' that no tensor uses, so its element "
                        + "size is unknown");
            }
            if (position + 8 > channel.size()) {
                throw DataFormatException.of(file, "is truncated before storage '" + key + "'");
            }
            long numel = ZipDirectory.read(channel, position, 8).getLong();
            long bytes;
            try {
                bytes = Math.multiplyExact(numel, s.dtype().bytes());
            } catch (ArithmeticException e) {
                bytes = -1;
            }
            if (numel < s.numel() || bytes < 0 || position + 8 + bytes > channel.size()) {
                throw DataFormatException.of(file, "declares storage '" + key + "' as " + numel + " elements of "
                        + s.dtype().torchName() + ", which do not fit the file's remaining "
                        + (channel.size() - position - 8) + " bytes or its tensors");
            }
            blocks.put(key, new Block(position + 8, numel, null));
            position += 8 + bytes;
        }
        for (String key : declared.keySet()) {
            if (!blocks.containsKey(key)) {
                throw DataFormatException.of(file, "uses storage '" + key + "' that its key list does not include");
            }
        }
        return new TorchCheckpoint(file, channel, "legacy", root, ByteOrder.LITTLE_ENDIAN, blocks);
    }

    /** Reads a persistent id {@code ('storage', torch.XStorage, key, location, numel, ...)}. */
    private static TorchStorage storage(Path file, Object pid) throws DataFormatException {
        if (!(pid instanceof PickleReader.Tuple t) || t.size() < 5 || !"storage".equals(t.get(0))) {
            throw DataFormatException.of(file, "has a persistent id that names no storage");
        }
        if (!(t.get(1) instanceof PickleReader.Global type) || !type.module().equals("torch")) {
            throw DataFormatException.of(file, "has a storage of type " + t.get(1) + ", not a torch storage class");
        }
        TorchDtype dtype = TorchDtype.ofStorageClass(type.name())
                .orElseThrow(() -> DataFormatException.of(file, "has a storage of type torch." + type.name()
                        + ", which this reader does not know"));
        Object key = t.get(2);
        if (!(key instanceof String k) || k.isEmpty() || k.contains("/") || k.contains("..")) {
            throw DataFormatException.of(file, "has a storage key that is not a plain name: " + key);
        }
        if (!(t.get(4) instanceof Long numel) || numel < 0) {
            throw DataFormatException.of(file, "declares storage '" + k + "' with an invalid size " + t.get(4));
        }
        return new TorchStorage(k, dtype, 0, numel);
    }

    /** The legacy format's sixth field: (view key, offset, size) makes a window of the root storage. */
    private static TorchStorage view(Path file, TorchStorage s, Object pid) throws DataFormatException {
        PickleReader.Tuple t = (PickleReader.Tuple) pid;
        if (t.size() < 6 || t.get(5) == null) {
            return s;
        }
        if (t.get(5) instanceof PickleReader.Tuple v && v.size() == 3 && v.get(1) instanceof Long offset
                && v.get(2) instanceof Long size && offset >= 0 && size >= 0 && offset + size <= s.numel()) {
            return new TorchStorage(s.key(), s.dtype(), offset, size);
        }
        throw DataFormatException.of(file, "has a storage view outside storage '" + s.key() + "'");
    }

    /**
     * Finds the tensors: dict keys and object attributes name them as PyTorch prints state-dict paths, a nested dict
     * or list adds a {@code /} level ({@code model/blocks.0.attn.qkv.weight}); each container is visited once, so
     * shared or self-containing structures end.
     */
    private static LinkedHashMap<String, TorchTensor> walk(Path file, Object root) throws DataFormatException {
        LinkedHashMap<String, TorchTensor> found = new LinkedHashMap<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        record Item(String path, Object value, int depth) {
        }
        Deque<Item> todo = new ArrayDeque<>();
        todo.push(new Item("", root, 0));
        while (!todo.isEmpty()) {
            Item next = todo.pop();
            String path = next.path();
            Object o = next.value();
            if (next.depth() > MAX_DEPTH) {
                throw DataFormatException.of(file, "nests containers more than " + MAX_DEPTH
                        + " levels deep, which no checkpoint does");
            }
            if (o instanceof TorchTensor t) {
                found.putIfAbsent(path, t);
                continue;
            }
            List<Map.Entry<String, Object>> children = new ArrayList<>();
            if (o instanceof Map<?, ?> m && seen.add(o)) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    children.add(Map.entry(join(path, String.valueOf(e.getKey()), "/"), nullable(e.getValue())));
                }
            } else if (o instanceof List<?> l && seen.add(o)) {
                for (int i = 0; i < l.size(); i++) {
                    children.add(Map.entry(join(path, Integer.toString(i), "/"), nullable(l.get(i))));
                }
            } else if (o instanceof PickleReader.Tuple tu && seen.add(o)) {
                for (int i = 0; i < tu.size(); i++) {
                    children.add(Map.entry(join(path, Integer.toString(i), "/"), nullable(tu.get(i))));
                }
            } else if (o instanceof PickleReader.Instance in && in.state() instanceof Map<?, ?> state
                    && seen.add(o)) {
                // a TorchScript module: attributes are the state-dict path's next part
                for (Map.Entry<?, ?> e : state.entrySet()) {
                    children.add(Map.entry(join(path, String.valueOf(e.getKey()), "."), nullable(e.getValue())));
                }
            }
            for (int i = children.size() - 1; i >= 0; i--) {
                todo.push(new Item(children.get(i).getKey(), children.get(i).getValue(), next.depth() + 1));
            }
        }
        return found;
    }

    private static final Object NONE = new Object();

    private static Object nullable(Object o) {
        return o == null ? NONE : o;
    }

    private static String join(String path, String part, String separator) {
        return path.isEmpty() ? part : path + separator + part;
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /** @return "zip", "legacy" or "torchscript" */
    public String format() {
        return format;
    }

    /**
     * @return the unpickled object: maps for dicts, lists, {@link PickleReader.Tuple}, {@link TorchTensor},
     *         {@link PickleReader.Instance} for everything not rebuilt, and plain Java values
     */
    public Object root() {
        return root;
    }

    /** @return the tensors by path, in the order the object holds them */
    public Map<String, TorchTensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /**
     * @param name a tensor's path
     * @return the tensor
     * @throws IllegalArgumentException naming the file if there is no such tensor
     */
    public TorchTensor tensor(String name) {
        TorchTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(file + " has no tensor named '" + name + "'");
        }
        return t;
    }

    /**
     * Reads a tensor's elements in row-major order as floats: float32 as stored, float16 and bfloat16 exactly,
     * float64 rounded, integers converted (beyond 2^24 with a float's rounding), booleans as 0 and 1.
     *
     * @param name a tensor's path
     * @return its elements
     * @throws IOException if the bytes cannot be read or there are too many for one array
     */
    public float[] readFloats(String name) throws IOException {
        TorchTensor t = tensor(name);
        long count = t.elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": tensor '" + name + "' has " + count + " elements, too many for one array");
        }
        float[] out = new float[(int) count];
        if (t.isContiguous() && order == ByteOrder.LITTLE_ENDIAN) {
            readContiguous(t, out);
            return out;
        }
        verify(t);
        ElementConversion.toFloats(t.dtype(), readBytes(t), out, 0, out.length);
        return out;
    }

    /**
     * The common case, converting straight from the mapped file with no intermediate copy: one pass over the bytes,
     * each window converted right after its CRC-32 is updated (the first time the storage is read), while it is still
     * in the cache.
     */
    private void readContiguous(TorchTensor t, float[] out) throws IOException {
        String key = t.storage().key();
        Block block = blocks.get(key);
        int size = t.dtype().bytes();
        long first = block.fileOffset() + (t.storage().elementOffset() + t.offset()) * size;
        long end = first + (long) out.length * size;
        ZipDirectory.Window convert = (at, bytes) -> {
            long from = Math.max(at, first);
            long to = Math.min(at + bytes.remaining(), end);
            if (from < to) {
                ElementConversion.toFloats(t.dtype(), bytes.slice((int) (from - at), (int) (to - from)), out,
                        (int) ((from - first) / size), (int) ((to - from) / size));
            }
        };
        if (block.entry() != null && !verified.contains(key)) {
            ZipDirectory.verify(file, channel, block.entry(), convert);
            verified.add(key);
        } else {
            ZipDirectory.windows(channel, first, end, convert);
        }
    }

    /**
     * Reads a tensor's elements in row-major order as little-endian bytes of its own element type, as safetensors
     * stores them; a view is gathered into order.
     *
     * @param t a tensor of this checkpoint
     * @return a buffer of {@code elementCount * dtype.bytes} bytes, little endian
     * @throws IOException if the bytes cannot be read or there are too many for one buffer
     */
    public ByteBuffer readBytes(TorchTensor t) throws IOException {
        Block block = blocks.get(t.storage().key());
        int size = t.dtype().bytes();
        long count = t.elementCount();
        if (count * size > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": tensor of " + count + " elements is too large for one buffer");
        }
        long first = t.storage().elementOffset() + t.offset();
        long span = t.spanEnd() - t.offset();
        ByteBuffer out = ByteBuffer.allocate((int) (count * size)).order(ByteOrder.LITTLE_ENDIAN);
        if (count == 0) {
            return out;
        }
        verify(t);
        if (t.isContiguous()) {
            long start = block.fileOffset() + first * size;
            for (long done = 0; done < count * size; done += ZipDirectory.MAP_BYTES) {
                long chunk = Math.min(ZipDirectory.MAP_BYTES, count * size - done);
                ByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, start + done, chunk);
                copy(map, out, (int) (chunk / size), size);
            }
            return out.flip();
        }
        if (span * size > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": a strided view spanning " + span + " elements is too large to read");
        }
        ByteBuffer source = channel.map(FileChannel.MapMode.READ_ONLY, block.fileOffset() + first * size,
                span * size);
        long[] shape = t.shape();
        long[] stride = t.stride();
        long[] index = new long[shape.length];
        ByteBuffer element = source.duplicate().order(order);
        for (long i = 0; i < count; i++) {
            long at = 0;
            for (int d = 0; d < shape.length; d++) {
                at += index[d] * stride[d];
            }
            element.limit((int) ((at + 1) * size)).position((int) (at * size));
            copy(element, out, 1, size);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out.flip();
    }

    /** Checks the CRC-32 of the zip entry holding a tensor's storage, the first time one of its tensors is read. */
    private void verify(TorchTensor t) throws IOException {
        Block block = blocks.get(t.storage().key());
        if (block.entry() != null && !verified.contains(t.storage().key())) {
            ZipDirectory.verify(file, channel, block.entry());
            verified.add(t.storage().key());
        }
    }

    /** Copies n elements of the given size, swapping bytes when the file is big endian. */
    private void copy(ByteBuffer from, ByteBuffer to, int n, int size) {
        if (order == ByteOrder.LITTLE_ENDIAN || size == 1) {
            ByteBuffer slice = from.slice(from.position(), n * size);
            to.put(slice);
            from.position(from.position() + n * size);
            return;
        }
        byte[] e = new byte[size];
        for (int i = 0; i < n; i++) {
            from.get(e);
            for (int b = size - 1; b >= 0; b--) {
                to.put(e[b]);
            }
        }
    }

    /**
     * @param key a storage key
     * @return the number of elements stored under it, or -1 if no tensor uses it
     */
    long storedElements(String key) {
        Block b = blocks.get(key);
        return b == null ? -1 : b.numel();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "TorchCheckpoint[" + file + ", " + format + ", " + tensors.size() + " tensors]";
    }
}
