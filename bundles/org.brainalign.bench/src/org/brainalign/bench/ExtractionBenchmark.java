package org.brainalign.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import org.brainalign.engine.ProcessMemory;
import org.brainalign.engine.ComputeDevice;
import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.DjlRuntime;
import org.brainalign.engine.TorchFloor;
import org.brainalign.engine.backbone.Normalization;
import org.brainalign.engine.backbone.PositionInterpolation;
import org.brainalign.engine.backbone.TensorSource;
import org.brainalign.engine.backbone.TransformerSpec;
import org.brainalign.engine.backbone.VisionTransformer;
import org.brainalign.io.safetensors.FloatTensor;
import org.brainalign.engine.features.Extractor;
import org.brainalign.engine.features.FeatureStore;
import org.brainalign.engine.features.StoreManifest;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/**
 * The extraction benchmark ({@code brainalign bench extract}): how fast a ViT-B/16-sized network (random weights,
 * 224 x 224, 12 blocks of width 768) turns images into features on this machine, against the speed of one large
 * matrix product measured in the same run (the network is mostly such products), with the process's peak memory;
 * and how fast a FeatureStore is read back in batches from the page cache, in both layouts, against plain sequential
 * reads of the same file measured in the same run. {@code releng/bench/extract-vs-pytorch} runs the network part
 * beside PyTorch eager on the same machine and thread count.
 */
public final class ExtractionBenchmark {

    /** The benchmark network: ViT-B/16 at 224 px. */
    private static final TransformerSpec VIT_B16 = TransformerSpec.builder("benchmark").size(768, 12, 12, 3072)
            .eps(1e-12f)
            .input(16, 14, 224).build();

    /**
     * Floating-point operations of one image: 197 tokens; per block 4 C^2 (q, k, v, proj) + 2 C H (MLP)
     * multiply-adds per token, plus 2 T^2 C for the attention scores and mixing; the patch embedding adds
     * 3 x 16 x 16 x C per patch.
     */
    private static final double FLOP_PER_IMAGE = 2 * (12 * (197 * (4.0 * 768 * 768 + 2.0 * 768 * 3072)
            + 2 * 197.0 * 197 * 768) + 196.0 * 768 * 768);

    /** Untimed forward passes before the timed ones; the second still pays the first touch of new memory. */
    private static final int WARM_UP = 2;

    /** Timed products of the baseline. */
    private static final int GEMM_REPEATS = 10;

    /** Timed passes over the store per way of reading it; the fastest counts. */
    private static final int READ_ROUNDS = 3;

    /**
     * What to measure.
     *
     * @param batch images per forward pass
     * @param batches timed forward passes (after two untimed ones); 0 skips the network
     * @param threads PyTorch's intra-op threads; 0 keeps its default (one per core)
     * @param storeImages images in the synthetic store read back; 0 skips the store
     * @param readBatch images per store read
     * @param device where to run the network
     */
    public record Options(int batch, int batches, int threads, int storeImages, int readBatch,
            DevicePreference device) {

        /**
         * @return a brief run: 3 batches of 8 images on the CPU with PyTorch's default threads, and a 1000-image
         *         store read in batches of 8
         */
        public static Options brief() {
            return new Options(8, 3, 0, 1000, 8, DevicePreference.CPU);
        }
    }

    /**
     * The figures; those of a skipped part are NaN.
     *
     * @param engine the engine that ran the network, with its version
     * @param device the device that ran it
     * @param threads PyTorch's intra-op threads during the run
     * @param batch images per forward pass
     * @param batches timed forward passes
     * @param imagesPerSecond network images per second over all timed passes, features included
     * @param bestImagesPerSecond network images per second in the fastest pass (less sensitive to a busy machine)
     * @param networkGflops the network's sustained GFLOP/s over all timed passes
     * @param gemmGflops one large linear layer's GFLOP/s, the fastest of several (the baseline)
     * @param peakResidentMb the process's peak resident memory (VmHWM) before the store is read, MB
     * @param peakHeapMb the peak Java heap in use before the store is read, MB
     * @param readGbPerSecond store reads in the FactorTopy layout ({@link FeatureStore#read}), GB of float16 per
     *        second
     * @param tokenReadGbPerSecond store reads in the stored layout ({@link FeatureStore#readTokens}), GB of float16
     *        per second
     * @param plainGbPerSecond plain sequential reads of the store's file, GB per second (the baseline)
     * @param mappedGbPerSecond plain sequential reads of the store's file through a memory map, GB per second
     */
    public record Report(String engine, String device, int threads, int batch, int batches, double imagesPerSecond,
            double bestImagesPerSecond, double networkGflops, double gemmGflops, double peakResidentMb,
            double peakHeapMb, double readGbPerSecond, double tokenReadGbPerSecond, double plainGbPerSecond,
            double mappedGbPerSecond) {

        /** @return the figures as one JSON object with snake_case keys; skipped figures are null */
        public String toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("benchmark", "extract");
            o.addProperty("engine", engine);
            o.addProperty("device", device);
            o.addProperty("threads", threads);
            o.addProperty("batch", batch);
            o.addProperty("batches", batches);
            number(o, "images_per_second", imagesPerSecond);
            number(o, "best_images_per_second", bestImagesPerSecond);
            number(o, "network_gflops", networkGflops);
            number(o, "gemm_gflops", gemmGflops);
            number(o, "peak_resident_mb", peakResidentMb);
            number(o, "peak_heap_mb", peakHeapMb);
            number(o, "read_gb_per_second", readGbPerSecond);
            number(o, "token_read_gb_per_second", tokenReadGbPerSecond);
            number(o, "plain_read_gb_per_second", plainGbPerSecond);
            number(o, "mapped_read_gb_per_second", mappedGbPerSecond);
            return o.toString();
        }

        private static void number(JsonObject o, String key, double value) {
            if (Double.isFinite(value)) {
                o.addProperty(key, value);
            } else {
                o.add(key, JsonNull.INSTANCE);
            }
        }
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
        run(Options.brief(), System.out);
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
        String engine = "-";
        String device = "-";
        int threads = 0;
        double gemm = Double.NaN;
        double imagesPerSecond = Double.NaN;
        double bestImagesPerSecond = Double.NaN;
        double networkGflops = Double.NaN;
        if (options.batches() > 0) {
            // the thread count is process-wide and must be set before the first operation sizes PyTorch's pool
            threads = TorchFloor.intraOpThreads(options.threads());
            engine = TorchFloor.engine();
            ComputeDevice compute = DjlRuntime.device(options.device());
            device = compute.name();
            out.printf(Locale.ROOT, "engine: %s on %s, %d intra-op threads%n", engine, device, threads);
            gemm = TorchFloor.linearGflops(compute, GEMM_REPEATS);
            out.printf(Locale.ROOT, "baseline: one linear layer, 1576 x 768 -> 3072 (x W^T + b): %.1f GFLOP/s%n",
                    gemm);
            double[] seconds = networkSeconds(options, compute);
            double total = Arrays.stream(seconds).sum();
            double fastest = Arrays.stream(seconds).min().orElseThrow();
            imagesPerSecond = seconds.length * options.batch() / total;
            bestImagesPerSecond = options.batch() / fastest;
            networkGflops = imagesPerSecond * FLOP_PER_IMAGE / 1e9;
            out.printf(Locale.ROOT, "network: %.2f images/s (batch %d; fastest batch %.2f images/s), %.1f GFLOP/s = "
                    + "%.0f%% of the linear layer baseline%n", imagesPerSecond, options.batch(), bestImagesPerSecond,
                    networkGflops, 100 * networkGflops / gemm);
        }
        // the network's memory, before the store's reads fill the page cache and a memory map
        double rss = ProcessMemory.peakResidentMb();
        double heap = ProcessMemory.peakHeapMb();
        out.printf(Locale.ROOT, "memory: peak resident %.0f MB, peak Java heap %.0f MB%n", rss, heap);
        double[] read = { Double.NaN, Double.NaN, Double.NaN, Double.NaN };
        if (options.storeImages() > 0) {
            Path scratch = Files.createTempDirectory("brainalign-bench");
            try {
                read = storeReads(options, scratch, out);
            } finally {
                deleteStore(scratch);
                Files.deleteIfExists(scratch);
            }
            out.printf(Locale.ROOT, "baselines: plain sequential reads of the file: %.2f GB/s with read(), %.2f GB/s "
                    + "through a memory map%n", read[2], read[3]);
            for (int i = 0; i < 2; i++) {
                out.printf(Locale.ROOT, "store read, %s: %.2f GB/s of float16 = %.0f%% of plain read(), %.0f%% of the "
                        + "mapped read%n",
                        i == 0
                                ? "FactorTopy layout (B x L x C x 8 x 8)"
                                : "stored layout "
                                        + "(B x L x 65 x C)",
                        read[i], 100 * read[i] / read[2], 100 * read[i] / read[3]);
            }
        }
        return new Report(engine, device, threads, options.batch(), options.batches(), imagesPerSecond,
                bestImagesPerSecond, networkGflops, gemm, rss, heap, read[0], read[1], read[2], read[3]);
    }

    /** Times the forward passes (features included) after the untimed ones; returns each pass's seconds. */
    private static double[] networkSeconds(Options options, ComputeDevice device) throws IOException {
        try (VisionTransformer net = new VisionTransformer(VIT_B16, randomWeights(), Normalization.imageNet(3),
                device)) {
            int b = options.batch();
            float[] pixels = new float[b * 3 * 224 * 224];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) r.nextDouble(-2, 2);
            }
            for (int i = 0; i < WARM_UP; i++) {
                net.features(pixels, b, Extractor.GRID);
            }
            double[] seconds = new double[options.batches()];
            for (int i = 0; i < seconds.length; i++) {
                long t0 = System.nanoTime();
                net.features(pixels, b, Extractor.GRID);
                seconds[i] = (System.nanoTime() - t0) / 1e9;
            }
            return seconds;
        }
    }

    /** Random weights of the right scales for a ViT-B/16, drawn on demand. */
    private static TensorSource randomWeights() {
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

    /**
     * Writes a synthetic complete store and times batch reads from the page cache in both layouts, and the two plain
     * sequential reads of its file; returns GB/s: FactorTopy layout, stored layout, plain read(), memory map.
     */
    private static double[] storeReads(Options options, Path scratch, PrintStream out) throws IOException {
        Path store = scratch.resolve("bench-store");
        int n = options.storeImages();
        int layers = 12;
        int channels = 768;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("image" + i);
        }
        StoreManifest manifest = new StoreManifest("benchmark", "none", "0", 224, Normalization.IMAGENET_MEAN,
                Normalization.IMAGENET_STD, "ImageNet", PositionInterpolation.HUGGING_FACE.id(), layers, channels,
                Extractor.GRID, true, names, names,
                Collections.nCopies(n, ""), Map.of(), 0);
        Files.createDirectories(store);
        Path data = store.resolve(FeatureStore.DATA);
        long per = manifest.valuesPerImage();
        try (RandomAccessFile raf = new RandomAccessFile(data.toFile(), "rw"); FileChannel ch = raf.getChannel()) {
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
            // written back to disk before the timing starts, so that write-back does not run during it
            ch.force(false);
        }
        byte[] done = new byte[n];
        Arrays.fill(done, FeatureStore.DONE);
        Files.write(store.resolve(FeatureStore.COMPLETION), done);
        manifest.write(store.resolve(FeatureStore.MANIFEST));
        double gb = n * per * 2 / 1e9;
        out.printf(Locale.ROOT, "store: %d images x %d layers x 65 tokens x %d channels, %.2f GB of float16%n", n,
                layers, channels, gb);
        try (FeatureStore s = FeatureStore.open(store);
                RandomAccessFile plainFile = new RandomAccessFile(data.toFile(), "r");
                FileChannel ch = FileChannel.open(data)) {
            int b = options.readBatch();
            float[] local = new float[b * layers * channels * 64];
            float[] global = new float[b * layers * channels];
            float[] tokens = new float[(int) (b * per)];
            // the plain reads go through a buffer of one layer, the unit the store reads, so that it stays in cache
            int layerValues = (int) (per / layers);
            byte[] bytes = new byte[2 * layerValues];
            short[] halves = new short[layerValues];
            ShortBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(ch.size(), Integer.MAX_VALUE))
                    .order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            int mappedImages = (int) (mapped.capacity() / per);
            BatchRead plain = images -> {
                for (int i : images) {
                    plainFile.seek(i * per * 2);
                    for (int l = 0; l < layers; l++) {
                        plainFile.readFully(bytes);
                    }
                }
            };
            BatchRead map = images -> {
                for (int i : images) {
                    for (int l = 0; l < layers; l++) {
                        mapped.get((int) (i * per) + l * layerValues, halves);
                    }
                }
            };
            // the first passes bring the file into the page cache and the mapping; the timed passes alternate, so
            // that a busy spell of a shared machine does not favour one way of reading
            timePass(n, b, images -> s.readTokens(images, tokens));
            timePass(mappedImages, b, map);
            double[] best = new double[4];
            for (int round = 0; round < READ_ROUNDS; round++) {
                best[0] = Math.max(best[0], gb / timePass(n, b, images -> s.read(images, local, global)));
                best[1] = Math.max(best[1], gb / timePass(n, b, images -> s.readTokens(images, tokens)));
                best[2] = Math.max(best[2], gb / timePass(n, b, plain));
                best[3] = Math.max(best[3], mappedImages * per * 2 / 1e9 / timePass(mappedImages, b, map));
            }
            return best;
        }
    }

    /** One batch read. */
    private interface BatchRead {

        void read(int[] images) throws IOException;
    }

    private static double timePass(int n, int batch, BatchRead reader) throws IOException {
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

}
