package org.brainalign.engine.backbone.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.backbone.Backbone;
import org.brainalign.engine.backbone.BackboneFamilies;
import org.brainalign.engine.backbone.BackboneOptions;
import org.brainalign.engine.backbone.CheckpointException;
import org.brainalign.engine.backbone.Normalization;
import org.brainalign.engine.backbone.PositionInterpolation;
import org.brainalign.engine.tests.ReferenceFixtures;
import org.brainalign.io.npy.NpyArray;
import org.brainalign.io.npy.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every family against PyTorch, on small random checkpoints in the exact Hugging Face layouts (width 32, 4 heads,
 * 4-pixel patches, 2 or 3 blocks) whose hidden states a PyTorch forward pass written from the architectures'
 * descriptions computed (releng/reference/generate.py): the embedding output and every block's output, at the
 * checkpoint's size and, where the family allows, at other sizes (interpolated position embeddings), and the cached
 * features of one image (patch grid resized to 8 x 8, global token).
 */
class PyTorchReferenceTest {

    /**
     * Hidden states of magnitude up to 8 in float32: PyTorch and DJL (other kernels, other summation orders) differ
     * by a few 1e-6. 1e-4 leaves room for that and for nothing else: a wrong norm, activation, scale, token order or
     * position interpolation moves values by 1e-2 or more (the older +0.1 DINOv2 position rule alone moves the last
     * block's output by 0.5 to 1.1 here).
     */
    static final double TOLERANCE = 1e-4;

    private static final String[] CHECKPOINT = { "config.json", "model.safetensors", "reference.npz" };

    @TempDir
    Path dir;

    /** What a test checks beyond the numbers: blocks, class token, normalisation. */
    private record Loaded(int layers, boolean classToken, Normalization normalization) {
    }

    /**
     * Loads the fixture's checkpoint at each size (auto-detecting its family), and compares every hidden state with
     * PyTorch's; at the first size, also the features of the first image.
     *
     * @return what was loaded at the first size, for further checks
     */
    private Loaded check(Path folder, String family, int prefixTokens, int... sizes) throws IOException {
        Map<String, NpyArray> reference = ReferenceFixtures.arrays(folder);
        Loaded first = null;
        for (int i = 0; i < sizes.length; i++) {
            int size = sizes[i];
            NpyArray px = reference.get("pixels_" + size);
            int batch = px.shape()[0];
            int grid = size / 4;
            int tokens = prefixTokens + grid * grid;
            try (Backbone b = BackboneFamilies.load(folder, "auto", new BackboneOptions(size,
                    DevicePreference.CPU))) {
                assertEquals(family, b.familyId());
                assertEquals(grid, b.gridSide());
                int layers = b.layers();
                int c = b.channels();
                float[] expected = ReferenceFixtures.array(reference, "hidden_" + size, layers + 1, batch, tokens, c)
                        .toFloatArray();
                float[] pixels = px.toFloatArray();
                float[][] hidden = b.hiddenStates(pixels, batch);
                int perState = batch * tokens * c;
                for (int s = 0; s <= layers; s++) {
                    assertEquals(perState, hidden[s].length);
                    double d = ReferenceFixtures.maxDifference(expected, s * perState, hidden[s], 0, perState);
                    assertTrue(d < TOLERANCE, folder.getFileName() + " at " + size + " px: hidden state " + s
                            + " differs from PyTorch by " + d);
                }
                if (i == 0) {
                    int cells = 8 * 8 + 1;
                    float[] features = ReferenceFixtures.array(reference, "features_" + size, 1, layers, cells, c)
                            .toFloatArray();
                    float[] actual = b.features(Arrays.copyOf(pixels, pixels.length / batch), 1, 8);
                    assertEquals(features.length, actual.length);
                    // the same hidden states resized along two float32 paths: within the hidden states' tolerance
                    double d = ReferenceFixtures.maxDifference(features, 0, actual, 0, features.length);
                    assertTrue(d < TOLERANCE, folder.getFileName() + ": features differ from PyTorch's "
                            + "F.interpolate and global token by " + d);
                    first = new Loaded(layers, b.hasClassToken(), b.normalization());
                }
            }
        }
        return first;
    }

    /** Dinov2Model: per-channel layer scales in 0.3..1.7, positions trained on 7 x 7, run at 4 x 4 and 8 x 8. */
    @Test
    void dinov2ScalesLayersAndInterpolatesPositionsAsPyTorch() throws IOException {
        Path folder = ReferenceFixtures.copy("dinov2", dir, CHECKPOINT);
        Loaded shape = check(folder, "dinov2", 1, 16, 32);
        assertEquals(2, shape.layers());
        assertTrue(shape.classToken());
    }

    /**
     * torch.hub's DINOv2 rule (scale factor (g + 0.1) / G, which PyTorch also places the samples with) against the
     * same PyTorch forward pass with that rule, at 4 x 4 and 8 x 8 from 7 x 7; the last block must also differ from
     * Hugging Face's rule by far more than the tolerance, or the switch would not be what is tested.
     */
    @Test
    void dinov2WithTorchHubPositionsMatchesPyTorch() throws IOException {
        Path folder = ReferenceFixtures.copy("dinov2", dir, "config.json", "model.safetensors", "reference.npz",
                "hub.npz");
        Map<String, NpyArray> reference = ReferenceFixtures.arrays(folder);
        Map<String, NpyArray> hub = Npz.read(folder.resolve("hub.npz"));
        for (int size : new int[] { 16, 32 }) {
            NpyArray px = reference.get("pixels_" + size);
            int batch = px.shape()[0];
            int grid = size / 4;
            try (Backbone b = BackboneFamilies.load(folder, "dinov2", new BackboneOptions(size, DevicePreference.CPU,
                    PositionInterpolation.TORCH_HUB))) {
                int layers = b.layers();
                int perState = batch * (1 + grid * grid) * b.channels();
                float[] expected = ReferenceFixtures.array(hub, "hidden_" + size, layers + 1, batch,
                        1 + grid * grid, b.channels()).toFloatArray();
                float[][] hidden = b.hiddenStates(px.toFloatArray(), batch);
                for (int s = 0; s <= layers; s++) {
                    double d = ReferenceFixtures.maxDifference(expected, s * perState, hidden[s], 0, perState);
                    assertTrue(d < TOLERANCE, size + " px: hidden state " + s + " differs from PyTorch's torch.hub "
                            + "rule by " + d);
                }
                float[] huggingFace = reference.get("hidden_" + size).toFloatArray();
                double moved = ReferenceFixtures.maxDifference(huggingFace, layers * perState, hidden[layers], 0,
                        perState);
                assertTrue(moved > 0.1, size + " px: the torch.hub rule moves the last block by only " + moved);
            }
        }
    }

    /**
     * With registers, torch.hub's DINOv2 resizes positions as Hugging Face does (antialiased, to the output size), so
     * the option leaves the features as they were; families without the choice refuse it in one sentence.
     */
    @Test
    void torchHubPositionsChangeNothingWithRegistersAndAreRefusedByOtherFamilies() throws IOException {
        Path folder = ReferenceFixtures.copy("dinov2-registers", dir, CHECKPOINT);
        Map<String, NpyArray> reference = ReferenceFixtures.arrays(folder);
        NpyArray px = reference.get("pixels_16");
        try (Backbone b = BackboneFamilies.load(folder, "auto", new BackboneOptions(16, DevicePreference.CPU,
                PositionInterpolation.TORCH_HUB))) {
            float[] expected = reference.get("hidden_16").toFloatArray();
            float[][] hidden = b.hiddenStates(px.toFloatArray(), px.shape()[0]);
            int perState = hidden[0].length;
            double d = ReferenceFixtures.maxDifference(expected, b.layers() * perState, hidden[b.layers()], 0,
                    perState);
            assertTrue(d < TOLERANCE, "registers: the last block differs from PyTorch by " + d);
        }
        Path clip = ReferenceFixtures.copy("clip", dir, "config.json", "model.safetensors",
                "preprocessor_config.json");
        var e = assertThrows(CheckpointException.class, () -> BackboneFamilies.load(clip, "auto",
                new BackboneOptions(16, DevicePreference.CPU, PositionInterpolation.TORCH_HUB)).close());
        assertTrue(e.getMessage().contains("dinov2 checkpoints only") && e.getMessage().contains("'clip'"),
                e.getMessage());
    }

    /**
     * Dinov2WithRegistersModel (bfloat16 weights): two registers between class token and patches, without position
     * embeddings; positions resized with antialiased bicubic, which differs from plain bicubic both ways.
     */
    @Test
    void dinov2WithRegistersMatchesPyTorch() throws IOException {
        Path folder = ReferenceFixtures.copy("dinov2-registers", dir, CHECKPOINT);
        check(folder, "dinov2", 3, 16, 32);
    }

    /**
     * Dinov2Model with the giant's SwiGLU MLP (float16 weights): weights_in of twice the hidden width
     * (int(64 * 2 / 3) + 7) // 8 * 8 = 48, SiLU of its first half times its second half, weights_out.
     */
    @Test
    void dinov2SwigluMatchesPyTorch() throws IOException {
        Path folder = ReferenceFixtures.copy("dinov2-swiglu", dir, CHECKPOINT);
        check(folder, "dinov2", 1, 16);
    }

    /**
     * CLIPModel (float16 weights, a text tower, projections, int64 position ids and a scalar logit scale beside the
     * vision tower): class embedding, pre-norm, quick_gelu, bicubic positions at 24 px; normalisation from
     * preprocessor_config.json.
     */
    @Test
    void clipVisionTowerMatchesPyTorch() throws IOException {
        Path folder = ReferenceFixtures.copy("clip", dir, "config.json", "model.safetensors", "reference.npz",
                "preprocessor_config.json");
        Loaded shape = check(folder, "clip", 1, 16, 24);
        assertArrayEquals(new float[] { 0.48145466f, 0.4578275f, 0.40821073f }, shape.normalization().mean());
        assertArrayEquals(new float[] { 0.26862954f, 0.26130258f, 0.27577711f }, shape.normalization().std());
    }

    /**
     * SamModel's image encoder (float16 weights; neck and prompt encoder present): an 8 x 8 grid in 3 x 3 windows,
     * padded to 9 x 9, in blocks 0 and 2; global attention in block 1; relative positions in every block; no class
     * token, so the global feature is the patch mean.
     */
    @Test
    void samWindowsPaddingAndRelativePositionsMatchPyTorch() throws IOException {
        Path folder = ReferenceFixtures.copy("sam", dir, CHECKPOINT);
        Loaded shape = check(folder, "sam", 0, 32);
        assertEquals(3, shape.layers());
        assertFalse(shape.classToken());
    }

    /** ViTMAEModel without prefix (float16 weights): every patch kept, in order; eps 1e-12. */
    @Test
    void maeEncoderMatchesPyTorch() throws IOException {
        Path folder = ReferenceFixtures.copy("mae", dir, CHECKPOINT);
        check(folder, "hf-vit", 1, 16);
    }
}
