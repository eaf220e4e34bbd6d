package org.brainalign.engine.backbone.tests;

import static org.brainalign.engine.backbone.tests.FamilyIdentitiesTest.ARCH;
import static org.brainalign.engine.backbone.tests.FamilyIdentitiesTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.DjlRuntime;
import org.brainalign.engine.backbone.Backbone;
import org.brainalign.engine.backbone.BackboneFamilies;
import org.brainalign.engine.backbone.BackboneOptions;
import org.brainalign.engine.backbone.Checkpoint;
import org.brainalign.engine.backbone.TrainableTransformer;
import org.brainalign.io.safetensors.FloatTensor;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/**
 * The trainable network: its forward pass is the inference network's (and PyTorch's on the real MNIST ViT), its
 * parameters are the checkpoint's stored tensors under their own names, untrained they write back bit for bit, and
 * gradients reach the right elements of stored tensors that hold several canonical ones (checked by central
 * differences).
 */
class TrainableTransformerTest {

    @TempDir
    Path dir;

    /** One small checkpoint per family, with each family's particulars switched on. */
    private record Case(String family, Path folder, int inputSize) {
    }

    private List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        RandomCheckpoint vit = new RandomCheckpoint(ARCH, 41, 0, 0);
        cases.add(new Case("hf-vit", vit.writeHfVit(dir.resolve("vit"), "vit.", vit.baseConfig("vit")), 0));
        // registers, layer scale and positions interpolated to twice the trained grid (antialiased bicubic)
        RandomCheckpoint dinov2 = new RandomCheckpoint(ARCH, 42, 2, 0);
        cases.add(new Case("dinov2", dinov2.writeDinov2(dir.resolve("dinov2"), 2, dinov2.baseConfig("dinov2")),
                2 * ARCH.image()));
        RandomCheckpoint clip = new RandomCheckpoint(ARCH, 43, 0, 0);
        Map<String, Object> vision = clip.baseConfig("clip");
        vision.remove("hidden_act");
        cases.add(new Case("clip", clip.writeClip(dir.resolve("clip"), vision), 0));
        // 3 x 3 windows padded over the 4 x 4 grid in block 0, global attention in block 1, relative positions
        RandomCheckpoint sam = new RandomCheckpoint(ARCH, 44, 0, 3);
        for (int l = 0; l < ARCH.layers(); l++) {
            int side = l == 0 ? 3 : ARCH.grid();
            sam.redraw("blocks." + l + ".relh", 0.3, 2L * side - 1, ARCH.headDim());
            sam.redraw("blocks." + l + ".relw", 0.3, 2L * side - 1, ARCH.headDim());
        }
        Map<String, Object> samVision = sam.baseConfig("sam");
        samVision.put("window_size", 3);
        samVision.put("global_attn_indexes", List.of(1));
        cases.add(new Case("sam", sam.writeSam(dir.resolve("sam"), samVision), 0));
        return cases;
    }

    private static TrainableTransformer open(Case c) throws IOException {
        return TrainableTransformer.open(c.folder(), c.family(), new BackboneOptions(c.inputSize(),
                DevicePreference.CPU));
    }

    private static float[] pixels(TrainableTransformer t, int batch, long seed) {
        int s = t.spec().inputSize();
        return RandomCheckpoint.pixels(batch * t.spec().inputChannels() * s * s, seed);
    }

    @Test
    void forwardPassIsTheInferenceNetworksForEveryFamily() throws IOException {
        for (Case c : cases()) {
            try (TrainableTransformer t = open(c);
                    Backbone b = BackboneFamilies.load(c.folder(), c.family(), new BackboneOptions(c.inputSize(),
                            DevicePreference.CPU))) {
                float[] px = pixels(t, 2, 3);
                // the same operations on the same values in the same order: any difference is a wiring mistake
                assertClose(b.hiddenStates(px, 2), t.hiddenStates(px, 2), 1e-6);
            }
        }
    }

    @Test
    void realMnistVitMatchesPyTorch() throws IOException {
        TestData.Npy inputs = TestData.readNpy(SharedData.vitMnist().resolve("reference/inputs.npy"));
        TestData.Npy reference = TestData.readNpy(SharedData.vitMnist().resolve("reference/hidden_states.npy"));
        try (TrainableTransformer t = TrainableTransformer.open(SharedData.vitMnist(), "hf-vit",
                BackboneOptions.defaults())) {
            float[][] hidden = t.hiddenStates(inputs.data(), inputs.shape()[0]);
            int states = reference.shape()[1];
            int perImage = reference.shape()[2] * reference.shape()[3];
            for (int s = 0; s < states; s++) {
                float[] expected = new float[hidden[s].length];
                for (int i = 0; i < inputs.shape()[0]; i++) {
                    System.arraycopy(reference.data(), (i * states + s) * perImage, expected, i * perImage, perImage);
                }
                // the bound HfVitFamilyTest agreed on: float32 kernel differences are of order 1e-6
                double worst = RandomCheckpoint.maxDifference(expected, hidden[s]);
                assertTrue(worst < 1e-4, "hidden state " + s + " differs from PyTorch by " + worst);
            }
        }
    }

    @Test
    void untrainedNetworkWritesBackEveryTensorBitForBit() throws IOException {
        for (Case c : cases()) {
            try (TrainableTransformer t = open(c); Checkpoint original = Checkpoint.open(c.folder())) {
                LinkedHashMap<String, FloatTensor> written = t.checkpointTensors();
                assertEquals(original.tensorNames(), List.copyOf(written.keySet()), c.family() + ": names, in order");
                for (String name : original.tensorNames()) {
                    FloatTensor w = written.get(name);
                    assertTrue(java.util.Arrays.equals(original.shape(name), w.shape()), name);
                    assertTrue(java.util.Arrays.equals(original.tensor(name, original.shape(name)), w.data()),
                            c.family() + ": " + name + " changed");
                }
                // parameters are stored tensors: one fused q/k/v and one position table, never the parts
                List<String> names = t.parameterNames();
                assertTrue(names.stream().allMatch(written::containsKey), c.family() + ": " + names);
                switch (c.family()) {
                    case "sam" -> assertTrue(names.contains("vision_encoder.layers.0.attn.qkv.weight"));
                    case "clip" -> assertFalse(names.stream().anyMatch(n -> n.startsWith("text_model.")));
                    case "dinov2" -> assertFalse(names.contains("embeddings.mask_token"));
                    default -> assertTrue(names.contains("vit.embeddings.position_embeddings"));
                }
            }
        }
    }

    /** Elements of stored tensors whose gradient is checked: in parts other than the first and through resizing. */
    private static final Map<String, long[]> PROBES = Map.of(
            // class token's position (element 3) and a grid cell's (16 + 21) of one (1, 17, 16) table
            "hf-vit", new long[] { 3, 16 + 21 },
            // a grid cell of the 4 x 4 table that reaches the input's 8 x 8 grid through interpolation
            "dinov2", new long[] { 16 * 6 + 2 },
            // the class embedding's position in CLIP's (17, 16) table
            "clip", new long[] { 5 },
            // the key's and the value's thirds of block 0's fused (48, 16) projection
            "sam", new long[] { 16 * 16 + 37, 2 * 16 * 16 + 200 });

    private static String probed(String family) {
        return switch (family) {
            case "hf-vit" -> "vit.embeddings.position_embeddings";
            case "dinov2" -> "embeddings.position_embeddings";
            case "clip" -> "vision_model.embeddings.position_embedding.weight";
            default -> "vision_encoder.layers.0.attn.qkv.weight";
        };
    }

    @Test
    void gradientsReachTheRightElementsOfStoredTensors() throws IOException {
        for (Case c : cases()) {
            try (TrainableTransformer t = open(c)) {
                t.trainFrom(0);
                float[] px = pixels(t, 2, 9);
                float[] direction = RandomCheckpoint.pixels(2 * ARCH.channels(), 10);
                String name = probed(c.family());
                float[] gradient = gradient(t, px, direction, name);
                LinkedHashMap<String, FloatTensor> values = t.parameterTensors();
                for (long element : PROBES.get(c.family())) {
                    double h = 1e-2;
                    double up = objective(t, perturbed(values, name, element, h), px, direction);
                    double down = objective(t, perturbed(values, name, element, -h), px, direction);
                    double numeric = (up - down) / (2 * h);
                    double analytic = gradient[(int) element];
                    // central differences in float32: O(h^2) truncation and float rounding of the objective (of
                    // order 1e-6 / h) stay below 1e-3 here; a gradient sent to the wrong element is off by O(1)
                    assertTrue(Math.abs(analytic) > 1e-2, c.family() + ": a probe with a vanishing gradient");
                    assertEquals(numeric, analytic, 1e-3 + 1e-2 * Math.abs(analytic),
                            c.family() + " " + name + "[" + element + "]");
                }
            }
        }
    }

    @Test
    void frozenBlocksGetNoGradient() throws IOException {
        Case sam = cases().get(3);
        try (TrainableTransformer t = open(sam)) {
            List<String> training = t.trainFrom(1);
            for (String name : t.parameterNames()) {
                boolean trains = t.blockOf(name) >= 1;
                assertEquals(trains, training.contains(name), name);
                assertEquals(trains, DjlRuntime.call(() -> t.parameter(name).hasGradient()), name);
            }
            assertEquals(TrainableTransformer.EMBEDDINGS, t.blockOf("vision_encoder.pos_embed"));
            assertEquals(1, t.blockOf("vision_encoder.layers.1.attn.rel_pos_h"));
        }
    }

    private static Map<String, FloatTensor> perturbed(Map<String, FloatTensor> values, String name, long element,
            double h) {
        Map<String, FloatTensor> copy = new LinkedHashMap<>(values);
        float[] data = values.get(name).data().clone();
        data[(int) element] += (float) h;
        copy.put(name, new FloatTensor(values.get(name).shape(), data));
        return copy;
    }

    /** The objective sum(global token * direction), evaluated in double from the float32 tokens. */
    private static double objective(TrainableTransformer t, Map<String, FloatTensor> values, float[] px,
            float[] direction) {
        t.setParameters(values);
        return DjlRuntime.call(() -> {
            try (NDManager m = NDManager.newBaseManager(t.device().device(), "PyTorch"); NDScope s = new NDScope()) {
                s.suppressNotUsedWarning();
                float[] tokens = t.globalToken(input(m, t, px)).toFloatArray();
                double sum = 0;
                for (int i = 0; i < tokens.length; i++) {
                    sum += (double) tokens[i] * direction[i];
                }
                return sum;
            }
        });
    }

    private static float[] gradient(TrainableTransformer t, float[] px, float[] direction, String name) {
        return DjlRuntime.call(() -> {
            try (NDManager m = NDManager.newBaseManager(t.device().device(), "PyTorch"); NDScope s = new NDScope()) {
                s.suppressNotUsedWarning();
                NDArray d = m.create(direction, new Shape(2, ARCH.channels()));
                try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                    gc.backward(t.globalToken(input(m, t, px)).mul(d).sum());
                }
                float[] g = t.parameter(name).getGradient().toFloatArray();
                return g;
            }
        });
    }

    private static NDArray input(NDManager m, TrainableTransformer t, float[] px) {
        long s = t.spec().inputSize();
        return m.create(px, new Shape(px.length / (t.spec().inputChannels() * s * s), t.spec().inputChannels(), s, s));
    }
}
