package org.brainalign.workflow.demo;

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
 * 8 patches gives an 8 x 8 token grid, FactorTopy's own grid; 6 blocks of width 96.
 * <p>
 * A random network only serves the demo if its layers can be told apart and its tokens keep a spatial layout, and
 * ordinary random weights give neither: with unit-variance random position embeddings and 1/sqrt(fan-in) projections,
 * attention is nearly uniform, every token carries mostly the image's average, and each block changes the residual
 * stream so little, and so linearly, that one layer's tokens predict the next one's with R^2 above 0.95 (measured
 * across images at fixed positions). Three choices fix that:
 * <ul>
 * <li>fixed 2-D sine-cosine position embeddings (as in MAE's ViT) instead of random ones, so that nearby patches have
 * similar embeddings and attention, however sharp, draws on a smooth neighbourhood: a token's features then resemble
 * those of its neighbours more than those of distant cells, which is what lets a fit find a voxel's image
 * position;</li>
 * <li>query and key projections scaled by {@link #QUERY_KEY_GAIN}, so that each head attends to about two to seven
 * tokens chosen by position and content: the update becomes a strongly nonlinear function of the block's input;</li>
 * <li>output projections of block l scaled by {@link #OUTPUT_GAIN} x {@link #GROWTH}^l, so that each block adds
 * about {@link #UPDATE_RATIO} times the norm of the tokens it receives (the first block about 2.8 times that of the
 * embeddings): the update, not the residual, dominates every layer.</li>
 * </ul>
 * Measured on the demo's stimuli: the best linear prediction of a layer's tokens from any other layer explains about
 * 0.8 of their variance across images (0.95-0.99 before), and the token norm grows about 23 times from the first to
 * the last block (FactorTopy has no feature normalisation, so the growth is kept moderate).
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
    static final double UPDATE_RATIO = 1.5;
    /** How much the tokens' norm grows per block: sqrt(1 + ratio^2), for an update orthogonal to its input. */
    static final double GROWTH = Math.sqrt(1 + UPDATE_RATIO * UPDATE_RATIO);
    /**
     * Gain of the first block's output projections. Measured: block 0 then adds 2.8 times the embeddings' norm, and
     * with the gain growing by GROWTH per block, blocks 1 to 5 add 1.5 to 1.8 times the norm of their input.
     */
    static final double OUTPUT_GAIN = 3.0;
    /**
     * Scale of the query and key projections over 1/sqrt(fan-in): attention logits 16 times larger than with unit
     * gain make the heads attend to a few tokens each (measured: an attention entropy of 0.6 to 2 nats).
     */
    static final double QUERY_KEY_GAIN = 4.0;

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
        t.put("embeddings.position_embeddings", sineCosine(grid));
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
                double g = switch (p) {
                    case "attention.output.dense" -> gain;
                    case "attention.attention.value" -> 1;
                    default -> QUERY_KEY_GAIN;
                };
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

    /**
     * Fixed 2-D sine-cosine position embeddings, as in MAE's ViT: the first quarter of the channels holds sin and the
     * second cos of the column index at frequencies 10000^(-k / (C / 4)), k = 0 .. C / 4 - 1, the second half the same
     * of the row index; the class token's embedding is zero.
     *
     * @param grid tokens per side
     * @return the 1 x (1 + grid^2) x C embeddings, class token first, then cells row by row
     */
    static FloatTensor sineCosine(int grid) {
        int quarter = WIDTH / 4;
        float[] v = new float[(1 + grid * grid) * WIDTH];
        for (int row = 0; row < grid; row++) {
            for (int col = 0; col < grid; col++) {
                int base = (1 + row * grid + col) * WIDTH;
                for (int k = 0; k < quarter; k++) {
                    double omega = Math.pow(10000, -(double) k / quarter);
                    v[base + k] = (float) Math.sin(col * omega);
                    v[base + quarter + k] = (float) Math.cos(col * omega);
                    v[base + 2 * quarter + k] = (float) Math.sin(row * omega);
                    v[base + 3 * quarter + k] = (float) Math.cos(row * omega);
                }
            }
        }
        return new FloatTensor(new long[] { 1, 1 + grid * grid, WIDTH }, v);
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
