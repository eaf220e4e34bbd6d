package org.brainalign.engine.factortopy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** AdamW against the algorithm of torch.optim.AdamW written out in double precision, and against a closed form. */
public class EncoderAdamWTest {

    private static final double LR = 1e-3;
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;
    private static final double WD = 0.01;

    @Test
    public void firstStepMovesEveryParameterByTheLearningRateAgainstItsGradient() {
        // step 1: m^ = g and v^ = g^2, so p1 = p0 (1 - lr wd) - lr g / (|g| + eps), for any gradient size
        EncoderShape shape = new EncoderShape(1, 2, 2, 3, 2, 2);
        EncoderParameters p = TinyModels.randomModel(shape, 5, 1.0);
        EncoderParameters before = p.copy();
        EncoderParameters g = p.zerosLike();
        float[] gv = { 3f, -0.002f, 50f };
        g.weight()[1][0] = gv[0];
        g.weight()[1][1] = gv[1];
        g.bias()[2] = gv[2];
        try (Workers w = new Workers(2)) {
            new EncoderAdamW(shape, LR, B1, B2, EPS, WD).update(p, g, w);
        }
        // parameters below 1 are floats with an ulp of at most 6e-8; the update rounds twice
        double tol = 1.2e-7;
        assertEquals(before.weight()[1][0] * (1 - LR * WD) - LR * 3 / (3 + EPS), p.weight()[1][0], tol);
        assertEquals(before.weight()[1][1] * (1 - LR * WD) + LR * 0.002 / (0.002 + EPS), p.weight()[1][1], tol);
        assertEquals(before.bias()[2] * (1 - LR * WD) - LR * 50 / (50 + EPS), p.bias()[2], tol);
        // zero gradient: decay only, biases included
        assertEquals(before.bias()[0] * (1 - LR * WD), p.bias()[0], tol);
        assertEquals(before.local(0)[1][1] * (1 - LR * WD), p.local(0)[1][1], tol);
    }

    @Test
    public void manyStepsFollowTheAlgorithm() {
        EncoderShape shape = new EncoderShape(1, 2, 2, 2, 2, 2);
        EncoderParameters p = TinyModels.randomModel(shape, 6, 1.0);
        double[] ref = toDouble(p);
        double[] m = new double[ref.length];
        double[] v = new double[ref.length];
        EncoderAdamW adam = new EncoderAdamW(shape, LR, B1, B2, EPS, WD);
        try (Workers w = new Workers(1)) {
            for (int t = 1; t <= 30; t++) {
                EncoderParameters g = p.zerosLike();
                float[] gradient = TinyModels.random((int) p.count(), 100 + t, t % 3 == 0 ? 0.01 : 1.0);
                int at = 0;
                for (ParameterTensor tensor : g.tensors()) {
                    float[] flat = new float[tensor.size()];
                    System.arraycopy(gradient, at, flat, 0, flat.length);
                    tensor.setFlat(flat);
                    at += flat.length;
                }
                adam.update(p, g, w);
                // torch.optim.AdamW (maximize = False, amsgrad = False), per element
                for (int i = 0; i < ref.length; i++) {
                    double gi = gradient[i];
                    ref[i] *= 1 - LR * WD;
                    m[i] = B1 * m[i] + (1 - B1) * gi;
                    v[i] = B2 * v[i] + (1 - B2) * gi * gi;
                    double mh = m[i] / (1 - Math.pow(B1, t));
                    double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(B2, t)) + EPS;
                    ref[i] -= LR * mh / denom;
                }
            }
        }
        double[] got = toDouble(p);
        for (int i = 0; i < ref.length; i++) {
            // float parameters below 1 round to 6e-8 twice per step: 30 steps drift at most 3.6e-6, while a coupled
            // decay or a missing bias correction moves them by 1e-4 or more
            assertEquals(ref[i], got[i], 3.6e-6, "element " + i);
        }
        assertEquals(30, adam.steps());
    }

    private static double[] toDouble(EncoderParameters p) {
        double[] out = new double[(int) p.count()];
        int at = 0;
        for (ParameterTensor t : p.tensors()) {
            for (float f : t.toFlat()) {
                out[at++] = f;
            }
        }
        return out;
    }
}
