package org.brainalign.core.metrics.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.brainalign.core.metrics.VoxelScores;
import org.junit.jupiter.api.Test;

/** Voxel scores against values worked out by hand. */
public class VoxelScoresTest {

    // three voxels over four images: a perfect prediction, a mean prediction, and a scaled-and-shifted one
    private static final float[][] OBSERVED = { { 1, 2, 1 }, { 2, 4, 2 }, { 3, 6, 3 }, { 4, 8, 4 } };
    private static final float[][] PREDICTED = { { 1, 5, 3 }, { 2, 5, 5 }, { 3, 5, 7 }, { 4, 5, 9 } };

    @Test
    public void rSquaredByHand() {
        float[] r2 = VoxelScores.rSquared(OBSERVED, PREDICTED);
        assertEquals(1, r2[0], 0);
        // voxel 1: predicting the mean 5 of (2,4,6,8) gives SSres = SStot, so R^2 = 0
        assertEquals(0, r2[1], 0);
        // voxel 2: errors 2,3,4,5 -> SSres 54; SStot of (1..4) = 5; R^2 = 1 - 54/5 = -9.8
        assertEquals(-9.8f, r2[2], 1e-6f);
    }

    @Test
    public void pearsonByHand() {
        float[] r = VoxelScores.pearson(OBSERVED, PREDICTED);
        assertEquals(1, r[0], 1e-7f);
        assertTrue(Float.isNaN(r[1]), "a constant prediction has no correlation");
        assertEquals(1, r[2], 1e-7f); // 2x + 1 of the observed: perfectly correlated though R^2 is bad
        float[][] anti = { { 1 }, { 2 }, { 3 } };
        float[][] down = { { 3 }, { 2 }, { 1 } };
        assertEquals(-1, VoxelScores.pearson(anti, down)[0], 1e-7f);
        // x = (1,2,3,4), y = (1,3,2,4): sxy = 4, sxx = syy = 5 -> r = 0.8
        float[][] x = { { 1 }, { 2 }, { 3 }, { 4 } };
        float[][] y = { { 1 }, { 3 }, { 2 }, { 4 } };
        assertEquals(0.8f, VoxelScores.pearson(x, y)[0], 1e-7f);
    }

    @Test
    public void algonautsScoreClipsNormalisesAndCaps() {
        assertEquals(0, VoxelScores.algonautsScore(-0.3, 0.5), 0);
        assertEquals(0.25 / 0.5 * 100, VoxelScores.algonautsScore(0.5, 0.5), 1e-12);
        assertEquals(100, VoxelScores.algonautsScore(0.9, 0.5), 0);
        // a ceiling of 0 counts as 1e-14: any positive r then scores the cap
        assertEquals(100, VoxelScores.algonautsScore(1e-5, 0), 0);
        assertEquals(0, VoxelScores.algonautsScore(0, 0), 0);
        assertTrue(Double.isNaN(VoxelScores.algonautsScore(Double.NaN, 0.5)));
    }

    @Test
    public void noiseCeilingFromNcsnr() {
        // all images shown three times: NC = s^2 / (s^2 + 1/3); with s = 1 that is 0.75
        assertEquals(0.75, VoxelScores.noiseCeiling(1, 10, 0, 0), 1e-12);
        // all once: s^2 / (s^2 + 1) = 0.5
        assertEquals(0.5, VoxelScores.noiseCeiling(1, 0, 0, 7), 1e-12);
        // mixed: 2 x 3 repeats, 1 x 2, 1 x 1 -> (2/3 + 1/2 + 1) / 4 = 13/24; s = 2: 4 / (4 + 13/24)
        assertEquals(4 / (4 + 13.0 / 24), VoxelScores.noiseCeiling(2, 2, 1, 1), 1e-12);
        assertEquals(0, VoxelScores.noiseCeiling(0, 3, 3, 3), 0);
        assertThrows(IllegalArgumentException.class, () -> VoxelScores.noiseCeiling(1, 0, 0, 0));
    }

    @Test
    public void perVoxelArraysApplyTheSameFormulas() {
        // r = 0.5 with ceiling 0.75 (ncsnr 1, all shown three times): 0.25 / 0.75 * 100
        float[] nc = VoxelScores.noiseCeilings(new float[] { 1, 0, 2 }, 10, 0, 0);
        assertEquals(0.75f, nc[0], 1e-7f);
        assertEquals(0f, nc[1], 0f);
        assertEquals(4 / (4 + 1 / 3.0), nc[2], 1e-7);
        float[] s = VoxelScores.algonautsScores(new float[] { 0.5f, 0.2f, -0.1f }, nc);
        assertEquals(100 / 3.0, s[0], 1e-4);
        assertEquals(100, s[1], 0); // a zero ceiling: any positive r scores the cap
        assertEquals(0, s[2], 0);
        assertThrows(IllegalArgumentException.class, () -> VoxelScores.algonautsScores(new float[2], new float[3]));
    }

    @Test
    public void mismatchedShapesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> VoxelScores.rSquared(new float[][] { { 1 }, { 2 } }, new float[][] { { 1 } }));
        assertThrows(IllegalArgumentException.class,
                () -> VoxelScores.pearson(new float[][] { { 1, 2 }, { 2, 3 } }, new float[][] { { 1 }, { 2 } }));
    }
}
