package org.brainalign.core.metrics;

/**
 * The sums behind {@link VoxelScores}' R^2 and Pearson's r, gathered one image at a time, so that a whole subject
 * (10,000 images of 38,000 voxels) is scored without holding its predictions: six doubles per voxel, whatever the
 * number of images. Each voxel's values are taken relative to its first observed and first predicted value (the
 * shifted-data form of the variance), so that a mean far from zero costs no precision; the results then agree with
 * the two-pass formulas of {@link VoxelScores} to double rounding, well inside the float they are returned in.
 */
public final class VoxelScoreSums {

    private final int voxels;
    private final double[] shiftObserved;
    private final double[] shiftPredicted;
    private final double[] sumObserved;
    private final double[] sumPredicted;
    private final double[] squaresObserved;
    private final double[] squaresPredicted;
    private final double[] products;
    private final double[] squaredErrors;
    /** Images whose response or prediction of the voxel is NaN or infinite: such a voxel has no score. */
    private final int[] nonFinite;
    private int images;

    /** @param voxels how many voxels each image has */
    public VoxelScoreSums(int voxels) {
        this.voxels = voxels;
        shiftObserved = new double[voxels];
        shiftPredicted = new double[voxels];
        sumObserved = new double[voxels];
        sumPredicted = new double[voxels];
        squaresObserved = new double[voxels];
        squaresPredicted = new double[voxels];
        products = new double[voxels];
        squaredErrors = new double[voxels];
        nonFinite = new int[voxels];
    }

    /**
     * Adds one image.
     *
     * @param observed its responses, one per voxel
     * @param predicted its predictions, one per voxel
     * @throws IllegalArgumentException if a row is not as long as the voxel count
     */
    public void add(float[] observed, float[] predicted) {
        if (observed.length != voxels || predicted.length != voxels) {
            throw new IllegalArgumentException("rows of " + observed.length + " observed and " + predicted.length
                    + " predicted values for " + voxels + " voxels");
        }
        if (images == 0) {
            for (int v = 0; v < voxels; v++) {
                shiftObserved[v] = observed[v];
                shiftPredicted[v] = predicted[v];
            }
        }
        for (int v = 0; v < voxels; v++) {
            double y = observed[v];
            double a = y - shiftObserved[v];
            double b = predicted[v] - shiftPredicted[v];
            double e = y - predicted[v];
            if (!Double.isFinite(y) || !Float.isFinite(predicted[v])) {
                nonFinite[v]++;
            }
            sumObserved[v] += a;
            sumPredicted[v] += b;
            squaresObserved[v] += a * a;
            squaresPredicted[v] += b * b;
            products[v] += a * b;
            squaredErrors[v] += e * e;
        }
        images++;
    }

    /** @return how many images were added */
    public int images() {
        return images;
    }

    /**
     * @return per voxel, how many images gave a response or a prediction that is NaN or infinite; a voxel with any
     *         has NaN scores, where sums of infinities would have made its R^2 minus infinity and every mean with it
     */
    public int[] nonFinite() {
        return nonFinite.clone();
    }

    /** @return R^2 per voxel as {@link VoxelScores#rSquared} defines it; NaN where {@link #nonFinite} is not 0 */
    public float[] rSquared() {
        float[] r2 = new float[voxels];
        for (int v = 0; v < voxels; v++) {
            if (nonFinite[v] > 0) {
                r2[v] = Float.NaN;
                continue;
            }
            double tot = squaresObserved[v] - sumObserved[v] * sumObserved[v] / images;
            r2[v] = tot <= 0 ? Float.NaN : (float) (1 - squaredErrors[v] / tot);
        }
        return r2;
    }

    /**
     * @return Pearson's r per voxel as {@link VoxelScores#pearson} defines it; NaN where {@link #nonFinite} is not 0
     */
    public float[] pearson() {
        float[] r = new float[voxels];
        for (int v = 0; v < voxels; v++) {
            if (nonFinite[v] > 0) {
                r[v] = Float.NaN;
                continue;
            }
            double sxx = squaresObserved[v] - sumObserved[v] * sumObserved[v] / images;
            double syy = squaresPredicted[v] - sumPredicted[v] * sumPredicted[v] / images;
            double sxy = products[v] - sumObserved[v] * sumPredicted[v] / images;
            r[v] = sxx <= 0 || syy <= 0 ? Float.NaN : (float) (sxy / Math.sqrt(sxx * syy));
        }
        return r;
    }
}
