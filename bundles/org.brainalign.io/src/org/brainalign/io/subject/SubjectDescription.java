package org.brainalign.io.subject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.brainalign.io.InputFile;
import org.brainalign.io.TextFile;
import org.brainalign.io.AtomicFile;
import org.brainalign.io.DataFormatException;
import org.eclipse.core.runtime.IProgressMonitor;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * A subject description says where a subject's data lie and how to read them, so that commands take one
 * {@code --subject} argument: a small JSON file ({@value #FILE}, or any name) written by the import or by hand. Paths
 * in it are relative to the file's folder unless absolute.
 *
 * <pre>
 * {"layout": "nsd", "root": ".", "subject": "subj01", "trials": "trials.csv", "stimuli": "stimuli",
 *  "mask": null, "sessions": [1, 2]}
 * {"layout": "algonauts", "folder": "subj01", "surfaces": "fsaverage/surf"}
 * </pre>
 *
 * For "nsd", mask (default the subject's nsdgeneral) and sessions (default all) are optional.
 *
 * @param layout "nsd" or "algonauts"
 * @param root the NSD root (nsddata/ and nsddata_betas/ inside), or the Algonauts subject folder
 * @param subject the NSD subject folder name, e.g. "subj01" (NSD only)
 * @param trials the trial table CSV (NSD only)
 * @param stimuli the stimulus folder (NSD only)
 * @param mask a mask volume on the betas' grid, or null (NSD only)
 * @param sessions the sessions to load, or null for all (NSD only)
 * @param surfaces the folder with lh.sphere and rh.sphere (Algonauts only)
 */
public record SubjectDescription(String layout, Path root, String subject, Path trials, Path stimuli, Path mask,
        int[] sessions, Path surfaces) {

    /** The name a subject description has when a folder is given instead of a file. */
    public static final String FILE = "subject.json";

    /**
     * @param root the NSD root
     * @param subject e.g. "subj01"
     * @param trials the trial table
     * @param stimuli the stimulus folder
     * @return the description of an NSD volume-space subject, with the default mask and all sessions
     */
    public static SubjectDescription nsd(Path root, String subject, Path trials, Path stimuli) {
        return new SubjectDescription("nsd", root, subject, trials, stimuli, null, null, null);
    }

    /**
     * Reads a description.
     *
     * @param fileOrFolder the JSON file, or a folder holding {@value #FILE}
     * @return the description, with paths resolved against the file's folder
     * @throws DataFormatException naming the file if it is missing, not JSON, or lacks a required entry
     * @throws IOException if it cannot be read
     */
    public static SubjectDescription read(Path fileOrFolder) throws IOException {
        Path file = Files.isDirectory(fileOrFolder) ? fileOrFolder.resolve(FILE) : fileOrFolder;
        if (!Files.exists(file) && !Files.isSymbolicLink(file)) {
            throw DataFormatException.of(file, "does not exist; a subject is given as its " + FILE
                    + " (written by the import, or by hand: see the user guide)");
        }
        InputFile.check(file);
        Path base = file.toAbsolutePath().getParent();
        JsonObject json;
        JsonElement parsed = TextFile.json(file);
        if (!parsed.isJsonObject()) {
            throw DataFormatException.of(file, "is not a JSON object");
        }
        json = parsed.getAsJsonObject();
        String layout = string(json, "layout", file, true);
        switch (layout) {
            case "nsd" -> {
                int[] sessions = null;
                if (json.has("sessions") && !json.get("sessions").isJsonNull()) {
                    if (!json.get("sessions").isJsonArray()) {
                        throw DataFormatException.of(file, "has a \"sessions\" entry that is not a list of numbers");
                    }
                    JsonArray a = json.getAsJsonArray("sessions");
                    sessions = new int[a.size()];
                    for (int i = 0; i < sessions.length; i++) {
                        JsonElement n = a.get(i);
                        if (!n.isJsonPrimitive() || !n.getAsJsonPrimitive().isNumber()) {
                            throw DataFormatException.of(file, "lists " + n + " among its sessions, not a number");
                        }
                        sessions[i] = n.getAsInt();
                    }
                }
                String subject = string(json, "subject", file, true);
                if (!subject.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
                    // the name becomes a folder under the root: nothing may lead out of it
                    throw DataFormatException.of(file, "names the subject '" + subject + "', which is not a plain"
                            + " folder name such as subj01");
                }
                return new SubjectDescription(layout, path(base, json, "root", file, true), subject,
                        path(base, json, "trials", file, true),
                        path(base, json, "stimuli", file, true), path(base, json, "mask", file, false), sessions,
                        null);
            }
            case "algonauts" -> {
                return new SubjectDescription(layout, path(base, json, "folder", file, true), null, null, null, null,
                        null, path(base, json, "surfaces", file, false));
            }
            default -> throw DataFormatException.of(file, "has layout '" + layout + "'; expected nsd or algonauts");
        }
    }

    /**
     * Writes this description as JSON, with paths relative to the file's folder where they lie below it.
     *
     * @param file the file to write (atomically)
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        Path base = file.toAbsolutePath().getParent();
        JsonObject json = new JsonObject();
        json.addProperty("layout", layout);
        if (layout.equals("nsd")) {
            json.addProperty("root", relative(base, root));
            json.addProperty("subject", subject);
            json.addProperty("trials", relative(base, trials));
            json.addProperty("stimuli", relative(base, stimuli));
            json.addProperty("mask", mask == null ? null : relative(base, mask));
            if (sessions != null) {
                JsonArray a = new JsonArray();
                Arrays.stream(sessions).forEach(a::add);
                json.add("sessions", a);
            }
        } else {
            json.addProperty("folder", relative(base, root));
            json.addProperty("surfaces", surfaces == null ? null : relative(base, surfaces));
        }
        String text = new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(json) + "\n";
        AtomicFile.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Loads the subject.
     *
     * @param monitor progress (volumes of betas, or arrays)
     * @return the subject
     * @throws IOException if its files are unreadable or inconsistent (each message names the file)
     */
    public Subject load(IProgressMonitor monitor) throws IOException {
        return load(null, monitor);
    }

    /**
     * Loads the subject with the responses of some images only: an NSD subject reads the sessions that show them, an
     * Algonauts subject their rows of the fMRI arrays.
     *
     * @param images the images whose responses to keep, or null for all
     * @param monitor progress (volumes of betas, or arrays)
     * @return the subject
     * @throws IOException if its files are unreadable or inconsistent (each message names the file)
     */
    public Subject load(java.util.Collection<String> images, IProgressMonitor monitor) throws IOException {
        if (layout.equals("algonauts")) {
            return AlgonautsSubject.load(root, surfaces, images, monitor);
        }
        NsdVolumeSubject nsd = NsdVolumeSubject.at(root, subject).setTrials(trials).setStimuli(stimuli);
        if (mask != null) {
            nsd.optMask(mask);
        }
        if (sessions != null) {
            nsd.optSessions(sessions);
        }
        if (images != null) {
            nsd.optImages(images);
        }
        return nsd.load(monitor);
    }

    /**
     * The images the subject has responses to, without reading a response (NSD: from the trial table and the betas
     * files' headers; Algonauts: from the training images' names and the fMRI arrays' headers), so that a caller can
     * load them a part at a time ({@link #load(java.util.Collection, IProgressMonitor)}).
     *
     * @return the image ids of the response rows, in row order
     * @throws IOException if the files they come from are unreadable or do not fit each other
     */
    public java.util.List<String> imageIds() throws IOException {
        if (layout.equals("algonauts")) {
            return AlgonautsSubject.imageIds(root);
        }
        NsdVolumeSubject nsd = NsdVolumeSubject.at(root, subject).setTrials(trials).setStimuli(stimuli);
        if (sessions != null) {
            nsd.optSessions(sessions);
        }
        return nsd.imageIds();
    }

    /**
     * @return the file of the first betas session (for NSD: its header gives the maps' geometry), or null
     * @throws IOException if the betas folder cannot be listed
     */
    public Path firstBetas() throws IOException {
        if (!layout.equals("nsd")) {
            return null;
        }
        Path dir = NsdVolumeSubject.at(root, subject).betasDir();
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("betas_session\\d+\\.nii(\\.gz)?")).sorted()
                    .findFirst().orElse(null);
        }
    }

    private static String relative(Path base, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(base)
                ? base.relativize(abs).toString().isEmpty() ? "." : base.relativize(abs).toString()
                : abs.toString();
    }

    private static String string(JsonObject json, String key, Path file, boolean required) throws DataFormatException {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            if (required) {
                throw DataFormatException.of(file, "lacks the entry \"" + key + "\"");
            }
            return null;
        }
        if (!e.isJsonPrimitive()) {
            throw DataFormatException.of(file, "has a \"" + key + "\" entry that is not a text");
        }
        return e.getAsString();
    }

    private static Path path(Path base, JsonObject json, String key, Path file, boolean required)
            throws DataFormatException {
        String s = string(json, key, file, required);
        try {
            return s == null ? null : base.resolve(s).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw DataFormatException.of(file, "has a \"" + key + "\" entry that is not a usable path");
        }
    }
}
