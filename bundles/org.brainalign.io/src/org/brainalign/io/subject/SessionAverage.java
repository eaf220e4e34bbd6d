package org.brainalign.io.subject;

import java.util.ArrayList;
import java.util.List;

import org.brainalign.core.data.Responses;

/**
 * Builds responses from betas one session at a time: each session's betas are z-scored per voxel over all its trials
 * (population standard deviation; a constant voxel becomes 0), then the trials of each image are averaged over every
 * session added. Only one session's betas are held at once.
 */
final class SessionAverage {

    private final List<String> imageIds;
    private final float[][] sums;
    private final int[] repeats;

    /**
     * @param imageIds the image of each response row
     * @param voxels the number of voxels per beta
     */
    SessionAverage(List<String> imageIds, int voxels) {
        this.imageIds = List.copyOf(imageIds);
        sums = new float[imageIds.size()][voxels];
        repeats = new int[imageIds.size()];
    }

    /**
     * Standardises one session's betas in place and adds its trials to their rows.
     *
     * @param betas volumes x voxels, every trial of the session
     * @param scale the factor applied before standardising (1/300 for NSD's int16 betas)
     * @param trials the session's trials: which volume feeds which row
     */
    void add(float[][] betas, float scale, List<TrialPlan.Trial> trials) {
        zscore(betas, scale);
        for (TrialPlan.Trial trial : trials) {
            float[] z = betas[trial.volume()];
            float[] acc = sums[trial.row()];
            for (int v = 0; v < acc.length; v++) {
                acc[v] += z[v];
            }
            repeats[trial.row()]++;
        }
    }

    /** @return the average of each row's trials; rows are finished, the sums are not kept apart */
    Responses responses() {
        for (int r = 0; r < sums.length; r++) {
            float inv = 1f / repeats[r];
            for (int v = 0; v < sums[r].length; v++) {
                sums[r][v] *= inv;
            }
        }
        return new Responses(new ArrayList<>(imageIds), sums);
    }

    /**
     * Z-scores each column (voxel) over the rows (trials) in place, after scaling by a factor.
     *
     * @param betas trials x voxels
     * @param scale the factor applied first (1/300 for NSD's int16 betas)
     */
    static void zscore(float[][] betas, float scale) {
        int n = betas.length;
        int voxels = n == 0 ? 0 : betas[0].length;
        double[] mean = new double[voxels];
        double[] sq = new double[voxels];
        for (float[] row : betas) {
            for (int v = 0; v < voxels; v++) {
                row[v] *= scale;
                mean[v] += row[v];
            }
        }
        for (int v = 0; v < voxels; v++) {
            mean[v] /= n;
        }
        for (float[] row : betas) {
            for (int v = 0; v < voxels; v++) {
                double d = row[v] - mean[v];
                sq[v] += d * d;
            }
        }
        double[] inv = new double[voxels];
        for (int v = 0; v < voxels; v++) {
            double sd = Math.sqrt(sq[v] / n);
            inv[v] = sd > 0 ? 1 / sd : 0;
        }
        // row by row, as the other passes: a column at a time strides across every trial's row for each voxel
        for (float[] row : betas) {
            for (int v = 0; v < voxels; v++) {
                row[v] = (float) ((row[v] - mean[v]) * inv[v]);
            }
        }
    }
}
