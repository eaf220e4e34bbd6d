package org.brainalign.engine.factortopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The fused float encoder against the double-precision reference on the same parameters and data: predictions,
 * loss and the gradient of every tensor. Float carries 24 bits (6e-8 relative); the longest sums here (over C, D,
 * 192 encodings, H and the voxels of a weight gradient) have at most a few hundred terms of mixed sign, whose rounding
 * errors grow like the square root of their number relative to the largest term, so agreement to 1e-5 of each
 * tensor's largest value is what float can promise, and an error in any term of the formulation shows far above it.
 */
public class FusedEncoderTest {

    private static final double TOLERANCE = 1e-5;

    /** A model whose voxels spread over the whole grid, border included, on 2 cores and 1. */
    @Test
    public void matchesTheReference() {
        EncoderShape shape = new EncoderShape(3, 5, 8, 61, 8, 6);
        check(shape, 3, 2.5, 2);
        check(shape, 3, 2.5, 1);
    }

    /** More voxels than one selector block per part, and groups of every size. */
    @Test
    public void matchesTheReferenceOverManyBlocks() {
        check(new EncoderShape(2, 3, 8, 1100, 4, 6), 2, 1.5, 2);
    }

    /** The paper's widths, a single layer (no entropy term), and a batch of one. */
    @Test
    public void matchesTheReferenceAtOtherSizes() {
        check(new EncoderShape(2, 7, 8, 9, 128, 128), 2, 1.0, 2);
        check(new EncoderShape(1, 3, 8, 5, 4, 3), 1, 3.0, 2);
        check(new EncoderShape(4, 3, 8, 1, 4, 3), 2, 3.0, 2);
    }

    @Test
    public void resultsDoNotDependOnTheThreadCount() {
        EncoderShape shape = new EncoderShape(3, 6, 8, 203, 16, 12);
        EncoderParameters p = TinyModels.randomModel(shape, 21, 2.0);
        Data data = data(shape, 4, 22);
        EncoderParameters g1 = p.zerosLike();
        EncoderParameters g2 = p.zerosLike();
        double l1;
        double l2;
        try (Workers one = new Workers(1); Workers two = new Workers(2)) {
            l1 = new FusedEncoder(shape, data.pe, 4, one).step(p, data.local, data.global, 4, data.targets, 0.1, g1);
            l2 = new FusedEncoder(shape, data.pe, 4, two).step(p, data.local, data.global, 4, data.targets, 0.1, g2);
        }
        assertEquals(Double.doubleToLongBits(l1), Double.doubleToLongBits(l2));
        assertTrue(g1.sameBits(g2));
    }

    private record Data(float[][] pe, double[][] peDouble, float[] local, float[] global, float[][] targets) {
    }

    private static Data data(EncoderShape shape, int batch, long seed) {
        double[][] coords = TinyModels.randomCoordinates(shape.voxels(), seed);
        PositionalEncoding enc = PositionalEncoding.fit(coords);
        int lc = shape.layers() * shape.channels();
        float[] local = TinyModels.random(batch * lc * shape.cells(), seed + 1, 1.0);
        float[] global = TinyModels.random(batch * lc, seed + 2, 1.0);
        float[][] targets = new float[batch][];
        for (int b = 0; b < batch; b++) {
            targets[b] = TinyModels.random(shape.voxels(), seed + 3 + b, 0.4);
        }
        return new Data(enc.encodeAllFloat(coords), enc.encodeAll(coords), local, global, targets);
    }

    private static void check(EncoderShape shape, int batch, double spread, int threads) {
        EncoderParameters p = TinyModels.randomModel(shape, 31, spread);
        Data data = data(shape, batch, 32);
        // the reference reads the float encodings, so both see the same inputs
        double[][] pe = new double[shape.voxels()][];
        for (int v = 0; v < pe.length; v++) {
            pe[v] = new double[data.pe[v].length];
            for (int j = 0; j < pe[v].length; j++) {
                pe[v][j] = data.pe[v][j];
            }
        }
        ReferenceEncoder ref = new ReferenceEncoder(shape, pe, ReferenceEncoder.toDouble(p));
        Map<String, double[]> refGrad = new HashMap<>();
        double refLoss = ref.loss(data.local, data.global, batch, data.targets, 0.08, refGrad);
        double[][] refPred = ref.predict(data.local, data.global, batch);
        try (Workers workers = new Workers(threads)) {
            FusedEncoder fused = new FusedEncoder(shape, data.pe, batch, workers);
            EncoderParameters grads = p.zerosLike();
            double loss = fused.step(p, data.local, data.global, batch, data.targets, 0.08, grads);
            assertEquals(refLoss, loss, TOLERANCE * Math.abs(refLoss), "loss");
            float[][] pred = new float[batch][shape.voxels()];
            fused.prepare(p, false);
            fused.predict(data.local, data.global, batch, pred);
            double predScale = 0;
            for (double[] row : refPred) {
                for (double v : row) {
                    predScale = Math.max(predScale, Math.abs(v));
                }
            }
            for (int b = 0; b < batch; b++) {
                for (int v = 0; v < shape.voxels(); v++) {
                    assertEquals(refPred[b][v], pred[b][v], TOLERANCE * predScale, "prediction " + b + ", " + v);
                }
            }
            for (ParameterTensor t : grads.tensors()) {
                float[] got = t.toFlat();
                double[] want = refGrad.get(t.name());
                double max = 0;
                for (double w : want) {
                    max = Math.max(max, Math.abs(w));
                }
                // with one layer the softmax is constant, so the layer selector's gradient is truly zero
                boolean constant = shape.layers() == 1 && t.name().startsWith("layer_");
                assertTrue(max > 0 || constant, t.name() + " has a zero gradient: the test would not see errors in it");
                for (int i = 0; i < got.length; i++) {
                    assertEquals(want[i], got[i], TOLERANCE * max, t.name() + "[" + i + "]");
                }
            }
        }
    }
}
