package org.brainalign.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.brainalign.io.AtomicFile;
import org.brainalign.io.safetensors.FloatTensor;
import org.brainalign.io.safetensors.SafetensorsWriter;

/**
 * The demo's backbone: a small Vision Transformer in the Hugging Face ViTModel layout (config.json +
 * model.safetensors) whose weights come from a fixed seed, so the product needs no download. 64 x 64 RGB input in 8 x
 * 8 patches gives an 8 x 8 token grid, FactorTopy's own grid; 6 blocks of width 96. Embeddings have unit variance
 * and projections 1/sqrt(fan-in); the output projections of block l are further scaled by {@link #OUTPUT_GAIN} x
 * {@link #GROWTH}^l, so that each block adds about {@link #UPDATE_RATIO} times the norm of the tokens it receives.
 * Without that, the residual stream of a random network changes so little from block to block that one layer's
 * tokens predict the next one's linearly (R^2 above 0.95) and no model could tell the layers apart; with it, about a
 * third of a layer's variance is predictable from its neighbour, as in trained networks.
 */
public final class DemoNetwork {

    /** Input side in pixels. */
    public static final int IMAGE = 64;
    /** Patch side in pixels. */
    public static final int PATCH = 8;
    /** Token width. */
    public static final int WIDTH = 96;
    /** Number of blocks. */
    public static final int LAYERS = 6;
    private static final int HEADS = 4;
    private static final int HIDDEN = 192;
    /** A block's update over the norm of the tokens it receives. */
    static final double UPDATE_RATIO = 2.0;
    /** How much the tokens' norm grows per block: sqrt(1 + ratio^2), for an update orthogonal to its input. */
    static final double GROWTH = Math.sqrt(1 + UPDATE_RATIO * UPDATE_RATIO);
    /**
     * Gain of the first block's output projections: with unit gain a block of this network adds an update of about
     * half the embeddings' norm (measured: 8.5 against 16.9), so this gain brings it to UPDATE_RATIO.
     */
    static final double OUTPUT_GAIN = UPDATE_RATIO * 16.9 / 8.5;

    private DemoNetwork() {
    }

    /**
     * Writes the checkpoint folder.
     *
     * @param folder the folder to create (config.json and model.safetensors inside)
     * @param seed the weight seed
     * @throws IOException if the files cannot be written
     */
    public static void write(Path folder, long seed) throws IOException {
        Files.createDirectories(folder);
        String config = """
                {
                  "architectures": ["ViTModel"],
                  "model_type": "vit",
                  "image_size": %d,
                  "patch_size": %d,
                  "num_channels": 3,
                  "hidden_size": %d,
                  "num_hidden_layers": %d,
                  "num_attention_heads": %d,
                  "intermediate_size": %d,
                  "hidden_act": "gelu",
                  "layer_norm_eps": 1e-12,
                  "qkv_bias": true,
                  "hidden_dropout_prob": 0.0,
                  "attention_probs_dropout_prob": 0.0,
                  "image_mean": [0.485, 0.456, 0.406],
                  "image_std": [0.229, 0.224, 0.225],
                  "brainalign_demo_seed": %d
                }
                """.formatted(IMAGE, PATCH, WIDTH, LAYERS, HEADS, HIDDEN, seed);
        AtomicFile.write(folder.resolve("config.json"), out -> out.write(config.getBytes(StandardCharsets.UTF_8)));
        SafetensorsWriter.write(folder.resolve("model.safetensors"), weights(seed),
                Map.of("format", "pt", "source", "BrainAlign demo network, seed " + seed));
    }

    /**
     * @param seed the weight seed
     * @return every tensor of the network by its ViTModel name, in a fixed order
     */
    static LinkedHashMap<String, FloatTensor> weights(long seed) {
        Random random = new Random(seed);
        LinkedHashMap<String, FloatTensor> t = new LinkedHashMap<>();
        int grid = IMAGE / PATCH;
        t.put("embeddings.cls_token", gaussian(random, 1.0, 1, 1, WIDTH));
        t.put("embeddings.position_embeddings", gaussian(random, 1.0, 1, 1 + grid * grid, WIDTH));
        t.put("embeddings.patch_embeddings.projection.weight",
                gaussian(random, 1 / Math.sqrt(3.0 * PATCH * PATCH), WIDTH, 3, PATCH, PATCH));
        t.put("embeddings.patch_embeddings.projection.bias", gaussian(random, 0.1, WIDTH));
        for (int l = 0; l < LAYERS; l++) {
            String b = "encoder.layer." + l + ".";
            double gain = OUTPUT_GAIN * Math.pow(GROWTH, l);
            t.put(b + "layernorm_before.weight", constant(1, WIDTH));
            t.put(b + "layernorm_before.bias", gaussian(random, 0.1, WIDTH));
            for (String p : new String[] { "attention.attention.query", "attention.attention.key",
                    "attention.attention.value", "attention.output.dense" }) {
                double g = p.equals("attention.output.dense") ? gain : 1;
                t.put(b + p + ".weight", gaussian(random, g / Math.sqrt(WIDTH), WIDTH, WIDTH));
                t.put(b + p + ".bias", gaussian(random, 0.1, WIDTH));
            }
            t.put(b + "layernorm_after.weight", constant(1, WIDTH));
            t.put(b + "layernorm_after.bias", gaussian(random, 0.1, WIDTH));
            t.put(b + "intermediate.dense.weight", gaussian(random, 1 / Math.sqrt(WIDTH), HIDDEN, WIDTH));
            t.put(b + "intermediate.dense.bias", gaussian(random, 0.1, HIDDEN));
            t.put(b + "output.dense.weight", gaussian(random, gain / Math.sqrt(HIDDEN), WIDTH, HIDDEN));
            t.put(b + "output.dense.bias", gaussian(random, 0.1, WIDTH));
        }
        return t;
    }

    private static FloatTensor gaussian(Random random, double std, long... shape) {
        float[] v = new float[count(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * std);
        }
        return new FloatTensor(shape, v);
    }

    private static FloatTensor constant(float value, long... shape) {
        float[] v = new float[count(shape)];
        java.util.Arrays.fill(v, value);
        return new FloatTensor(shape, v);
    }

    private static int count(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return Math.toIntExact(n);
    }
}
