package org.brainalign.engine.backbone.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.brainalign.engine.backbone.Backbone;
import org.brainalign.engine.backbone.BackboneFamilies;
import org.brainalign.engine.backbone.BackboneOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each family against the plain double-precision {@link ReferenceTransformer} on small random checkpoints, and the
 * structural identities between families (the same weights under another family's names give the same numbers
 * when the family's extras are neutral).
 */
class FamilyIdentitiesTest {

    static final RandomCheckpoint.Arch ARCH = new RandomCheckpoint.Arch(16, 2, 2, 24, 4, 16, 3);

    /**
     * float32 against double through two blocks of width 16 with O(1) activations: the DJL network's rounding is of
     * order 1e-6; a wrong operation (norm, scale, activation, token order) shows as differences above 1e-2.
     */
    static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    static float[][] run(Path checkpoint, String family, float[] pixels, int batch) throws IOException {
        try (Backbone b = BackboneFamilies.load(checkpoint, family, BackboneOptions.defaults())) {
            assertEquals(family, b.familyId());
            return b.hiddenStates(pixels, batch);
        }
    }

    static void assertClose(float[][] expected, float[][] actual, double tolerance) {
        assertEquals(expected.length, actual.length, "number of hidden states");
        for (int s = 0; s < expected.length; s++) {
            double d = RandomCheckpoint.maxDifference(expected[s], actual[s]);
            assertTrue(d < tolerance, "hidden state " + s + " differs by " + d);
        }
    }

    static float[] pixels(int batch) {
        return RandomCheckpoint.pixels(batch * ARCH.inChannels() * ARCH.image() * ARCH.image(), 7);
    }

    @Test
    void hfVitMatchesTheReference() throws IOException {
        RandomCheckpoint r = new RandomCheckpoint(ARCH, 11, 0, 0);
        Map<String, Object> config = r.baseConfig("vit");
        config.put("layer_norm_eps", 1e-6);
        Path folder = r.writeHfVit(dir.resolve("vit"), "", config);
        ReferenceTransformer reference = new ReferenceTransformer(r, new ReferenceTransformer.Options(true, 0, false,
                false, "gelu", 1e-6, new int[ARCH.layers()], false));
        float[] px = pixels(2);
        assertClose(reference.hidden(px, 2), run(folder, "hf-vit", px, 2), TOLERANCE);
    }

    @Test
    void clipMatchesTheReference() throws IOException {
        RandomCheckpoint r = new RandomCheckpoint(ARCH, 12, 0, 0);
        Map<String, Object> vision = r.baseConfig("clip");
        vision.remove("hidden_act");
        // CLIP's defaults: quick_gelu, eps 1e-5; the patch convolution has no bias
        r.fill("patch.bias", 0);
        Path folder = r.writeClip(dir.resolve("clip"), vision);
        ReferenceTransformer reference = new ReferenceTransformer(r, new ReferenceTransformer.Options(true, 0, true,
                false, "quick_gelu", 1e-5, new int[ARCH.layers()], false));
        float[] px = pixels(2);
        assertClose(reference.hidden(px, 2), run(folder, "clip", px, 2), TOLERANCE);
    }

    /**
     * CLIP with gelu and a pre-norm that is the identity on its input equals hf-vit: the pre-norm is the identity
     * when every embedding token is already standardised and the norm has weight 1, bias 0 and a negligible eps;
     * with a black (all-zero) input and no patch bias, the embeddings are the class and position terms alone,
     * which are drawn standardised.
     */
    @Test
    void clipWithIdentityPreNormAndGeluEqualsHfVit() throws IOException {
        RandomCheckpoint r = new RandomCheckpoint(ARCH, 13, 0, 0);
        r.fill("patch.bias", 0);
        r.fill("pos.cls", 0);
        r.fill("prenorm.weight", 1);
        r.fill("prenorm.bias", 0);
        standardiseRows(r.data("cls"), ARCH.channels());
        standardiseRows(r.data("pos.grid"), ARCH.channels());
        Map<String, Object> config = r.baseConfig("vit");
        config.put("layer_norm_eps", 1e-12);
        Path vit = r.writeHfVit(dir.resolve("vit"), "vit.", config);
        Map<String, Object> vision = r.baseConfig("clip");
        vision.put("layer_norm_eps", 1e-12);
        Path clip = r.writeClip(dir.resolve("clip"), vision);
        float[] black = new float[2 * ARCH.inChannels() * ARCH.image() * ARCH.image()];
        // the same float32 operations in the same order except the pre-norm's x / sqrt(1 + 1e-12) = x
        assertClose(run(vit, "hf-vit", black, 2), run(clip, "clip", black, 2), 1e-5);
    }

    /** Makes each row of C values have mean 0 and (population) variance 1, as LayerNorm's output would. */
    static void standardiseRows(float[] values, int c) {
        for (int row = 0; row < values.length / c; row++) {
            double mean = 0;
            for (int k = 0; k < c; k++) {
                mean += values[row * c + k];
            }
            mean /= c;
            double var = 0;
            for (int k = 0; k < c; k++) {
                var += Math.pow(values[row * c + k] - mean, 2);
            }
            double sd = Math.sqrt(var / c);
            for (int k = 0; k < c; k++) {
                values[row * c + k] = (float) ((values[row * c + k] - mean) / sd);
            }
        }
    }
}
