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
import java.util.zip.GZIPOutputStream;

import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.npy.NpyArray;
import org.brainalign.io.npy.Npz;
import org.brainalign.io.safetensors.FloatTensor;
import org.brainalign.io.safetensors.SafetensorsFile;
import org.brainalign.io.safetensors.SafetensorsWriter;
import org.brainalign.io.subject.SubjectDescription;
import org.brainalign.io.subject.TrialTable;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The fuzz campaign kept in the suite: seeded mutants of every kind of file a user hands the tool (NIfTI header
 * fields, gzip streams and truncations; .npy and .npz; safetensors; subject.json and trials.csv). Every case must
 * end, within a time and an allocation bound, either with a reading or with one sentence naming the file; where the
 * mutation cannot change the meaning (a text field, a gzip stream protected by its CRC, a zip entry by its CRC) a
 * reading must be nibabel's reading of the original (reference-nibabel.json) or the original arrays. The count and
 * the seed are system properties (brainalign.fuzz.cases, brainalign.fuzz.seed): the suite runs a few hundred
 * cases; releng/fuzz runs as many as asked.
 */
class InputFuzzTest {

    private static final int CASES = Integer.getInteger("brainalign.fuzz.cases", 360);
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
            switch (n % 6) {
                case 0, 1 -> o = niftiCase(n, new SplittableRandom(caseSeed));
                case 2 -> o = npyCase(n, new SplittableRandom(caseSeed));
                case 3 -> o = npzCase(n, new SplittableRandom(caseSeed));
                case 4 -> o = safetensorsCase(n, new SplittableRandom(caseSeed));
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
