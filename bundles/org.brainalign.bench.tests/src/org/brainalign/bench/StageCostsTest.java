package org.brainalign.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The progress shares of {@code bench pipeline}'s stages: at NSD's full size they are the shares of the time the
 * stages took in the whole-epoch run of docs/fitting-speed.md (wall seconds: stimuli 6.9, extract 16.9, betas 226,
 * gunzip 89.1, import 95.8, fit 247, predict 30.0, analyse 0.61; 713 in all), and they follow the options.
 */
public class StageCostsTest {

    private static final int[] NSD_GRID = { 81, 104, 83 };

    private static PipelineBenchmark.Options options(int voxels, int images, int sessions, int steps, int[] grid) {
        return new PipelineBenchmark.Options(voxels, images, sessions, steps, null, false, grid, 2);
    }

    @Test
    public void atFullSizeEachStageGetsItsShareOfTheMeasuredTime() {
        StageCosts c = StageCosts.of(options(37_984, 10_000, 40, 0, NSD_GRID));
        double all = c.ticks(true);
        double measured = 6.9 + 16.9 + 226 + 89.1 + 95.8 + 247 + 30.0 + 0.61;
        // the rates are rounded to two digits and the fit's validation is lumped in: within 2 % of the whole
        double[][] pairs = { { c.stimuli(), 6.9 }, { c.extract(), 16.9 }, { c.betas(), 226 }, { c.gunzip(), 89.1 },
                { c.importing(), 95.8 }, { c.fit(), 247 }, { c.predict(), 30.0 }, { c.analyse(), 0.61 } };
        for (double[] p : pairs) {
            assertEquals(p[1] / measured, p[0] / all, 0.02, "share of a stage measured at " + p[1] + " s");
        }
        assertEquals(c.stimuli() + c.extract() + c.betas(), c.generation());
        assertEquals(all - c.generation(), c.ticks(false), 0);
    }

    @Test
    public void sharesFollowTheOptions() {
        StageCosts full = StageCosts.of(options(37_984, 10_000, 40, 0, NSD_GRID));
        // a tenth of the sessions: a tenth of the betas, gunzip and import; the rest unchanged
        StageCosts fewer = StageCosts.of(options(37_984, 10_000, 4, 0, NSD_GRID));
        assertEquals(full.betas() / 10.0, fewer.betas(), 1);
        assertEquals(full.importing() / 10.0, fewer.importing(), 1);
        assertEquals(full.fit(), fewer.fit());
        // half the voxels: half the fit's steps and the prediction, the same reading
        StageCosts half = StageCosts.of(options(18_992, 10_000, 40, 0, NSD_GRID));
        assertEquals((full.fit() - 10) / 2.0, half.fit() - 10, 1);
        assertEquals(full.predict() / 2.0, half.predict(), 1);
        assertEquals(full.gunzip(), half.gunzip());
        // ten steps instead of an epoch's 1,029: the fit is a sliver
        StageCosts steps = StageCosts.of(options(37_984, 10_000, 40, 10, NSD_GRID));
        assertEquals(0.24 * 10 + 1, steps.fit() / 10.0, 0.1);
        // a smaller grid: betas in proportion to its voxels
        StageCosts grid = StageCosts.of(options(500, 60, 2, 0, new int[] { 24, 28, 24 }));
        assertEquals(0.0075 * 1500 * (24 * 28 * 24) / (81.0 * 104 * 83), grid.betas() / 10.0, 0.1);
        // every stage keeps at least one tick, however small the run
        for (int t : new int[] { grid.stimuli(), grid.extract(), grid.betas(), grid.gunzip(), grid.importing(),
                grid.fit(), grid.predict(), grid.analyse() }) {
            assertTrue(t >= 1);
        }
    }
}
