package org.brainalign.bench;

import org.brainalign.io.torch.TorchCheckpoint;
import org.brainalign.io.torch.TorchCheckpointWriter;
import org.brainalign.io.torch.TorchDtype;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * {@code bench checkpoint}: how long listing a checkpoint takes, and how fast all its tensors are read as floats
 * compared with reading the same file's bytes with plain reads in the same run (the disk or page-cache bound), and
 * with plain reads into new arrays of the tensors' stored sizes (that bound plus filling new memory, which reading
 * tensors into new float arrays cannot avoid). Without a file it writes a ViT-B/16-sized state dict (86 M float32
 * parameters, about 344 MB, the size of the paper's checkpoints) to a temporary folder and removes it afterwards.
 */
public final class CheckpointBenchmark {

    private static final int ROUNDS = 3;

    private CheckpointBenchmark() {
    }

    /**
     * @param file a checkpoint to measure, or null for the synthetic ViT-B/16
     * @param cold drop the operating system's page cache before every timed pass, so that each reads the file from
     *        the disk (Linux, as root): the figures then say whether reading tensors is bounded by the disk
     * @param out where the figures go
     * @param monitor progress in rounds; cancellable
     * @throws IOException if the file cannot be read or the synthetic one written
     */
    public static void run(Path file, boolean cold, PrintStream out, IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Checkpoint benchmark", 1 + 3 * ROUNDS);
        Path folder = null;
        try {
            if (file == null) {
                folder = Files.createTempDirectory("brainalign-bench");
                file = folder.resolve("vit_b_16.pth");
                out.println("writing a ViT-B/16-sized state dict (float32) to a temporary file ...");
                TorchCheckpointWriter.write(file, "vit_b_16", vitB16());
            }
            progress.split(1);
            long size = Files.size(file);
            double mb = size / (1024.0 * 1024.0);
            double[] list = new double[ROUNDS];
            double[] tensors = new double[ROUNDS];
            double[] bytes = new double[ROUNDS];
            double[] arrays = new double[ROUNDS];
            int count = 0;
            long[] stored = null;
            for (int r = 0; r < ROUNDS; r++) {
                if (cold) {
                    dropPageCache(file);
                }
                long t0 = System.nanoTime();
                long elements = 0;
                try (TorchCheckpoint c = TorchCheckpoint.open(file)) {
                    count = c.tensors().size();
                    stored = c.tensors().values().stream()
                            .mapToLong(t -> t.elementCount() * t.dtype().bytes()).toArray();
                    list[r] = (System.nanoTime() - t0) / 1e9;
                    long t1 = System.nanoTime();
                    for (String name : c.tensors().keySet()) {
                        elements += c.readFloats(name).length;
                    }
                    tensors[r] = (System.nanoTime() - t1) / 1e9;
                }
                progress.split(1);
                if (cold) {
                    dropPageCache(file);
                }
                long t2 = System.nanoTime();
                long read = plainRead(file);
                bytes[r] = (System.nanoTime() - t2) / 1e9;
                progress.split(1);
                if (cold) {
                    dropPageCache(file);
                }
                long t3 = System.nanoTime();
                long copied = readIntoNewArrays(file, stored);
                arrays[r] = (System.nanoTime() - t3) / 1e9;
                progress.split(1);
                if (read != size || copied < 0 || elements < 0) {
                    throw new IOException(file + " changed size while it was measured");
                }
            }
            double listing = median(list);
            double readTensors = median(tensors);
            double readBytes = median(bytes);
            double readArrays = median(arrays);
            double storedMb = Arrays.stream(stored).sum() / (1024.0 * 1024.0);
            out.printf("checkpoint %s: %.1f MB, %d tensors (median of %d rounds%s)%n", file.getFileName(), mb, count,
                    ROUNDS, cold ? ", each pass from the disk: page cache dropped before it" : "");
            out.printf("  list tensors          %8.1f ms%n", listing * 1e3);
            out.printf("  read all as floats    %8.0f MB/s%n", mb / readTensors);
            out.printf("  read the file's bytes %8.0f MB/s (baseline: plain reads, same file, same run)%n",
                    mb / readBytes);
            out.printf("  read into new arrays  %8.0f MB/s (plain reads into a new array per tensor, same bytes)%n",
                    storedMb / readArrays);
            out.printf("  ratio tensors / bytes %8.2f%n", readBytes / readTensors);
            out.printf("  ratio tensors / new arrays %5.2f%n", readArrays / readTensors * mb / storedMb);
        } finally {
            if (folder != null) {
                Files.deleteIfExists(file);
                Files.deleteIfExists(folder);
            }
        }
    }

    /**
     * Empties Linux's page cache (writes "1" to /proc/sys/vm/drop_caches), so the next read of the file comes from
     * the disk; the file is synced first, as only clean pages are dropped (the synthetic file was just written).
     */
    private static void dropPageCache(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
        }
        Path control = Path.of("/proc/sys/vm/drop_caches");
        try {
            Files.writeString(control, "1");
        } catch (IOException | SecurityException e) {
            throw new IOException("--cold drops the page cache before each pass, but " + control
                    + " cannot be written here (" + e.getMessage() + "): it needs Linux and root", e);
        }
    }

    private static long plainRead(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
        long total = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int n;
            while ((n = ch.read(b.clear())) >= 0) {
                total += n;
            }
        }
        return total;
    }

    /**
     * Reads the file from its start into a new array per tensor, of that tensor's stored size, as plain reads (no
     * checksum, no conversion), wrapping around at the end of the file.
     *
     * @return the bytes read
     */
    private static long readIntoNewArrays(Path file, long[] sizes) throws IOException {
        long total = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = 0;
            for (long size : sizes) {
                ByteBuffer b = ByteBuffer.wrap(new byte[(int) size]);
                while (b.hasRemaining()) {
                    int n = ch.read(b, position);
                    if (n < 0) {
                        position = 0;
                        continue;
                    }
                    position += n;
                }
                total += size;
            }
        }
        return total;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** The parameter shapes of torchvision's vit_b_16 encoder, filled with a cheap deterministic sequence. */
    private static Map<String, TorchCheckpointWriter.Tensor> vitB16() {
        Map<String, TorchCheckpointWriter.Tensor> t = new LinkedHashMap<>();
        int c = 768;
        int h = 3072;
        put(t, "class_token", 1, 1, c);
        put(t, "conv_proj.weight", c, 3, 16, 16);
        put(t, "conv_proj.bias", c);
        put(t, "encoder.pos_embedding", 1, 197, c);
        for (int i = 0; i < 12; i++) {
            String p = "encoder.layers.encoder_layer_" + i + ".";
            put(t, p + "ln_1.weight", c);
            put(t, p + "ln_1.bias", c);
            put(t, p + "self_attention.in_proj_weight", 3 * c, c);
            put(t, p + "self_attention.in_proj_bias", 3 * c);
            put(t, p + "self_attention.out_proj.weight", c, c);
            put(t, p + "self_attention.out_proj.bias", c);
            put(t, p + "ln_2.weight", c);
            put(t, p + "ln_2.bias", c);
            put(t, p + "mlp.0.weight", h, c);
            put(t, p + "mlp.0.bias", h);
            put(t, p + "mlp.3.weight", c, h);
            put(t, p + "mlp.3.bias", c);
        }
        put(t, "encoder.ln.weight", c);
        put(t, "encoder.ln.bias", c);
        return t;
    }

    private static void put(Map<String, TorchCheckpointWriter.Tensor> t, String name, long... shape) {
        int n = (int) Arrays.stream(shape).reduce(1, Math::multiplyExact);
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        int x = name.hashCode();
        for (int i = 0; i < n; i++) {
            x = x * 1103515245 + 12345;
            b.putFloat((x >> 8) * 0x1p-30f);
        }
        t.put(name, new TorchCheckpointWriter.Tensor(TorchDtype.FLOAT32, shape, b.flip()));
    }
}
