package org.brainalign.engine.backbone.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.brainalign.engine.backbone.Backbone;
import org.brainalign.engine.backbone.BackboneFamilies;
import org.brainalign.engine.backbone.BackboneOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * The fuzz campaign's share of the engine: seeded mutants of a Hugging Face ViT's config.json (hostile numbers in
 * every size the family reads, broken JSON, wrong types, stray text). Every case must end, within a time and an
 * allocation bound, in a backbone or in one sentence naming the checkpoint's file; a mutation that cannot change the
 * architecture (an unknown key, whitespace) must give the original hidden states bit for bit. Count and seed are
 * the io campaign's system properties (brainalign.fuzz.cases divided by 7, brainalign.fuzz.seed).
 */
class ConfigFuzzTest {

    private static final int CASES = Math.max(40, Integer.getInteger("brainalign.fuzz.cases", 420) / 7);
    private static final long SEED = Long.getLong("brainalign.fuzz.seed", 20261207L);
    private static final Duration TIME_PER_CASE = Duration.ofSeconds(10);
    /** The model's weights are a few KB: 256 MB is only reached by a size that lies. */
    private static final long BYTES_PER_CASE = 256L << 20;
    private static final RandomCheckpoint.Arch ARCH = new RandomCheckpoint.Arch(16, 2, 2, 24, 4, 16, 3);
    private static final String[] KEYS = { "hidden_size", "num_hidden_layers", "num_attention_heads", "image_size",
            "patch_size", "num_channels", "intermediate_size", "layer_norm_eps", "hidden_act", "qkv_bias",
            "model_type" };
    private static final Object[] HOSTILE = { 0, -1, 1, 3, -96, 1e9, 1e300, 2147483647, 9223372036854775807L,
            Double.NaN, 0.5, "16", "", "relu", "quick_gelu", "gelu_new", "swish", true, null, new int[] { 16 },
            Map.of("a", 1), 1e-300, -1e-6 };
    private static final String[] TOKENS = { "{", "}", "[", "]", "\"", ",", ":", "null", "1e400", "-0", "\u00e9",
            "\u0000", "\uFEFF", "NaN", "Infinity", "//", "\n" };

    @TempDir
    Path dir;

    @Test
    void everyConfigMutantEndsInABackboneOrOneSentence() throws Exception {
        Class<?> bean = ClassLoader.getPlatformClassLoader().loadClass("com.sun.management.ThreadMXBean");
        Method allocated = bean.getMethod("getCurrentThreadAllocatedBytes");
        RandomCheckpoint random = new RandomCheckpoint(ARCH, 1, 0, 0);
        Map<String, Object> config = random.baseConfig("vit");
        config.put("intermediate_size", ARCH.mlp());
        Path folder = random.writeHfVit(dir.resolve("vit"), "", config);
        float[] pixels = RandomCheckpoint.pixels(ARCH.inChannels() * ARCH.image() * ARCH.image(), 5);
        float[][] original;
        try (Backbone b = BackboneFamilies.load(folder, "auto", BackboneOptions.defaults())) {
            original = b.hiddenStates(pixels, 1);
        }
        Gson gson = new GsonBuilder().serializeSpecialFloatingPointValues().create();
        SplittableRandom seeds = new SplittableRandom(SEED);
        int reads = 0, refusals = 0;
        for (int n = 0; n < CASES; n++) {
            SplittableRandom r = new SplittableRandom(seeds.nextLong());
            Map<String, Object> c = new LinkedHashMap<>(config);
            String text;
            boolean neutral = false;
            String kind;
            switch (r.nextInt(3)) {
                case 0 -> {
                    kind = "config value";
                    c.put(KEYS[r.nextInt(KEYS.length)], HOSTILE[r.nextInt(HOSTILE.length)]);
                    text = gson.toJson(c);
                }
                case 1 -> {
                    kind = "config text";
                    StringBuilder b = new StringBuilder(gson.toJson(c));
                    int at = r.nextInt(b.length() + 1);
                    String t = TOKENS[r.nextInt(TOKENS.length)];
                    if (r.nextBoolean()) {
                        b.insert(at, t);
                    } else {
                        b.replace(at, Math.min(b.length(), at + 1 + r.nextInt(8)), t);
                    }
                    text = b.toString();
                }
                default -> {
                    kind = "config neutral";
                    c.put("architectures", new String[] { "ViTModel" });
                    c.put("x_" + r.nextInt(1000), HOSTILE[r.nextInt(HOSTILE.length)]);
                    text = gson.toJson(c).replace(",", ",\n  ");
                    neutral = true;
                }
            }
            Files.write(folder.resolve("config.json"), text.getBytes(r.nextInt(5) == 0
                    ? StandardCharsets.ISO_8859_1
                    : StandardCharsets.UTF_8));
            String what = "case " + n + " (" + kind + ", seed " + SEED + "): " + text.replace("\n", " ");
            boolean sameAsOriginal = neutral;
            boolean[] refused = { false };
            assertTimeoutPreemptively(TIME_PER_CASE, () -> {
                long before = (Long) allocated.invoke(ManagementFactory.getThreadMXBean());
                try (Backbone b = BackboneFamilies.load(folder, "auto", BackboneOptions.defaults())) {
                    int side = b.inputSize();
                    float[][] hidden = b.hiddenStates(RandomCheckpoint.pixels(b.inputChannels() * side * side, 5),
                            1);
                    if (sameAsOriginal) {
                        assertTrue(hidden.length == original.length, what + ": layers");
                        for (int l = 0; l < hidden.length; l++) {
                            assertArrayEquals(original[l], hidden[l], what + ": block " + l);
                        }
                    }
                } catch (IOException e) {
                    refused[0] = true;
                    String m = e.getMessage();
                    assertTrue(m != null && m.contains(folder.toString()), what + ": names the file: " + m);
                    assertFalse(m.contains("\n"), what + ": one line: " + m);
                    assertFalse(m.matches("(?s).*\\b(java|javax|com\\.google|jdk|ai\\.djl)\\.[a-z]+\\..*")
                            || m.contains("Exception") || m.contains("http"), what + ": no library text: " + m);
                } catch (RuntimeException e) {
                    throw new AssertionError(what + ": " + e + " escaped instead of a sentence naming the file", e);
                }
                long used = (Long) allocated.invoke(ManagementFactory.getThreadMXBean()) - before;
                assertTrue(used < BYTES_PER_CASE, what + " allocated " + used + " bytes");
            }, what + " took too long");
            if (refused[0]) {
                refusals++;
            } else {
                reads++;
            }
            assertFalse(sameAsOriginal && refused[0], what + ": a neutral change was refused");
        }
        assertTrue(reads > CASES / 10 && refusals > CASES / 10, "reads " + reads + ", refusals " + refusals);
    }
}
