package org.brainalign.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * A sweep plan (SWEEP.json): the subjects, backbones and seeds whose product (or an explicit list of cells) is fitted,
 * the image set every backbone's features are extracted from, and the extraction and fit options all cells share.
 * Relative paths are resolved against the plan's folder. Reading checks the plan's shape only; {@link SweepCheck}
 * checks that what it names exists.
 *
 * @param file the plan file, absolute
 * @param subjects subject name to subject.json, in plan order
 * @param backbones the backbones, in plan order
 * @param seeds the seeds
 * @param images the image folder or list file every backbone is extracted over
 * @param options the shared options
 * @param cells the cells, product order unless the plan lists them
 * @param sha256 the SHA-256 of the plan file's bytes: a sweep folder belongs to one plan
 */
public record SweepPlan(Path file, Map<String, Path> subjects, List<Backbone> backbones, List<Long> seeds, Path images,
        Options options, List<SweepCell> cells, String sha256) {

    /** Names become folder names: letters, digits, dot, dash and underscore, not starting with a dot. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    /**
     * A backbone of the plan.
     *
     * @param name its name in tables and folder names
     * @param family the family id ("auto" to detect it)
     * @param checkpoint the checkpoint folder or weights file
     */
    public record Backbone(String name, String family, Path checkpoint) {
    }

    /**
     * What every cell shares.
     *
     * @param epochs most training epochs
     * @param patience early-stopping patience in epochs
     * @param testFraction share of images held out for scoring
     * @param dropNanVoxels leave out voxels with NaN responses (else stop)
     * @param batch images per forward pass of extraction
     * @param inputSize the network's input side, 0 for the family's
     * @param imagenetNorm normalise with ImageNet's mean and std whatever the checkpoint says
     */
    public record Options(int epochs, int patience, double testFraction, boolean dropNanVoxels, int batch,
            int inputSize, boolean imagenetNorm) {
    }

    /**
     * Reads a plan.
     *
     * @param file the plan file
     * @return the plan
     * @throws SweepException naming the file and the first problem with its shape
     */
    public static SweepPlan read(Path file) throws SweepException {
        Path abs = file.toAbsolutePath().normalize();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(abs);
        } catch (IOException e) {
            throw new SweepException(abs + ": cannot read the sweep plan (" + e.getMessage() + ")", e);
        }
        JsonObject root;
        try {
            JsonElement parsed = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) {
                throw new SweepException(abs + ": a sweep plan is a JSON object");
            }
            root = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new SweepException(abs + ": is not valid JSON (" + e.getMessage() + ")", e);
        }
        Reader r = new Reader(abs);
        Map<String, Path> subjects = r.subjects(root.get("subjects"));
        List<Backbone> backbones = r.backbones(root.get("backbones"));
        List<Long> seeds = r.seeds(root.get("seeds"));
        Path images = r.path(r.string(root, "images"));
        Options options = r.options(root.getAsJsonObject("fit") == null
                ? new JsonObject()
                : root.getAsJsonObject("fit"),
                root.getAsJsonObject("extract") == null
                        ? new JsonObject()
                        : root.getAsJsonObject("extract"));
        List<SweepCell> cells = root.has("cells")
                ? r.cells(root.get("cells"), subjects, backbones)
                : product(subjects, backbones, seeds);
        return new SweepPlan(abs, subjects, backbones, seeds, images, options, cells, sha256(bytes));
    }

    /** @return the backbone of a name */
    public Backbone backbone(String name) {
        return backbones.stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no backbone " + name + " in " + file));
    }

    private static List<SweepCell> product(Map<String, Path> subjects, List<Backbone> backbones, List<Long> seeds) {
        List<SweepCell> cells = new ArrayList<>();
        for (String s : subjects.keySet()) {
            for (Backbone b : backbones) {
                for (long seed : seeds) {
                    cells.add(new SweepCell(cells.size(), s, b.name(), seed));
                }
            }
        }
        return cells;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the parts of one plan file, naming it in every complaint. */
    private record Reader(Path file) {

        SweepException bad(String what) {
            return new SweepException(file + ": " + what);
        }

        Path path(String text) {
            return file.getParent().resolve(text).normalize();
        }

        String string(JsonObject o, String key) throws SweepException {
            JsonElement e = o.get(key);
            if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw bad("\"" + key + "\" must be a string");
            }
            return e.getAsString();
        }

        String name(String text, String what) throws SweepException {
            if (!NAME.matcher(text).matches() || text.contains("__")) {
                throw bad(what + " name '" + text + "' may hold only letters, digits, '.', '-' and single '_'");
            }
            return text;
        }

        Map<String, Path> subjects(JsonElement e) throws SweepException {
            Map<String, Path> out = new LinkedHashMap<>();
            if (e != null && e.isJsonObject()) {
                for (Map.Entry<String, JsonElement> s : e.getAsJsonObject().entrySet()) {
                    out.put(name(s.getKey(), "subject"), path(s.getValue().getAsString()));
                }
            } else if (e != null && e.isJsonArray()) {
                for (JsonElement s : e.getAsJsonArray()) {
                    Path p = path(s.getAsString());
                    Path folder = p.getFileName().toString().endsWith(".json") ? p.getParent() : p;
                    String n = name(folder.getFileName().toString(), "subject");
                    if (out.put(n, p) != null) {
                        throw bad("two subjects are named '" + n + "'; name them with an object {\"NAME\": PATH}");
                    }
                }
            } else {
                throw bad("\"subjects\" must be a list of subject.json files or an object of name to file");
            }
            if (out.isEmpty()) {
                throw bad("\"subjects\" is empty");
            }
            return out;
        }

        List<Backbone> backbones(JsonElement e) throws SweepException {
            if (e == null || !e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
                throw bad("\"backbones\" must be a non-empty list of \"FAMILY:CHECKPOINT\"");
            }
            List<Backbone> out = new ArrayList<>();
            Set<String> names = new LinkedHashSet<>();
            for (JsonElement b : e.getAsJsonArray()) {
                String spec;
                String given = null;
                if (b.isJsonObject()) {
                    spec = string(b.getAsJsonObject(), "backbone");
                    given = b.getAsJsonObject().has("name") ? string(b.getAsJsonObject(), "name") : null;
                } else {
                    spec = b.getAsString();
                }
                int colon = spec.indexOf(':');
                String family = colon > 0 && !spec.substring(0, colon).contains("/")
                        ? spec.substring(0, colon)
                        : "auto";
                Path checkpoint = path(family.equals("auto") ? spec : spec.substring(colon + 1));
                String n = name(given != null ? given : checkpoint.getFileName().toString(), "backbone");
                if (!names.add(n)) {
                    throw bad("two backbones are named '" + n + "'; give each a distinct \"name\"");
                }
                out.add(new Backbone(n, family, checkpoint));
            }
            return out;
        }

        List<Long> seeds(JsonElement e) throws SweepException {
            if (e == null) {
                return List.of(0L);
            }
            if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
                throw bad("\"seeds\" must be a non-empty list of integers");
            }
            List<Long> out = new ArrayList<>();
            for (JsonElement s : e.getAsJsonArray()) {
                long seed = s.getAsLong();
                if (out.contains(seed)) {
                    throw bad("seed " + seed + " is listed twice");
                }
                out.add(seed);
            }
            return out;
        }

        Options options(JsonObject fit, JsonObject extract) throws SweepException {
            int epochs = integer(fit, "epochs", 100, 1);
            int patience = integer(fit, "patience", 10, 1);
            double testFraction = fit.has("test_fraction") ? fit.get("test_fraction").getAsDouble() : 0.1;
            if (!(testFraction > 0 && testFraction <= 0.5)) {
                throw bad("\"fit\".\"test_fraction\" must lie in (0, 0.5], got " + testFraction);
            }
            String nan = fit.has("nan") ? fit.get("nan").getAsString() : "drop";
            if (!nan.equals("drop") && !nan.equals("stop")) {
                throw bad("\"fit\".\"nan\" must be drop or stop, got '" + nan + "'");
            }
            return new Options(epochs, patience, testFraction, nan.equals("drop"), integer(extract, "batch", 8, 1),
                    integer(extract, "size", 0, 0), extract.has("imagenet_norm")
                            && extract.get("imagenet_norm").getAsBoolean());
        }

        int integer(JsonObject o, String key, int fallback, int min) throws SweepException {
            if (!o.has(key)) {
                return fallback;
            }
            int v = o.get(key).getAsInt();
            if (v < min) {
                throw bad("\"" + key + "\" must be at least " + min + ", got " + v);
            }
            return v;
        }

        List<SweepCell> cells(JsonElement e, Map<String, Path> subjects, List<Backbone> backbones)
                throws SweepException {
            if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
                throw bad("\"cells\" must be a non-empty list of {\"subject\", \"backbone\", \"seed\"}");
            }
            List<SweepCell> out = new ArrayList<>();
            Set<String> ids = new LinkedHashSet<>();
            JsonArray list = e.getAsJsonArray();
            for (JsonElement c : list) {
                JsonObject o = c.getAsJsonObject();
                String s = string(o, "subject"), b = string(o, "backbone");
                if (!subjects.containsKey(s)) {
                    throw bad("a cell names subject '" + s + "', which \"subjects\" does not list");
                }
                if (backbones.stream().noneMatch(x -> x.name().equals(b))) {
                    throw bad("a cell names backbone '" + b + "', which \"backbones\" does not list");
                }
                SweepCell cell = new SweepCell(out.size(), s, b, o.has("seed") ? o.get("seed").getAsLong() : 0);
                if (!ids.add(cell.id())) {
                    throw bad("cell " + cell.id() + " is listed twice");
                }
                out.add(cell);
            }
            return out;
        }
    }
}
