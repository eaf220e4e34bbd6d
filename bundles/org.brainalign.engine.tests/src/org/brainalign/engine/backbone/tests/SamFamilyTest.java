package org.brainalign.engine.backbone.tests;

import static org.brainalign.engine.backbone.tests.FamilyIdentitiesTest.ARCH;
import static org.brainalign.engine.backbone.tests.FamilyIdentitiesTest.TOLERANCE;
import static org.brainalign.engine.backbone.tests.FamilyIdentitiesTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.backbone.Backbone;
import org.brainalign.engine.backbone.BackboneFamilies;
import org.brainalign.engine.backbone.BackboneOptions;
import org.brainalign.engine.backbone.CheckpointException;
import org.brainalign.engine.backbone.Resampling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sam family: no class token, windowed attention with padding, relative positions, the spatial-mean token. */
class SamFamilyTest {

    @TempDir
    Path dir;

    private static Map<String, Object> vision(RandomCheckpoint r, int window, List<Integer> global) {
        Map<String, Object> v = r.baseConfig("sam");
        v.put("window_size", window);
        v.put("global_attn_indexes", global);
        v.put("layer_norm_eps", 1e-6);
        return v;
    }

    /** Draws relative position tables per block: 2w - 1 offsets in windowed blocks, 2g - 1 in global ones. */
    private static void relative(RandomCheckpoint r, int... sides) {
        for (int l = 0; l < sides.length; l++) {
            r.redraw("blocks." + l + ".relh", 0.3, 2L * sides[l] - 1, ARCH.headDim());
            r.redraw("blocks." + l + ".relw", 0.3, 2L * sides[l] - 1, ARCH.headDim());
        }
    }

    @Test
    void windowCoveringTheGridWithZeroRelativePositionsIsAPlainVitWithoutClassToken() throws IOException {
        int g = ARCH.grid();
        RandomCheckpoint r = new RandomCheckpoint(ARCH, 31, 0, g);
        r.fill("relh", 0);
        r.fill("relw", 0);
        Path windowed = r.writeSam(dir.resolve("windowed"), vision(r, g, List.of()));
        Path global = r.writeSam(dir.resolve("global"), vision(r, g, List.of(0, 1)));
        ReferenceTransformer plain = new ReferenceTransformer(r, new ReferenceTransformer.Options(false, 0, false,
                false, "gelu", 1e-6, new int[ARCH.layers()], false));
        float[] px = FamilyIdentitiesTest.pixels(2);
        float[][] fromWindows = FamilyIdentitiesTest.run(windowed, "sam", px, 2);
        assertClose(plain.hidden(px, 2), fromWindows, TOLERANCE);
        // one window covering the grid is global attention, computed along the other code path
        assertClose(FamilyIdentitiesTest.run(global, "sam", px, 2), fromWindows, 1e-5);
    }

    @Test
    void paddedWindowsAndRelativePositionsMatchTheReference() throws IOException {
        // a 4 x 4 grid in 3 x 3 windows: padded to 6 x 6 (four windows, mostly zero tokens); block 1 is global
        RandomCheckpoint r = new RandomCheckpoint(ARCH, 32, 0, 3);
        relative(r, 3, ARCH.grid());
        Path folder = r.writeSam(dir.resolve("sam"), vision(r, 3, List.of(1)));
        ReferenceTransformer reference = new ReferenceTransformer(r, new ReferenceTransformer.Options(false, 0, false,
                false, "gelu", 1e-6, new int[] { 3, 0 }, true));
        float[] px = FamilyIdentitiesTest.pixels(2);
        float[][] expected = reference.hidden(px, 2);
        assertClose(expected, FamilyIdentitiesTest.run(folder, "sam", px, 2), TOLERANCE);
        // the relative terms matter: dropping them moves the result far beyond the tolerance
        ReferenceTransformer without = new ReferenceTransformer(r, new ReferenceTransformer.Options(false, 0, false,
                false, "gelu", 1e-6, new int[] { 3, 0 }, false));
        assertTrue(RandomCheckpoint.maxDifference(expected[2], without.hidden(px, 2)[2]) > 100 * TOLERANCE);
    }

    @Test
    void globalTokenIsTheSpatialMeanOfThePatchTokens() throws IOException {
        RandomCheckpoint r = new RandomCheckpoint(ARCH, 33, 0, 3);
        relative(r, 3, ARCH.grid());
        Path folder = r.writeSam(dir.resolve("sam"), vision(r, 3, List.of(1)));
        float[] px = FamilyIdentitiesTest.pixels(2);
        try (Backbone b = BackboneFamilies.load(folder, "auto", BackboneOptions.defaults())) {
            assertEquals("sam", b.familyId());
            assertFalse(b.hasClassToken());
            float[][] hidden = b.hiddenStates(px, 2);
            int grid = 8;
            float[] features = b.features(px, 2, grid);
            int g = ARCH.grid();
            int c = ARCH.channels();
            int cells = grid * grid + 1;
            float[] w = Resampling.bilinear(g, grid);
            double worst = 0;
            for (int l = 0; l < b.layers(); l++) {
                for (int i = 0; i < 2; i++) {
                    float[] planes = new float[c * g * g];
                    double[] mean = new double[c];
                    for (int t = 0; t < g * g; t++) {
                        for (int k = 0; k < c; k++) {
                            float v = hidden[l + 1][(i * g * g + t) * c + k];
                            planes[k * g * g + t] = v;
                            mean[k] += v / (g * g);
                        }
                    }
                    float[] resized = Resampling.resize(planes, c, g, g, w, w);
                    int base = (i * b.layers() + l) * cells * c;
                    for (int k = 0; k < c; k++) {
                        for (int cell = 0; cell < grid * grid; cell++) {
                            worst = Math.max(worst, Math.abs(resized[k * grid * grid + cell]
                                    - features[base + cell * c + k]));
                        }
                        worst = Math.max(worst, Math.abs(mean[k] - features[base + grid * grid * c + k]));
                    }
                }
            }
            // the same float32 values reduced along two paths
            assertTrue(worst < 1e-5, "features differ by " + worst);
        }
    }

    @Test
    void otherInputSizesAreRefused() throws IOException {
        RandomCheckpoint r = new RandomCheckpoint(ARCH, 34, 0, 3);
        relative(r, 3, ARCH.grid());
        Path folder = r.writeSam(dir.resolve("sam"), vision(r, 3, List.of(1)));
        var e = assertThrows(CheckpointException.class, () -> BackboneFamilies.load(folder, "sam",
                new BackboneOptions(32, DevicePreference.CPU)).close());
        assertTrue(e.getMessage().contains("fixed image_size 16"), e.getMessage());
    }
}
