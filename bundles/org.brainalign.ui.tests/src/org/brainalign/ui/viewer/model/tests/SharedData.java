package org.brainalign.ui.viewer.model.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.brainalign.core.Affine;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The shared NIfTI files (real files made by others, found through the system property the build sets) and what
 * nibabel 5.0 reads from them (reference-nibabel.json).
 */
public final class SharedData {

    private SharedData() {
    }

    /**
     * @param name a file of the shared nifti folder
     * @return its path
     */
    public static Path nifti(String name) {
        String root = System.getProperty("brainalign.testdata");
        if (root == null) {
            fail("the system property brainalign.testdata (the shared data folder) is not set");
        }
        Path p = Path.of(root, "nifti", name);
        if (!Files.isRegularFile(p)) {
            fail("shared test file missing: " + p);
        }
        return p;
    }

    /**
     * @param name a file of the shared nifti folder
     * @return nibabel's readings of it
     * @throws IOException if the reference file cannot be read
     */
    public static JsonObject nibabel(String name) throws IOException {
        JsonObject all = JsonParser.parseString(Files.readString(nifti("reference-nibabel.json"))).getAsJsonObject();
        for (JsonElement e : all.getAsJsonArray("files")) {
            if (e.getAsJsonObject().get("file").getAsString().equals(name)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError("reference-nibabel.json has no entry for " + name);
    }

    /**
     * @param reference one file's readings
     * @return the affine nibabel uses for it
     */
    public static Affine affine(JsonObject reference) {
        JsonArray rows = reference.getAsJsonArray("nibabel_affine");
        double[][] m = new double[4][4];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                m[r][c] = rows.get(r).getAsJsonArray().get(c).getAsDouble();
            }
        }
        return Affine.of(m);
    }

    /**
     * @param reference one file's readings
     * @return the centre index nibabel reports (each dimension // 2), first three dimensions
     */
    public static int[] centre(JsonObject reference) {
        JsonArray a = reference.getAsJsonArray("center_index");
        return new int[] { a.get(0).getAsInt(), a.get(1).getAsInt(), a.get(2).getAsInt() };
    }
}
