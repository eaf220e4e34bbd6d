package org.brainalign.io.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.brainalign.io.DataFormatException;
import org.brainalign.io.Inspection;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The inspect command's JSON: exactly the documented keys, and values that agree with nibabel's readings. */
class InspectionTest {

    private static final Set<String> KEYS = Set.of("format", "shape", "datatype", "byte_order", "qform_code",
            "sform_code", "affine", "qform", "sform", "scl_slope", "scl_inter", "vox_offset", "pixdim", "units",
            "orientation", "stats", "center_index", "center_value");

    @TempDir
    Path dir;

    private static Path data(String name) {
        return SharedData.nifti(name);
    }

    @TestFactory
    Stream<DynamicTest> niftiInspectionsAgreeWithNibabel() throws IOException {
        JsonObject root;
        try (Reader r = Files.newBufferedReader(data("reference-nibabel.json"))) {
            root = JsonParser.parseReader(r).getAsJsonObject();
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray("files")) {
            JsonObject ref = e.getAsJsonObject();
            String name = ref.get("file").getAsString();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                JsonObject j = Inspection.of(data(name), null).toJson();
                assertEquals(KEYS, j.keySet());
                assertEquals(ref.get("class").getAsString().equals("Nifti2Image") ? "nifti2" : "nifti1",
                        j.get("format").getAsString());
                assertEquals(ref.get("shape"), j.get("shape"));
                assertEquals(ref.get("endian").getAsString().equals(">") ? "big" : "little",
                        j.get("byte_order").getAsString());
                assertEquals(ref.get("qform_code"), j.get("qform_code"));
                assertEquals(ref.get("sform_code"), j.get("sform_code"));
                assertMatrix(ref.getAsJsonArray("nibabel_affine"), j.get("affine"));
                if (ref.get("qform_code").getAsInt() > 0) {
                    assertMatrix(ref.getAsJsonArray("qform_affine"), j.get("qform"));
                } else {
                    assertTrue(j.get("qform").isJsonNull());
                }
                if (ref.get("sform_code").getAsInt() > 0) {
                    assertMatrix(ref.getAsJsonArray("sform_affine"), j.get("sform"));
                } else {
                    assertTrue(j.get("sform").isJsonNull());
                }
                JsonArray zooms = ref.getAsJsonArray("pixdim");
                for (int i = 0; i < zooms.size(); i++) {
                    assertEquals(zooms.get(i).getAsDouble(), j.getAsJsonArray("pixdim").get(i).getAsDouble(), 1e-7);
                }
                assertEquals(ref.getAsJsonArray("xyzt_units").get(0).getAsString(),
                        j.getAsJsonObject("units").get("space").getAsString());
                JsonObject s = j.getAsJsonObject("stats");
                double sum = ref.get("scaled_sum").getAsDouble();
                assertEquals(sum, s.get("sum").getAsDouble(), Math.abs(sum) * 1e-6);
                assertEquals(ref.get("scaled_min").getAsDouble(), s.get("min").getAsDouble(), 1e-9);
                assertEquals(ref.get("scaled_max").getAsDouble(), s.get("max").getAsDouble(), 1e-9);
                assertEquals(ref.get("n_nonfinite").getAsLong(), s.get("nonfinite_count").getAsLong());
                long total = 1;
                for (JsonElement d : ref.getAsJsonArray("shape")) {
                    total *= d.getAsLong();
                }
                assertEquals(total - ref.get("n_nonfinite").getAsLong(), s.get("finite_count").getAsLong());
                assertEquals(sum / s.get("finite_count").getAsLong(), s.get("mean").getAsDouble(),
                        Math.abs(sum) * 1e-6);
                assertEquals(ref.get("center_index"), j.get("center_index"));
                assertEquals(ref.get("center_value_scaled").getAsDouble(), j.get("center_value").getAsDouble(),
                        1e-9 * Math.max(1, Math.abs(j.get("center_value").getAsDouble())));
                assertTrue(Inspection.of(data(name), null).toText().contains("orientation "
                        + j.get("orientation").getAsString()));
            }));
        }
        return tests.stream();
    }

    private static void assertMatrix(JsonArray expected, JsonElement actual) {
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                double e = expected.get(r).getAsJsonArray().get(c).getAsDouble();
                double a = actual.getAsJsonArray().get(r).getAsJsonArray().get(c).getAsDouble();
                // the reference rounds to 6 decimals
                assertEquals(e, a, 2e-6 * Math.max(1, Math.abs(e)));
            }
        }
    }

    @Test
    void orientationOfTheRadiologicalAnatomical() throws IOException {
        // affine diag(-2, 2, 2): i runs right to left, j posterior to anterior, k inferior to superior
        assertEquals("LAS", Inspection.of(data("anatomical.nii"), null).toJson().get("orientation").getAsString());
        assertEquals("RAS", Inspection.of(data("aal.nii.gz"), null).toJson().get("orientation").getAsString());
    }

    @Test
    void npyHasTheSameKeysWithNiftiOnlyOnesNull() throws IOException {
        Path p = dir.resolve("f8_big_fortran.npy");
        try (InputStream in = InspectionTest.class.getResourceAsStream("/resources/npy/f8_big_fortran.npy")) {
            Files.copy(in, p);
        }
        JsonObject j = Inspection.of(p, null).toJson();
        assertEquals(KEYS, j.keySet());
        assertEquals("npy", j.get("format").getAsString());
        assertEquals("float64", j.get("datatype").getAsString());
        assertEquals("big", j.get("byte_order").getAsString());
        assertTrue(j.get("affine").isJsonNull() && j.get("qform_code").isJsonNull() && j.get("units").isJsonNull());
        // values i / 7 for i = 0..23
        assertEquals(276 / 7.0, j.getAsJsonObject("stats").get("sum").getAsDouble(), 1e-12);
        assertEquals((1 * 12 + 1 * 4 + 2) / 7.0, j.get("center_value").getAsDouble(), 1e-15);
    }

    @Test
    void aPickleIsRefused() throws IOException {
        Path p = dir.resolve("mapping_prf-visualrois.npy");
        Files.write(p, new byte[] { (byte) 0x80, 4, '}', '.' });
        DataFormatException e = assertThrows(DataFormatException.class, () -> Inspection.of(p, null));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("pickle"));
    }
}
