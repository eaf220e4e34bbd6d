package org.brainalign.io.torch.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Pickle opcodes written out one by one, as Python's pickle module emits them at protocol 2, so tests can build
 * checkpoints (and hostile pickles) byte by byte without Python.
 */
final class HandMadePickle {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    HandMadePickle op(int opcode) {
        out.write(opcode);
        return this;
    }

    HandMadePickle proto() {
        return op(0x80).op(2);
    }

    HandMadePickle global(String module, String name) {
        op('c');
        raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    HandMadePickle string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        raw(le(4).putInt(b.length).array());
        raw(b);
        return this;
    }

    HandMadePickle integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K').op((int) v);
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            op('J');
            raw(le(4).putInt((int) v).array());
            return this;
        }
        op(0x8a).op(8);
        raw(le(8).putLong(v).array());
        return this;
    }

    /** A tuple of small integers. */
    HandMadePickle ints(long... values) {
        op('(');
        for (long v : values) {
            integer(v);
        }
        return op('t');
    }

    HandMadePickle put(int index) {
        return op('q').op(index);
    }

    HandMadePickle get(int index) {
        return op('h').op(index);
    }

    HandMadePickle raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** The persistent id torch.save writes for a storage: ('storage', torch.TYPE, key, 'cpu', numel). */
    HandMadePickle storage(String type, String key, long numel) {
        op('(').string("storage").global("torch", type).string(key).string("cpu").integer(numel).op('t');
        return op('Q');
    }

    /** _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()). */
    HandMadePickle tensor(String type, String key, long numel, long offset, long[] shape, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").op('(');
        storage(type, key, numel).integer(offset).ints(shape).ints(stride).op(0x89);
        global("collections", "OrderedDict").op(')').op('R');
        return op('t').op('R');
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Writes a zip checkpoint as torch.save lays it out: ROOT/data.pkl, ROOT/data/KEY for each storage, ROOT/version,
     * every entry stored uncompressed.
     */
    static Path zip(Path file, String root, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(root + "/data.pkl", pickle);
        storages.forEach((k, v) -> entries.put(root + "/data/" + k, v));
        entries.put(root + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                z.setMethod(ZipEntry.STORED);
                z.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                z.setCrc(crc.getValue());
                zip.putNextEntry(z);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }
}
