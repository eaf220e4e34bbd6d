package org.brainalign.engine.backbone.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.brainalign.io.safetensors.FloatTensor;
import org.brainalign.io.safetensors.SafetensorsWriter;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * Small random transformers written in each family's checkpoint layout. One set of canonical weights (the names of
 * TensorSource) is drawn once and written under each family's names, so that two families given the same weights
 * can be compared number for number.
 */
final class RandomCheckpoint {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** The sizes of a test network. */
    record Arch(int channels, int layers, int heads, int mlp, int patch, int image, int inChannels) {

        int grid() {
            return image / patch;
        }

        int headDim() {
            return channels / heads;
        }
    }

    final Arch arch;
    final Map<String, FloatTensor> weights = new LinkedHashMap<>();
    private final Random random;

    /**
     * Draws every canonical tensor any family might use (class token, registers, layer scales, pre-norm, relative
     * positions sized for the given side).
     *
     * @param arch sizes
     * @param seed random seed
     * @param registers register tokens to draw
     * @param relativeSide attention side the relative position tables are drawn for (0: none)
     */
    RandomCheckpoint(Arch arch, long seed, int registers, int relativeSide) {
        this.arch = arch;
        this.random = new Random(seed);
        int c = arch.channels();
        int g = arch.grid();
        double w = 1 / Math.sqrt(c);
        put("patch.weight", 1 / Math.sqrt(arch.inChannels() * arch.patch() * arch.patch()), 0, c, arch.inChannels(),
                arch.patch(), arch.patch());
        put("patch.bias", 0.1, 0, c);
        put("cls", 0.5, 0, c);
        put("registers", 0.5, 0, Math.max(registers, 1), c);
        put("pos.cls", 0.5, 0, c);
        put("pos.grid", 0.5, 0, g, g, c);
        put("prenorm.weight", 0.1, 1, c);
        put("prenorm.bias", 0.1, 0, c);
        for (int l = 0; l < arch.layers(); l++) {
            String b = "blocks." + l + ".";
            put(b + "norm1.weight", 0.1, 1, c);
            put(b + "norm1.bias", 0.1, 0, c);
            for (String m : new String[] { "q", "k", "v", "proj" }) {
                put(b + m + ".weight", w, 0, c, c);
                put(b + m + ".bias", 0.1, 0, c);
            }
            put(b + "ls1", 0.3, 1, c);
            put(b + "norm2.weight", 0.1, 1, c);
            put(b + "norm2.bias", 0.1, 0, c);
            put(b + "fc1.weight", w, 0, arch.mlp(), c);
            put(b + "fc1.bias", 0.1, 0, arch.mlp());
            put(b + "fc2.weight", 1 / Math.sqrt(arch.mlp()), 0, c, arch.mlp());
            put(b + "fc2.bias", 0.1, 0, c);
            put(b + "ls2", 0.3, 1, c);
            if (relativeSide > 0) {
                put(b + "relh", 0.3, 0, 2 * relativeSide - 1, arch.headDim());
                put(b + "relw", 0.3, 0, 2 * relativeSide - 1, arch.headDim());
            }
        }
    }

    private void put(String name, double scale, double mean, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] data = new float[(int) n];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (mean + scale * random.nextGaussian());
        }
        weights.put(name, new FloatTensor(shape, data));
    }

    /**
     * Draws a canonical tensor anew with another shape.
     *
     * @param name canonical name
     * @param scale standard deviation
     * @param shape the new shape
     */
    void redraw(String name, double scale, long... shape) {
        put(name, scale, 0, shape);
    }

    /**
     * Replaces a canonical tensor by a constant.
     *
     * @param name canonical name (for per-block names, every block's)
     * @param value the constant
     */
    void fill(String name, float value) {
        for (Map.Entry<String, FloatTensor> e : weights.entrySet()) {
            if (e.getKey().equals(name) || e.getKey().startsWith("blocks.") && e.getKey().endsWith("." + name)) {
                float[] d = new float[e.getValue().data().length];
                java.util.Arrays.fill(d, value);
                e.setValue(new FloatTensor(e.getValue().shape(), d));
            }
        }
    }

    FloatTensor get(String name) {
        return weights.get(name);
    }

    float[] data(String name) {
        return weights.get(name).data();
    }

    /** @return pos.cls then pos.grid, as (1, 1 + G*G, C) */
    FloatTensor positionsWithClass() {
        float[] cls = data("pos.cls");
        float[] grid = data("pos.grid");
        float[] all = new float[cls.length + grid.length];
        System.arraycopy(cls, 0, all, 0, cls.length);
        System.arraycopy(grid, 0, all, cls.length, grid.length);
        return new FloatTensor(new long[] { 1, 1 + (long) arch.grid() * arch.grid(), arch.channels() }, all);
    }

    static FloatTensor reshape(FloatTensor t, long... shape) {
        return new FloatTensor(shape, t.data());
    }

    Map<String, Object> baseConfig(String modelType) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model_type", modelType);
        config.put("hidden_size", arch.channels());
        config.put("num_hidden_layers", arch.layers());
        config.put("num_attention_heads", arch.heads());
        config.put("image_size", arch.image());
        config.put("patch_size", arch.patch());
        config.put("num_channels", arch.inChannels());
        config.put("hidden_act", "gelu");
        config.put("qkv_bias", true);
        return config;
    }

    /**
     * Writes the weights as a Hugging Face ViTModel checkpoint.
     *
     * @param dir folder to create
     * @param prefix tensor name prefix, e.g. "vit."
     * @param config config.json entries (see {@link #baseConfig})
     * @return the folder
     * @throws IOException if writing fails
     */
    Path writeHfVit(Path dir, String prefix, Map<String, Object> config) throws IOException {
        LinkedHashMap<String, FloatTensor> t = new LinkedHashMap<>();
        String e = prefix + "embeddings.";
        int c = arch.channels();
        t.put(e + "cls_token", reshape(get("cls"), 1, 1, c));
        t.put(e + "position_embeddings", positionsWithClass());
        t.put(e + "patch_embeddings.projection.weight", get("patch.weight"));
        t.put(e + "patch_embeddings.projection.bias", get("patch.bias"));
        for (int l = 0; l < arch.layers(); l++) {
            String b = "blocks." + l + ".";
            String o = prefix + "encoder.layer." + l + ".";
            t.put(o + "layernorm_before.weight", get(b + "norm1.weight"));
            t.put(o + "layernorm_before.bias", get(b + "norm1.bias"));
            t.put(o + "attention.attention.query.weight", get(b + "q.weight"));
            t.put(o + "attention.attention.query.bias", get(b + "q.bias"));
            t.put(o + "attention.attention.key.weight", get(b + "k.weight"));
            t.put(o + "attention.attention.key.bias", get(b + "k.bias"));
            t.put(o + "attention.attention.value.weight", get(b + "v.weight"));
            t.put(o + "attention.attention.value.bias", get(b + "v.bias"));
            t.put(o + "attention.output.dense.weight", get(b + "proj.weight"));
            t.put(o + "attention.output.dense.bias", get(b + "proj.bias"));
            t.put(o + "layernorm_after.weight", get(b + "norm2.weight"));
            t.put(o + "layernorm_after.bias", get(b + "norm2.bias"));
            t.put(o + "intermediate.dense.weight", get(b + "fc1.weight"));
            t.put(o + "intermediate.dense.bias", get(b + "fc1.bias"));
            t.put(o + "output.dense.weight", get(b + "fc2.weight"));
            t.put(o + "output.dense.bias", get(b + "fc2.bias"));
        }
        config.putIfAbsent("intermediate_size", arch.mlp());
        return write(dir, t, config);
    }

    /**
     * Writes the weights as a Hugging Face Dinov2Model checkpoint (Dinov2WithRegisters when registers > 0).
     *
     * @param dir folder to create
     * @param registers register tokens
     * @param config config.json entries
     * @return the folder
     * @throws IOException if writing fails
     */
    Path writeDinov2(Path dir, int registers, Map<String, Object> config) throws IOException {
        LinkedHashMap<String, FloatTensor> t = new LinkedHashMap<>();
        int c = arch.channels();
        t.put("embeddings.cls_token", reshape(get("cls"), 1, 1, c));
        t.put("embeddings.mask_token", new FloatTensor(new long[] { 1, c }, new float[c]));
        if (registers > 0) {
            t.put("embeddings.register_tokens", reshape(get("registers"), 1, registers, c));
            config.put("model_type", "dinov2_with_registers");
            config.put("num_register_tokens", registers);
        }
        t.put("embeddings.position_embeddings", positionsWithClass());
        t.put("embeddings.patch_embeddings.projection.weight", get("patch.weight"));
        t.put("embeddings.patch_embeddings.projection.bias", get("patch.bias"));
        for (int l = 0; l < arch.layers(); l++) {
            String b = "blocks." + l + ".";
            String o = "encoder.layer." + l + ".";
            t.put(o + "norm1.weight", get(b + "norm1.weight"));
            t.put(o + "norm1.bias", get(b + "norm1.bias"));
            t.put(o + "attention.attention.query.weight", get(b + "q.weight"));
            t.put(o + "attention.attention.query.bias", get(b + "q.bias"));
            t.put(o + "attention.attention.key.weight", get(b + "k.weight"));
            t.put(o + "attention.attention.key.bias", get(b + "k.bias"));
            t.put(o + "attention.attention.value.weight", get(b + "v.weight"));
            t.put(o + "attention.attention.value.bias", get(b + "v.bias"));
            t.put(o + "attention.output.dense.weight", get(b + "proj.weight"));
            t.put(o + "attention.output.dense.bias", get(b + "proj.bias"));
            t.put(o + "layer_scale1.lambda1", get(b + "ls1"));
            t.put(o + "norm2.weight", get(b + "norm2.weight"));
            t.put(o + "norm2.bias", get(b + "norm2.bias"));
            t.put(o + "mlp.fc1.weight", get(b + "fc1.weight"));
            t.put(o + "mlp.fc1.bias", get(b + "fc1.bias"));
            t.put(o + "mlp.fc2.weight", get(b + "fc2.weight"));
            t.put(o + "mlp.fc2.bias", get(b + "fc2.bias"));
            t.put(o + "layer_scale2.lambda1", get(b + "ls2"));
        }
        t.put("layernorm.weight", get("prenorm.weight"));
        t.put("layernorm.bias", get("prenorm.bias"));
        config.putIfAbsent("mlp_ratio", (double) arch.mlp() / arch.channels());
        config.putIfAbsent("layerscale_value", 1.0);
        return write(dir, t, config);
    }

    /**
     * Writes the weights as a giant-style Dinov2Model checkpoint whose MLP is SwiGLU (mlp.weights_in / weights_out).
     *
     * @param dir folder to create
     * @param config config.json entries, with use_swiglu_ffn and mlp_ratio
     * @return the folder
     * @throws IOException if writing fails
     */
    Path writeSwigluDinov2(Path dir, Map<String, Object> config) throws IOException {
        Path folder = writeDinov2(dir, 0, config);
        LinkedHashMap<String, FloatTensor> renamed = new LinkedHashMap<>();
        try (var f = org.brainalign.io.safetensors.SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            for (String n : f.names()) {
                renamed.put(n.replace("mlp.fc1", "mlp.weights_in").replace("mlp.fc2", "mlp.weights_out"),
                        new FloatTensor(f.info(n).shape(), f.readFloats(n)));
            }
        }
        SafetensorsWriter.write(folder.resolve("model.safetensors"), renamed, Map.of());
        return folder;
    }

    /**
     * Writes the weights as a Hugging Face CLIPModel checkpoint (vision tower plus a token of text model, which
     * must be ignored), with the vision settings under "vision_config".
     *
     * @param dir folder to create
     * @param vision vision_config entries
     * @return the folder
     * @throws IOException if writing fails
     */
    Path writeClip(Path dir, Map<String, Object> vision) throws IOException {
        LinkedHashMap<String, FloatTensor> t = new LinkedHashMap<>();
        int c = arch.channels();
        String v = "vision_model.";
        t.put("text_model.embeddings.token_embedding.weight", new FloatTensor(new long[] { 3, 2 }, new float[6]));
        t.put(v + "embeddings.class_embedding", get("cls"));
        t.put(v + "embeddings.patch_embedding.weight", get("patch.weight"));
        t.put(v + "embeddings.position_embedding.weight",
                reshape(positionsWithClass(), 1 + (long) arch.grid() * arch.grid(), c));
        t.put(v + "pre_layrnorm.weight", get("prenorm.weight"));
        t.put(v + "pre_layrnorm.bias", get("prenorm.bias"));
        for (int l = 0; l < arch.layers(); l++) {
            String b = "blocks." + l + ".";
            String o = v + "encoder.layers." + l + ".";
            t.put(o + "layer_norm1.weight", get(b + "norm1.weight"));
            t.put(o + "layer_norm1.bias", get(b + "norm1.bias"));
            t.put(o + "self_attn.q_proj.weight", get(b + "q.weight"));
            t.put(o + "self_attn.q_proj.bias", get(b + "q.bias"));
            t.put(o + "self_attn.k_proj.weight", get(b + "k.weight"));
            t.put(o + "self_attn.k_proj.bias", get(b + "k.bias"));
            t.put(o + "self_attn.v_proj.weight", get(b + "v.weight"));
            t.put(o + "self_attn.v_proj.bias", get(b + "v.bias"));
            t.put(o + "self_attn.out_proj.weight", get(b + "proj.weight"));
            t.put(o + "self_attn.out_proj.bias", get(b + "proj.bias"));
            t.put(o + "layer_norm2.weight", get(b + "norm2.weight"));
            t.put(o + "layer_norm2.bias", get(b + "norm2.bias"));
            t.put(o + "mlp.fc1.weight", get(b + "fc1.weight"));
            t.put(o + "mlp.fc1.bias", get(b + "fc1.bias"));
            t.put(o + "mlp.fc2.weight", get(b + "fc2.weight"));
            t.put(o + "mlp.fc2.bias", get(b + "fc2.bias"));
        }
        t.put(v + "post_layernorm.weight", get("prenorm.weight"));
        t.put(v + "post_layernorm.bias", get("prenorm.bias"));
        vision.remove("model_type");
        vision.remove("qkv_bias");
        vision.putIfAbsent("intermediate_size", arch.mlp());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model_type", "clip");
        config.put("vision_config", vision);
        return write(dir, t, config);
    }

    /**
     * Writes the weights as a Hugging Face SamModel checkpoint (vision encoder only, plus a neck tensor that must be
     * ignored), with the vision settings under "vision_config".
     *
     * @param dir folder to create
     * @param vision vision_config entries (window_size, global_attn_indexes, ...)
     * @return the folder
     * @throws IOException if writing fails
     */
    Path writeSam(Path dir, Map<String, Object> vision) throws IOException {
        LinkedHashMap<String, FloatTensor> t = new LinkedHashMap<>();
        int c = arch.channels();
        String v = "vision_encoder.";
        t.put(v + "patch_embed.projection.weight", get("patch.weight"));
        t.put(v + "patch_embed.projection.bias", get("patch.bias"));
        t.put(v + "pos_embed", reshape(get("pos.grid"), 1, arch.grid(), arch.grid(), c));
        for (int l = 0; l < arch.layers(); l++) {
            String b = "blocks." + l + ".";
            String o = v + "layers." + l + ".";
            t.put(o + "layer_norm1.weight", get(b + "norm1.weight"));
            t.put(o + "layer_norm1.bias", get(b + "norm1.bias"));
            t.put(o + "attn.qkv.weight", concat(new long[] { 3L * c, c }, data(b + "q.weight"), data(b + "k.weight"),
                    data(b + "v.weight")));
            t.put(o + "attn.qkv.bias", concat(new long[] { 3L * c }, data(b + "q.bias"), data(b + "k.bias"),
                    data(b + "v.bias")));
            t.put(o + "attn.proj.weight", get(b + "proj.weight"));
            t.put(o + "attn.proj.bias", get(b + "proj.bias"));
            if (weights.containsKey(b + "relh")) {
                t.put(o + "attn.rel_pos_h", get(b + "relh"));
                t.put(o + "attn.rel_pos_w", get(b + "relw"));
            }
            t.put(o + "layer_norm2.weight", get(b + "norm2.weight"));
            t.put(o + "layer_norm2.bias", get(b + "norm2.bias"));
            t.put(o + "mlp.lin1.weight", get(b + "fc1.weight"));
            t.put(o + "mlp.lin1.bias", get(b + "fc1.bias"));
            t.put(o + "mlp.lin2.weight", get(b + "fc2.weight"));
            t.put(o + "mlp.lin2.bias", get(b + "fc2.bias"));
        }
        t.put(v + "neck.conv1.weight", new FloatTensor(new long[] { 2, c, 1, 1 }, new float[2 * c]));
        vision.remove("model_type");
        vision.putIfAbsent("mlp_dim", arch.mlp());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model_type", "sam");
        config.put("vision_config", vision);
        return write(dir, t, config);
    }

    private static FloatTensor concat(long[] shape, float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return new FloatTensor(shape, all);
    }

    static Path write(Path dir, LinkedHashMap<String, FloatTensor> tensors, Map<String, Object> config)
            throws IOException {
        Files.createDirectories(dir);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        Files.writeString(dir.resolve("config.json"), GSON.toJson(config));
        return dir;
    }

    /**
     * @param count values
     * @param seed seed
     * @return standard normal values, as normalised pixels
     */
    static float[] pixels(int count, long seed) {
        Random r = new Random(seed);
        float[] p = new float[count];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) r.nextGaussian();
        }
        return p;
    }

    /**
     * @param a one array
     * @param b another of the same length
     * @return the largest absolute difference
     */
    static double maxDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " and " + b.length);
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
