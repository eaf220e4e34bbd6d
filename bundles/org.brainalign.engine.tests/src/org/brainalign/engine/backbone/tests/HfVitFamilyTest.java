package org.brainalign.engine.backbone.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.backbone.Backbone;
import org.brainalign.engine.backbone.BackboneOptions;
import org.brainalign.engine.backbone.Checkpoint;
import org.brainalign.engine.backbone.HfVitFamily;
import org.brainalign.engine.backbone.Resampling;
import org.brainalign.io.safetensors.SafetensorsFile;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hf-vit family against PyTorch's hidden states and logits for a real trained ViT (vit-mnist-tiny). */
class HfVitFamilyTest {

    private static Backbone backbone;
    private static TestData.Npy inputs;
    private static float[][] hidden;

    @BeforeAll
    static void load() throws IOException {
        try (Checkpoint checkpoint = Checkpoint.open(SharedData.vitMnist())) {
            backbone = new HfVitFamily().load(checkpoint, new BackboneOptions(0, DevicePreference.CPU));
        }
        inputs = TestData.readNpy(SharedData.vitMnist().resolve("reference/inputs.npy"));
        hidden = backbone.hiddenStates(inputs.data(), inputs.shape()[0]);
    }

    @AfterAll
    static void close() {
        if (backbone != null) {
            backbone.close();
        }
    }

    @Test
    void architectureComesFromConfigJson() {
        assertEquals(6, backbone.layers());
        assertEquals(64, backbone.channels());
        assertEquals(28, backbone.inputSize());
        assertEquals(1, backbone.inputChannels());
        assertEquals(4, backbone.gridSide());
        assertTrue(backbone.hasClassToken());
        // config.json declares the MNIST normalisation
        assertArrayEquals(new float[] { 0.1307f }, backbone.normalization().mean());
        assertArrayEquals(new float[] { 0.3081f }, backbone.normalization().std());
    }

    @Test
    void everyHiddenStateMatchesPyTorch() throws IOException {
        TestData.Npy reference = TestData.readNpy(SharedData.vitMnist().resolve("reference/hidden_states.npy"));
        int b = reference.shape()[0];
        int states = reference.shape()[1];
        int tokens = reference.shape()[2];
        int c = reference.shape()[3];
        assertEquals(backbone.layers() + 1, states);
        for (int s = 0; s < states; s++) {
            double worst = 0;
            for (int i = 0; i < b; i++) {
                for (int t = 0; t < tokens; t++) {
                    for (int k = 0; k < c; k++) {
                        float expected = reference.data()[((i * states + s) * tokens + t) * c + k];
                        float actual = hidden[s][(i * tokens + t) * c + k];
                        worst = Math.max(worst, Math.abs(expected - actual));
                    }
                }
            }
            // float32 through 6 blocks: differences of order 1e-6 (different kernels, summation order); 1e-4 is the
            // agreed bound and far below any real mistake (a wrong norm or activation moves values by > 1e-2)
            assertTrue(worst < 1e-4, "hidden state " + s + " differs from PyTorch by " + worst);
        }
    }

    @Test
    void classifierHeadOnLastClassTokenReproducesLogits() throws IOException {
        TestData.Npy logits = TestData.readNpy(SharedData.vitMnist().resolve("reference/logits.npy"));
        int b = logits.shape()[0];
        int classes = logits.shape()[1];
        int tokens = 1 + backbone.gridSide() * backbone.gridSide();
        int c = backbone.channels();
        float[] last = hidden[backbone.layers()];
        try (SafetensorsFile head = SafetensorsFile.open(SharedData.vitMnist().resolve("head.safetensors"))) {
            float[] w0 = head.readFloats("head.0.weight");
            float[] b0 = head.readFloats("head.0.bias");
            float[] w2 = head.readFloats("head.2.weight");
            float[] b2 = head.readFloats("head.2.bias");
            int inner = b0.length;
            double worst = 0;
            for (int i = 0; i < b; i++) {
                double[] h = new double[inner];
                for (int j = 0; j < inner; j++) {
                    double s = b0[j];
                    for (int k = 0; k < c; k++) {
                        s += w0[j * c + k] * last[i * tokens * c + k];
                    }
                    h[j] = 0.5 * s * (1 + TestData.erf(s / Math.sqrt(2)));
                }
                for (int o = 0; o < classes; o++) {
                    double s = b2[o];
                    for (int j = 0; j < inner; j++) {
                        s += w2[o * inner + j] * h[j];
                    }
                    worst = Math.max(worst, Math.abs(s - logits.data()[i * classes + o]));
                }
            }
            // logits are of order 10; the hidden states agree to ~1e-6, the erf approximation to 1.5e-7
            assertTrue(worst < 1e-4, "logits differ from PyTorch by " + worst);
        }
    }

    @Test
    void featuresAreTheResizedPatchGridAndTheClassToken() {
        int grid = 8;
        int batch = 3;
        float[] pixels = java.util.Arrays.copyOf(inputs.data(), batch * 28 * 28);
        float[] features = backbone.features(pixels, batch, grid);
        int g = backbone.gridSide();
        int c = backbone.channels();
        int tokens = 1 + g * g;
        int layers = backbone.layers();
        int cells = grid * grid + 1;
        assertEquals(batch * layers * cells * c, features.length);
        float[] w = Resampling.bilinear(g, grid);
        double worst = 0;
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < batch; i++) {
                // channel planes of the 4 x 4 patch grid, resized in plain Java
                float[] planes = new float[c * g * g];
                for (int t = 0; t < g * g; t++) {
                    for (int k = 0; k < c; k++) {
                        planes[k * g * g + t] = hidden[l + 1][(i * tokens + 1 + t) * c + k];
                    }
                }
                float[] resized = Resampling.resize(planes, c, g, g, w, w);
                int base = (i * layers + l) * cells * c;
                for (int cell = 0; cell < grid * grid; cell++) {
                    for (int k = 0; k < c; k++) {
                        worst = Math.max(worst,
                                Math.abs(resized[k * grid * grid + cell] - features[base + cell * c + k]));
                    }
                }
                for (int k = 0; k < c; k++) {
                    worst = Math.max(worst,
                            Math.abs(hidden[l + 1][i * tokens * c + k] - features[base + grid * grid * c + k]));
                }
            }
        }
        // the same numbers through two float32 paths (a batched matrix product vs separable sums)
        assertTrue(worst < 1e-5, "features differ from resized hidden states by " + worst);
    }
}
