package org.brainalign.engine.features;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.engine.backbone.PositionInterpolation;
import org.brainalign.io.AtomicFile;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * What a feature store's manifest.json says: the backbone and checkpoint the features come from, the
 * preprocessing, the shapes and the images with their content hashes. Two stores hold the same features when their
 * identities ({@link #sameSource}) agree.
 *
 * @param family backbone family id
 * @param checkpoint where the checkpoint was (informative)
 * @param checkpointHash SHA-256 of the weight files
 * @param inputSize input side in pixels
 * @param mean normalisation means
 * @param std normalisation deviations
 * @param normalizationSource where mean and std come from
 * @param positions the id of the position rule dinov2 was asked for ({@link PositionInterpolation#id()}); stores
 *        written before it was recorded used Hugging Face's
 * @param layers L
 * @param channels C
 * @param grid side of the local grid
 * @param classToken whether the global token is a class token
 * @param names image names
 * @param paths image paths as given (informative)
 * @param hashes SHA-256 of each image file ("" when unreadable)
 * @param skipped name to reason of each image skipped as unreadable
 * @param saturated values beyond float16's range, clamped to +-65504
 */
public record StoreManifest(String family, String checkpoint, String checkpointHash, int inputSize, float[] mean,
        float[] std, String normalizationSource, String positions, int layers, int channels, int grid,
        boolean classToken,
        List<String> names, List<String> paths, List<String> hashes, Map<String, String> skipped, long saturated) {

    static final String FORMAT = "brainalign-feature-store";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    int imageCount() {
        return names.size();
    }

    /** @return the float16 values one image stores: every layer's grid cells and global token */
    public long valuesPerImage() {
        return (long) layers * (grid * grid + 1) * channels;
    }

    /**
     * @param other another manifest
     * @return why the two do not describe the same features (apart from the image contents), or null if they do
     */
    String differenceOfSource(StoreManifest other) {
        if (!family.equals(other.family) || !checkpointHash.equals(other.checkpointHash)) {
            return "its features come from backbone '" + family + "' with checkpoint " + checkpoint + " (sha256 "
                    + shortHash(checkpointHash) + "), not '" + other.family + "' with " + other.checkpoint
                    + " (sha256 " + shortHash(other.checkpointHash) + ")"
                    + (family.equals(other.family) ? ": the checkpoint changed" : "");
        }
        if (inputSize != other.inputSize || !Arrays.equals(mean, other.mean) || !Arrays.equals(std, other.std)) {
            return "it was extracted with input size " + inputSize + ", mean " + Arrays.toString(mean) + ", std "
                    + Arrays.toString(std) + ", not " + other.inputSize + ", " + Arrays.toString(other.mean) + ", "
                    + Arrays.toString(other.std);
        }
        if (!positions.equals(other.positions)) {
            return "it was extracted with the " + positions + " position embedding rule, not " + other.positions;
        }
        if (layers != other.layers || channels != other.channels || grid != other.grid) {
            return "its shapes (" + layers + " layers, " + channels + " channels, grid " + grid + ") differ";
        }
        if (!names.equals(other.names)) {
            return "it holds another image list (" + names.size() + " images, first " + first(names) + ", not "
                    + other.names.size() + ", first " + first(other.names) + ")";
        }
        return null;
    }

    boolean sameSource(StoreManifest other) {
        return differenceOfSource(other) == null;
    }

    private static String first(List<String> names) {
        return names.isEmpty() ? "none" : names.get(0);
    }

    static String shortHash(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) + "..." : hash;
    }

    StoreManifest withOutcome(List<String> hashes, Map<String, String> skipped, long saturated) {
        return new StoreManifest(family, checkpoint, checkpointHash, inputSize, mean, std, normalizationSource,
                positions, layers, channels, grid, classToken, names, paths, hashes, skipped, saturated);
    }

    /**
     * Writes the manifest as JSON.
     *
     * @param file where
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("version", 1);
        JsonObject backbone = new JsonObject();
        backbone.addProperty("family", family);
        backbone.addProperty("checkpoint", checkpoint);
        backbone.addProperty("checkpointSha256", checkpointHash);
        backbone.addProperty("layers", layers);
        backbone.addProperty("channels", channels);
        backbone.addProperty("classToken", classToken);
        root.add("backbone", backbone);
        JsonObject prep = new JsonObject();
        prep.addProperty("inputSize", inputSize);
        prep.addProperty("resize", "PIL bilinear (antialiased when shrinking), aspect ratio not kept");
        prep.add("mean", GSON.toJsonTree(mean));
        prep.add("std", GSON.toJsonTree(std));
        prep.addProperty("normalizationSource", normalizationSource);
        prep.addProperty("positionInterpolation", positions);
        root.add("preprocessing", prep);
        JsonObject layout = new JsonObject();
        layout.addProperty("grid", grid);
        layout.addProperty("dtype", "float16 little endian");
        layout.addProperty("order", "image, layer, token (grid cells row by row, then the global token), channel");
        layout.addProperty("valuesPerImage", valuesPerImage());
        layout.addProperty("saturated", saturated);
        root.add("layout", layout);
        JsonArray images = new JsonArray();
        for (int i = 0; i < names.size(); i++) {
            JsonObject img = new JsonObject();
            img.addProperty("name", names.get(i));
            img.addProperty("path", paths.get(i));
            img.addProperty("sha256", hashes.get(i));
            images.add(img);
        }
        root.add("images", images);
        JsonArray skips = new JsonArray();
        for (Map.Entry<String, String> e : skipped.entrySet()) {
            JsonObject skip = new JsonObject();
            skip.addProperty("name", e.getKey());
            skip.addProperty("reason", e.getValue());
            skips.add(skip);
        }
        root.add("skipped", skips);
        AtomicFile.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            GSON.toJson(root, w);
            w.flush();
        });
    }

    static StoreManifest read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FeatureStoreException(file + ": missing; this folder is not a feature store (or its extraction "
                    + "never got past the start)");
        }
        try {
            JsonObject root = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            if (!root.has("format") || !FORMAT.equals(root.get("format").getAsString())) {
                throw new FeatureStoreException(file + ": not a BrainAlign feature store manifest");
            }
            JsonObject backbone = root.getAsJsonObject("backbone");
            JsonObject prep = root.getAsJsonObject("preprocessing");
            JsonObject layout = root.getAsJsonObject("layout");
            List<String> names = new ArrayList<>();
            List<String> paths = new ArrayList<>();
            List<String> hashes = new ArrayList<>();
            for (JsonElement e : root.getAsJsonArray("images")) {
                JsonObject img = e.getAsJsonObject();
                names.add(img.get("name").getAsString());
                paths.add(img.get("path").getAsString());
                hashes.add(img.get("sha256").getAsString());
            }
            Map<String, String> skipped = new LinkedHashMap<>();
            for (JsonElement e : root.getAsJsonArray("skipped")) {
                skipped.put(e.getAsJsonObject().get("name").getAsString(),
                        e.getAsJsonObject().get("reason").getAsString());
            }
            return new StoreManifest(backbone.get("family").getAsString(), backbone.get("checkpoint").getAsString(),
                    backbone.get("checkpointSha256").getAsString(), prep.get("inputSize").getAsInt(),
                    GSON.fromJson(prep.get("mean"), float[].class), GSON.fromJson(prep.get("std"), float[].class),
                    prep.get("normalizationSource").getAsString(),
                    prep.has("positionInterpolation")
                            ? prep.get("positionInterpolation").getAsString()
                            : PositionInterpolation.HUGGING_FACE.id(),
                    backbone.get("layers").getAsInt(),
                    backbone.get("channels").getAsInt(), layout.get("grid").getAsInt(),
                    backbone.get("classToken").getAsBoolean(), List.copyOf(names), List.copyOf(paths),
                    List.copyOf(hashes), Collections.unmodifiableMap(skipped), layout.get("saturated").getAsLong());
        } catch (JsonParseException | IllegalStateException | NullPointerException | ClassCastException
                | UnsupportedOperationException e) {
            throw new FeatureStoreException(file + ": the manifest is damaged (" + e.getMessage() + ")");
        }
    }
}
