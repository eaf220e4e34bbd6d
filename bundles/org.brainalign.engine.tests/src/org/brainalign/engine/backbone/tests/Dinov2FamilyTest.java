package org.brainalign.engine.backbone.tests;

import static org.brainalign.engine.backbone.tests.FamilyIdentitiesTest.ARCH;
import static org.brainalign.engine.backbone.tests.FamilyIdentitiesTest.TOLERANCE;
import static org.brainalign.engine.backbone.tests.FamilyIdentitiesTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.backbone.Backbone;
import org.brainalign.engine.backbone.BackboneFamilies;
import org.brainalign.engine.backbone.BackboneOptions;
import org.brainalign.engine.backbone.Checkpoint;
import org.brainalign.engine.backbone.Resampling;
import org.brainalign.io.safetensors.FloatTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dinov2 family: identity with hf-vit, layer scale, registers, SwiGLU and interpolated positions. */
class Dinov2FamilyTest {

    @TempDir
    Path dir;

    private static float[][] run(Path folder, int inputSize, float[] pixels, int batch) throws IOException {
        try (Backbone b = BackboneFamilies.load(folder, "dinov2",
                new BackboneOptions(inputSize, DevicePreference.CPU))) {
            assertEquals(inputSize / ARCH.patch(), b.gridSide());
            return b.hiddenStates(pixels, batch);
        }
    }

    private static Map<String, Object> config(RandomCheckpoint r) {
        Map<String, Object> config = r.baseConfig("dinov2");
        config.put("layer_norm_eps", 1e-6);
        return config;
    }

    @Test
    void withUnitLayerScaleAndNoRegistersItEqualsHfVit() throws IOException {
        RandomCheckpoint r = new RandomCheckpoint(ARCH, 21, 0, 0);
        r.fill("ls1", 1);
        r.fill("ls2", 1);
        Path dinov2 = r.writeDinov2(dir.resolve("dinov2"), 0, config(r));
        Map<String, Object> vit = r.baseConfig("vit");
        vit.put("layer_norm_eps", 1e-6);
        Path hf = r.writeHfVit(dir.resolve("vit"), "", vit);
        try (Checkpoint c = Checkpoint.open(dinov2)) {
            assertEquals("dinov2", BackboneFamilies.detect(c).orElseThrow().id());
        }
        float[] px = FamilyIdentitiesTest.pixels(2);
        // multiplying by exactly 1 changes no bit: the two networks do the same float operations
        assertClose(FamilyIdentitiesTest.run(hf, "hf-vit", px, 2), run(dinov2, ARCH.image(), px, 2), 1e-6);
    }

    @Test
    void layerScaleAndRegistersMatchTheReference() throws IOException {
        RandomCheckpoint r = new RandomCheckpoint(ARCH, 22, 3, 0);
        Path folder = r.writeDinov2(dir.resolve("dinov2"), 3, config(r));
        ReferenceTransformer reference = new ReferenceTransformer(r, new ReferenceTransformer.Options(true, 3, false,
                true, "gelu", 1e-6, new int[ARCH.layers()], false));
        float[] px = FamilyIdentitiesTest.pixels(2);
        assertClose(reference.hidden(px, 2), run(folder, ARCH.image(), px, 2), TOLERANCE);
    }

    @Test
    void swigluMatchesTheReference() throws IOException {
        RandomCheckpoint r = new RandomCheckpoint(ARCH, 23, 0, 0);
        // mlp_ratio 1 on width 16: SwiGLU width (int(16 * 2 / 3) + 7) // 8 * 8 = 16, so weights_in is (32, 16)
        for (int l = 0; l < ARCH.layers(); l++) {
            r.redraw("blocks." + l + ".fc1.weight", 0.25, 32, 16);
            r.redraw("blocks." + l + ".fc1.bias", 0.1, 32);
            r.redraw("blocks." + l + ".fc2.weight", 0.25, 16, 16);
        }
        Map<String, Object> config = config(r);
        config.put("use_swiglu_ffn", true);
        config.put("mlp_ratio", 1.0);
        Path folder = r.writeSwigluDinov2(dir.resolve("dinov2"), config);
        ReferenceTransformer reference = new ReferenceTransformer(r, new ReferenceTransformer.Options(true, 0, false,
                true, "swiglu", 1e-6, new int[ARCH.layers()], false));
        float[] px = FamilyIdentitiesTest.pixels(2);
        assertClose(reference.hidden(px, 2), run(folder, ARCH.image(), px, 2), TOLERANCE);
    }

    /**
     * At twice the trained input size the 4 x 4 position grid is interpolated to 8 x 8: bicubic (a = -0.75) for
     * Dinov2Model, antialiased bicubic (a = -0.5) for Dinov2WithRegistersModel, as Hugging Face does. The reference
     * runs at the larger size with the grid interpolated by the (separately tested) resampling weights.
     */
    @Test
    void positionsAreInterpolatedForOtherInputSizes() throws IOException {
        for (int registers : new int[] { 0, 2 }) {
            RandomCheckpoint r = new RandomCheckpoint(ARCH, 24 + registers, registers, 0);
            Path folder = r.writeDinov2(dir.resolve("dinov2-" + registers), registers, config(r));
            RandomCheckpoint.Arch big = new RandomCheckpoint.Arch(ARCH.channels(), ARCH.layers(), ARCH.heads(),
                    ARCH.mlp(), ARCH.patch(), 2 * ARCH.image(), ARCH.inChannels());
            RandomCheckpoint large = new RandomCheckpoint(big, 0, registers, 0);
            large.weights.putAll(r.weights);
            large.weights.put("pos.grid", interpolate(r.get("pos.grid"), 4, 8, registers > 0));
            ReferenceTransformer reference = new ReferenceTransformer(large, new ReferenceTransformer.Options(true,
                    registers, false, true, "gelu", 1e-6, new int[ARCH.layers()], false));
            float[] px = RandomCheckpoint.pixels(2 * 3 * big.image() * big.image(), 5);
            assertClose(reference.hidden(px, 2), run(folder, big.image(), px, 2), TOLERANCE);
        }
    }

    private static FloatTensor interpolate(FloatTensor grid, int from, int to, boolean antialias) {
        int c = (int) grid.shape()[2];
        float[] planes = new float[c * from * from];
        for (int i = 0; i < from * from; i++) {
            for (int k = 0; k < c; k++) {
                planes[k * from * from + i] = grid.data()[i * c + k];
            }
        }
        float[] w = antialias ? Resampling.antialiasedBicubic(from, to) : Resampling.bicubic(from, to);
        float[] resized = Resampling.resize(planes, c, from, from, w, w);
        float[] out = new float[to * to * c];
        for (int i = 0; i < to * to; i++) {
            for (int k = 0; k < c; k++) {
                out[i * c + k] = resized[k * to * to + i];
            }
        }
        return new FloatTensor(new long[] { to, to, c }, out);
    }
}
