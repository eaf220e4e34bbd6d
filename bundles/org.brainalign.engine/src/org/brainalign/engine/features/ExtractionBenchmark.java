package org.brainalign.engine.features;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.DjlRuntime;
import org.brainalign.engine.backbone.Normalization;
import org.brainalign.engine.backbone.TransformerSpec;
import org.brainalign.engine.backbone.VisionTransformer;
import org.brainalign.io.safetensors.FloatTensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The extraction benchmark ({@code brainalign bench extract}): how fast a ViT-B/16-sized network (random weights,
 * 224 x 224, 12 blocks of width 768) turns images into features on this machine, against the speed of one large
 * matrix product measured in the same run (the network is mostly such products), with the process's peak memory;
 * and how fast a FeatureStore is read back in batches from the page cache, against a plain copy of the same bytes.
 */
public final class ExtractionBenchmark {

    /**
     * What to measure.
     *
     * @param batch images per forward pass
     * @param batches timed forward passes (after one untimed warm-up)
     * @param storeImages images in the synthetic store read back
     * @param readBatch images per store read
     * @param scratch folder for the synthetic store (deleted afterwards)
     * @param device where to run the network
     */
    public record Options(int batch, int batches, int storeImages, int readBatch, Path scratch,
            DevicePreference device) {

        /**
         * @param scratch folder for the synthetic store
         * @return a brief run: 3 batches of 8 images, a 1000-image store read in batches of 8
         */
        public static Options brief(Path scratch) {
            return new Options(8, 3, 1000, 8, scratch, DevicePreference.CPU);
        }
    }

    /**
     * The figures.
     *
     * @param imagesPerSecond network images per second, features included
     * @param networkGflops the network's sustained GFLOP/s
     * @param gemmGflops one large matrix product's GFLOP/s (the baseline)
     * @param peakResidentMb the process's peak resident memory (VmHWM), MB
     * @param peakHeapMb the peak Java heap in use, MB
     * @param readGbPerSecond store reads (FactorTopy layout), GB of float16 per second
     * @param tokenReadGbPerSecond store reads in stored layout, GB of float16 per second
     * @param copyGbPerSecond plain copy of the same mapped bytes, GB per second (the baseline)
     */
    public record Report(double imagesPerSecond, double networkGflops, double gemmGflops, double peakResidentMb,
            double peakHeapMb, double readGbPerSecond, double tokenReadGbPerSecond, double copyGbPerSecond) {
    }

    private ExtractionBenchmark() {
    }

    /**
     * Runs the brief benchmark and prints its figures.
     *
     * @param args ignored
     * @throws IOException if the scratch store cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path scratch = Files.createTempDirectory("brainalign-bench");
        try {
            run(Options.brief(scratch), System.out);
        } finally {
            deleteStore(scratch);
            Files.deleteIfExists(scratch);
        }
    }

    /**
     * Measures and prints.
     *
     * @param options what to measure
     * @param out where to print
     * @return the figures
     * @throws IOException if the scratch store cannot be written
     */
    public static Report run(Options options, PrintStream out) throws IOException {
        out.println("== extraction benchmark: ViT-B/16-sized network (random weights), 224 x 224, 12 blocks of 768 ==");
        double gemm = gemmGflops(options.device());
        out.printf(Locale.ROOT, "baseline: one 1576 x 768 x 3072 matrix product: %.1f GFLOP/s%n", gemm);
        TransformerSpec spec = new TransformerSpec("benchmark", 768, 12, 12, 3072, false,
                TransformerSpec.Activation.GELU, 1e-12f, 16, 3, true, true, 0, 14, true, false, false, false,
                new int[12], false, true, 224);
        double imagesPerSecond;
        try (VisionTransformer net = new VisionTransformer(spec, randomWeights(), Normalization.imageNet(3),
                DjlRuntime.device(options.device()))) {
            int b = options.batch();
            float[] pixels = new float[b * 3 * 224 * 224];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) r.nextDouble(-2, 2);
            }
            net.features(pixels, b, Extractor.GRID);
            long t0 = System.nanoTime();
            for (int i = 0; i < options.batches(); i++) {
                net.features(pixels, b, Extractor.GRID);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            imagesPerSecond = options.batches() * b / seconds;
        }
        // 197 tokens: per block 4 C^2 (q, k, v, proj) + 2 C H (MLP) multiply-adds per token, plus 2 T C for the
        // attention scores and mixing; the patch embedding adds 3 x 16 x 16 x C per patch
        double tokens = 197;
        double macs = 12 * (tokens * (4.0 * 768 * 768 + 2.0 * 768 * 3072) + 2 * tokens * tokens * 768)
                + 196.0 * 768 * 768;
        double networkGflops = imagesPerSecond * 2 * macs / 1e9;
        double rss = peakResidentMb();
        double heap = peakHeapMb();
        out.printf(Locale.ROOT, "network: %.2f images/s (batch %d on %s), %.1f GFLOP/s = %.0f%% of the matrix "
                + "product baseline%n", imagesPerSecond, options.batch(), DjlRuntime.device(options.device()).name(),
                networkGflops, 100 * networkGflops / gemm);
        out.printf(Locale.ROOT, "memory: peak resident %.0f MB, peak Java heap %.0f MB%n", rss, heap);
        double[] read = storeReads(options, out);
        Report report = new Report(imagesPerSecond, networkGflops, gemm, rss, heap, read[0], read[1], read[2]);
        out.printf(Locale.ROOT, "store read (B x L x C x 8 x 8 layout): %.2f GB/s of float16, %.0f%% of a plain copy "
                + "(%.2f GB/s); stored layout: %.2f GB/s%n", read[0], 100 * read[0] / read[2], read[2], read[1]);
        return report;
    }

    private static double gemmGflops(DevicePreference preference) {
        return DjlRuntime.call(() -> {
            try (NDManager m = NDManager.newBaseManager(DjlRuntime.device(preference).device(), "PyTorch")) {
                NDArray a = m.randomNormal(new Shape(1576, 768));
                NDArray b = m.randomNormal(new Shape(768, 3072));
                a.matMul(b).close();
                int repeats = 10;
                long t0 = System.nanoTime();
                for (int i = 0; i < repeats; i++) {
                    // reading one value forces the product to finish
                    NDArray c = a.matMul(b);
                    c.getFloat(0, 0);
                    c.close();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                return repeats * 2.0 * 1576 * 768 * 3072 / seconds / 1e9;
            }
        });
    }

    /** Random weights of the right scales for a ViT-B/16, drawn on demand. */
    private static org.brainalign.engine.backbone.TensorSource randomWeights() {
        Random seeds = new Random(7);
        return (name, shape) -> {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            float[] data = new float[(int) n];
            SplittableRandom r = new SplittableRandom(seeds.nextLong());
            boolean norm = name.endsWith("norm1.weight") || name.endsWith("norm2.weight");
            double scale = shape.length >= 2 ? 1 / Math.sqrt(shape[shape.length - 1]) : 0.02;
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) ((norm ? 1 : 0) + scale * (r.nextDouble() * 2 - 1) * Math.sqrt(3));
            }
            return new FloatTensor(shape, data);
        };
    }

    /** Writes a synthetic complete store and times batch reads from the page cache; returns GB/s figures. */
    private static double[] storeReads(Options options, PrintStream out) throws IOException {
        Path store = options.scratch().resolve("bench-store");
        int n = options.storeImages();
        int layers = 12;
        int channels = 768;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("image" + i);
        }
        StoreManifest manifest = new StoreManifest("benchmark", "none", "0", 224, Normalization.IMAGENET_MEAN,
                Normalization.IMAGENET_STD, "ImageNet", layers, channels, Extractor.GRID, true, names, names,
                Collections.nCopies(n, ""), Map.of(), 0);
        Files.createDirectories(store);
        long per = manifest.valuesPerImage();
        try (RandomAccessFile raf = new RandomAccessFile(store.resolve(FeatureStore.DATA).toFile(), "rw");
                FileChannel ch = raf.getChannel()) {
            raf.setLength(0);
            ByteBuffer image = ByteBuffer.allocate((int) per * 2).order(ByteOrder.LITTLE_ENDIAN);
            SplittableRandom r = new SplittableRandom(3);
            while (image.hasRemaining()) {
                image.putShort(Float.floatToFloat16((float) r.nextDouble(-4, 4)));
            }
            for (int i = 0; i < n; i++) {
                image.rewind();
                ch.write(image, i * per * 2);
            }
        }
        byte[] done = new byte[n];
        java.util.Arrays.fill(done, FeatureStore.DONE);
        Files.write(store.resolve(FeatureStore.COMPLETION), done);
        manifest.write(store.resolve(FeatureStore.MANIFEST));
        double gb = n * per * 2 / 1e9;
        out.printf(Locale.ROOT, "store: %d images x %d layers x 65 tokens x %d channels, %.2f GB of float16%n", n,
                layers, channels, gb);
        try (FeatureStore s = FeatureStore.open(store)) {
            int b = options.readBatch();
            float[] local = new float[b * layers * channels * 64];
            float[] global = new float[b * layers * channels];
            float[] tokens = new float[(int) (b * per)];
            short[] copy = new short[(int) per];
            // first pass brings the file into the page cache; the timed passes read it from there
            timePass(n, b, images -> s.readTokens(images, tokens));
            double read = gb / timePass(n, b, images -> s.read(images, local, global));
            double tokenRead = gb / timePass(n, b, images -> s.readTokens(images, tokens));
            try (FileChannel ch = FileChannel.open(store.resolve(FeatureStore.DATA))) {
                var map = ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(ch.size(), Integer.MAX_VALUE));
                map.order(ByteOrder.LITTLE_ENDIAN);
                var shorts = map.asShortBuffer();
                int imagesInMap = (int) (map.capacity() / (per * 2));
                long t0 = 0;
                // the second pass is timed: the first pays this new mapping's page faults
                for (int pass = 0; pass < 2; pass++) {
                    t0 = System.nanoTime();
                    for (int i = 0; i < imagesInMap; i++) {
                        shorts.get((int) (i * per), copy);
                    }
                }
                double copyRate = imagesInMap * per * 2 / 1e9 / ((System.nanoTime() - t0) / 1e9);
                return new double[] { read, tokenRead, copyRate };
            }
        } finally {
            deleteStore(options.scratch());
        }
    }

    private interface BatchRead {

        void read(int[] images);
    }

    private static double timePass(int n, int batch, BatchRead reader) {
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += batch) {
            int[] images = new int[Math.min(batch, n - from)];
            for (int k = 0; k < images.length; k++) {
                images[k] = from + k;
            }
            reader.read(images);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void deleteStore(Path scratch) throws IOException {
        Path store = scratch.resolve("bench-store");
        for (String f : new String[] { FeatureStore.DATA, FeatureStore.COMPLETION, FeatureStore.MANIFEST }) {
            Files.deleteIfExists(store.resolve(f));
        }
        Files.deleteIfExists(store);
    }

    private static double peakResidentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: fall through
        }
        return Double.NaN;
    }

    private static double peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / 1048576.0;
    }
}
