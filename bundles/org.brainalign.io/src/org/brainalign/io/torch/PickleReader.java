package org.brainalign.io.torch;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.io.DataFormatException;

/**
 * Reads a Python pickle without running anything. Python's own unpickler imports whatever module a pickle names and
 * calls it, which is how a checkpoint can carry a program; this reader never resolves a name. It knows the opcodes
 * that {@code torch.save} and plain containers need and rebuilds only: None, booleans, integers, floats, strings,
 * bytes, lists, tuples, dicts and {@code collections.OrderedDict}, and tensors through
 * {@code torch._utils._rebuild_tensor_v2} (and the parameter and subclass wrappers around it) from storages the
 * container supplies. Any other name ({@code argparse.Namespace}, numpy scalars, optimizer classes, TorchScript
 * modules) becomes an {@link Instance}: a placeholder that remembers the name, its arguments and its state and is
 * never called.
 * <p>
 * Memory and time are linear in the pickle's length: every opcode is checked against the bytes left, so no length
 * field can make it allocate more than the pickle holds.
 */
public final class PickleReader {

    /** A name the pickle refers to ({@code GLOBAL module name}); never imported. */
    public record Global(String module, String name) {

        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** A Python tuple: an immutable sequence, kept apart from lists because persistent ids and arguments use it. */
    public static final class Tuple {

        private final List<Object> items;

        Tuple(List<Object> items) {
            // not List.copyOf: it refuses nulls, and None is common in tuples
            this.items = java.util.Collections.unmodifiableList(new ArrayList<>(items));
        }

        /** @return the items */
        public List<Object> items() {
            return items;
        }

        /** @return the number of items */
        public int size() {
            return items.size();
        }

        /**
         * @param i an index
         * @return that item
         */
        public Object get(int i) {
            return items.get(i);
        }

        @Override
        public String toString() {
            return "tuple of " + items.size();
        }
    }

    /**
     * An object of a class this reader does not rebuild: what the pickle would have called ({@code callable}), with
     * the arguments and the state it would have passed. Nothing is ever called.
     */
    public static final class Instance {

        private final Global callable;
        private final Object arguments;
        private Object state;

        Instance(Global callable, Object arguments) {
            this.callable = callable;
            this.arguments = arguments;
        }

        /** @return the class or function the pickle names */
        public Global callable() {
            return callable;
        }

        /** @return the arguments it would have been called with */
        public Object arguments() {
            return arguments;
        }

        /** @return the state a BUILD would have set (often a dict of attributes), or null */
        public Object state() {
            return state;
        }

        @Override
        public String toString() {
            return "<" + callable + " object, not rebuilt>";
        }
    }

    /** Turns a persistent id (the tuple {@code torch.save} writes for a storage) into the storage. */
    @FunctionalInterface
    public interface StorageSource {

        /**
         * @param persistentId the persistent id as read
         * @return the storage it names
         * @throws IOException if it names no valid storage of the file
         */
        TorchStorage storage(Object persistentId) throws IOException;
    }

    private static final Object MARK = new Object() {

        @Override
        public String toString() {
            return "mark";
        }
    };

    private final Path file;
    private final String part;
    private final ByteBuffer in;
    private final StorageSource storages;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private PickleReader(Path file, String part, ByteBuffer in, StorageSource storages) {
        this.file = file;
        this.part = part;
        this.in = in.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.storages = storages;
    }

    /**
     * Reads one pickle from the buffer's position up to its STOP opcode and leaves the position after it.
     *
     * @param file the file, for messages
     * @param part which pickle of the file, for messages (e.g. "data.pkl")
     * @param in the bytes, read from their position
     * @param storages where persistent ids lead
     * @return the object the pickle describes
     * @throws DataFormatException naming the file if the pickle is malformed, truncated or needs what a checkpoint
     *         does not
     */
    public static Object read(Path file, String part, ByteBuffer in, StorageSource storages)
            throws DataFormatException {
        PickleReader reader = new PickleReader(file, part, in, storages);
        Object result = reader.run();
        in.position(in.position() + reader.in.position());
        return result;
    }

    private DataFormatException bad(String problem) {
        return DataFormatException.of(file, "has a malformed pickle (" + part + "): " + problem + " at byte "
                + Math.max(0, in.position() - 1));
    }

    private Object run() throws DataFormatException {
        try {
            while (true) {
                if (!in.hasRemaining()) {
                    throw bad("it ends before its STOP opcode");
                }
                int op = in.get() & 0xff;
                switch (op) {
                    case 0x80 -> in.get(); // PROTO: the version does not change how the opcodes read
                    case 0x95 -> need(8).getLong(); // FRAME: a length hint
                    case '.' -> {
                        Object result = pop();
                        if (!stack.isEmpty() || !marks.isEmpty()) {
                            throw bad("it leaves values on the stack at STOP");
                        }
                        return result;
                    }
                    case 'N' -> push(null);
                    case 0x88 -> push(Boolean.TRUE);
                    case 0x89 -> push(Boolean.FALSE);
                    case 'J' -> push((long) need(4).getInt());
                    case 'K' -> push((long) (need(1).get() & 0xff));
                    case 'M' -> push((long) (need(2).getShort() & 0xffff));
                    case 0x8a -> push(longOf(need(1).get() & 0xff));
                    case 0x8b -> push(longOf(length(need(4).getInt())));
                    case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(need(8).getLong()))); // big endian
                    case 'X' -> push(text(length(need(4).getInt())));
                    case 0x8c -> push(text(need(1).get() & 0xff));
                    case 0x8d -> push(text(length(need(8).getLong())));
                    case 'U' -> push(latin1(need(1).get() & 0xff));
                    case 'T' -> push(latin1(length(need(4).getInt())));
                    case 'C' -> push(bytes(need(1).get() & 0xff));
                    case 'B' -> push(bytes(length(need(4).getInt())));
                    case 0x8e -> push(bytes(length(need(8).getLong())));
                    case '(' -> marks.add(stack.size());
                    case ')' -> push(new Tuple(List.of()));
                    case 't' -> push(new Tuple(popMark()));
                    case 0x85 -> push(new Tuple(popN(1)));
                    case 0x86 -> push(new Tuple(popN(2)));
                    case 0x87 -> push(new Tuple(popN(3)));
                    case ']' -> push(new ArrayList<>());
                    case 'l' -> push(new ArrayList<>(popMark()));
                    case '}' -> push(new LinkedHashMap<>());
                    case 'd' -> {
                        Map<Object, Object> d = new LinkedHashMap<>();
                        putPairs(d, popMark());
                        push(d);
                    }
                    case 'a' -> {
                        Object v = pop();
                        list(peek()).add(v);
                    }
                    case 'e' -> {
                        List<Object> items = popMark();
                        list(peek()).addAll(items);
                    }
                    case 's' -> {
                        Object v = pop();
                        Object k = pop();
                        dict(peek()).put(key(k), v);
                    }
                    case 'u' -> {
                        List<Object> items = popMark();
                        putPairs(dict(peek()), items);
                    }
                    case 0x8f, 0x91 -> push(new Instance(new Global("builtins", op == 0x8f ? "set" : "frozenset"),
                            op == 0x91 ? new Tuple(popMark()) : null));
                    case 0x90 -> popMark(); // ADDITEMS: a set's contents are not needed
                    case 'q' -> memo(need(1).get() & 0xff);
                    case 'r' -> memo(need(4).getInt() & 0xffffffffL);
                    case 0x94 -> memo(memo.size());
                    case 'h' -> push(recall(need(1).get() & 0xff));
                    case 'j' -> push(recall(need(4).getInt() & 0xffffffffL));
                    case 'p' -> memo(parseLong(line()));
                    case 'g' -> push(recall(parseLong(line())));
                    case '0' -> pop();
                    case '1' -> popMark();
                    case '2' -> push(peek());
                    case 'c' -> push(new Global(line(), line()));
                    case 0x93 -> {
                        Object name = pop();
                        Object module = pop();
                        if (!(module instanceof String m) || !(name instanceof String n)) {
                            throw bad("STACK_GLOBAL without two strings");
                        }
                        push(new Global(m, n));
                    }
                    case 'R' -> {
                        Object args = pop();
                        push(call(pop(), args));
                    }
                    case 0x81 -> {
                        Object args = pop();
                        push(call(pop(), args));
                    }
                    case 0x92 -> {
                        pop(); // keyword arguments are never needed to rebuild a container
                        Object args = pop();
                        push(call(pop(), args));
                    }
                    case 'b' -> build(pop(), peek());
                    case 'Q' -> push(storages.storage(pop()));
                    default -> throw bad(String.format(
                            "opcode 0x%02x is not one a checkpoint needs (this reader never runs code)", op));
                }
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw bad("it is truncated");
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw bad(e.getMessage());
        } catch (DataFormatException e) {
            throw e;
        } catch (IOException e) {
            throw DataFormatException.of(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private ByteBuffer need(int n) {
        if (in.remaining() < n) {
            throw new java.nio.BufferUnderflowException();
        }
        return in;
    }

    private int length(long n) {
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("a length of " + n + " bytes runs past the " + in.remaining()
                    + " bytes left");
        }
        return (int) n;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[length(n)];
        in.get(b);
        return b;
    }

    private String text(int n) throws DataFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes(n))).toString();
        } catch (CharacterCodingException e) {
            throw bad("a string is not valid UTF-8");
        }
    }

    private String latin1(int n) {
        return new String(bytes(n), StandardCharsets.ISO_8859_1);
    }

    /** A text-mode argument: ASCII up to a newline, as GLOBAL, PUT and GET spell theirs. */
    private String line() {
        int start = in.position();
        int limit = Math.min(in.limit(), start + 4096);
        for (int i = start; i < limit; i++) {
            if (in.get(i) == '\n') {
                byte[] b = new byte[i - start];
                in.get(b);
                in.get();
                return new String(b, StandardCharsets.US_ASCII);
            }
        }
        throw new IllegalArgumentException("a text argument has no end of line within 4096 bytes");
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a memo index", e);
        }
    }

    /** LONG1/LONG4: little-endian two's complement of n bytes; a Long when it fits. */
    private Object longOf(int n) {
        byte[] le = bytes(n);
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() throws DataFormatException {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw bad("an opcode takes a value from an empty stack");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws DataFormatException {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw bad("an opcode needs a value on an empty stack");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popN(int n) throws DataFormatException {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return java.util.Arrays.asList(items);
    }

    private List<Object> popMark() throws DataFormatException {
        if (marks.isEmpty()) {
            throw bad("an opcode needs a MARK and there is none");
        }
        int from = marks.remove(marks.size() - 1);
        List<Object> top = stack.subList(from, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private void memo(long index) throws DataFormatException {
        memo.put(index, peek());
    }

    private Object recall(long index) throws DataFormatException {
        if (!memo.containsKey(index)) {
            throw bad("it refers to memo entry " + index + " before storing it");
        }
        return memo.get(index);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) throws DataFormatException {
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw bad("APPEND on " + describe(o) + " instead of a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) throws DataFormatException {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw bad("SETITEM on " + describe(o) + " instead of a dict");
    }

    private void putPairs(Map<Object, Object> d, List<Object> items) throws DataFormatException {
        if (items.size() % 2 != 0) {
            throw bad("a dict gets an odd number of keys and values");
        }
        for (int i = 0; i < items.size(); i += 2) {
            d.put(key(items.get(i)), items.get(i + 1));
        }
    }

    /**
     * Dict keys must hash without walking a structure (a list or dict could contain itself): strings, numbers,
     * booleans, None and names stay as they are; a tuple or an opaque object becomes a description of itself.
     */
    private Object key(Object k) throws DataFormatException {
        if (k == null || k instanceof String || k instanceof Long || k instanceof BigInteger || k instanceof Double
                || k instanceof Boolean || k instanceof Global) {
            return k;
        }
        if (k instanceof Tuple || k instanceof Instance || k instanceof byte[]) {
            return describe(k);
        }
        throw bad("a dict key is " + describe(k) + ", which Python cannot hash");
    }

    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof List<?>) {
            return "a list";
        }
        if (o instanceof Map<?, ?>) {
            return "a dict";
        }
        if (o instanceof Tuple t) {
            return "a tuple of " + t.size();
        }
        if (o instanceof byte[] b) {
            return "bytes of length " + b.length;
        }
        if (o instanceof TorchTensor t) {
            return "a tensor " + t;
        }
        return o instanceof String s
                ? "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'"
                : o instanceof Global ? "the name " + o : String.valueOf(o);
    }

    /** REDUCE and NEWOBJ: rebuilds the few known functions; anything else becomes a placeholder never called. */
    private Object call(Object callable, Object args) throws DataFormatException {
        if (!(callable instanceof Global g)) {
            throw bad("it calls " + describe(callable) + ", which is not a name");
        }
        List<Object> a = args instanceof Tuple t ? t.items() : null;
        String name = g.toString();
        if (isAttack(g)) {
            throw DataFormatException.of(file, "asks to call " + name + ", which no checkpoint does (a pickle that "
                    + "runs code); it was refused and nothing was run");
        }
        try {
            switch (name) {
                case "collections.OrderedDict", "builtins.dict" -> {
                    Map<Object, Object> d = new LinkedHashMap<>();
                    if (a != null && !a.isEmpty() && a.get(0) instanceof List<?> pairs) {
                        for (Object p : pairs) {
                            List<Object> kv = p instanceof Tuple t
                                    ? t.items()
                                    : p instanceof List<?> l ? List.copyOf(l) : null;
                            if (kv == null || kv.size() != 2) {
                                throw bad(name + " gets an item that is not a key and a value");
                            }
                            d.put(key(kv.get(0)), kv.get(1));
                        }
                    }
                    return d;
                }
                case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
                    return tensor(name, a);
                }
                case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                    if (a == null || a.isEmpty() || !(a.get(0) instanceof TorchTensor)) {
                        throw bad(name + " gets no tensor");
                    }
                    return a.get(0);
                }
                case "torch._tensor._rebuild_from_type_v2", "torch._tensor._rebuild_from_type" -> {
                    // a tensor subclass: the subclass is dropped, the inner rebuild function is called by name
                    if (a == null || a.size() < 3 || !(a.get(2) instanceof Tuple inner)) {
                        throw bad(name + " gets no arguments for its inner function");
                    }
                    if (a.get(0) instanceof Global f && f.name().startsWith("_rebuild_from_type")) {
                        throw bad(name + " nests itself");
                    }
                    return call(a.get(0), inner);
                }
                case "_codecs.encode" -> {
                    // how protocol 2 spells bytes: encode(text, 'latin1')
                    if (a != null && a.size() == 2 && a.get(0) instanceof String s && "latin1".equals(a.get(1))) {
                        return s.getBytes(StandardCharsets.ISO_8859_1);
                    }
                    return new Instance(g, args);
                }
                default -> {
                    return new Instance(g, args);
                }
            }
        } catch (ClassCastException | IndexOutOfBoundsException e) {
            throw bad(name + " gets arguments of the wrong kind");
        }
    }

    /**
     * Names that only a pickle meant to run code calls: running a program, evaluating text, importing, reaching
     * attributes by name, files and sockets. Other unknown names stay harmless placeholders; these are refused so
     * the user learns the file is hostile.
     */
    private static boolean isAttack(Global g) {
        String top = g.module().contains(".") ? g.module().substring(0, g.module().indexOf('.')) : g.module();
        return switch (top) {
            case "os", "posix", "nt", "subprocess", "sys", "shutil", "socket", "runpy", "importlib", "pickle",
                    "marshal", "ctypes", "code", "pty", "webbrowser", "multiprocessing", "asyncio", "io", "types",
                    "operator", "functools", "pydoc", "timeit", "commands", "popen2" ->
                true;
            case "builtins", "__builtin__" -> switch (g.name()) {
                case "eval", "exec", "compile", "__import__", "getattr", "setattr", "delattr", "open", "input",
                        "breakpoint", "globals", "locals", "vars", "type", "object", "memoryview" ->
                    true;
                default -> false;
            };
            default -> false;
        };
    }

    private TorchTensor tensor(String name, List<Object> a) throws DataFormatException {
        if (a == null || a.size() < 4 || !(a.get(0) instanceof TorchStorage storage)) {
            throw bad(name + " gets no storage of this file as its first argument");
        }
        long offset = integer(a.get(1), name);
        long[] shape = integers(a.get(2), name);
        long[] stride = integers(a.get(3), name);
        try {
            return new TorchTensor(storage, offset, shape, stride);
        } catch (IllegalArgumentException e) {
            throw DataFormatException.of(file, "is not a valid checkpoint: " + e.getMessage());
        }
    }

    private long integer(Object o, String function) throws DataFormatException {
        if (o instanceof Long l) {
            return l;
        }
        throw bad(function + " gets " + describe(o) + " where it needs an integer");
    }

    private long[] integers(Object o, String function) throws DataFormatException {
        if (!(o instanceof Tuple t)) {
            throw bad(function + " gets " + describe(o) + " where it needs a tuple of integers");
        }
        long[] v = new long[t.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = integer(t.get(i), function);
        }
        return v;
    }

    /** BUILD: sets an opaque object's state; a state dict's {@code _metadata} and a tensor's hooks are dropped. */
    private void build(Object state, Object target) throws DataFormatException {
        if (target instanceof Instance i) {
            i.state = state;
        } else if (!(target instanceof Map<?, ?>) && !(target instanceof TorchTensor)) {
            throw bad("BUILD on " + describe(target));
        }
    }
}
