package org.brainalign.io.nifti.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.brainalign.core.Affine;
import org.brainalign.io.ValueStatistics;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.io.nifti.NiftiSeries;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Every NIfTI file of the shared data against what nibabel 5.0 reads from it (reference-nibabel.json), field by
 * field, one dynamic test per file.
 */
class NiftiReferenceTest {

    /** The json rounds matrices to 6 decimals, so 1e-6 absolute plus float32 storage noise. */
    private static final double AFFINE_TOLERANCE = 2e-6;
    /**
     * nibabel calls qform and sform equal for small_101D.nii.gz (largest difference 6e-6) and different for
     * example4d.nii.gz (smallest large difference 1.3e-4): any tolerance in between reproduces its verdicts.
     */
    private static final double QFORM_EQUALS_SFORM = 5e-5;

    @TestFactory
    Stream<DynamicTest> everyFileAgreesWithNibabel() throws IOException {
        Path json = SharedData.nifti("reference-nibabel.json");
        JsonObject root;
        try (Reader r = Files.newBufferedReader(json)) {
            root = JsonParser.parseReader(r).getAsJsonObject();
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray("files")) {
            JsonObject ref = e.getAsJsonObject();
            String name = ref.get("file").getAsString();
            tests.add(DynamicTest.dynamicTest(name, () -> check(SharedData.nifti(name), ref)));
        }
        assertTrue(tests.size() >= 9, "the reference lists every shared NIfTI file");
        return tests.stream();
    }

    private static void check(Path file, JsonObject ref) throws Exception {
        String name = file.getFileName().toString();
        assertEquals(ref.get("bytes").getAsLong(), Files.size(file), name + " is the file nibabel read");
        assertEquals(ref.get("sha256").getAsString(),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));

        NiftiImage image = NiftiImage.read(file);
        NiftiHeader h = image.header();
        assertEquals(ref.get("class").getAsString(), "Nifti" + h.version() + "Image", name + " version");
        assertArrayEquals(ints(ref.getAsJsonArray("shape")), h.shape(), name + " shape");
        String endian = ref.get("endian").getAsString();
        assertEquals(endian.equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN, h.byteOrder(),
                name + " byte order");
        assertEquals(numpyName(ref.get("on_disk_dtype").getAsString()), h.dataType().numpyName(), name + " dtype");
        assertEquals(ref.get("qform_code").getAsInt(), h.qformCode(), name + " qform_code");
        assertEquals(ref.get("sform_code").getAsInt(), h.sformCode(), name + " sform_code");
        assertEquals(ref.get("intent_code").getAsInt(), h.intentCode(), name + " intent_code");

        // nibabel's image header resets scl_slope/inter to NaN and vox_offset to 0 once the data proxy has taken
        // them over, so the json holds those reset values; the on-disk values are checked through the data below
        // (a wrong slope or offset changes every statistic) and through the header's own structure here.
        assertTrue(Double.isNaN(ref.get("scl_slope_raw").getAsDouble()), "json holds nibabel's reset slope");
        assertTrue(Double.isNaN(ref.get("scl_inter_raw").getAsDouble()), "json holds nibabel's reset inter");
        assertEquals(0.0, ref.get("vox_offset").getAsDouble(), "json holds nibabel's reset offset");
        int extensionBytes = h.extensions().stream().mapToInt(x -> x.size()).sum();
        assertEquals((h.version() == 1 ? 348 : 540) + 4 + extensionBytes, h.voxOffset(),
                name + ": the data start right after the header, extension flag and extensions");

        assertArrayEquals(doubles(ref.getAsJsonArray("pixdim")), h.zooms(), 1e-7, name + " pixdim");
        JsonArray units = ref.getAsJsonArray("xyzt_units");
        assertEquals(units.get(0).getAsString(), h.spaceUnit(), name + " space unit");
        assertEquals(units.get(1).getAsString(), h.timeUnit(), name + " time unit");
        assertArrayEquals(doubles(ref.getAsJsonArray("quatern_bcd_raw")), h.quaternion(), 1e-12,
                name + " quaternion");

        assertAffine(ref, "qform_affine", h.qform(), name);
        assertAffine(ref, "sform_affine", h.sform(), name);
        assertAffine(ref, "nibabel_affine", h.affine(), name);
        assertAffine(ref, "nibabel_affine", h.grid().affine(), name);
        assertEquals(ref.get("qform_equals_sform").getAsBoolean(),
                h.qform().approxEquals(h.sform(), QFORM_EQUALS_SFORM), name + " qform equals sform");

        ValueStatistics s = image.statistics();
        double sum = ref.get("scaled_sum").getAsDouble();
        assertEquals(sum, s.sum(), Math.abs(sum) * 1e-6, name + " sum (1e-6 relative)");
        // min, max and the centre value are single values computed the same way: only float rounding may differ
        assertEquals(ref.get("scaled_min").getAsDouble(), s.min(), 1e-9 * Math.abs(s.min()), name + " min");
        assertEquals(ref.get("scaled_max").getAsDouble(), s.max(), 1e-9 * Math.abs(s.max()), name + " max");
        assertEquals(ref.get("n_nonfinite").getAsLong(), s.nonFiniteCount(), name + " non-finite count");
        assertEquals(ref.get("n_nonzero").getAsLong(), s.nonZeroCount(), name + " non-zero count");

        int[] centre = ints(ref.getAsJsonArray("center_index"));
        int[] shape = h.shape();
        for (int d = 0; d < shape.length; d++) {
            assertEquals(shape[d] / 2, centre[d], "the centre index is each size // 2");
        }
        double cv = ref.get("center_value_scaled").getAsDouble();
        assertEquals(cv, image.get(centre), 1e-9 * Math.abs(cv), name + " centre value");

        if (h.volumeCount() > 1) {
            checkStreaming(file, image, sum);
        }
    }

    /** Volume-by-volume reading must give the same values as the whole read, and nibabel's sum. */
    private static void checkStreaming(Path file, NiftiImage image, double sum) throws IOException {
        try (NiftiSeries series = NiftiSeries.open(file)) {
            float[] v = new float[series.voxelsPerVolume()];
            double total = 0;
            for (int t = 0; t < series.volumeCount(); t++) {
                series.next(v);
                assertArrayEquals(image.volume(t), v, file.getFileName() + " volume " + t);
                for (float x : v) {
                    total += Float.isFinite(x) ? x : 0;
                }
            }
            // float32 values summed: relative rounding per value about 6e-8
            assertEquals(sum, total, Math.abs(sum) * 1e-6, file.getFileName() + " streamed sum");
        }
    }

    private static void assertAffine(JsonObject ref, String key, Affine actual, String name) {
        JsonArray rows = ref.getAsJsonArray(key);
        double[][] expected = new double[4][];
        for (int r = 0; r < 4; r++) {
            expected[r] = doubles(rows.get(r).getAsJsonArray());
        }
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                double tol = AFFINE_TOLERANCE * Math.max(1, Math.abs(expected[r][c]));
                assertEquals(expected[r][c], actual.get(r, c), tol, name + " " + key + "[" + r + "][" + c + "]");
            }
        }
    }

    /** numpy's dtype string ("int16", ">i2", "<f4", "uint8") as a plain type name. */
    private static String numpyName(String dtype) {
        if (dtype.startsWith(">") || dtype.startsWith("<") || dtype.startsWith("|")) {
            char kind = dtype.charAt(1);
            int bits = 8 * Integer.parseInt(dtype.substring(2));
            return (kind == 'i' ? "int" : kind == 'u' ? "uint" : "float") + bits;
        }
        return dtype;
    }

    private static int[] ints(JsonArray a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).getAsInt();
        }
        return r;
    }

    private static double[] doubles(JsonArray a) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).getAsDouble();
        }
        return r;
    }
}
