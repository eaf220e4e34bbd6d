package org.brainalign.bench;

import org.brainalign.engine.factortopy.TrainingConfig;

/**
 * What each stage of {@code bench pipeline} is expected to take, in tenths of a second, so that the progress gives
 * each stage its share of the time: with equal shares, a stage slower than its share made the time left climb for
 * minutes (the betas of a full-size subject took a third of the run on a sixth of the bar). The rates are those of
 * a whole-epoch run at NSD's full size on two cores (docs/fitting-speed.md), scaled by the stage's units: images,
 * trials of the grid's size, steps and voxels. Only their proportions matter; on a faster or slower machine every
 * stage scales alike.
 *
 * @param stimuli writing the stimuli
 * @param extract extracting their features
 * @param betas writing the sessions' betas
 * @param gunzip the plain-gunzip baseline
 * @param importing reading the subject
 * @param fit the fit
 * @param predict predicting every image
 * @param analyse analysing the run
 */
record StageCosts(int stimuli, int extract, int betas, int gunzip, int importing, int fit, int predict,
        int analyse) {

    /** Voxels of NSD's 1.8 mm grid, 81 x 104 x 83, that the per-trial rates were measured on. */
    private static final double NSD_GRID = 81 * 104 * 83;

    /** Voxels the per-step and per-image rates of the fit and prediction were measured at. */
    private static final double NSD_VOXELS = 37_984;

    /**
     * @param options the benchmark's settings
     * @return the expected cost of each stage
     */
    static StageCosts of(PipelineBenchmark.Options options) {
        int[] g = options.grid();
        double trials = (double) options.sessions() * PipelineSubject.TRIALS * ((double) g[0] * g[1] * g[2] / NSD_GRID);
        double voxels = options.voxels() / NSD_VOXELS;
        int steps = options.steps() > 0
                ? options.steps()
                : PipelineBenchmark.stepsPerEpoch(options.images(), TrainingConfig.defaults());
        return new StageCosts(tenths(0.0007 * options.images()), tenths(0.0017 * options.images()),
                tenths(0.0075 * trials), tenths(0.0030 * trials), tenths(0.0032 * trials),
                tenths(0.24 * steps * voxels + 1), tenths(0.003 * options.images() * voxels),
                tenths(0.6 * voxels + 0.1));
    }

    private static int tenths(double seconds) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE / 16, Math.round(seconds * 10)));
    }

    /** @return the three stages that make the subject, which a rerun in the same folder skips */
    int generation() {
        return stimuli + extract + betas;
    }

    /**
     * @param generating whether the subject is made in this run
     * @return the whole run's cost
     */
    int ticks(boolean generating) {
        return (generating ? generation() : 0) + gunzip + importing + fit + predict + analyse;
    }
}
