package org.brainalign.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.brainalign.testing.SharedData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * inspect and roi on the shared real files, checked against nibabel's readings (reference-nibabel.json); the full
 * field-by-field comparison lives in the io tests, here the command line's wiring, output and exit codes.
 */
public class FileCommandsTest extends CommandHarness {

    private static final Path NIFTI = SharedData.path("nifti");

    @TempDir
    Path tmp;

    @Test
    public void inspectJsonAgreesWithNibabel() {
        assertEquals(0, run("inspect", NIFTI.resolve("anatomical.nii").toString(), "--json"), err);
        JsonObject j = JsonParser.parseString(out).getAsJsonObject();
        assertEquals("nifti1", j.get("format").getAsString());
        assertEquals("[33,41,25]", j.get("shape").toString());
        assertEquals("int16", j.get("datatype").getAsString());
        assertEquals("big", j.get("byte_order").getAsString());
        assertEquals("LAS", j.get("orientation").getAsString());
        assertEquals(2, j.get("sform_code").getAsInt());
        JsonArray row0 = j.getAsJsonArray("affine").get(0).getAsJsonArray();
        double[] expectedRow0 = { -2, 0, 0, 32 };
        for (int c = 0; c < 4; c++) {
            assertEquals(expectedRow0[c], row0.get(c).getAsDouble(), 0);
        }
        assertEquals(11881.0, j.get("center_value").getAsDouble(), 0);
        assertEquals(284166082.0, j.getAsJsonObject("stats").get("sum").getAsDouble(), 1e-6 * 284166082.0);
    }

    @Test
    public void inspectTextSummaryAndABadFile() throws Exception {
        assertEquals(0, run("inspect", NIFTI.resolve("anatomical.nii").toString()), err);
        assertTrue(out.contains("LAS"), out);
        Path notNifti = Files.writeString(tmp.resolve("notes.nii"), "this is not an image");
        assertEquals(1, run("inspect", notNifti.toString()));
        assertTrue(err.startsWith("brainalign inspect: ") && err.contains("notes.nii"), err);
        assertEquals(2, run("inspect"));
        assertEquals(2, run("inspect", "a.nii", "b.nii"));
    }

    @Test
    public void roiListNamesTheAalLabelsAndMaskWritesThem() throws Exception {
        Path aal = NIFTI.resolve("aal.nii.gz");
        assertEquals(0, run("roi", "list", aal.toString()), err);
        Matcher m43 = Pattern.compile("(?m)^\\s*43\\s+Calcarine_L\\s+(\\d+)$").matcher(out);
        Matcher m44 = Pattern.compile("(?m)^\\s*44\\s+Calcarine_R\\s+(\\d+)$").matcher(out);
        assertTrue(m43.find() && m44.find(), out);
        int expected = Integer.parseInt(m43.group(1)) + Integer.parseInt(m44.group(1));

        Path mask = tmp.resolve("V1.nii.gz");
        assertEquals(0, run("roi", "mask", aal.toString(), "--labels", "43,44", "--out", mask.toString()), err);
        assertTrue(out.contains(expected + " voxels"), out);
        assertEquals(0, run("inspect", mask.toString(), "--json"), err);
        JsonObject j = JsonParser.parseString(out).getAsJsonObject();
        assertEquals("uint8", j.get("datatype").getAsString());
        assertEquals("[181,217,181]", j.get("shape").toString());
        assertEquals(expected, j.getAsJsonObject("stats").get("sum").getAsDouble(), 0);
        assertEquals(1.0, j.getAsJsonObject("stats").get("max").getAsDouble(), 0);
    }

    @Test
    public void roiMaskOfAnAbsentLabelWritesNothing() {
        Path mask = tmp.resolve("none.nii.gz");
        assertEquals(1, run("roi", "mask", NIFTI.resolve("aal.nii.gz").toString(), "--labels", "999", "--out",
                mask.toString()));
        assertTrue(err.contains("aal.nii.gz") && err.contains("999"), err);
        assertFalse(Files.exists(mask));
        assertEquals(2, run("roi", "mask", "x.nii", "--labels", "a,b", "--out", mask.toString()));
        assertEquals(2, run("roi", "paint"));
    }
}
