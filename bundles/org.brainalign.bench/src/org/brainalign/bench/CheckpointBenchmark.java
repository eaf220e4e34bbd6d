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
 * compared with reading the same file's bytes with plain reads in the same run (the disk or page-cache bound). Without
 * a file it writes a ViT-B/16-sized state dict (86 M float32 parameters, about 344 MB, the size of the paper's
 * checkpoints) to a temporary folder and removes it afterwards.
 */
public final class CheckpointBenchmark {

    private static final int ROUNDS = 3;

    private CheckpointBenchmark() {
    }

    /**
     * @param file a checkpoint to measure, or null for the synthetic ViT-B/16
     * @param out where the figures go
     * @param monitor progress in rounds; cancellable
     * @throws IOException if the file cannot be read or the synthetic one written
     */
    public static void run(Path file, PrintStream out, IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Checkpoint benchmark", 1 + 2 * ROUNDS);
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
            int count = 0;
            for (int r = 0; r < ROUNDS; r++) {
                long t0 = System.nanoTime();
                long elements = 0;
                try (TorchCheckpoint c = TorchCheckpoint.open(file)) {
                    count = c.tensors().size();
                    list[r] = (System.nanoTime() - t0) / 1e9;
                    long t1 = System.nanoTime();
                    for (String name : c.tensors().keySet()) {
                        elements += c.readFloats(name).length;
                    }
                    tensors[r] = (System.nanoTime() - t1) / 1e9;
                }
                progress.split(1);
                long t2 = System.nanoTime();
                long read = plainRead(file);
                bytes[r] = (System.nanoTime() - t2) / 1e9;
                progress.split(1);
                if (read != size || elements < 0) {
                    throw new IOException(file + " changed size while it was measured");
                }
            }
            double listing = median(list);
            double readTensors = median(tensors);
            double readBytes = median(bytes);
            out.printf("checkpoint %s: %.1f MB, %d tensors (median of %d rounds)%n", file.getFileName(), mb, count,
                    ROUNDS);
            out.printf("  list tensors          %8.1f ms%n", listing * 1e3);
            out.printf("  read all as floats    %8.0f MB/s%n", mb / readTensors);
            out.printf("  read the file's bytes %8.0f MB/s (baseline: plain reads, same file, same run)%n",
                    mb / readBytes);
            out.printf("  ratio tensors / bytes %8.2f%n", readBytes / readTensors);
        } finally {
            if (folder != null) {
                Files.deleteIfExists(file);
                Files.deleteIfExists(folder);
            }
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
