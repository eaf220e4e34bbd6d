package org.brainalign.io.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a state dict as {@code torch.save} does (zip container, pickle protocol 2, one storage per tensor under
 * {@code ROOT/data/N}, stored uncompressed), so a result can go back to the lab in the layout its checkpoint came in
 * and {@code torch.load} reads it with {@code weights_only=True}. The file is created under a temporary name and
 * never replaces an existing one.
 */
public final class TorchCheckpointWriter {

    /** A tensor to write: element type, shape, and its elements in row-major order as little-endian bytes. */
    public record Tensor(TorchDtype dtype, long[] shape, ByteBuffer data) {

        /**
         * @param shape the dimensions
         * @param values the elements, row-major
         * @return a float32 tensor
         */
        public static Tensor of(long[] shape, float[] values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            return new Tensor(TorchDtype.FLOAT32, shape, b);
        }
    }

    private TorchCheckpointWriter() {
    }

    /**
     * @param target the file to create
     * @param root the zip's root folder ({@code torch.save} uses the file name without extension, or "archive")
     * @param tensors the state dict, in order
     * @throws IOException naming the target if it exists, or if writing fails (nothing is left behind)
     * @throws IllegalArgumentException if a tensor's bytes do not match its shape and element type
     */
    public static void write(Path target, String root, Map<String, Tensor> tensors) throws IOException {
        byte[] pickle = pickle(tensors);
        NewFile.write(target, channel -> {
            OutputStream os = Channels.newOutputStream(channel);
            ZipOutputStream zip = new ZipOutputStream(new java.io.BufferedOutputStream(os, 1 << 16));
            entry(zip, root + "/data.pkl", ByteBuffer.wrap(pickle));
            int key = 0;
            for (Tensor t : tensors.values()) {
                entry(zip, root + "/data/" + key++, t.data().duplicate());
            }
            entry(zip, root + "/version", ByteBuffer.wrap("3\n".getBytes(StandardCharsets.US_ASCII)));
            zip.finish();
            zip.flush();
        });
    }

    private static void entry(ZipOutputStream zip, String name, ByteBuffer data) throws IOException {
        ByteBuffer b = data.duplicate().rewind();
        CRC32 crc = new CRC32();
        crc.update(b.duplicate());
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(b.remaining());
        e.setCompressedSize(b.remaining());
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        byte[] chunk = new byte[1 << 16];
        while (b.hasRemaining()) {
            int n = Math.min(chunk.length, b.remaining());
            b.get(chunk, 0, n);
            zip.write(chunk, 0, n);
        }
        zip.closeEntry();
    }

    /** {@code OrderedDict} of {@code _rebuild_tensor_v2} calls, each with its own storage, as torch.save spells it. */
    private static byte[] pickle(Map<String, Tensor> tensors) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        global(p, "collections", "OrderedDict");
        p.write(')');
        p.write('R');
        int key = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            long numel = 1;
            for (long d : t.shape()) {
                numel = Math.multiplyExact(numel, d);
            }
            if (t.data().capacity() != numel * t.dtype().bytes()) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' has " + t.data().capacity()
                        + " bytes for " + numel + " elements of " + t.dtype().torchName());
            }
            string(p, e.getKey());
            global(p, "torch._utils", "_rebuild_tensor_v2");
            p.write('(');
            p.write('(');
            string(p, "storage");
            global(p, "torch", t.dtype().storageClass());
            string(p, Integer.toString(key++));
            string(p, "cpu");
            integer(p, numel);
            p.write('t');
            p.write('Q');
            integer(p, 0);
            long[] stride = new long[t.shape().length];
            long step = 1;
            for (int i = stride.length - 1; i >= 0; i--) {
                stride[i] = step;
                step *= t.shape()[i];
            }
            ints(p, t.shape());
            ints(p, stride);
            p.write(0x89);
            global(p, "collections", "OrderedDict");
            p.write(')');
            p.write('R');
            p.write('t');
            p.write('R');
            p.write('s');
        }
        p.write('.');
        return p.toByteArray();
    }

    private static void global(ByteArrayOutputStream p, String module, String name) {
        p.write('c');
        p.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void string(ByteArrayOutputStream p, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        p.write('X');
        p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        p.writeBytes(b);
    }

    private static void integer(ByteArrayOutputStream p, long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            p.write('J');
            p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        } else {
            p.write(0x8a);
            p.write(8);
            p.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }
    }

    private static void ints(ByteArrayOutputStream p, long[] values) {
        p.write('(');
        for (long v : values) {
            integer(p, v);
        }
        p.write('t');
    }
}
