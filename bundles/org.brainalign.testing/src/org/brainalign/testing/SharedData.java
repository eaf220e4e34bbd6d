package org.brainalign.testing;

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
 * The shared reference data (real files made by others with nibabel and PyTorch), read in place: the one place
 * that knows where it lives. The build names the folder in the system property {@value #PROPERTY}; a test run
 * from an IDE without it finds the folder beside the checkout, as the build does.
 */
public final class SharedData {

    /** The system property naming the shared data folder. */
    public static final String PROPERTY = "brainalign.testdata";

    /** Where the folder is when the property is not set, relative to a test fragment's folder. */
    private static final String BESIDE_THE_CHECKOUT = "../../../shared/data";

    private SharedData() {
    }

    /** @return the shared data folder */
    public static Path root() {
        return Path.of(System.getProperty(PROPERTY, BESIDE_THE_CHECKOUT));
    }

    /**
     * A file or folder of the shared data that must be there: a test that needs it fails naming the missing path
     * rather than with a later, unrelated error.
     *
     * @param first the first name under the root
     * @param more further names
     * @return its path
     */
    public static Path path(String first, String... more) {
        Path p = root().resolve(Path.of(first, more));
        if (!Files.exists(p)) {
            fail("shared test data missing: " + p + " (set -D" + PROPERTY + " to the shared data folder)");
        }
        return p;
    }

    /**
     * @param name a file of the nifti folder
     * @return its path
     */
    public static Path nifti(String name) {
        return path("nifti", name);
    }

    /**
     * @param names a folder of the checkpoints folder (one per source of PyTorch files), then a file in it
     * @return its path; with no names, the checkpoints folder
     */
    public static Path checkpoint(String... names) {
        return path("checkpoints", names);
    }

    /** @return the tiny MNIST ViT (a Hugging Face folder with PyTorch's reference outputs) */
    public static Path vitMnist() {
        return path("models", "vit-mnist-tiny");
    }

    /**
     * @param name a photograph of the BSD100 stimuli
     * @return its path
     */
    public static Path photograph(String name) {
        return path("stimuli", "bsd100", name);
    }

    /**
     * @param name a file of the nifti folder
     * @return nibabel's readings of it (reference-nibabel.json)
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
