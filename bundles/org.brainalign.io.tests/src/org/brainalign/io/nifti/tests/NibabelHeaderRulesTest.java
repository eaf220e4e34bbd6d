package org.brainalign.io.nifti.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.brainalign.core.Affine;
import org.brainalign.io.DataFormatException;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Header fields nibabel fixes or refuses when it loads a file (its check_fix at the default error level, then
 * get_slope_inter and get_qform): each mutant of a shared file must read as nibabel reads it, the expected affine
 * taken from nibabel's readings of the original (reference-nibabel.json), or be refused in one sentence naming it.
 */
class NibabelHeaderRulesTest {

    /** The json rounds matrices to 6 decimals, and NIfTI-1 stores them in float32. */
    private static final double AFFINE_TOLERANCE = 2e-6;

    @TempDir
    Path dir;

    private static JsonObject reference(String name) throws IOException {
        try (Reader r = Files.newBufferedReader(SharedData.nifti("reference-nibabel.json"))) {
            for (JsonElement e : JsonParser.parseReader(r).getAsJsonObject().getAsJsonArray("files")) {
                if (e.getAsJsonObject().get("file").getAsString().equals(name)) {
                    return e.getAsJsonObject();
                }
            }
        }
        throw new AssertionError(name + " is not in reference-nibabel.json");
    }

    private static void assertAffine(JsonObject ref, String key, Affine actual) {
        JsonArray rows = ref.getAsJsonArray(key);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(rows.get(r).getAsJsonArray().get(c).getAsDouble(), actual.get(r, c), AFFINE_TOLERANCE,
                        key + "[" + r + "][" + c + "]");
            }
        }
    }

    private static void assertRefused(Path file, String word) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> NiftiImage.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(word), e.getMessage());
        assertEquals(1, e.getMessage().split("\\. ").length, "one sentence: " + e.getMessage());
    }

    @Test
    void anUnknownSformCodeIsIgnoredSoTheQformPlacesTheImage() throws Exception {
        // example4d's qform and sform differ (reference: qform_equals_sform false)
        Path p = dir.resolve("sform999.nii");
        HeaderBytes.of(SharedData.nifti("example4d.nii.gz")).putShort(254, 999).write(p);
        NiftiImage image = NiftiImage.read(p);
        assertEquals(0, image.header().sformCode());
        assertEquals("qform", image.header().affineSource());
        assertAffine(reference("example4d.nii.gz"), "qform_affine", image.header().affine());
    }

    @Test
    void aNanVoxelSizeStaysNanAndIsRefusedOnlyWhereItPlacesTheImage() throws Exception {
        JsonObject ref = reference("anatomical.nii");
        Path sformInUse = dir.resolve("nan-pixdim-sform.nii");
        HeaderBytes.of(SharedData.nifti("anatomical.nii")).putFloat(80, Float.NaN).write(sformInUse);
        NiftiImage image = NiftiImage.read(sformInUse);
        assertAffine(ref, "nibabel_affine", image.header().affine());
        assertTrue(Double.isNaN(image.header().zooms()[0]), "kept as stored, as nibabel keeps it");

        Path qformInUse = dir.resolve("nan-pixdim-qform.nii");
        HeaderBytes.of(SharedData.nifti("anatomical.nii")).putFloat(80, Float.NaN).putShort(254, 0).write(qformInUse);
        assertRefused(qformInUse, "not a finite number");
        Path baseInUse = dir.resolve("nan-pixdim-base.nii");
        HeaderBytes.of(SharedData.nifti("ds003_sub-01_mc.nii.gz")).putFloat(84, Float.NaN).write(baseInUse);
        assertRefused(baseInUse, "not a finite number");
    }

    @Test
    void aQuaternionLongerThanOneIsRefusedWhenTheQformIsInUse() throws Exception {
        Path qform = dir.resolve("quaternion-qform.nii");
        HeaderBytes.of(SharedData.nifti("example4d.nii.gz")).putFloat(256, 0.8f).putFloat(260, 0.8f)
                .putShort(254, 0).write(qform);
        assertRefused(qform, "quaternion");
        Path sform = dir.resolve("quaternion-sform.nii");
        HeaderBytes.of(SharedData.nifti("example4d.nii.gz")).putFloat(256, 0.8f).putFloat(260, 0.8f).write(sform);
        assertAffine(reference("example4d.nii.gz"), "sform_affine", NiftiImage.read(sform).header().affine());
    }

    @Test
    void aNonFiniteInterceptWithAValidSlopeIsRefused() throws Exception {
        for (float inter : new float[] { Float.NaN, Float.POSITIVE_INFINITY }) {
            Path p = dir.resolve("inter" + inter + ".nii");
            HeaderBytes.of(SharedData.nifti("anatomical.nii")).putFloat(112, 1f).putFloat(116, inter).write(p);
            assertRefused(p, "scl_inter");
        }
        // without a valid slope nibabel does not scale, whatever the intercept
        Path p = dir.resolve("slope0.nii");
        HeaderBytes.of(SharedData.nifti("anatomical.nii")).putFloat(112, 0f).putFloat(116, Float.NaN).write(p);
        assertEquals(reference("anatomical.nii").get("scaled_sum").getAsDouble(),
                NiftiImage.read(p).statistics().sum(), 0);
    }

    @Test
    void aDataOffsetInsideTheHeaderIsRefusedButZeroMeansRightAfterIt() throws Exception {
        Path low = dir.resolve("offset100.nii");
        HeaderBytes.of(SharedData.nifti("anatomical.nii")).putFloat(108, 100f).write(low);
        assertRefused(low, "vox_offset 100");
        Path zero = dir.resolve("offset0.nii");
        HeaderBytes.of(SharedData.nifti("anatomical.nii")).putFloat(108, 0f).write(zero);
        assertArrayEquals(NiftiImage.read(SharedData.nifti("anatomical.nii")).toDoubleArray(),
                NiftiImage.read(zero).toDoubleArray(), 0);
    }
}
