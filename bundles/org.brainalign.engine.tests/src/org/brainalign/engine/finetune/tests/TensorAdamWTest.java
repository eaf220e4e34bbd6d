package org.brainalign.engine.finetune.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Random;

import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.DjlRuntime;
import org.brainalign.engine.finetune.TensorAdamW;
import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/**
 * AdamW on NDArrays against torch.optim.AdamW's update written out in double precision: the first step's closed
 * form and a run of steps whose gradients change (which also shows the gradients are zeroed between steps: PyTorch
 * would otherwise add them up).
 */
class TensorAdamWTest {

    private static final int N = 64;

    /** Draws parameters and per-step gradients, runs our AdamW, and returns the parameters after each step. */
    private static float[][] run(TensorAdamW.Settings settings, double[] rates, float[] start, float[][] gradients) {
        return DjlRuntime.call(() -> {
            try (NDManager m = NDManager.newBaseManager(DjlRuntime.device(DevicePreference.CPU).device(),
                    "PyTorch")) {
                NDArray p = m.create(start.clone(), new Shape(N)).duplicate();
                p.setRequiresGradient(true);
                LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
                params.put("p", p);
                TensorAdamW adam = new TensorAdamW(params, settings, m);
                float[][] after = new float[rates.length][];
                for (int t = 0; t < rates.length; t++) {
                    NDArray c = m.create(gradients[t], new Shape(N));
                    // the loss sum(c * p) has gradient c
                    try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                        gc.backward(p.mul(c).sum());
                    }
                    adam.update(rates[t]);
                    after[t] = p.toFloatArray();
                }
                assertEquals(rates.length, adam.steps());
                return after;
            }
        });
    }

    private static float[] normal(Random r, double scale) {
        float[] v = new float[N];
        for (int i = 0; i < N; i++) {
            v[i] = (float) (scale * r.nextGaussian());
        }
        return v;
    }

    @Test
    void firstStepIsTheClosedForm() {
        Random r = new Random(1);
        float[] p0 = normal(r, 1);
        float[] g = normal(r, 1);
        TensorAdamW.Settings s = new TensorAdamW.Settings(0.9, 0.999, 1e-8, 0.1);
        double lr = 0.01;
        float[] p1 = run(s, new double[] { lr }, p0, new float[][] { g })[0];
        for (int i = 0; i < N; i++) {
            // bias correction makes the first moment g and the second g^2: the step is lr * g / (|g| + eps)
            double expected = p0[i] * (1 - lr * s.weightDecay()) - lr * g[i] / (Math.abs(g[i]) + s.eps());
            // float32 arithmetic on values of order 1: a few units in the last place, far below lr
            assertEquals(expected, p1[i], 2e-6, "element " + i);
        }
    }

    @Test
    void stepsWithChangingGradientsFollowTorchsUpdate() {
        Random r = new Random(2);
        int steps = 20;
        float[] p0 = normal(r, 1);
        float[][] gradients = new float[steps][];
        double[] rates = new double[steps];
        for (int t = 0; t < steps; t++) {
            gradients[t] = normal(r, 0.1 + t % 3);
            rates[t] = 0.01 * (1 + Math.cos(Math.PI * t / steps)) / 2 + 1e-4;
        }
        TensorAdamW.Settings s = TensorAdamW.Settings.TORCH_DEFAULTS;
        float[][] ours = run(s, rates, p0, gradients);
        double[] p = new double[N];
        double[] m = new double[N];
        double[] v = new double[N];
        for (int i = 0; i < N; i++) {
            p[i] = p0[i];
        }
        for (int t = 1; t <= steps; t++) {
            double lr = rates[t - 1];
            double bc1 = 1 - Math.pow(s.beta1(), t);
            double bc2 = 1 - Math.pow(s.beta2(), t);
            for (int i = 0; i < N; i++) {
                double g = gradients[t - 1][i];
                p[i] *= 1 - lr * s.weightDecay();
                m[i] += (1 - s.beta1()) * (g - m[i]);
                v[i] = s.beta2() * v[i] + (1 - s.beta2()) * g * g;
                p[i] -= lr / bc1 * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + s.eps());
                // float32 against double over t steps of size at most lr: rounding grows to some 1e-6; gradients
                // left to accumulate would move a step by O(lr) = 1e-2
                assertEquals(p[i], ours[t - 1][i], 1e-5, "step " + t + ", element " + i);
            }
        }
    }
}
