package org.brainalign.engine.features.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipFile;

import javax.imageio.ImageIO;

import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.backbone.Backbone;
import org.brainalign.engine.backbone.BackboneFamilies;
import org.brainalign.engine.backbone.BackboneOptions;
import org.brainalign.engine.backbone.PositionInterpolation;
import org.brainalign.engine.features.Extractor;
import org.brainalign.engine.features.Extractor.OnUnreadable;
import org.brainalign.engine.features.FeatureStore;
import org.brainalign.engine.features.FeatureStoreException;
import org.brainalign.engine.features.ImageReadException;
import org.brainalign.engine.features.Preprocessing;
import org.brainalign.engine.tests.ReferenceFixtures;
import org.brainalign.io.npy.NpyArray;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.safetensors.FloatTensor;
import org.brainalign.io.safetensors.SafetensorsFile;
import org.brainalign.io.safetensors.SafetensorsWriter;
import org.brainalign.testing.SharedData;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extraction into a feature store and reading it back: values, layout, resumption, refusals, export. */
class FeatureStoreTest {

    @TempDir
    Path dir;

    /** Writes a tiny hf-vit checkpoint (16 px input, 4 px patches, 2 blocks of width 16) with random weights. */
    private Path checkpoint(String name, long seed, String modelType) throws IOException {
        return checkpoint(name, seed, modelType, 16);
    }

    /**
     * Writes a tiny hf-vit checkpoint (16 px input, 4 px patches, 2 blocks of width c, 2 heads) with random weights.
     */
    private Path checkpoint(String name, long seed, String modelType, int c) throws IOException {
        Path folder = dir.resolve(name);
        Files.createDirectories(folder);
        Random r = new Random(seed);
        LinkedHashMap<String, FloatTensor> t = new LinkedHashMap<>();
        t.put("embeddings.cls_token", random(r, 0.5, 1, 1, c));
        t.put("embeddings.position_embeddings", random(r, 0.5, 1, 17, c));
        t.put("embeddings.patch_embeddings.projection.weight", random(r, 0.15, c, 3, 4, 4));
        t.put("embeddings.patch_embeddings.projection.bias", random(r, 0.1, c));
        for (int l = 0; l < 2; l++) {
            String p = "encoder.layer." + l + ".";
            for (String m : new String[] { "attention.attention.query", "attention.attention.key",
                    "attention.attention.value", "attention.output.dense" }) {
                t.put(p + m + ".weight", random(r, 0.25, c, c));
                t.put(p + m + ".bias", random(r, 0.1, c));
            }
            t.put(p + "intermediate.dense.weight", random(r, 0.25, 2 * c, c));
            t.put(p + "intermediate.dense.bias", random(r, 0.1, 2 * c));
            t.put(p + "output.dense.weight", random(r, 0.18, c, 2 * c));
            t.put(p + "output.dense.bias", random(r, 0.1, c));
            for (String n : new String[] { "layernorm_before", "layernorm_after" }) {
                t.put(p + n + ".weight", random(r, 0.1, c));
                t.put(p + n + ".bias", random(r, 0.1, c));
            }
        }
        SafetensorsWriter.write(folder.resolve("model.safetensors"), t, Map.of());
        Files.writeString(folder.resolve("config.json"), "{\"model_type\": \"" + modelType + "\", \"hidden_size\": " + c
                + ", \"num_hidden_layers\": 2, \"num_attention_heads\": 2, \"intermediate_size\": " + 2 * c + ","
                + " \"image_size\": 16, \"patch_size\": 4, \"num_channels\": 3, \"layer_norm_eps\": 1e-6}");
        return folder;
    }

    private static FloatTensor random(Random r, double scale, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] data = new float[(int) n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) (scale * r.nextGaussian());
        }
        return new FloatTensor(shape, data);
    }

    /** Five images of different sizes and aspect ratios (they are all resized), one a real photograph. */
    private List<Path> images() throws IOException {
        Path folder = dir.resolve("images");
        Files.createDirectories(folder);
        List<Path> images = new ArrayList<>();
        int[][] sizes = { { 20, 12 }, { 16, 16 }, { 33, 40 }, { 7, 9 } };
        Random r = new Random(3);
        for (int i = 0; i < sizes.length; i++) {
            BufferedImage img = new BufferedImage(sizes[i][0], sizes[i][1], BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < sizes[i][1]; y++) {
                for (int x = 0; x < sizes[i][0]; x++) {
                    img.setRGB(x, y, r.nextInt(1 << 24));
                }
            }
            Path f = folder.resolve("img" + i + ".png");
            ImageIO.write(img, "png", f.toFile());
            images.add(f);
        }
        images.add(SharedData.photograph("img_002.jpg"));
        return images;
    }

    private static Extractor.Request request(Path checkpoint, List<Path> images, Path store, OnUnreadable on) {
        return new Extractor.Request(checkpoint, "auto", images, store, 2, DevicePreference.CPU, 0, false, on);
    }

    @Test
    void storedFeaturesAreTheBackbonesInFloat16() throws IOException {
        Path ckpt = checkpoint("vit", 1, "vit");
        List<Path> images = images();
        Path store = dir.resolve("store");
        Extractor.Result result = new Extractor().extract(request(ckpt, images, store, OnUnreadable.STOP),
                new NullProgressMonitor());
        assertEquals(5, result.extracted());
        assertEquals(0, result.previouslyDone());
        float[] expected;
        int per;
        try (Backbone b = BackboneFamilies.load(ckpt, "hf-vit", BackboneOptions.defaults())) {
            Preprocessing prep = Preprocessing.of(b, false);
            float[] pixels = new float[5 * prep.valuesPerImage()];
            for (int i = 0; i < 5; i++) {
                System.arraycopy(prep.apply(images.get(i)), 0, pixels, i * prep.valuesPerImage(),
                        prep.valuesPerImage());
            }
            expected = b.features(pixels, 5, 8);
            per = expected.length / 5;
        }
        try (FeatureStore s = FeatureStore.open(store)) {
            assertEquals(5, s.imageCount());
            assertEquals(2, s.layers());
            assertEquals(16, s.channels());
            assertEquals(8, s.grid());
            assertEquals("hf-vit", s.family());
            assertEquals(List.of("img0.png", "img1.png", "img2.png", "img3.png", "img_002.jpg"), s.imageNames());
            int[] order = { 4, 0, 2 };
            float[] tokens = new float[order.length * per];
            s.readTokens(order, tokens);
            for (int k = 0; k < order.length; k++) {
                for (int v = 0; v < per; v++) {
                    float e = expected[order[k] * per + v];
                    // float16 keeps 11 significant bits: half an ulp is 2^-11 relative; batching differently may
                    // move the float32 input by an ulp and the rounding by one more half ulp
                    assertEquals(e, tokens[k * per + v], Math.abs(e) * 0x1p-10 + 1e-6, "value " + v);
                }
            }
            // the FactorTopy layout is a transposition of the stored one
            float[] local = new float[order.length * 2 * 16 * 64];
            float[] global = new float[order.length * 2 * 16];
            s.read(order, local, global);
            for (int k = 0; k < order.length; k++) {
                for (int l = 0; l < 2; l++) {
                    for (int c = 0; c < 16; c++) {
                        for (int cell = 0; cell < 64; cell++) {
                            assertEquals(tokens[k * per + (l * 65 + cell) * 16 + c],
                                    local[((k * 2 + l) * 16 + c) * 64 + cell]);
                        }
                        assertEquals(tokens[k * per + (l * 65 + 64) * 16 + c], global[(k * 2 + l) * 16 + c]);
                    }
                }
            }
        }
    }

    @Test
    void readsAreTheStoredHalvesBitForBitInBothLayouts() throws IOException {
        // width 20: no multiple of the 4, 8 or 16 values a vectorised loop or a cache tile takes at a time
        int c = 20;
        int layers = 2;
        Path ckpt = checkpoint("vit20", 5, "vit", c);
        List<Path> images = images().subList(0, 4);
        Path store = dir.resolve("store20");
        new Extractor().extract(request(ckpt, images, store, OnUnreadable.STOP), new NullProgressMonitor());
        // the independent reading: the file's little-endian halves, decoded one by one
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(store.resolve(FeatureStore.DATA)))
                .order(ByteOrder.LITTLE_ENDIAN);
        int per = layers * 65 * c;
        assertEquals(4 * per * 2, raw.capacity());
        int[] order = { 3, 1, 1, 0 };
        try (FeatureStore s = FeatureStore.open(store)) {
            float[] tokens = new float[order.length * per];
            float[] local = new float[order.length * layers * c * 64];
            float[] global = new float[order.length * layers * c];
            s.readTokens(order, tokens);
            s.read(order, local, global);
            for (int b = 0; b < order.length; b++) {
                for (int l = 0; l < layers; l++) {
                    for (int t = 0; t < 65; t++) {
                        for (int k = 0; k < c; k++) {
                            int stored = order[b] * per + (l * 65 + t) * c + k;
                            int expected = Float.floatToRawIntBits(Float.float16ToFloat(raw.getShort(2 * stored)));
                            String where = "image " + order[b] + ", layer " + l + ", token " + t + ", channel " + k;
                            assertEquals(expected, Float.floatToRawIntBits(tokens[b * per + (l * 65 + t) * c + k]),
                                    where);
                            float fit = t < 64
                                    ? local[((b * layers + l) * c + k) * 64 + t]
                                    : global[(b * layers + l) * c + k];
                            assertEquals(expected, Float.floatToRawIntBits(fit), where);
                        }
                    }
                }
            }
        }
    }

    @Test
    void threadsReadTheSameValuesAndClosingEndsReading() throws Exception {
        Path ckpt = checkpoint("vit", 1, "vit");
        Path store = dir.resolve("store");
        new Extractor().extract(request(ckpt, images().subList(0, 3), store, OnUnreadable.STOP),
                new NullProgressMonitor());
        int[] order = { 2, 0, 1 };
        float[] local = new float[3 * 2 * 16 * 64];
        float[] global = new float[3 * 2 * 16];
        FeatureStore s = FeatureStore.open(store);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            s.read(order, local, global);
            // each reading thread has its own file handle and buffer: reads started together must not mix layers
            CountDownLatch start = new CountDownLatch(3);
            List<Future<float[]>> reads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                reads.add(pool.submit(() -> {
                    float[] l = new float[local.length];
                    start.countDown();
                    start.await();
                    for (int repeat = 0; repeat < 500; repeat++) {
                        s.read(order, l, new float[global.length]);
                    }
                    return l;
                }));
            }
            for (Future<float[]> read : reads) {
                assertArrayEquals(local, read.get());
            }
        } finally {
            pool.shutdown();
            s.close();
        }
        assertThrows(IllegalStateException.class, () -> s.read(order, local, global));
    }

    /** A monitor that asks to cancel once a number of batches have reported their progress line. */
    private static final class CancelAfter extends NullProgressMonitor {

        private final int batches;
        private int seen;

        CancelAfter(int batches) {
            this.batches = batches;
        }

        @Override
        public void subTask(String name) {
            if (name.contains("images/s")) {
                seen++;
            }
        }

        @Override
        public boolean isCanceled() {
            return seen >= batches;
        }
    }

    @Test
    void interruptedExtractionResumesAndLeavesWrittenImagesUntouched() throws IOException {
        Path ckpt = checkpoint("vit", 1, "vit");
        List<Path> images = images();
        Path store = dir.resolve("store");
        // cancel after the first batch of 2 images
        assertThrows(OperationCanceledException.class,
                () -> new Extractor().extract(request(ckpt, images, store, OnUnreadable.STOP), new CancelAfter(1)));
        byte[] completion = Files.readAllBytes(store.resolve(FeatureStore.COMPLETION));
        int done = 0;
        for (byte b : completion) {
            done += b == 1 ? 1 : 0;
        }
        assertTrue(done > 0 && done < 5, "a partial store, " + done + " done");
        var e = assertThrows(FeatureStoreException.class, () -> FeatureStore.open(store));
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
        byte[] before = Files.readAllBytes(store.resolve(FeatureStore.DATA));
        Extractor.Result resumed = new Extractor().extract(request(ckpt, images, store, OnUnreadable.STOP),
                new NullProgressMonitor());
        assertEquals(done, resumed.previouslyDone());
        assertEquals(5 - done, resumed.extracted());
        byte[] after = Files.readAllBytes(store.resolve(FeatureStore.DATA));
        int bytesPerImage = before.length / 5;
        for (int i = 0; i < 5; i++) {
            if (completion[i] == 1) {
                assertArrayEquals(Arrays.copyOfRange(before, i * bytesPerImage, (i + 1) * bytesPerImage),
                        Arrays.copyOfRange(after, i * bytesPerImage, (i + 1) * bytesPerImage), "image " + i);
            }
        }
        // and the result is what an uninterrupted run writes (same batches, same numbers)
        Path fresh = dir.resolve("fresh");
        new Extractor().extract(request(ckpt, images, fresh, OnUnreadable.STOP), new NullProgressMonitor());
        assertArrayEquals(Files.readAllBytes(fresh.resolve(FeatureStore.DATA)), after);
        // a finished store is not redone
        Extractor.Result again = new Extractor().extract(request(ckpt, images, store, OnUnreadable.STOP),
                new NullProgressMonitor());
        assertEquals(0, again.extracted());
        assertEquals(5, again.previouslyDone());
    }

    @Test
    void changedImageIsNamed() throws IOException {
        Path ckpt = checkpoint("vit", 1, "vit");
        List<Path> images = images();
        Path store = dir.resolve("store");
        new Extractor().extract(request(ckpt, images, store, OnUnreadable.STOP), new NullProgressMonitor());
        BufferedImage img = new BufferedImage(5, 5, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(img, "png", images.get(1).toFile());
        var e = assertThrows(FeatureStoreException.class, () -> new Extractor().extract(request(ckpt, images, store,
                OnUnreadable.STOP), new NullProgressMonitor()));
        assertTrue(e.getMessage().contains("img1.png changed") && e.getMessage().contains(store.toString()),
                e.getMessage());
    }

    @Test
    void changedCheckpointOrAnotherBackboneIsRefused() throws IOException {
        Path ckpt = checkpoint("vit", 1, "vit");
        List<Path> images = images().subList(0, 2);
        Path store = dir.resolve("store");
        new Extractor().extract(request(ckpt, images, store, OnUnreadable.STOP), new NullProgressMonitor());
        Path retrained = checkpoint("vit2", 2, "vit");
        var e = assertThrows(FeatureStoreException.class, () -> new Extractor().extract(request(retrained, images,
                store, OnUnreadable.STOP), new NullProgressMonitor()));
        assertTrue(e.getMessage().contains("checkpoint changed"), e.getMessage());
        Path mae = checkpoint("mae", 1, "vit_mae");
        // same weights, other model type: same family, same hash, so the same features
        assertEquals(0, new Extractor().extract(request(mae, images, store, OnUnreadable.STOP),
                new NullProgressMonitor()).extracted());
        Path otherImages = dir.resolve("store");
        var list = assertThrows(FeatureStoreException.class, () -> new Extractor().extract(request(ckpt,
                images().subList(1, 3), otherImages, OnUnreadable.STOP), new NullProgressMonitor()));
        assertTrue(list.getMessage().contains("another image list"), list.getMessage());
    }

    @Test
    void storeOfAnotherFamilyIsRefused() throws IOException {
        Path ckpt = checkpoint("vit", 1, "vit");
        List<Path> images = images().subList(0, 2);
        Path store = dir.resolve("store");
        new Extractor().extract(request(ckpt, images, store, OnUnreadable.STOP), new NullProgressMonitor());
        // the same store asked for with a dinov2 reading of the weights: refused by family, before any work
        Path dinov2 = dir.resolve("dinov2");
        Files.createDirectories(dinov2);
        LinkedHashMap<String, FloatTensor> renamed = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(ckpt.resolve("model.safetensors"))) {
            for (String n : f.names()) {
                renamed.put(n.replace("layernorm_before", "norm1").replace("layernorm_after", "norm2")
                        .replace("intermediate.dense", "mlp.fc1").replace("output.dense", "mlp.fc2")
                        .replace("attention.mlp.fc2", "attention.output.dense"),
                        new FloatTensor(f.info(n).shape(), f.readFloats(n)));
            }
        }
        for (int l = 0; l < 2; l++) {
            float[] ones = new float[16];
            Arrays.fill(ones, 1);
            renamed.put("encoder.layer." + l + ".layer_scale1.lambda1", new FloatTensor(new long[] { 16 }, ones));
            renamed.put("encoder.layer." + l + ".layer_scale2.lambda1", new FloatTensor(new long[] { 16 }, ones));
        }
        SafetensorsWriter.write(dinov2.resolve("model.safetensors"), renamed, Map.of());
        Files.writeString(dinov2.resolve("config.json"), "{\"model_type\": \"dinov2\", \"hidden_size\": 16,"
                + " \"num_hidden_layers\": 2, \"num_attention_heads\": 2, \"mlp_ratio\": 2, \"image_size\": 16,"
                + " \"patch_size\": 4, \"num_channels\": 3}");
        var e = assertThrows(FeatureStoreException.class, () -> new Extractor().extract(new Extractor.Request(dinov2,
                "dinov2", images, store, 2, DevicePreference.CPU, 16, false, OnUnreadable.STOP),
                new NullProgressMonitor()));
        assertTrue(e.getMessage().contains("'hf-vit'") && e.getMessage().contains("'dinov2'"), e.getMessage());
    }

    /**
     * The position rule is part of what the features are: recorded in the manifest, and resuming with the other one
     * is refused in one sentence naming both, before any image is extracted again.
     */
    @Test
    void positionRuleIsRecordedAndAMismatchRefused() throws IOException {
        Path dinov2 = ReferenceFixtures.copy("dinov2", dir, "config.json", "model.safetensors");
        List<Path> images = images().subList(0, 2);
        Path store = dir.resolve("store");
        Extractor.Request hub = new Extractor.Request(dinov2, "auto", images, store, 2, DevicePreference.CPU, 16,
                false, PositionInterpolation.TORCH_HUB, OnUnreadable.STOP);
        assertEquals(2, new Extractor().extract(hub, new NullProgressMonitor()).extracted());
        String manifest = Files.readString(store.resolve(FeatureStore.MANIFEST));
        assertTrue(manifest.contains("\"positionInterpolation\": \"torch-hub\""), manifest);
        assertEquals(0, new Extractor().extract(hub, new NullProgressMonitor()).extracted());
        Extractor.Request huggingFace = new Extractor.Request(dinov2, "auto", images, store, 2, DevicePreference.CPU,
                16, false, OnUnreadable.STOP);
        var e = assertThrows(FeatureStoreException.class, () -> new Extractor().extract(huggingFace,
                new NullProgressMonitor()));
        assertTrue(e.getMessage().contains("torch-hub position embedding rule, not huggingface")
                && e.getMessage().contains(store.toString()), e.getMessage());
        // a store made before the rule was recorded was made with Hugging Face's
        String older = manifest.replaceAll(",\\s*\"positionInterpolation\": \"torch-hub\"", "");
        assertFalse(older.contains("positionInterpolation"), older);
        Files.writeString(store.resolve(FeatureStore.MANIFEST), older);
        assertEquals(0, new Extractor().extract(huggingFace, new NullProgressMonitor()).extracted());
    }

    @Test
    void unreadableImageStopsOrIsSkipped() throws IOException {
        Path ckpt = checkpoint("vit", 1, "vit");
        List<Path> images = new ArrayList<>(images().subList(0, 3));
        Path broken = dir.resolve("images").resolve("broken.png");
        Files.writeString(broken, "this is not a picture");
        images.add(1, broken);
        var e = assertThrows(ImageReadException.class, () -> new Extractor().extract(request(ckpt, images,
                dir.resolve("stop"), OnUnreadable.STOP), new NullProgressMonitor()));
        assertTrue(e.getMessage().startsWith(broken.toString()), e.getMessage());
        Path store = dir.resolve("skip");
        Extractor.Result r = new Extractor().extract(request(ckpt, images, store, OnUnreadable.SKIP),
                new NullProgressMonitor());
        assertEquals(1, r.skipped());
        assertEquals(3, r.extracted());
        try (FeatureStore s = FeatureStore.open(store)) {
            assertTrue(s.isSkipped(1));
            assertFalse(s.isSkipped(0));
            assertArrayEquals(new int[] { 0, 2, 3 }, s.usableImages());
            assertTrue(s.skippedImages().get("broken.png").contains("broken.png"));
            var read = assertThrows(IllegalArgumentException.class,
                    () -> s.read(new int[] { 1 }, new float[2 * 16 * 64], new float[2 * 16]));
            assertTrue(read.getMessage().contains("broken.png"), read.getMessage());
        }
    }

    @Test
    void npzExportHoldsTheFloat32FeaturesAndNames() throws IOException {
        Path ckpt = checkpoint("vit", 1, "vit");
        List<Path> images = images().subList(0, 3);
        Path store = dir.resolve("store");
        new Extractor().extract(request(ckpt, images, store, OnUnreadable.STOP), new NullProgressMonitor());
        Path npz = dir.resolve("features.npz");
        float[] local = new float[3 * 2 * 16 * 64];
        float[] global = new float[3 * 2 * 16];
        try (FeatureStore s = FeatureStore.open(store)) {
            s.exportNpz(npz, new NullProgressMonitor());
            s.read(new int[] { 0, 1, 2 }, local, global);
        }
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            // the float arrays read back with the io bundle's .npy reader, checked against files NumPy wrote (its
            // .npz reader refuses string arrays, so the entries are read one by one)
            Path localNpy = dir.resolve("local.npy");
            Files.write(localNpy, zip.getInputStream(zip.getEntry("local.npy")).readAllBytes());
            Path globalNpy = dir.resolve("global.npy");
            Files.write(globalNpy, zip.getInputStream(zip.getEntry("global.npy")).readAllBytes());
            NpyArray localArray = Npy.read(localNpy);
            NpyArray globalArray = Npy.read(globalNpy);
            assertArrayEquals(new int[] { 3, 2, 16, 8, 8 }, localArray.shape());
            assertArrayEquals(new int[] { 3, 2, 16 }, globalArray.shape());
            assertArrayEquals(local, localArray.toFloatArray());
            assertArrayEquals(global, globalArray.toFloatArray());
            byte[] names = zip.getInputStream(zip.getEntry("names.npy")).readAllBytes();
            int headerLength = ByteBuffer.wrap(names, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
            String header = new String(names, 10, headerLength, StandardCharsets.ISO_8859_1);
            assertTrue(header.contains("'descr': '<U8'") && header.contains("'shape': (3,)"), header);
            assertEquals(0, (10 + headerLength) % 64);
            String decoded = new String(names, 10 + headerLength, names.length - 10 - headerLength,
                    Charset.forName("UTF-32LE"));
            assertEquals("img0.pngimg1.pngimg2.png", decoded);
        }
    }
}
