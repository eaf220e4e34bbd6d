package org.brainalign.engine.factortopy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The reference encoder's hand-written backward pass against central finite differences of its loss, in double
 * precision, for every parameter tensor. With h = 1e-5 the truncation error of a central difference is of order
 * h^2 |f'''| ~ 1e-10 and the rounding error of order 1e-16 |f| / h ~ 1e-11, so analytic and numeric derivatives must
 * agree to better than 1e-7 relative (plus 1e-9 absolute for derivatives that are nearly zero).
 */
public class ReferenceGradientTest {

    private static final double H = 1e-5;

    @Test
    public void everyParameterTensorMatchesFiniteDifferences() {
        // small sizes with every kind of term present: 3 layers, several voxels spread over the grid and its border
        EncoderShape shape = new EncoderShape(3, 4, 8, 7, 5, 6);
        EncoderParameters p = TinyModels.randomModel(shape, 11, 2.0);
        double[][] coords = TinyModels.randomCoordinates(shape.voxels(), 12);
        double[][] pe = PositionalEncoding.fit(coords).encodeAll(coords);
        int batch = 2;
        float[] local = TinyModels.random(batch * 3 * 4 * 64, 13, 1.0);
        float[] global = TinyModels.random(batch * 3 * 4, 14, 1.0);
        float[][] targets = new float[batch][];
        for (int b = 0; b < batch; b++) {
            targets[b] = TinyModels.random(shape.voxels(), 15 + b, 0.3);
        }
        ReferenceEncoder ref = new ReferenceEncoder(shape, pe, ReferenceEncoder.toDouble(p));
        double regWeight = 0.07;
        Map<String, double[]> grad = new HashMap<>();
        ref.loss(local, global, batch, targets, regWeight, grad);
        SplittableRandom pick = new SplittableRandom(3);
        int checked = 0;
        for (Map.Entry<String, double[]> e : ref.parameters().entrySet()) {
            double[] theta = e.getValue();
            double[] g = grad.get(e.getKey());
            for (int t = 0; t < Math.min(4, theta.length); t++) {
                int i = pick.nextInt(theta.length);
                double keep = theta[i];
                theta[i] = keep + H;
                double up = ref.loss(local, global, batch, targets, regWeight, null);
                theta[i] = keep - H;
                double down = ref.loss(local, global, batch, targets, regWeight, null);
                theta[i] = keep;
                double numeric = (up - down) / (2 * H);
                double err = Math.abs(numeric - g[i]);
                assertTrue(err <= 1e-7 * Math.abs(numeric) + 1e-9,
                        e.getKey() + "[" + i + "]: analytic " + g[i] + ", numeric " + numeric);
                checked++;
            }
        }
        assertTrue(checked > 3 * 4 * 3, "checked " + checked);
    }
}
