package org.brainalign.core.metrics;

/**
 * Scores of an encoding model per voxel, computed over held-out images: the coefficient of determination R^2 (the
 * paper's "brain score"), Pearson's r, and the Algonauts 2023 score that normalises r^2 by the noise ceiling. All
 * sums run in double precision over float inputs.
 */
public final class VoxelScores {

    /** A noise ceiling of 0 counts as this much, as the Algonauts challenge does, to avoid dividing by zero. */
    public static final double MIN_NOISE_CEILING = 1e-14;

    private VoxelScores() {
    }

    /**
     * R^2 = 1 - sum (y - yhat)^2 / sum (y - mean y)^2 per voxel; negative when the prediction is worse than the mean,
     * NaN when the voxel's responses are constant.
     *
     * @param observed images x voxels
     * @param predicted images x voxels
     * @return R^2 per voxel
     */
    public static float[] rSquared(float[][] observed, float[][] predicted) {
        int voxels = check(observed, predicted);
        float[] r2 = new float[voxels];
        for (int v = 0; v < voxels; v++) {
            double mean = 0;
            for (float[] row : observed) {
                mean += row[v];
            }
            mean /= observed.length;
            double res = 0, tot = 0;
            for (int i = 0; i < observed.length; i++) {
                double e = observed[i][v] - predicted[i][v];
                double d = observed[i][v] - mean;
                res += e * e;
                tot += d * d;
            }
            r2[v] = tot == 0 ? Float.NaN : (float) (1 - res / tot);
        }
        return r2;
    }

    /**
     * Pearson's correlation per voxel; NaN when either side is constant.
     *
     * @param observed images x voxels
     * @param predicted images x voxels
     * @return r per voxel
     */
    public static float[] pearson(float[][] observed, float[][] predicted) {
        int voxels = check(observed, predicted);
        int n = observed.length;
        float[] r = new float[voxels];
        for (int v = 0; v < voxels; v++) {
            double my = 0, mp = 0;
            for (int i = 0; i < n; i++) {
                my += observed[i][v];
                mp += predicted[i][v];
            }
            my /= n;
            mp /= n;
            double sxy = 0, sxx = 0, syy = 0;
            for (int i = 0; i < n; i++) {
                double a = observed[i][v] - my, b = predicted[i][v] - mp;
                sxy += a * b;
                sxx += a * a;
                syy += b * b;
            }
            r[v] = sxx == 0 || syy == 0 ? Float.NaN : (float) (sxy / Math.sqrt(sxx * syy));
        }
        return r;
    }

    /**
     * The Algonauts 2023 score of one voxel: r clipped at 0, squared, divided by the noise ceiling, times 100, capped
     * at 100.
     *
     * @param r Pearson's r
     * @param noiseCeiling the voxel's noise ceiling in [0, 1] (0 counts as {@value #MIN_NOISE_CEILING})
     * @return the score in [0, 100], NaN when r is NaN
     */
    public static double algonautsScore(double r, double noiseCeiling) {
        if (Double.isNaN(r)) {
            return Double.NaN;
        }
        double clipped = Math.max(0, r);
        double ceiling = noiseCeiling == 0 ? MIN_NOISE_CEILING : noiseCeiling;
        return Math.min(100, clipped * clipped / ceiling * 100);
    }

    /**
     * The Algonauts 2023 score of every voxel.
     *
     * @param r Pearson's r per voxel
     * @param noiseCeiling the noise ceiling per voxel
     * @return the scores in [0, 100] (NaN where r is NaN)
     * @throws IllegalArgumentException if the lengths differ
     */
    public static float[] algonautsScores(float[] r, float[] noiseCeiling) {
        if (r.length != noiseCeiling.length) {
            throw new IllegalArgumentException(r.length + " correlations but " + noiseCeiling.length
                    + " noise ceilings");
        }
        float[] s = new float[r.length];
        for (int v = 0; v < r.length; v++) {
            s[v] = (float) algonautsScore(r[v], noiseCeiling[v]);
        }
        return s;
    }

    /**
     * The noise ceiling of every voxel from its ncsnr, see {@link #noiseCeiling(double, int, int, int)}.
     *
     * @param ncsnr per voxel
     * @param r3 images with three repeats
     * @param r2 images with two repeats
     * @param r1 images with one
     * @return the noise ceilings
     */
    public static float[] noiseCeilings(float[] ncsnr, int r3, int r2, int r1) {
        float[] nc = new float[ncsnr.length];
        for (int v = 0; v < nc.length; v++) {
            nc[v] = (float) noiseCeiling(ncsnr[v], r3, r2, r1);
        }
        return nc;
    }

    /**
     * The noise ceiling of a voxel from its noise-ceiling SNR, for responses averaged over repeats: r3 images shown
     * three times, r2 twice and r1 once; NC = ncsnr^2 / (ncsnr^2 + (r3/3 + r2/2 + r1/1) / (r3 + r2 + r1)).
     *
     * @param ncsnr the voxel's noise-ceiling signal-to-noise ratio
     * @param r3 images with three repeats
     * @param r2 images with two repeats
     * @param r1 images with one
     * @return the noise ceiling in [0, 1]
     * @throws IllegalArgumentException if there are no images
     */
    public static double noiseCeiling(double ncsnr, int r3, int r2, int r1) {
        int images = r3 + r2 + r1;
        if (images <= 0 || r3 < 0 || r2 < 0 || r1 < 0) {
            throw new IllegalArgumentException("a noise ceiling needs a positive number of images, got " + r3 + ", "
                    + r2 + ", " + r1);
        }
        double s2 = ncsnr * ncsnr;
        return s2 / (s2 + (r3 / 3.0 + r2 / 2.0 + r1) / images);
    }

    private static int check(float[][] observed, float[][] predicted) {
        if (observed.length != predicted.length || observed.length < 2) {
            throw new IllegalArgumentException("scores need the same number (at least 2) of observed and predicted"
                    + " images, got " + observed.length + " and " + predicted.length);
        }
        int voxels = observed[0].length;
        for (int i = 0; i < observed.length; i++) {
            if (observed[i].length != voxels || predicted[i].length != voxels) {
                throw new IllegalArgumentException("image " + i + " has " + observed[i].length + " observed and "
                        + predicted[i].length + " predicted voxels, expected " + voxels);
            }
        }
        return voxels;
    }
}
