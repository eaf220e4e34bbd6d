package org.brainalign.engine.factortopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.brainalign.core.data.Responses;
import org.brainalign.core.metrics.VoxelScores;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;

/**
 * The ridge baseline recovers each voxel's planted layer from responses that are linear in that layer's pooled
 * features, and with a single lambda its test scores equal those of the ridge solution solved directly.
 */
public class RidgeBaselineTest {

    private static final int LAYERS = 3;
    private static final int C = 5;
    private static final int IMAGES = 160;
    private static final int VOXELS = 30;

    private final InMemoryFeatures features;
    private final float[][] pooled; // [image][layer * 2C + j]
    private final int[] layer = new int[VOXELS];
    private final Responses responses;

    public RidgeBaselineTest() {
        SplittableRandom r = new SplittableRandom(77);
        float[] local = TinyModels.random(IMAGES * LAYERS * C * 64, 78, 1.0);
        float[] global = TinyModels.random(IMAGES * LAYERS * C, 79, 1.0);
        features = new InMemoryFeatures(LAYERS, C, 8, local, global, "ridge features");
        pooled = new float[IMAGES][LAYERS * 2 * C];
        for (int i = 0; i < IMAGES; i++) {
            for (int l = 0; l < LAYERS; l++) {
                for (int c = 0; c < C; c++) {
                    int base = (i * LAYERS + l) * C + c;
                    pooled[i][l * 2 * C + c] = global[base];
                    double s = 0;
                    for (int cell = 0; cell < 64; cell++) {
                        s += local[base * 64 + cell];
                    }
                    pooled[i][l * 2 * C + C + c] = (float) (s / 64);
                }
            }
        }
        float[][] values = new float[IMAGES][VOXELS];
        for (int v = 0; v < VOXELS; v++) {
            layer[v] = v % LAYERS;
            double[] beta = new double[2 * C];
            for (int j = 0; j < beta.length; j++) {
                // the pooled local means vary 8 times less than the global tokens: weigh them up
                beta[j] = (2 * r.nextDouble() - 1) * (j < C ? 1 : 8);
            }
            for (int i = 0; i < IMAGES; i++) {
                double y = 0.3;
                for (int j = 0; j < beta.length; j++) {
                    y += beta[j] * pooled[i][layer[v] * 2 * C + j];
                }
                values[i][v] = (float) (y + 0.2 * (2 * r.nextDouble() - 1));
            }
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            ids.add("i" + i);
        }
        responses = new Responses(ids, values);
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    @Test
    public void findsThePlantedLayer() throws Exception {
        RidgeBaseline.Result res = RidgeBaseline.builder().setFeatures(features).setResponses(responses)
                .setTrainImages(range(0, 120)).setTestImages(range(120, 160)).optVoxelChunk(7).build()
                .fit(new NullProgressMonitor());
        int right = 0;
        for (int v = 0; v < VOXELS; v++) {
            right += res.bestLayer()[v] == layer[v] ? 1 : 0;
            assertTrue(res.testR2()[v] > 0.8, "voxel " + v + " test R^2 " + res.testR2()[v]);
        }
        assertTrue(right >= 0.9 * VOXELS, right + " layers right");
    }

    @Test
    public void singleLambdaMatchesTheDirectSolution() throws Exception {
        int[] train = range(0, 100);
        int[] test = range(100, 160);
        double factor = 0.5;
        RidgeBaseline.Result res = RidgeBaseline.builder().setFeatures(features).setResponses(responses)
                .setTrainImages(train).setTestImages(test).optLambdas(factor).optFolds(4).build()
                .fit(new NullProgressMonitor());
        for (int l = 0; l < LAYERS; l++) {
            float[][] predicted = direct(l, train, test, factor * train.length);
            float[][] observed = new float[test.length][];
            for (int i = 0; i < test.length; i++) {
                observed[i] = responses.row(test[i]);
            }
            float[] want = VoxelScores.rSquared(observed, predicted);
            for (int v = 0; v < VOXELS; v++) {
                // float products of sums over 100 images against a double solve: 1e-4 of R^2
                assertEquals(want[v], res.testR2ByLayer()[l][v], 1e-4, "layer " + l + ", voxel " + v);
            }
        }
    }

    /** Ridge by Gaussian elimination on standardised features and centred responses, in double. */
    private float[][] direct(int l, int[] train, int[] test, double lambda) {
        int p = 2 * C;
        double[] mean = new double[p];
        double[] sd = new double[p];
        for (int i : train) {
            for (int j = 0; j < p; j++) {
                mean[j] += pooled[i][l * p + j] / (double) train.length;
            }
        }
        for (int i : train) {
            for (int j = 0; j < p; j++) {
                double d = pooled[i][l * p + j] - mean[j];
                sd[j] += d * d / train.length;
            }
        }
        for (int j = 0; j < p; j++) {
            sd[j] = Math.sqrt(sd[j]);
        }
        float[][] out = new float[test.length][VOXELS];
        for (int v = 0; v < VOXELS; v++) {
            double ybar = 0;
            for (int i : train) {
                ybar += responses.get(i, v) / (double) train.length;
            }
            double[][] m = new double[p][p + 1];
            for (int i : train) {
                for (int a = 0; a < p; a++) {
                    double xa = (pooled[i][l * p + a] - mean[a]) / sd[a];
                    for (int b = 0; b < p; b++) {
                        m[a][b] += xa * (pooled[i][l * p + b] - mean[b]) / sd[b];
                    }
                    m[a][p] += xa * (responses.get(i, v) - ybar);
                }
            }
            for (int a = 0; a < p; a++) {
                m[a][a] += lambda;
            }
            for (int col = 0; col < p; col++) {
                for (int row = col + 1; row < p; row++) {
                    double f = m[row][col] / m[col][col];
                    for (int k = col; k <= p; k++) {
                        m[row][k] -= f * m[col][k];
                    }
                }
            }
            double[] beta = new double[p];
            for (int row = p - 1; row >= 0; row--) {
                double s = m[row][p];
                for (int k = row + 1; k < p; k++) {
                    s -= m[row][k] * beta[k];
                }
                beta[row] = s / m[row][row];
            }
            for (int t = 0; t < test.length; t++) {
                double y = ybar;
                for (int a = 0; a < p; a++) {
                    y += beta[a] * (pooled[test[t]][l * p + a] - mean[a]) / sd[a];
                }
                out[t][v] = (float) y;
            }
        }
        return out;
    }
}
