package org.brainalign.engine.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.brainalign.io.npy.NpyArray;
import org.brainalign.io.npy.Npz;

/**
 * A reference fixture is a folder of files written by PyTorch and Pillow (releng/reference/generate.py) and kept in
 * this fragment's resources/reference: a checkpoint in a Hugging Face layout with the hidden states PyTorch computes
 * for it, or images with Pillow's readings of them, or F.interpolate's resampling weights. Each lives on the test
 * class path; the engine reads files, so a fixture is copied to a folder first.
 */
public final class ReferenceFixtures {

    private ReferenceFixtures() {
    }

    /**
     * Copies files of one fixture out of the test resources.
     *
     * @param fixture the fixture's folder name, e.g. "dinov2"
     * @param into the folder to copy into (a sub-folder named after the fixture is made)
     * @param files the file names to copy
     * @return the folder holding the copies
     * @throws IOException if a file is missing or cannot be written
     */
    public static Path copy(String fixture, Path into, String... files) throws IOException {
        Path folder = Files.createDirectories(into.resolve(fixture));
        for (String f : files) {
            String resource = "/resources/reference/" + fixture + "/" + f;
            try (InputStream in = ReferenceFixtures.class.getResourceAsStream(resource)) {
                assertNotNull(in, resource + " is not on the test class path (run releng/reference/generate.py)");
                Files.copy(in, folder.resolve(f));
            }
        }
        return folder;
    }

    /**
     * @param folder a copied fixture
     * @return the arrays of its reference.npz, by name
     * @throws IOException if unreadable
     */
    public static Map<String, NpyArray> arrays(Path folder) throws IOException {
        return Npz.read(folder.resolve("reference.npz"));
    }

    /**
     * @param arrays a fixture's arrays
     * @param name an array's name
     * @param shape the shape the test expects
     * @return the array, after checking it is there with that shape
     */
    public static NpyArray array(Map<String, NpyArray> arrays, String name, int... shape) {
        NpyArray a = arrays.get(name);
        assertNotNull(a, "the fixture has no array '" + name + "'");
        assertArrayEquals(shape, a.shape(), "shape of '" + name + "'");
        return a;
    }

    /**
     * @param expected reference values
     * @param expectedOffset where to start in them
     * @param actual computed values
     * @param actualOffset where to start in them
     * @param count how many to compare
     * @return the largest absolute difference (infinite when either side has a NaN)
     */
    public static double maxDifference(float[] expected, int expectedOffset, float[] actual, int actualOffset,
            int count) {
        double worst = 0;
        for (int i = 0; i < count; i++) {
            double d = Math.abs((double) expected[expectedOffset + i] - actual[actualOffset + i]);
            worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
        }
        return worst;
    }
}
