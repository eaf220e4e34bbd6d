package org.brainalign.engine.backbone;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.brainalign.io.DataFormatException;
import org.brainalign.io.TextFile;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * A checkpoint as model hubs ship it: a folder holding {@code config.json} (the architecture), the weights as
 * safetensors ({@code model.safetensors}, or shards tied by {@code model.safetensors.index.json}) and optionally
 * {@code preprocessor_config.json} (input normalisation). Opening a checkpoint reads the configuration and the
 * safetensors headers; tensors are read on demand with their shapes checked.
 */
public final class Checkpoint implements AutoCloseable {

    private static final String CONFIG = "config.json";
    private static final String PREPROCESSOR = "preprocessor_config.json";
    /** The configuration open_clip writes beside its weights (model_cfg, preprocess_cfg). */
    public static final String OPEN_CLIP_CONFIG = "open_clip_config.json";

    private final Path folder;
    private final JsonObject config;
    private final JsonObject preprocessor;
    private final Weights weights;
    private String contentHash;

    private final JsonObject sidecar;

    private Checkpoint(Path folder, JsonObject config, JsonObject preprocessor, Weights weights, JsonObject sidecar) {
        this.sidecar = sidecar;
        this.folder = folder;
        this.config = config;
        this.preprocessor = preprocessor;
        this.weights = weights;
    }

    /**
     * Opens a checkpoint from its folder, its {@code .safetensors} file or its shard index (config.json is then
     * looked for beside it).
     *
     * @param path the folder or the weights file
     * @return the open checkpoint; close it when done
     * @throws CheckpointException if config.json or the weights are missing or unreadable, naming the file
     * @throws IOException if a file cannot be read
     */
    public static Checkpoint open(Path path) throws IOException {
        Path folder;
        Path weightsFile;
        if (Files.isDirectory(path)) {
            folder = path;
            weightsFile = findWeights(path);
        } else if (Files.isRegularFile(path)) {
            folder = path.toAbsolutePath().getParent();
            weightsFile = path;
        } else {
            throw new CheckpointException(path + ": no such checkpoint folder or file");
        }
        // a PyTorch file in its library's own layout has no config.json: its families take sizes from the tensors
        // (or a fine-tuned copy of one, safetensors under the same names, with the sidecar its family read)
        boolean nativeFile = !Files.isRegularFile(folder.resolve(CONFIG))
                && (Weights.isPyTorch(weightsFile) || Files.isRegularFile(sidecar(weightsFile)));
        JsonObject config = nativeFile ? new JsonObject() : readJson(folder.resolve(CONFIG), true);
        JsonObject preprocessor = nativeFile ? null : readJson(folder.resolve(PREPROCESSOR), false);
        JsonObject sidecar = readJson(sidecar(weightsFile), false);
        Weights weights = Weights.open(weightsFile);
        return new Checkpoint(folder, config, preprocessor, weights, sidecar);
    }

    /**
     * @param file a path
     * @return whether its name is one of a weight file the checkpoint can be opened from (safetensors, its shard
     *         index, or a PyTorch file)
     */
    public static boolean isWeightFile(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString();
        return n.endsWith(".safetensors") || n.endsWith(".safetensors.index.json") || Weights.isPyTorch(file);
    }

    /**
     * @param weightsFile a weight file
     * @return where a user describes what a native checkpoint does not record: the file's name plus ".json"
     */
    public static Path sidecar(Path weightsFile) {
        return weightsFile.toAbsolutePath().resolveSibling(weightsFile.getFileName() + ".json");
    }

    private static Path findWeights(Path folder) throws IOException {
        for (String name : new String[] { "model.safetensors.index.json", "model.safetensors" }) {
            if (Files.isRegularFile(folder.resolve(name))) {
                return folder.resolve(name);
            }
        }
        List<Path> candidates = new ArrayList<>();
        try (var files = Files.list(folder)) {
            files.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().forEach(candidates::add);
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (candidates.isEmpty()) {
            throw new CheckpointException(folder + ": no model.safetensors (or other .safetensors file) in the folder; "
                    + "to use a PyTorch .pth/.bin file, point at the file itself");
        }
        throw new CheckpointException(folder + ": several .safetensors files and no model.safetensors or "
                + "model.safetensors.index.json saying which to use: point at one file");
    }

    private static JsonObject readJson(Path file, boolean required) throws IOException {
        if (!Files.isRegularFile(file)) {
            if (required) {
                throw new CheckpointException(file + ": missing; the network is built from the checkpoint's own "
                        + "config.json");
            }
            return null;
        }
        JsonElement e;
        try {
            // one sentence for a pipe, a Latin-1 byte or a syntax error, instead of the decoder's or gson's own
            // text; parsed here, not by TextFile.parseJson, because this bundle embeds its own gson beside DJL
            e = JsonParser.parseString(TextFile.utf8(file));
        } catch (DataFormatException bad) {
            throw new CheckpointException(bad.getMessage(), bad);
        } catch (JsonParseException | IllegalStateException bad) {
            throw new CheckpointException(file + ": not valid JSON" + TextFile.where(bad), bad);
        } catch (NoSuchFileException gone) {
            throw new CheckpointException(file + ": missing", gone);
        }
        if (!e.isJsonObject()) {
            throw new CheckpointException(file + ": not a JSON object");
        }
        return e.getAsJsonObject();
    }

    /** @return the checkpoint's folder */
    public Path folder() {
        return folder;
    }

    /** @return the safetensors file (or shard index) the weights come from */
    public Path weightsPath() {
        return weights.path();
    }

    /** @return every weight file (several for a sharded checkpoint) */
    public List<Path> weightFiles() {
        return weights.files();
    }

    /** @return the tensor names, in file order */
    public List<String> tensorNames() {
        return List.copyOf(weights.names());
    }

    /**
     * @return the sidecar JSON beside the weight file ({@link #sidecar(Path)}), as a configuration, if the user wrote
     *         one
     */
    public Optional<Config> sidecarConfig() {
        return sidecar == null ? Optional.empty() : Optional.of(new Config(sidecar, sidecar(weights.path())));
    }

    /**
     * @param name a JSON file beside the weights that a library writes with them (e.g. open_clip_config.json)
     * @return it as a configuration, if it is there
     * @throws CheckpointException if it is there but not a JSON object
     */
    public Optional<Config> besideWeights(String name) throws CheckpointException {
        Path file = weights.path().toAbsolutePath().resolveSibling(name);
        try {
            JsonObject json = readJson(file, false);
            return json == null ? Optional.empty() : Optional.of(new Config(json, file));
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** @return the whole config.json */
    public Config config() {
        return new Config(config, folder.resolve(CONFIG));
    }

    /**
     * @param key a nested object such as "vision_config"
     * @return that object of config.json when present, else the whole config.json
     */
    public Config config(String key) {
        JsonElement e = config.get(key);
        if (e != null && e.isJsonObject()) {
            return new Config(e.getAsJsonObject(), folder.resolve(CONFIG));
        }
        return config();
    }

    /** @return preprocessor_config.json when the checkpoint has one */
    public Optional<Config> preprocessorConfig() {
        return Optional.ofNullable(preprocessor).map(p -> new Config(p, folder.resolve(PREPROCESSOR)));
    }

    /**
     * The input normalisation the checkpoint declares: image_mean and image_std from the sidecar JSON the user wrote
     * beside a native file ({@link #sidecar(Path)}), else from preprocessor_config.json, else mean and std of the
     * preprocess_cfg in the open_clip_config.json open_clip writes beside its weights, else from config.json.
     *
     * @param channels the network's input channel count; the declared lists must have this length
     * @return the declared normalisation, or empty when the checkpoint declares none
     * @throws CheckpointException if the lists are malformed or have the wrong length
     */
    public Optional<Normalization> declaredNormalization(int channels) throws CheckpointException {
        record Source(Config config, String meanKey, String stdKey) {
        }
        List<Source> sources = new ArrayList<>();
        sidecarConfig().ifPresent(c -> sources.add(new Source(c, "image_mean", "image_std")));
        preprocessorConfig().ifPresent(c -> sources.add(new Source(c, "image_mean", "image_std")));
        Optional<Config> openClip = besideWeights(OPEN_CLIP_CONFIG);
        if (openClip.isPresent() && openClip.get().has("preprocess_cfg")) {
            sources.add(new Source(openClip.get().child("preprocess_cfg"), "mean", "std"));
        }
        sources.add(new Source(config(), "image_mean", "image_std"));
        for (Source source : sources) {
            Config c = source.config();
            if (c.has(source.meanKey()) && c.has(source.stdKey())) {
                float[] mean = c.floats(source.meanKey());
                float[] std = c.floats(source.stdKey());
                if (mean.length != channels || std.length != channels) {
                    throw new CheckpointException(c.file() + ": " + source.meanKey() + "/" + source.stdKey() + " have "
                            + mean.length + "/" + std.length + " values but the network takes " + channels
                            + " channel(s)");
                }
                for (float s : std) {
                    if (!(s > 0)) {
                        throw new CheckpointException(c.file() + ": " + source.stdKey() + " must be positive, got "
                                + Arrays.toString(std));
                    }
                }
                return Optional.of(new Normalization(mean, std, c.file().getFileName().toString()));
            }
        }
        return Optional.empty();
    }

    /**
     * @param name a tensor name
     * @return whether the weights hold it
     */
    public boolean has(String name) {
        return weights.contains(name);
    }

    /**
     * Finds the prefix under which a model's tensors are stored (e.g. "vit." in a classifier's checkpoint).
     *
     * @param suffix a name the model certainly has, without prefix, e.g. "embeddings.cls_token"
     * @return the shortest prefix p such that p + suffix is a tensor, or empty when none is
     */
    public Optional<String> prefixOf(String suffix) {
        String best = null;
        for (String n : weights.names()) {
            if (n.endsWith(suffix)) {
                String p = n.substring(0, n.length() - suffix.length());
                // a nested PyTorch checkpoint's state dict sits under "model/" or "state_dict/module.base_encoder."
                if ((p.isEmpty() || p.endsWith(".") || p.endsWith("/"))
                        && (best == null || p.length() < best.length())) {
                    best = p;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * @param name a tensor name
     * @return its shape as stored
     * @throws CheckpointException naming the tensor and the file if there is no such tensor
     */
    public long[] shape(String name) throws CheckpointException {
        require(name);
        return weights.shape(name);
    }

    /**
     * Reads a tensor as floats, checking its shape against the one the configuration implies.
     *
     * @param name the tensor name
     * @param expectedShape the shape config.json implies
     * @return the elements, row-major
     * @throws CheckpointException naming the tensor and the file when it is missing or its shape differs
     */
    public float[] tensor(String name, long... expectedShape) throws CheckpointException {
        require(name);
        long[] stored = weights.shape(name);
        if (!Arrays.equals(stored, expectedShape)) {
            throw new CheckpointException(weights.path() + ": tensor '" + name + "' has shape "
                    + Arrays.toString(stored) + " but "
                    + (config.size() == 0 ? "its other tensors imply " : "config.json implies ")
                    + Arrays.toString(expectedShape));
        }
        try {
            return weights.readFloats(name);
        } catch (IOException e) {
            throw new CheckpointException(weights.path() + ": tensor '" + name + "' cannot be read ("
                    + e.getMessage() + ")", e);
        }
    }

    private void require(String name) throws CheckpointException {
        if (!weights.contains(name)) {
            throw new CheckpointException(weights.path() + ": tensor '" + name + "' is missing (misnamed, or a "
                    + "checkpoint of another architecture)");
        }
    }

    /**
     * The checkpoint's identity for caches: the SHA-256 of its weight files' bytes, in order (computed once).
     *
     * @return lower-case hex digest
     * @throws IOException if a weight file cannot be read
     */
    public synchronized String contentHash() throws IOException {
        if (contentHash == null) {
            MessageDigest digest = sha256();
            byte[] buffer = new byte[1 << 20];
            for (Path f : weights.files()) {
                try (InputStream in = Files.newInputStream(f)) {
                    for (int n; (n = in.read(buffer)) > 0;) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
            contentHash = HexFormat.of().formatHex(digest.digest());
        }
        return contentHash;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Closes the weight files.
     *
     * @throws IOException if a file cannot be closed
     */
    @Override
    public void close() throws IOException {
        weights.close();
    }

    @Override
    public String toString() {
        return "Checkpoint[" + folder + "]";
    }

    /**
     * A view of one JSON object of a checkpoint's configuration, with typed getters whose errors name the file.
     */
    public static final class Config {

        private final JsonObject json;
        private final Path file;

        Config(JsonObject json, Path file) {
            this.json = json;
            this.file = file;
        }

        /**
         * @param key a key whose value is an object
         * @return that object as a configuration of the same file (empty when absent or not an object)
         */
        public Config child(String key) {
            JsonElement e = json.get(key);
            return new Config(e != null && e.isJsonObject() ? e.getAsJsonObject() : new JsonObject(), file);
        }

        /** @return the file this configuration comes from */
        public Path file() {
            return file;
        }

        /**
         * @param key a key
         * @return whether the key is present and not null
         */
        public boolean has(String key) {
            return json.has(key) && !json.get(key).isJsonNull();
        }

        /**
         * @param key a key
         * @return its value as a string, or null when absent
         */
        public String string(String key) {
            return has(key) && json.get(key).isJsonPrimitive() ? json.get(key).getAsString() : null;
        }

        /**
         * @param key a key
         * @param fallback the value when absent (the library's default)
         * @return its integer value
         * @throws CheckpointException if present but not an integer
         */
        public int integer(String key, int fallback) throws CheckpointException {
            if (!has(key)) {
                return fallback;
            }
            try {
                double v = json.get(key).getAsDouble();
                if (v != Math.rint(v)) {
                    throw new NumberFormatException();
                }
                return (int) v;
            } catch (RuntimeException e) {
                throw new CheckpointException(file + ": \"" + key + "\" should be an integer, got " + json.get(key));
            }
        }

        /**
         * @param key a key
         * @param fallback the value when absent
         * @return its numeric value
         * @throws CheckpointException if present but not a number
         */
        public double number(String key, double fallback) throws CheckpointException {
            if (!has(key)) {
                return fallback;
            }
            try {
                return json.get(key).getAsDouble();
            } catch (RuntimeException e) {
                throw new CheckpointException(file + ": \"" + key + "\" should be a number, got " + json.get(key));
            }
        }

        /**
         * @param key a key
         * @param fallback the value when absent
         * @return its boolean value
         * @throws CheckpointException if present but not a boolean
         */
        public boolean bool(String key, boolean fallback) throws CheckpointException {
            if (!has(key)) {
                return fallback;
            }
            JsonElement e = json.get(key);
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
                return e.getAsBoolean();
            }
            throw new CheckpointException(file + ": \"" + key + "\" should be true or false, got " + e);
        }

        /**
         * @param key a key whose value is a number or a list of numbers
         * @return the numbers (one for a plain number)
         * @throws CheckpointException if not numbers
         */
        public float[] floats(String key) throws CheckpointException {
            JsonElement e = json.get(key);
            try {
                if (e.isJsonArray()) {
                    float[] out = new float[e.getAsJsonArray().size()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = e.getAsJsonArray().get(i).getAsFloat();
                    }
                    return out;
                }
                return new float[] { e.getAsFloat() };
            } catch (RuntimeException ex) {
                throw new CheckpointException(file + ": \"" + key + "\" should be a list of numbers, got " + e);
            }
        }

        /**
         * @param key a key whose value is a list of integers
         * @param fallback the value when absent
         * @return the integers
         * @throws CheckpointException if not integers
         */
        public int[] integers(String key, int[] fallback) throws CheckpointException {
            if (!has(key)) {
                return fallback.clone();
            }
            float[] f = floats(key);
            int[] out = new int[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = (int) f[i];
                if (out[i] != f[i]) {
                    throw new CheckpointException(file + ": \"" + key + "\" should be a list of integers");
                }
            }
            return out;
        }

        /**
         * An image or patch size given as a number or as [height, width]; only square sizes are supported.
         *
         * @param key "image_size" or "patch_size"
         * @param fallback the value when absent
         * @return the side length
         * @throws CheckpointException if not square
         */
        public int side(String key, int fallback) throws CheckpointException {
            if (!has(key)) {
                return fallback;
            }
            int[] v = integers(key, new int[0]);
            if (v.length == 1 || v.length == 2 && v[0] == v[1]) {
                return v[0];
            }
            throw new CheckpointException(file + ": \"" + key + "\" " + Arrays.toString(v)
                    + " is not square; only square inputs and patches are supported");
        }
    }
}
