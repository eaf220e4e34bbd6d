package org.brainalign.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.DjlRuntime;
import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/** PyTorch autograd through DJL inside OSGi: a least-squares fit whose answer is known in closed form. */
public class AutogradFitTest {

    @Test
    public void gradientDescentRecoversALinearModel() {
        float[] fitted = DjlRuntime.call(() -> {
            Engine engine = DjlRuntime.engine();
            try (NDManager m = NDManager.newBaseManager(DjlRuntime.device(DevicePreference.CPU).device())) {
                // y = 3 x0 - 1.5 x1 + 2 exactly, x on a fixed grid: the least-squares optimum is the generating model
                float[] xs = new float[2 * 64];
                float[] ys = new float[64];
                for (int i = 0; i < 64; i++) {
                    xs[2 * i] = (i % 8) / 4f - 1;
                    xs[2 * i + 1] = (i / 8) / 4f - 1;
                    ys[i] = 3 * xs[2 * i] - 1.5f * xs[2 * i + 1] + 2;
                }
                NDArray x = m.create(xs, new Shape(64, 2));
                NDArray y = m.create(ys, new Shape(64, 1));
                NDArray w = m.zeros(new Shape(2, 1));
                NDArray b = m.zeros(new Shape(1));
                w.setRequiresGradient(true);
                b.setRequiresGradient(true);
                float first = Float.NaN;
                float last = Float.NaN;
                for (int step = 0; step < 300; step++) {
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDArray loss = x.matMul(w).add(b).sub(y).pow(2).mean();
                        gc.backward(loss);
                        last = loss.getFloat();
                        if (step == 0) {
                            first = last;
                        }
                    }
                    // plain SGD; PyTorch accumulates gradients, so zero them after each step
                    for (NDArray p : new NDArray[] { w, b }) {
                        NDArray g = p.getGradient();
                        p.subi(g.mul(0.5f));
                        g.subi(g);
                    }
                }
                float[] wv = w.toFloatArray();
                return new float[] { wv[0], wv[1], b.getFloat(), first, last };
            }
        });
        assertEquals(3f, fitted[0], 1e-3f);
        assertEquals(-1.5f, fitted[1], 1e-3f);
        assertEquals(2f, fitted[2], 1e-3f);
        assertTrue(fitted[4] < 1e-6f * fitted[3], "loss fell from " + fitted[3] + " to " + fitted[4]);
    }
}
