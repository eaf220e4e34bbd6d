package org.brainalign.io.nifti.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared test data (real files made by others) through the system property the build sets. */
final class TestData {

    private TestData() {
    }

    static Path nifti(String name) {
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
}
