package org.brainalign.engine.factortopy;

import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.brainalign.core.data.Responses;
import org.brainalign.core.metrics.VoxelScores;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

/**
 * The ridge baseline: for every layer a linear map from that layer's pooled features (the global token and the mean
 * of the local tokens over the grid, 2C features, standardised over the training images) to every voxel, with each
 * voxel's regularisation chosen by k-fold cross-validation over a grid of lambdas. The eigendecomposition of each
 * fold's Gram matrix makes every lambda a rescaling, so the folds cost one decomposition each. Each voxel's best layer
 * is the one with the best cross-validated R^2; its predictions on held-out test images give the reported scores.
 * <p>
 * Cost: about n p N (folds + lambdas + 1) multiply-adds per layer (n training images, p = 2C, N voxels) plus one
 * p x p eigendecomposition per fold; memory grows with p x chunk, not with N.
 */
public final class RidgeBaseline {

    private final FeatureSource features;
    private final Responses responses;
    private final int[] train;
    private final int[] test;
    private final double[] lambdaFactors;
    private final int folds;
    private final long seed;
    private final int threads;
    private final int chunk;

    /**
     * What the baseline found, per voxel.
     *
     * @param bestLayer the layer with the best cross-validated R^2
     * @param lambda the regularisation chosen for it
     * @param validationR2 its cross-validated R^2
     * @param testR2 R^2 of its predictions on the test images
     * @param testPearson Pearson's r of those predictions
     * @param validationR2ByLayer L x N cross-validated R^2
     * @param testR2ByLayer L x N test R^2
     */
    public record Result(int[] bestLayer, float[] lambda, float[] validationR2, float[] testR2, float[] testPearson,
            float[][] validationR2ByLayer, float[][] testR2ByLayer) {
    }

    private RidgeBaseline(Builder b) {
        features = b.features;
        responses = b.responses;
        train = b.train;
        test = b.test;
        lambdaFactors = b.lambdaFactors;
        folds = b.folds;
        seed = b.seed;
        threads = b.threads;
        chunk = b.chunk;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fits every layer and scores the best one per voxel.
     *
     * @param monitor progress in layers; cancellation stops within one voxel chunk
     * @return the result
     * @throws IOException if the inputs do not fit each other or the features cannot be read
     */
    public Result fit(IProgressMonitor monitor) throws IOException {
        check();
        int layers = features.layers();
        int n = responses.voxelCount();
        SubMonitor sub = SubMonitor.convert(monitor, "Ridge regression per layer", layers * 10 + 2);
        float[][][] xTrain = pooled(train, sub.split(1));
        float[][][] xTest = pooled(test, sub.split(1));
        float[] mean = new float[n];
        for (int i : train) {
            RowKernels.add(responses.row(i), mean, n);
        }
        for (int v = 0; v < n; v++) {
            mean[v] /= train.length;
        }
        int[] fold = new int[train.length];
        int[] order = new int[train.length];
        Arrays.setAll(order, i -> i);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < order.length; i++) {
            fold[order[i]] = (int) ((long) i * folds / order.length);
        }
        float[][] cvR2 = new float[layers][];
        float[][] testR2 = new float[layers][];
        float[][] testR = new float[layers][];
        float[][] lambdaByLayer = new float[layers][];
        try (Workers workers = new Workers(threads)) {
            for (int l = 0; l < layers; l++) {
                float[][] out = layer(xTrain[l], xTest[l], fold, mean, workers, sub.split(10));
                cvR2[l] = out[0];
                lambdaByLayer[l] = out[1];
                testR2[l] = out[2];
                testR[l] = out[3];
            }
        }
        int[] best = new int[n];
        float[] bestLambda = new float[n];
        float[] bestCv = new float[n];
        float[] bestTest = new float[n];
        float[] bestR = new float[n];
        for (int v = 0; v < n; v++) {
            int b = 0;
            for (int l = 1; l < layers; l++) {
                if (cvR2[l][v] > cvR2[b][v]) {
                    b = l;
                }
            }
            best[v] = b;
            bestLambda[v] = lambdaByLayer[b][v];
            bestCv[v] = cvR2[b][v];
            bestTest[v] = testR2[b][v];
            bestR[v] = testR[b][v];
        }
        return new Result(best, bestLambda, bestCv, bestTest, bestR, cvR2, testR2);
    }

    private void check() throws EncoderInputException {
        if (features.imageCount() != responses.imageCount()) {
            throw new EncoderInputException(features.description() + " have " + features.imageCount()
                    + " images but the responses have " + responses.imageCount());
        }
        FittedEncoder.checkImages(features, train);
        FittedEncoder.checkImages(features, test);
        if (train.length < 2 * folds) {
            throw new EncoderInputException(folds + "-fold cross-validation needs at least " + 2 * folds
                    + " training images, got " + train.length);
        }
        if (test.length < 2) {
            throw new EncoderInputException("Scores need at least two test images, got " + test.length);
        }
        for (int i : train) {
            for (float y : responses.row(i)) {
                if (!Float.isFinite(y)) {
                    throw new EncoderInputException("The responses to image " + i + " contain NaN or infinity;"
                            + " leave those voxels out first");
                }
            }
        }
    }

    /** Pooled features per layer: [layer][image][global token, then mean of the local tokens], 2C each. */
    private float[][][] pooled(int[] images, IProgressMonitor monitor) throws IOException {
        int layers = features.layers();
        int c = features.channels();
        int cells = features.grid() * features.grid();
        float[][][] x = new float[layers][images.length][2 * c];
        int batch = 8;
        BatchReader reader = new BatchReader(features, batch);
        SubMonitor sub = SubMonitor.convert(monitor, "Pooling features", images.length);
        for (int from = 0; from < images.length; from += batch) {
            int b = Math.min(batch, images.length - from);
            if (sub.isCanceled()) {
                throw new OperationCanceledException();
            }
            reader.read(images, from, b);
            float[] local = reader.local();
            float[] global = reader.global();
            for (int i = 0; i < b; i++) {
                for (int l = 0; l < layers; l++) {
                    float[] row = x[l][from + i];
                    int base = (i * layers + l) * c;
                    for (int k = 0; k < c; k++) {
                        row[k] = global[base + k];
                        double s = 0;
                        int at = (base + k) * cells;
                        for (int cell = 0; cell < cells; cell++) {
                            s += local[at + cell];
                        }
                        row[c + k] = (float) (s / cells);
                    }
                }
            }
            sub.worked(b);
        }
        return x;
    }

    /**
     * Cross-validates and fits one layer.
     *
     * @return cross-validated R^2, chosen lambda, test R^2 and test r, per voxel
     */
    private float[][] layer(float[][] xTrainRaw, float[][] xTestRaw, int[] fold, float[] mean, Workers workers,
            IProgressMonitor monitor) {
        int p = xTrainRaw[0].length;
        int nt = train.length;
        int voxels = responses.voxelCount();
        SubMonitor sub = SubMonitor.convert(monitor, 2 + voxels);
        float[][] x = standardise(xTrainRaw, xTrainRaw);
        float[][] xTest = standardise(xTrainRaw, xTestRaw);
        double[] lambdas = new double[lambdaFactors.length];
        for (int i = 0; i < lambdas.length; i++) {
            lambdas[i] = lambdaFactors[i] * nt;
        }
        // one decomposition per fold of the training fold's Gram matrix, and one of all training images
        double[][] full = gram(x, null, -1, workers);
        Decomposition[] cv = new Decomposition[folds];
        for (int f = 0; f < folds; f++) {
            double[][] g = gram(x, fold, f, workers);
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < p; j++) {
                    g[i][j] = full[i][j] - g[i][j];
                }
            }
            cv[f] = new Decomposition(g);
            checkCanceled(sub);
        }
        Decomposition all = new Decomposition(full);
        sub.worked(2);
        float[] cvR2 = new float[voxels];
        float[] chosen = new float[voxels];
        float[] r2 = new float[voxels];
        float[] r = new float[voxels];
        for (int v0 = 0; v0 < voxels; v0 += chunk) {
            checkCanceled(sub);
            int w = Math.min(chunk, voxels - v0);
            float[][] y = new float[nt][w];
            for (int i = 0; i < nt; i++) {
                float[] src = responses.row(train[i]);
                for (int v = 0; v < w; v++) {
                    y[i][v] = src[v0 + v] - mean[v0 + v];
                }
            }
            // x^T y over all training images and per fold
            float[][] xty = new float[p][w];
            parallelTransposed(xty, x, y, p, nt, w, workers);
            double[][] err = new double[lambdas.length][w];
            double[] total = new double[w];
            for (int f = 0; f < folds; f++) {
                int[] val = members(fold, f, true);
                float[][] xv = rows(x, val);
                float[][] yv = rows(y, val);
                float[][] xtyTrain = new float[p][w];
                parallelTransposed(xtyTrain, xv, yv, p, val.length, w, workers);
                for (int i = 0; i < p; i++) {
                    for (int v = 0; v < w; v++) {
                        xtyTrain[i][v] = xty[i][v] - xtyTrain[i][v];
                    }
                }
                Decomposition dec = cv[f];
                float[][] z = new float[p][w];
                parallelGemm(z, dec.vectors, xtyTrain, p, p, w, workers);
                float[][] a = new float[val.length][p];
                parallelGemm(a, xv, dec.transposed, val.length, p, p, workers);
                float[][] scaled = new float[val.length][p];
                float[][] pred = new float[val.length][w];
                for (int li = 0; li < lambdas.length; li++) {
                    for (int i = 0; i < val.length; i++) {
                        for (int j = 0; j < p; j++) {
                            scaled[i][j] = (float) (a[i][j] / (Math.max(dec.values[j], 0) + lambdas[li]));
                        }
                        Arrays.fill(pred[i], 0f);
                    }
                    parallelGemm(pred, scaled, z, val.length, p, w, workers);
                    for (int i = 0; i < val.length; i++) {
                        for (int v = 0; v < w; v++) {
                            double e = yv[i][v] - pred[i][v];
                            err[li][v] += e * e;
                        }
                    }
                }
                for (int i = 0; i < val.length; i++) {
                    for (int v = 0; v < w; v++) {
                        total[v] += (double) yv[i][v] * yv[i][v];
                    }
                }
            }
            int[] pick = new int[w];
            for (int v = 0; v < w; v++) {
                int best = 0;
                for (int li = 1; li < lambdas.length; li++) {
                    if (err[li][v] < err[best][v]) {
                        best = li;
                    }
                }
                pick[v] = best;
                chosen[v0 + v] = (float) lambdas[best];
                cvR2[v0 + v] = total[v] == 0 ? Float.NaN : (float) (1 - err[best][v] / total[v]);
            }
            // refit on all training images with each voxel's lambda and predict the test images
            float[][] z = new float[p][w];
            parallelGemm(z, all.vectors, xty, p, p, w, workers);
            for (int j = 0; j < p; j++) {
                double ej = Math.max(all.values[j], 0);
                for (int v = 0; v < w; v++) {
                    z[j][v] = (float) (z[j][v] / (ej + lambdas[pick[v]]));
                }
            }
            float[][] a = new float[test.length][p];
            parallelGemm(a, xTest, all.transposed, test.length, p, p, workers);
            float[][] pred = new float[test.length][w];
            parallelGemm(pred, a, z, test.length, p, w, workers);
            float[][] observed = new float[test.length][w];
            for (int i = 0; i < test.length; i++) {
                float[] src = responses.row(test[i]);
                for (int v = 0; v < w; v++) {
                    pred[i][v] += mean[v0 + v];
                    observed[i][v] = src[v0 + v];
                }
            }
            System.arraycopy(VoxelScores.rSquared(observed, pred), 0, r2, v0, w);
            System.arraycopy(VoxelScores.pearson(observed, pred), 0, r, v0, w);
            sub.worked(w);
        }
        return new float[][] { cvR2, chosen, r2, r };
    }

    /** An eigendecomposition with the vectors as float rows and their transpose, for the matrix products. */
    private static final class Decomposition {

        final double[] values;
        final float[][] vectors;
        final float[][] transposed;

        Decomposition(double[][] gram) {
            SymmetricEigen eig = new SymmetricEigen(gram);
            values = eig.values();
            double[][] v = eig.vectors();
            int p = v.length;
            vectors = new float[p][p];
            transposed = new float[p][p];
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < p; j++) {
                    vectors[i][j] = (float) v[i][j];
                    transposed[j][i] = (float) v[i][j];
                }
            }
        }
    }

    private static float[][] standardise(float[][] reference, float[][] x) {
        int p = reference[0].length;
        double[] mean = new double[p];
        double[] sq = new double[p];
        for (float[] row : reference) {
            for (int j = 0; j < p; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < p; j++) {
            mean[j] /= reference.length;
        }
        for (float[] row : reference) {
            for (int j = 0; j < p; j++) {
                double d = row[j] - mean[j];
                sq[j] += d * d;
            }
        }
        float[][] out = new float[x.length][p];
        for (int j = 0; j < p; j++) {
            double sd = Math.sqrt(sq[j] / reference.length);
            double scale = sd > 0 ? 1 / sd : 1;
            for (int i = 0; i < x.length; i++) {
                out[i][j] = (float) ((x[i][j] - mean[j]) * scale);
            }
        }
        return out;
    }

    /** The Gram matrix x^T x over the images of one fold (or all when fold is -1), in double. */
    private static double[][] gram(float[][] x, int[] folds, int fold, Workers workers) {
        float[][] rows = fold < 0 ? x : rows(x, members(folds, fold, true));
        int p = x[0].length;
        float[][] g = new float[p][p];
        parallelTransposed(g, rows, rows, p, rows.length, p, workers);
        double[][] d = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                // symmetrise what float rounding left slightly apart
                d[i][j] = 0.5 * ((double) g[i][j] + g[j][i]);
            }
        }
        return d;
    }

    private static int[] members(int[] folds, int fold, boolean in) {
        int count = 0;
        for (int f : folds) {
            count += (f == fold) == in ? 1 : 0;
        }
        int[] m = new int[count];
        int k = 0;
        for (int i = 0; i < folds.length; i++) {
            if ((folds[i] == fold) == in) {
                m[k++] = i;
            }
        }
        return m;
    }

    private static float[][] rows(float[][] x, int[] which) {
        float[][] r = new float[which.length][];
        for (int i = 0; i < which.length; i++) {
            r[i] = x[which[i]];
        }
        return r;
    }

    /** y[r] += sum_k a[r][k] x[k], destination rows split over the workers (each row by one task). */
    private static void parallelGemm(float[][] y, float[][] a, float[][] x, int rows, int count, int n,
            Workers workers) {
        int parts = Math.min(rows, 4 * workers.threads());
        workers.run(parts, part -> {
            int lo = (int) ((long) part * rows / parts);
            int hi = (int) ((long) (part + 1) * rows / parts);
            RowKernels.gemm(Arrays.copyOfRange(y, lo, hi), Arrays.copyOfRange(a, lo, hi), x, hi - lo, count, n);
        });
    }

    /** y[i] += sum_r a[r][i] x[r], destination rows split over the workers. */
    private static void parallelTransposed(float[][] y, float[][] a, float[][] x, int outRows, int rows, int n,
            Workers workers) {
        int parts = Math.min(outRows, 4 * workers.threads());
        workers.run(parts, part -> {
            int lo = (int) ((long) part * outRows / parts);
            int hi = (int) ((long) (part + 1) * outRows / parts);
            transposedRange(y, a, x, lo, hi, rows, n);
        });
    }

    private static void transposedRange(float[][] y, float[][] a, float[][] x, int lo, int hi, int rows, int n) {
        for (int i = lo; i < hi; i++) {
            float[] yi = y[i];
            int r = 0;
            for (; r + 3 < rows; r += 4) {
                RowKernels.axpy4(a[r][i], x[r], a[r + 1][i], x[r + 1], a[r + 2][i], x[r + 2], a[r + 3][i], x[r + 3],
                        yi, n);
            }
            for (; r < rows; r++) {
                RowKernels.axpy(a[r][i], x[r], yi, n);
            }
        }
    }

    private static void checkCanceled(IProgressMonitor monitor) {
        if (monitor.isCanceled()) {
            throw new OperationCanceledException();
        }
    }

    /** Builds a {@link RidgeBaseline}: features, responses, training and test images are required. */
    public static final class Builder {

        private FeatureSource features;
        private Responses responses;
        private int[] train;
        private int[] test;
        private double[] lambdaFactors = { 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000 };
        private int folds = 5;
        private long seed;
        private int threads = 2;
        private int chunk = 2048;

        private Builder() {
        }

        /**
         * @param value the features; image i matches row i of the responses
         * @return this builder
         */
        public Builder setFeatures(FeatureSource value) {
            features = value;
            return this;
        }

        /**
         * @param value images x voxels responses, all finite on the training images
         * @return this builder
         */
        public Builder setResponses(Responses value) {
            responses = value;
            return this;
        }

        /**
         * @param value images to fit and cross-validate on
         * @return this builder
         */
        public Builder setTrainImages(int[] value) {
            train = value.clone();
            return this;
        }

        /**
         * @param value held-out images to score on
         * @return this builder
         */
        public Builder setTestImages(int[] value) {
            test = value.clone();
            return this;
        }

        /**
         * @param value the lambda grid as multiples of the number of training images (the Gram matrix of
         *        standardised features grows with it); default 1e-3 .. 1e3 by decades
         * @return this builder
         */
        public Builder optLambdas(double... value) {
            if (value.length == 0) {
                throw new IllegalArgumentException("at least one lambda is needed");
            }
            for (double v : value) {
                if (!(v > 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("lambdas must be positive and finite, got " + v);
                }
            }
            lambdaFactors = value.clone();
            return this;
        }

        /**
         * @param value folds of the cross-validation, at least 2 (default 5)
         * @return this builder
         */
        public Builder optFolds(int value) {
            if (value < 2) {
                throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + value);
            }
            folds = value;
            return this;
        }

        /**
         * @param value the seed of the fold assignment (default 0)
         * @return this builder
         */
        public Builder optSeed(long value) {
            seed = value;
            return this;
        }

        /**
         * @param value worker threads (default 2)
         * @return this builder
         */
        public Builder optThreads(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("at least one thread is needed, got " + value);
            }
            threads = value;
            return this;
        }

        /**
         * @param value voxels processed at a time, which bounds the memory (default 2048)
         * @return this builder
         */
        public Builder optVoxelChunk(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("the voxel chunk must be at least 1, got " + value);
            }
            chunk = value;
            return this;
        }

        /**
         * @return the baseline
         * @throws IllegalStateException if a required input is missing
         */
        public RidgeBaseline build() {
            if (features == null || responses == null || train == null || test == null) {
                throw new IllegalStateException("ridge needs features, responses, training and test images");
            }
            return new RidgeBaseline(this);
        }
    }
}
