package org.brainalign.io.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.npy.NpyArray;
import org.brainalign.io.npy.Npz;
import org.brainalign.io.safetensors.FloatTensor;
import org.brainalign.io.safetensors.SafetensorsFile;
import org.brainalign.io.safetensors.SafetensorsWriter;
import org.brainalign.io.subject.SubjectDescription;
import org.brainalign.io.subject.TrialTable;
import org.brainalign.io.torch.TorchCheckpoint;
import org.brainalign.io.torch.TorchTensor;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The fuzz campaign kept in the suite: seeded mutants of every kind of file a user hands the tool (NIfTI header
 * fields, gzip streams and truncations; .npy and .npz; safetensors; PyTorch checkpoints in the zip and the legacy
 * container (pickle opcodes, storage sizes and offsets, zip entries, truncations); subject.json and trials.csv;
 * the engine's config.json has its own campaign in the engine's tests). Every case must
 * end, within a time and an allocation bound, either with a reading or with one sentence naming the file; where the
 * mutation cannot change the meaning (a text field, a gzip stream protected by its CRC, a zip entry by its CRC) a
 * reading must be nibabel's reading of the original (reference-nibabel.json) or the original arrays. The count and
 * the seed are system properties (brainalign.fuzz.cases, brainalign.fuzz.seed): the suite runs a few hundred
 * cases; releng/fuzz runs as many as asked.
 */
class InputFuzzTest {

    private static final int CASES = Integer.getInteger("brainalign.fuzz.cases", 420);
    private static final long SEED = Long.getLong("brainalign.fuzz.seed", 20261207L);
    /** A case reads files of at most 350 KB: a few seconds is generous even on a loaded 2-core machine. */
    private static final Duration TIME_PER_CASE = Duration.ofSeconds(10);
    /** Allocation per case: the largest seed decodes to a few MB, so 256 MB only fails on a header that lies. */
    private static final long BYTES_PER_CASE = 256L << 20;
    /** nibabel's sums are float64 over the same values, added in another order. */
    private static final double SUM_TOLERANCE = 1e-6;
    private static final double AFFINE_TOLERANCE = 2e-6;

    private static final String[] NIFTI_SEEDS = { "anatomical.nii", "resampled_anat_moved.nii", "standard.nii.gz",
            "example_nifti2.nii.gz", "functional.nii" };

    /** Fields of the NIfTI-1 header no reader needs: changing them never changes the reading. */
    private static final int[][] NEUTRAL_NIFTI1 = { { 4, 28 }, { 39, 1 }, { 56, 12 }, { 124, 24 }, { 140, 8 },
            { 148, 104 }, { 328, 16 } };
    /** Offsets and sizes of the NIfTI-1 header's numeric fields, and the values a hostile file puts there. */
    private static final int[][] FIELDS_NIFTI1 = { { 0, 4 }, { 40, 2 }, { 42, 2 }, { 44, 2 }, { 46, 2 }, { 48, 2 },
            { 68, 2 }, { 70, 2 }, { 72, 2 }, { 76, 4 }, { 80, 4 }, { 84, 4 }, { 88, 4 }, { 108, 4 }, { 112, 4 },
            { 116, 4 }, { 252, 2 }, { 254, 2 }, { 256, 4 }, { 260, 4 }, { 264, 4 }, { 268, 4 }, { 280, 4 },
            { 296, 4 }, { 312, 4 }, { 344, 4 } };
    private static final double[] HOSTILE = { 0, -1, 1, 2, 7, 8, 999, -32768, 32767, 1e9, -1e9, 351, 352, 353,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-30, 0.5, Integer.MAX_VALUE };

    private static JsonObject reference;
    private static Method allocatedBytes;

    @TempDir
    Path dir;

    @BeforeAll
    static void readReference() throws Exception {
        try (Reader r = Files.newBufferedReader(nifti("reference-nibabel.json"))) {
            reference = JsonParser.parseReader(r).getAsJsonObject();
        }
        // the JDK's own extension of the thread bean, from the platform class loader (the test bundle's loader
        // does not see com.sun.management)
        Class<?> bean = ClassLoader.getPlatformClassLoader().loadClass("com.sun.management.ThreadMXBean");
        allocatedBytes = bean.getMethod("getCurrentThreadAllocatedBytes");
    }

    private static Path nifti(String name) {
        return SharedData.nifti(name);
    }

    private static JsonObject referenceOf(String name) {
        for (JsonElement e : reference.getAsJsonArray("files")) {
            if (e.getAsJsonObject().get("file").getAsString().equals(name)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError(name + " is not in reference-nibabel.json");
    }

    /** What a case expects of a reading that succeeds. */
    private enum Expect {
        /** the reading of the original (the mutation cannot change the meaning) */
        ORIGINAL,
        /** any reading (the mutation may change the meaning legitimately) */
        ANY,
        /** no reading: the file lost data, so it must be refused */
        FAILURE
    }

    @FunctionalInterface
    private interface Check {

        void run() throws Exception;
    }

    private record Outcome(String kind, int reads, int refusals) {
    }

    @Test
    void everyMutantEndsInAReadingOrOneSentence() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        int reads = 0, refusals = 0;
        Map<String, int[]> byKind = new LinkedHashMap<>();
        for (int n = 0; n < CASES; n++) {
            long caseSeed = random.nextLong();
            String kind;
            Outcome o;
            switch (n % 7) {
                case 0, 1 -> o = niftiCase(n, new SplittableRandom(caseSeed));
                case 2 -> o = npyCase(n, new SplittableRandom(caseSeed));
                case 3 -> o = npzCase(n, new SplittableRandom(caseSeed));
                case 4 -> o = safetensorsCase(n, new SplittableRandom(caseSeed));
                case 5 -> o = checkpointCase(n, new SplittableRandom(caseSeed));
                default -> o = subjectCase(n, new SplittableRandom(caseSeed));
            }
            kind = o.kind();
            reads += o.reads();
            refusals += o.refusals();
            int[] k = byKind.computeIfAbsent(kind, x -> new int[2]);
            k[0] += o.reads();
            k[1] += o.refusals();
        }
        assertEquals(CASES, reads + refusals);
        // the campaign must exercise both outcomes, or its mutators have gone blind
        assertTrue(reads > CASES / 10 && refusals > CASES / 10, "reads " + reads + ", refusals " + refusals);
    }

    /**
     * Runs one case within the bounds: a reading must satisfy the check, a refusal must be an IOException whose
     * message is one sentence naming the file.
     */
    private Outcome run(String kind, int n, Path file, Expect expect, Check read) {
        String what = "case " + n + " (" + kind + ", seed " + SEED + ")";
        boolean[] refused = { false };
        assertTimeoutPreemptively(TIME_PER_CASE, () -> {
            long before = (Long) allocatedBytes.invoke(ManagementFactory.getThreadMXBean());
            try {
                read.run();
            } catch (IOException e) {
                refused[0] = true;
                try {
                    HostileInputTest.assertUserSentence(e, file);
                } catch (AssertionError bad) {
                    throw new AssertionError(what + ": " + bad.getMessage(), e);
                }
            } catch (RuntimeException | AssertionError e) {
                if (e instanceof AssertionError) {
                    throw new AssertionError(what + ": " + e.getMessage(), e);
                }
                throw new AssertionError(what + ": " + e + " escaped instead of a sentence naming " + file, e);
            }
            long used = (Long) allocatedBytes.invoke(ManagementFactory.getThreadMXBean()) - before;
            assertTrue(used < BYTES_PER_CASE, what + " allocated " + used + " bytes");
        }, what + " took too long");
        if (!refused[0] && expect == Expect.FAILURE) {
            fail(what + ": " + file + " lost data but was read");
        }
        return new Outcome(kind, refused[0] ? 0 : 1, refused[0] ? 1 : 0);
    }

    // ------------------------------------------------------------------ NIfTI

    private Outcome niftiCase(int n, SplittableRandom r) throws IOException {
        String seed = NIFTI_SEEDS[r.nextInt(NIFTI_SEEDS.length)];
        byte[] original = Files.readAllBytes(nifti(seed));
        boolean gz = seed.endsWith(".gz");
        byte[] plain = gz ? gunzip(original) : original;
        boolean nifti1 = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN).getInt(0) == 348
                || ByteBuffer.wrap(plain).order(ByteOrder.BIG_ENDIAN).getInt(0) == 348;
        byte[] mutant;
        Expect expect;
        String kind;
        int choice = r.nextInt(nifti1 ? 5 : 3);
        if (choice == 0) {
            kind = "nifti truncation";
            mutant = java.util.Arrays.copyOf(original, r.nextInt(original.length));
            expect = Expect.FAILURE;
        } else if (choice == 1) {
            kind = gz ? "nifti gzip stream" : "nifti byte";
            mutant = original.clone();
            int at = r.nextInt(mutant.length);
            mutant[at] ^= (byte) (1 << r.nextInt(8));
            // in a gzip, everything after the flags is checked by the CRC, except mtime, extra flags and OS
            expect = gz ? (at >= 4 && at <= 9 ? Expect.ORIGINAL : at < 4 ? Expect.ANY : Expect.ORIGINAL) : Expect.ANY;
            if (!gz && isNeutral(at, nifti1)) {
                expect = Expect.ORIGINAL;
            }
        } else if (choice == 2) {
            kind = "nifti bytes";
            mutant = original.clone();
            int from = r.nextInt(mutant.length);
            for (int i = from; i < Math.min(mutant.length, from + 1 + r.nextInt(64)); i++) {
                mutant[i] = (byte) r.nextInt(256);
            }
            expect = Expect.ANY;
        } else if (choice == 3) {
            kind = "nifti header field";
            byte[] p = plain.clone();
            int[] field = FIELDS_NIFTI1[r.nextInt(FIELDS_NIFTI1.length)];
            ByteOrder order = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).getInt(0) == 348
                    ? ByteOrder.LITTLE_ENDIAN
                    : ByteOrder.BIG_ENDIAN;
            ByteBuffer b = ByteBuffer.wrap(p).order(order);
            double v = HOSTILE[r.nextInt(HOSTILE.length)];
            boolean floatField = field[0] >= 76 && field[0] < 140 || field[0] >= 256 && field[0] < 328;
            if (field[1] == 2) {
                b.putShort(field[0], (short) v);
            } else if (floatField) {
                b.putFloat(field[0], (float) v);
            } else {
                b.putInt(field[0], (int) v);
            }
            mutant = gz ? gzip(p) : p;
            expect = Expect.ANY;
        } else {
            kind = "nifti neutral field";
            byte[] p = plain.clone();
            int[] field = NEUTRAL_NIFTI1[r.nextInt(NEUTRAL_NIFTI1.length)];
            for (int i = 0; i < field[1]; i++) {
                p[field[0] + i] = (byte) r.nextInt(256);
            }
            mutant = gz ? gzip(p) : p;
            expect = Expect.ORIGINAL;
        }
        Path file = Files.write(dir.resolve("m" + n + "-" + seed), mutant);
        JsonObject ref = referenceOf(seed);
        boolean sameAsOriginal = expect == Expect.ORIGINAL;
        return run(kind, n, file, expect, () -> {
            NiftiImage image = NiftiImage.read(file);
            if (sameAsOriginal) {
                double sum = ref.get("scaled_sum").getAsDouble();
                assertEquals(sum, image.statistics().sum(), SUM_TOLERANCE * Math.max(1, Math.abs(sum)),
                        "the sum nibabel reads");
                for (int row = 0; row < 3; row++) {
                    for (int col = 0; col < 4; col++) {
                        assertEquals(ref.getAsJsonArray("nibabel_affine").get(row).getAsJsonArray().get(col)
                                .getAsDouble(), image.header().affine().get(row, col), AFFINE_TOLERANCE,
                                "nibabel's affine");
                    }
                }
            }
        });
    }

    private static boolean isNeutral(int at, boolean nifti1) {
        if (!nifti1) {
            return false;
        }
        for (int[] f : NEUTRAL_NIFTI1) {
            if (at >= f[0] && at < f[0] + f[1]) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ NumPy

    private static NpyArray[] npySeeds() {
        float[] f = new float[60];
        double[] d = new double[35];
        int[] i = new int[24];
        for (int k = 0; k < f.length; k++) {
            f[k] = k * 0.25f - 3;
        }
        for (int k = 0; k < d.length; k++) {
            d[k] = Math.sin(k);
        }
        for (int k = 0; k < i.length; k++) {
            i[k] = k * 1000 - 7;
        }
        return new NpyArray[] { NpyArray.ofFloats(f, 3, 4, 5), NpyArray.ofDoubles(d, 5, 7), NpyArray.ofInts(i, 24) };
    }

    private Outcome npyCase(int n, SplittableRandom r) throws IOException {
        NpyArray seed = npySeeds()[r.nextInt(3)];
        Path original = dir.resolve("seed" + n + ".npy");
        Npy.write(original, seed);
        byte[] mutant = Files.readAllBytes(original);
        int headerEnd = 10 + ByteBuffer.wrap(mutant).order(ByteOrder.LITTLE_ENDIAN).getShort(8);
        Expect expect;
        String kind;
        switch (r.nextInt(3)) {
            case 0 -> {
                kind = "npy truncation";
                mutant = java.util.Arrays.copyOf(mutant, r.nextInt(mutant.length));
                expect = Expect.FAILURE;
            }
            case 1 -> {
                kind = "npy header";
                String[] tokens = { "'<f4'", "'>f8'", "'|O'", "'<c8'", "True", "(1000000000000, 1000000000000)",
                        "(-1,)", "()", "{", "}", "'", ",", "0", "\u0000", "(3, 4, 5, 6)", "'<U8'", "'<i8'" };
                String text = new String(mutant, 10, headerEnd - 10, StandardCharsets.ISO_8859_1);
                int at = r.nextInt(text.length());
                String t = tokens[r.nextInt(tokens.length)];
                String changed = (text.substring(0, at) + t + text.substring(Math.min(text.length(), at + t
                        .length())));
                changed = changed.substring(0, text.length());
                byte[] h = changed.getBytes(StandardCharsets.ISO_8859_1);
                System.arraycopy(h, 0, mutant, 10, h.length);
                if (r.nextInt(4) == 0) {
                    mutant[r.nextInt(10)] ^= (byte) (1 << r.nextInt(8)); // the magic, version or length
                }
                expect = Expect.ANY;
            }
            default -> {
                kind = "npy data";
                int at = headerEnd + r.nextInt(mutant.length - headerEnd);
                mutant[at] ^= (byte) (1 << r.nextInt(8));
                expect = Expect.ANY;
            }
        }
        Path file = Files.write(dir.resolve("m" + n + ".npy"), mutant);
        int[] shape = seed.shape();
        return run(kind, n, file, expect, () -> {
            NpyArray a = Npy.read(file);
            if (kind.equals("npy data")) {
                assertArrayEquals(shape, a.shape(), "a flipped data byte leaves the shape");
            }
        });
    }

    private Outcome npzCase(int n, SplittableRandom r) throws IOException {
        NpyArray[] seeds = npySeeds();
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("a", seeds[0]);
        arrays.put("b", seeds[1]);
        Path original = dir.resolve("seed" + n + ".npz");
        Npz.write(original, arrays, r.nextBoolean());
        byte[] mutant = Files.readAllBytes(original);
        Expect expect;
        String kind;
        if (r.nextInt(3) == 0) {
            kind = "npz truncation";
            mutant = java.util.Arrays.copyOf(mutant, r.nextInt(mutant.length));
            expect = Expect.FAILURE;
        } else {
            kind = "npz byte";
            mutant[r.nextInt(mutant.length)] ^= (byte) (1 << r.nextInt(8));
            // entry data are checked by their CRC; what else a flip may change (a name, a time) leaves the values
            expect = Expect.ORIGINAL;
        }
        Path file = Files.write(dir.resolve("m" + n + ".npz"), mutant);
        return run(kind, n, file, expect, () -> {
            Map<String, NpyArray> read = Npz.read(file);
            List<NpyArray> wanted = new ArrayList<>(arrays.values());
            for (NpyArray a : read.values()) {
                boolean found = false;
                for (NpyArray w : wanted) {
                    found |= java.util.Arrays.equals(w.shape(), a.shape())
                            && java.util.Arrays.equals(w.toDoubleArray(), a.toDoubleArray());
                }
                assertTrue(found, "every array read is one of those written");
            }
        });
    }

    // ------------------------------------------------------------------ safetensors

    private Outcome safetensorsCase(int n, SplittableRandom r) throws IOException {
        LinkedHashMap<String, FloatTensor> tensors = new LinkedHashMap<>();
        tensors.put("weight", new FloatTensor(new long[] { 4, 3 }, new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                12 }));
        tensors.put("bias", new FloatTensor(new long[] { 4 }, new float[] { -1, 0, 1, 2 }));
        Path original = dir.resolve("seed" + n + ".safetensors");
        SafetensorsWriter.write(original, tensors, Map.of("format", "pt"));
        byte[] mutant = Files.readAllBytes(original);
        int headerLength = (int) ByteBuffer.wrap(mutant).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        Expect expect;
        String kind;
        switch (r.nextInt(4)) {
            case 0 -> {
                kind = "safetensors truncation";
                mutant = java.util.Arrays.copyOf(mutant, r.nextInt(mutant.length));
                expect = Expect.FAILURE;
            }
            case 1 -> {
                kind = "safetensors length";
                long[] lengths = { 0, 1, headerLength - 1, headerLength + 1, mutant.length, Long.MAX_VALUE, -1,
                        1L << 40 };
                ByteBuffer.wrap(mutant).order(ByteOrder.LITTLE_ENDIAN).putLong(0, lengths[r.nextInt(lengths.length)]);
                expect = Expect.ANY;
            }
            case 2 -> {
                kind = "safetensors header";
                String[] tokens = { "\"F16\"", "\"BF16\"", "\"I64\"", "\"X9\"", "[0, 999999999999]", "[-1]", "[]",
                        "{", "}", "\"", ",", "null", "1e400", "\"weight\"", "[4, 3, 2]", "\u00e9" };
                String text = new String(mutant, 8, headerLength, StandardCharsets.ISO_8859_1);
                int at = r.nextInt(text.length());
                String t = tokens[r.nextInt(tokens.length)];
                String changed = (text.substring(0, at) + t + text.substring(Math.min(text.length(), at + t
                        .length()))).substring(0, text.length());
                System.arraycopy(changed.getBytes(StandardCharsets.ISO_8859_1), 0, mutant, 8, headerLength);
                expect = Expect.ANY;
            }
            default -> {
                kind = "safetensors data";
                int at = 8 + headerLength + r.nextInt(mutant.length - 8 - headerLength);
                mutant[at] ^= (byte) (1 << r.nextInt(8));
                expect = Expect.ANY;
            }
        }
        Path file = Files.write(dir.resolve("m" + n + ".safetensors"), mutant);
        return run(kind, n, file, expect, () -> {
            try (SafetensorsFile st = SafetensorsFile.open(file)) {
                for (String name : st.names()) {
                    st.readFloats(name);
                }
            }
        });
    }

    // ------------------------------------------------------------------ PyTorch checkpoints

    /** A zip checkpoint, its legacy twin, and a zip whose state dict is nested in a dict (MAE's). */
    private static final String[] CHECKPOINT_SEEDS = { "torchvision_vit/vit_state_dict.pth",
            "torchvision_vit/vit_state_dict_legacy_format.pth", "mae_vit/mae_pretrain_vit_base.pth" };
    /** The legacy seed's pickles (magic, protocol, system information, object, keys) end within its first 9 KB. */
    private static final int LEGACY_PICKLES = 9000;
    /** Opcodes that change a pickle's meaning most: globals, calls, memo, marks, stop, persistent ids. */
    private static final byte[] OPCODES = { 'c', (byte) 0x93, 'R', (byte) 0x81, 'b', 'h', 'j', 'q', 'r', '(', ')',
            '.', '0', '2', 'Q', 'P', 'e', 'a', 's', 'u', 't', ']', '}', 'N', 'K', 'M', 'J', (byte) 0x8a, 'X', 'U',
            (byte) 0x88, (byte) 0x89, (byte) 0x85, (byte) 0x86, (byte) 0x87, 0, (byte) 0xff };
    /** Integers a lying pickle puts where sizes, offsets, strides and storage lengths are. */
    private static final int[] HOSTILE_INTS = { 0, 1, -1, 2, 7, 767, 768, 769, 1 << 20, 1 << 30, Integer.MAX_VALUE,
            Integer.MIN_VALUE, -768 };

    private static final Map<String, Map<String, float[]>> CHECKPOINT_READINGS = new LinkedHashMap<>();

    private static Path checkpoint(String name) {
        return Path.of(System.getProperty("brainalign.testdata"), "checkpoints", name);
    }

    /** The unmutated file's tensors, read once: every reading of a mutant whose meaning cannot change equals it. */
    private static synchronized Map<String, float[]> readingOf(String seed) throws IOException {
        Map<String, float[]> known = CHECKPOINT_READINGS.get(seed);
        if (known == null) {
            known = readAll(checkpoint(seed));
            CHECKPOINT_READINGS.put(seed, known);
        }
        return known;
    }

    /** Reads every tensor, checking that the elements read agree with the shape listed. */
    private static Map<String, float[]> readAll(Path file) throws IOException {
        Map<String, float[]> read = new LinkedHashMap<>();
        try (TorchCheckpoint c = TorchCheckpoint.open(file)) {
            for (Map.Entry<String, TorchTensor> t : c.tensors().entrySet()) {
                float[] values = c.readFloats(t.getKey());
                long count = 1;
                for (long d : t.getValue().shape()) {
                    count *= d;
                }
                assertEquals(count, values.length, t.getKey() + ": elements read against its shape");
                read.put(t.getKey(), values);
            }
        }
        return read;
    }

    private Outcome checkpointCase(int n, SplittableRandom r) throws IOException {
        String seed = CHECKPOINT_SEEDS[r.nextInt(CHECKPOINT_SEEDS.length)];
        byte[] original = Files.readAllBytes(checkpoint(seed));
        boolean legacy = seed.contains("legacy");
        byte[] mutant;
        Expect expect;
        String kind;
        int choice = r.nextInt(legacy ? 4 : 6);
        if (choice == 0) {
            kind = "checkpoint truncation";
            mutant = java.util.Arrays.copyOf(original, r.nextInt(original.length));
            expect = Expect.FAILURE;
        } else if (choice == 1) {
            kind = "checkpoint byte";
            mutant = original.clone();
            mutant[r.nextInt(mutant.length)] ^= (byte) (1 << r.nextInt(8));
            // a zip's entries are checked by their CRC-32s; whatever else a flip changes (a name, a time, an
            // offset) is refused or leaves the tensors; the legacy container has no checksum
            expect = legacy ? Expect.ANY : Expect.ORIGINAL;
        } else if (legacy) {
            // the legacy container has no checksum: its pickles are mutated in place
            kind = choice == 2 ? "checkpoint pickle opcode" : "checkpoint pickle integer";
            byte[] region = java.util.Arrays.copyOf(original, LEGACY_PICKLES);
            byte[] changed = choice == 2 ? mutateOpcode(region, r) : mutateInteger(region, r);
            mutant = new byte[changed.length + original.length - LEGACY_PICKLES];
            System.arraycopy(changed, 0, mutant, 0, changed.length);
            System.arraycopy(original, LEGACY_PICKLES, mutant, changed.length, original.length - LEGACY_PICKLES);
            expect = Expect.ANY;
        } else {
            Map<String, byte[]> entries = zipEntries(checkpoint(seed));
            String pickle = entries.keySet().stream().filter(e -> e.endsWith("/data.pkl")).findFirst().orElseThrow();
            String prefix = pickle.substring(0, pickle.length() - "data.pkl".length());
            if (choice == 2) {
                kind = "checkpoint pickle opcode";
                entries.put(pickle, mutateOpcode(entries.get(pickle), r));
                expect = Expect.ANY;
            } else if (choice == 3) {
                kind = "checkpoint pickle integer";
                entries.put(pickle, mutateInteger(entries.get(pickle), r));
                expect = Expect.ANY;
            } else if (choice == 4) {
                kind = "checkpoint pickle truncation";
                byte[] p = entries.get(pickle);
                entries.put(pickle, java.util.Arrays.copyOf(p, r.nextInt(p.length)));
                expect = Expect.FAILURE;
            } else {
                List<String> storages = entries.keySet().stream().filter(e -> e.startsWith(prefix + "data/"))
                        .toList();
                String victim = storages.get(r.nextInt(storages.size()));
                switch (r.nextInt(4)) {
                    case 0 -> {
                        kind = "checkpoint zip entry missing";
                        entries.remove(victim);
                        expect = Expect.FAILURE;
                    }
                    case 1 -> {
                        kind = "checkpoint zip entry short";
                        byte[] s = entries.get(victim);
                        entries.put(victim, java.util.Arrays.copyOf(s, r.nextInt(s.length)));
                        expect = Expect.FAILURE;
                    }
                    case 2 -> {
                        kind = "checkpoint zip byteorder";
                        String[] orders = { "little", "big", "middle", "", "little\n", "\u0000" };
                        entries.put(prefix + "byteorder", orders[r.nextInt(orders.length)].getBytes(
                                StandardCharsets.ISO_8859_1));
                        expect = Expect.ANY;
                    }
                    default -> {
                        kind = "checkpoint zip entry renamed";
                        byte[] s = entries.remove(victim);
                        String[] names = { victim + "0", prefix + "data/../" + victim, "data/x", prefix + "DATA/0",
                                prefix + "data.pkl" };
                        entries.put(names[r.nextInt(names.length)], s);
                        expect = Expect.ANY;
                    }
                }
            }
            mutant = zip(entries);
        }
        Path file = Files.write(dir.resolve("m" + n + "-" + Path.of(seed).getFileName()), mutant);
        Map<String, float[]> reference = readingOf(seed);
        boolean sameAsOriginal = expect == Expect.ORIGINAL;
        return run(kind, n, file, expect, () -> {
            Map<String, float[]> read = readAll(file);
            if (sameAsOriginal) {
                assertEquals(reference.keySet(), read.keySet(), "the tensors of " + seed);
                for (String name : reference.keySet()) {
                    assertArrayEquals(reference.get(name), read.get(name), name);
                }
            }
        });
    }

    /** Overwrites, inserts or deletes one opcode, or plants a call of os.system. */
    private static byte[] mutateOpcode(byte[] pickle, SplittableRandom r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = r.nextInt(pickle.length);
        out.write(pickle, 0, at);
        switch (r.nextInt(4)) {
            case 0 -> {
                out.write(OPCODES[r.nextInt(OPCODES.length)]);
                out.write(pickle, at + 1, pickle.length - at - 1);
            }
            case 1 -> {
                out.write(OPCODES[r.nextInt(OPCODES.length)]);
                out.write(pickle, at, pickle.length - at);
            }
            case 2 -> out.write(pickle, at + 1, pickle.length - at - 1);
            default -> {
                byte[] call = "cos\nsystem\n(X\u0004\u0000\u0000\u0000truetR".getBytes(StandardCharsets.ISO_8859_1);
                out.write(call, 0, call.length);
                out.write(pickle, at, pickle.length - at);
            }
        }
        return out.toByteArray();
    }

    /** Gives one BININT1, BININT2 or BININT operand (sizes, strides, offsets, storage lengths) a hostile value. */
    private static byte[] mutateInteger(byte[] pickle, SplittableRandom r) {
        byte[] p = pickle.clone();
        List<Integer> operands = new ArrayList<>();
        for (int i = 0; i < p.length - 4; i++) {
            if (p[i] == 'K' || p[i] == 'M' || p[i] == 'J') {
                operands.add(i);
            }
        }
        if (operands.isEmpty()) {
            return p;
        }
        int at = operands.get(r.nextInt(operands.size()));
        int v = HOSTILE_INTS[r.nextInt(HOSTILE_INTS.length)];
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
        switch (p[at]) {
            case 'K' -> p[at + 1] = (byte) v;
            case 'M' -> b.putShort(at + 1, (short) v);
            default -> b.putInt(at + 1, v);
        }
        return p;
    }

    /** The entries of a zip checkpoint written by torch.save, in order (the fixture is trusted: it is the seed). */
    private static Map<String, byte[]> zipEntries(Path zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        // by the central directory: torch.save's stored entries have data descriptors, which ZipInputStream refuses
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                try (InputStream in = z.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }

    /** Writes entries stored, with true sizes and CRCs, as torch.save does: only what was mutated differs. */
    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                z.setMethod(ZipEntry.STORED);
                z.setSize(e.getValue().length);
                z.setCompressedSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                z.setCrc(crc.getValue());
                out.putNextEntry(z);
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    // ------------------------------------------------------------------ subject.json and trials.csv

    private Outcome subjectCase(int n, SplittableRandom r) throws IOException {
        boolean json = r.nextBoolean();
        String text = json
                ? "{\"layout\": \"nsd\", \"root\": \"nsd\", \"subject\": \"subj01\", \"trials\": \"trials.csv\","
                        + " \"stimuli\": \"stimuli\", \"sessions\": [1, 2]}"
                : "session,trial,image_id\n1,1,img-0001\n1,2,img-0002\n2,1,img-0002\n2,2,img-0003\n";
        String[] tokens = { "../", "/etc/passwd", "..", "\"", "{", "}", "[", "]", ",", "\n", "-1", "0", "1e99",
                "null", "\u00e9", "\u0000", "\"layout\": \"algonauts\"", "{\"a\": 1}", ",,,", "1,1,x\n", "\uFEFF" };
        StringBuilder b = new StringBuilder(text);
        int edits = 1 + r.nextInt(3);
        for (int k = 0; k < edits; k++) {
            int at = r.nextInt(b.length() + 1);
            switch (r.nextInt(3)) {
                case 0 -> b.insert(at, tokens[r.nextInt(tokens.length)]);
                case 1 -> b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(6)));
                default -> b.replace(at, Math.min(b.length(), at + 1), tokens[r.nextInt(tokens.length)]);
            }
        }
        // a Latin-1 file now and then, as an editor would save it
        byte[] bytes = b.toString().getBytes(r.nextInt(5) == 0
                ? StandardCharsets.ISO_8859_1
                : StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("m" + n + (json ? "-subject.json" : "-trials.csv")), bytes);
        return run(json ? "subject.json" : "trials.csv", n, file, Expect.ANY, () -> {
            if (json) {
                SubjectDescription.read(file);
            } else {
                TrialTable.read(file);
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }
}
