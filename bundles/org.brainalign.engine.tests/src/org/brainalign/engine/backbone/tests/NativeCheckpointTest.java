package org.brainalign.engine.backbone.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.backbone.Backbone;
import org.brainalign.engine.backbone.BackboneFamilies;
import org.brainalign.engine.backbone.BackboneOptions;
import org.brainalign.engine.backbone.CheckpointException;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.npy.NpyArray;
import org.brainalign.io.npy.Npz;
import org.brainalign.io.safetensors.SafetensorsFile;
import org.brainalign.io.torch.TorchCheckpointWriter;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch checkpoints in their libraries' own layouts (torchvision, MAE and MoCo v3 in timm's) against the hidden
 * states and the paper's tokens those libraries computed (shared data checkpoints/): every block within 1e-4, every
 * container variant of a file giving the same numbers.
 */
class NativeCheckpointTest {

    /** The reference is float64 rounded to float32; PyTorch's own float32 forward is within 3e-5 of it. */
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    private static Path fixture(String folder) {
        return SharedData.checkpoint(folder);
    }

    /**
     * Copies a fixture file beside a sidecar giving the heads the tiny model has (the file does not record them; a
     * real ViT-B's width names them).
     */
    private Path withHeads(String folder, String file, int heads) throws IOException {
        Path copy = Files.copy(fixture(folder).resolve(file), dir.resolve(file));
        Files.writeString(dir.resolve(file + ".json"), "{\"heads\": " + heads + "}");
        return copy;
    }

    /** Loads a file and compares every hidden state and the paper's tokens with the library's. */
    private float[][] check(Path file, String folder, String family) throws IOException {
        Map<String, NpyArray> reference = Npz.read(fixture(folder).resolve("reference.npz"));
        // SAM's reference resized its input to the encoder's size first, and keeps the result
        NpyArray inputs = reference.containsKey("inputs_resized")
                ? reference.get("inputs_resized")
                : Npy.read(fixture(folder).resolve("inputs.npy"));
        int batch = inputs.shape()[0];
        // the network runs at the fixture's input size (DINOv2's is smaller than its trained one)
        int size = inputs.shape()[2];
        try (Backbone b = BackboneFamilies.load(file, "auto", new BackboneOptions(size, DevicePreference.CPU))) {
            assertEquals(family, b.familyId());
            int layers = b.layers();
            int c = b.channels();
            // class token, registers if any, then the patches; SAM's (B, L + 1, g, g, C) has the grid alone
            int[] stored = reference.get("hidden_states").shape();
            int tokens = 1;
            for (int d = 2; d < stored.length - 1; d++) {
                tokens *= stored[d];
            }
            float[] expected = reference.get("hidden_states").toFloatArray();
            assertEquals((long) batch * (layers + 1) * tokens * c, expected.length);
            float[][] hidden = b.hiddenStates(inputs.toFloatArray(), batch);
            for (int s = 0; s <= layers; s++) {
                double worst = 0;
                for (int i = 0; i < batch; i++) {
                    for (int t = 0; t < tokens * c; t++) {
                        float e = expected[((i * (layers + 1) + s) * tokens) * c + t];
                        worst = Math.max(worst, Math.abs(e - hidden[s][i * tokens * c + t]));
                    }
                }
                assertTrue(worst < TOLERANCE, file.getFileName() + ": hidden state " + s + " differs by " + worst);
            }
            // the paper's tokens: each block's patch grid resized to 8 x 8, and its class token
            float[] local = reference.get("tokens_local_8x8").toFloatArray();
            float[] global = reference.get("tokens_global").toFloatArray();
            float[] features = b.features(inputs.toFloatArray(), batch, 8);
            int cells = 8 * 8 + 1;
            double worst = 0;
            for (int i = 0; i < batch; i++) {
                for (int l = 0; l < layers; l++) {
                    int base = (i * layers + l) * cells * c;
                    for (int k = 0; k < c; k++) {
                        for (int cell = 0; cell < 64; cell++) {
                            float e = local[((i * layers + l) * c + k) * 64 + cell];
                            worst = Math.max(worst, Math.abs(e - features[base + cell * c + k]));
                        }
                        worst = Math.max(worst, Math.abs(global[(i * layers + l) * c + k]
                                - features[base + 64 * c + k]));
                    }
                }
            }
            assertTrue(worst < TOLERANCE, file.getFileName() + ": the paper's tokens differ by " + worst);
            return hidden;
        }
    }

    @Test
    void torchvisionInEveryContainerMatchesTorchvision() throws IOException {
        float[][] zip = check(withHeads("torchvision_vit", "vit_state_dict.pth", 4), "torchvision_vit",
                "torchvision-vit");
        for (String variant : new String[] { "vit_state_dict_legacy_format.pth", "vit_state_dict_shared_storage.pth",
                "vit_b_16-440ac1ae.pth" }) {
            float[][] other = check(withHeads("torchvision_vit", variant, 4), "torchvision_vit", "torchvision-vit");
            for (int s = 0; s < zip.length; s++) {
                assertArrayEquals(zip[s], other[s], variant + " hidden state " + s);
            }
        }
        check(withHeads("torchvision_vit_bf16", "vit_state_dict_bf16.pth", 4), "torchvision_vit_bf16",
                "torchvision-vit");
    }

    @Test
    void maeAndMocoUnwrapTheirStateDictsAndMatchTheirLibraries() throws IOException {
        float[][] weights = check(withHeads("mae_vit", "mae_pretrain_vit_base.pth", 4), "mae_vit", "timm-vit");
        float[][] training = check(withHeads("mae_vit", "checkpoint-399.pth", 4), "mae_vit", "timm-vit");
        for (int s = 0; s < weights.length; s++) {
            assertArrayEquals(weights[s], training[s]);
        }
        check(withHeads("mocov3_vit", "vit-b-300ep.pth.tar", 2), "mocov3_vit", "timm-vit");
    }

    /**
     * open_clip's own layout, the visual tower of a whole CLIP file: GELU and QuickGELU as open_clip_config.json says
     * (copied beside the file as open_clip writes it), and a file mixing float16 and float32 tensors.
     */
    @Test
    void openClipVisualTowersMatchOpenClip() throws IOException {
        for (String folder : new String[] { "openclip_vit_gelu", "openclip_vit_quickgelu", "openclip_vit_fp16" }) {
            Path into = Files.createDirectories(dir.resolve(folder));
            Path file = Files.copy(fixture(folder).resolve("open_clip_pytorch_model.bin"),
                    into.resolve("open_clip_pytorch_model.bin"));
            Files.copy(fixture(folder).resolve("open_clip_config.json"), into.resolve("open_clip_config.json"));
            check(file, folder, "openclip-vit");
        }
    }

    /**
     * torch.hub's DINOv2 files at 56 px from a 98 px table: torch.hub's position rule, layer scale, and the register
     * and SwiGLU variant (registers excluded from the grid).
     */
    @Test
    void torchHubDinov2MatchesTorchHub() throws IOException {
        check(withHeads("dinov2_vit", "dinov2_vitb14_pretrain.pth", 4), "dinov2_vit", "hub-dinov2");
        check(withHeads("dinov2_vit_reg4_swiglu", "dinov2_vitg14_reg4_pretrain.pth", 4), "dinov2_vit_reg4_swiglu",
                "hub-dinov2");
    }

    /**
     * Segment Anything's own file: windows (padded, blocks 0 and 2) and global blocks (1 and 3) told apart by their
     * relative position tables, no class token, the global token the grid's mean; no sidecar is needed.
     */
    @Test
    void segmentAnythingsEncoderMatchesItsRepository() throws IOException {
        check(fixture("sam_vit").resolve("sam_vit_b_01ec64.pth"), "sam_vit", "sam-encoder");
    }

    /**
     * A Hugging Face checkpoint whose weights are a pickled pytorch_model.bin (written here in torch.save's layout
     * from the trained vit-mnist-tiny) loads with its config.json like the safetensors original, bit for bit.
     */
    @Test
    void aHuggingFacePytorchModelBinLoadsLikeItsSafetensors() throws IOException {
        Path model = SharedData.vitMnist();
        Path bin = dir.resolve("pytorch_model.bin");
        Files.copy(model.resolve("config.json"), dir.resolve("config.json"));
        Map<String, TorchCheckpointWriter.Tensor> tensors = new LinkedHashMap<>();
        try (SafetensorsFile s = SafetensorsFile.open(model.resolve("model.safetensors"))) {
            for (String name : s.names()) {
                tensors.put(name, TorchCheckpointWriter.Tensor.of(s.info(name).shape(), s.readFloats(name)));
            }
        }
        TorchCheckpointWriter.write(bin, "pytorch_model", tensors);
        float[] px = new float[2 * 3 * 28 * 28];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) Math.sin(i * 0.37);
        }
        try (Backbone original = BackboneFamilies.load(model, "auto", BackboneOptions.defaults());
                Backbone pickled = BackboneFamilies.load(bin, "auto", BackboneOptions.defaults())) {
            assertEquals(original.familyId(), pickled.familyId());
            int channels = original.normalization().mean().length;
            int side = original.inputSize();
            float[] pixels = java.util.Arrays.copyOf(px, 2 * channels * side * side);
            float[][] a = original.hiddenStates(pixels, 2);
            float[][] b = pickled.hiddenStates(pixels, 2);
            for (int s = 0; s < a.length; s++) {
                assertArrayEquals(a[s], b[s], "hidden state " + s);
            }
        }
    }

    @Test
    void headsNotRecordedAnywhereStopTheLoadNamingTheSidecar() {
        Path file = fixture("torchvision_vit").resolve("vit_state_dict.pth");
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> BackboneFamilies.load(file, "auto", BackboneOptions.defaults()).close());
        assertTrue(e.getMessage().contains("vit_state_dict.pth.json") && e.getMessage().contains("heads"),
                e.getMessage());
    }

    @Test
    void aSidecarMaySetTheInputNormalisationOfANativeFile() throws IOException {
        Path file = withHeads("torchvision_vit", "vit_state_dict.pth", 4);
        Path sidecar = dir.resolve("vit_state_dict.pth.json");
        try (Backbone plain = BackboneFamilies.load(file, "auto", BackboneOptions.defaults())) {
            assertArrayEquals(new float[] { 0.485f, 0.456f, 0.406f }, plain.normalization().mean());
        }
        Files.writeString(sidecar, "{\"heads\": 4, \"image_mean\": [0.5, 0.25, 0.125], \"image_std\": [2, 1, 0.5]}");
        try (Backbone b = BackboneFamilies.load(file, "auto", BackboneOptions.defaults())) {
            assertArrayEquals(new float[] { 0.5f, 0.25f, 0.125f }, b.normalization().mean());
            assertArrayEquals(new float[] { 2, 1, 0.5f }, b.normalization().std());
            assertEquals("vit_state_dict.pth.json", b.normalization().source());
        }
        Files.writeString(sidecar, "{\"heads\": 4, \"image_mean\": [0.5], \"image_std\": [0.25]}");
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> BackboneFamilies.load(file, "auto", BackboneOptions.defaults()).close());
        assertTrue(e.getMessage().startsWith(sidecar + ": image_mean/image_std have 1/1 values"), e.getMessage());
    }

    /**
     * open_clip writes its input statistics into open_clip_config.json (preprocess_cfg.mean/std): they are the
     * checkpoint's own, so they apply as preprocessor_config.json's do; a user's sidecar still comes first, and
     * without either file the default stays ImageNet's.
     */
    @Test
    void openClipsPreprocessConfigGivesTheInputNormalisation() throws IOException {
        Path into = Files.createDirectories(dir.resolve("openclip"));
        Path file = Files.copy(fixture("openclip_vit_gelu").resolve("open_clip_pytorch_model.bin"),
                into.resolve("open_clip_pytorch_model.bin"));
        try (Backbone plain = BackboneFamilies.load(file, "auto", BackboneOptions.defaults())) {
            assertArrayEquals(new float[] { 0.485f, 0.456f, 0.406f }, plain.normalization().mean());
        }
        // the values open_clip's own config carries (OpenAI's statistics), written as open_clip writes them
        Files.copy(fixture("openclip_vit_gelu").resolve("open_clip_config.json"),
                into.resolve("open_clip_config.json"));
        try (Backbone b = BackboneFamilies.load(file, "auto", BackboneOptions.defaults())) {
            assertArrayEquals(new float[] { 0.48145466f, 0.4578275f, 0.40821073f }, b.normalization().mean());
            assertArrayEquals(new float[] { 0.26862954f, 0.26130258f, 0.27577711f }, b.normalization().std());
            assertEquals("open_clip_config.json", b.normalization().source());
        }
        Files.writeString(into.resolve("open_clip_pytorch_model.bin.json"),
                "{\"image_mean\": [0.5, 0.5, 0.5], \"image_std\": [0.5, 0.5, 0.5]}");
        try (Backbone b = BackboneFamilies.load(file, "auto", BackboneOptions.defaults())) {
            assertArrayEquals(new float[] { 0.5f, 0.5f, 0.5f }, b.normalization().mean());
            assertEquals("open_clip_pytorch_model.bin.json", b.normalization().source());
        }
    }
}
