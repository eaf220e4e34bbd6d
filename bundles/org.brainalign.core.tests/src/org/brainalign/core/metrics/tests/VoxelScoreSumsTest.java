package org.brainalign.core.metrics.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.brainalign.core.metrics.VoxelScoreSums;
import org.brainalign.core.metrics.VoxelScores;
import org.junit.jupiter.api.Test;

/** Scores gathered image by image against the two-pass formulas over all images at once. */
public class VoxelScoreSumsTest {

    @Test
    public void streamedScoresAreTheTwoPassScores() {
        SplittableRandom r = new SplittableRandom(5);
        int images = 500;
        int voxels = 40;
        float[][] observed = new float[images][voxels];
        float[][] predicted = new float[images][voxels];
        for (int i = 0; i < images; i++) {
            for (int v = 0; v < voxels; v++) {
                // means up to 100 standard deviations from zero, where the plain sums of squares lose 8 digits
                double mean = v * 2.5;
                double y = mean + r.nextGaussian();
                observed[i][v] = (float) y;
                predicted[i][v] = (float) (mean + 0.3 * (v % 7) + (v % 3) * 0.5 * (y - mean) + r.nextGaussian());
            }
        }
        VoxelScoreSums sums = new VoxelScoreSums(voxels);
        for (int i = 0; i < images; i++) {
            sums.add(observed[i], predicted[i]);
        }
        assertEquals(images, sums.images());
        float[] r2 = VoxelScores.rSquared(observed, predicted);
        float[] pearson = VoxelScores.pearson(observed, predicted);
        float[] r2s = sums.rSquared();
        float[] pearsons = sums.pearson();
        for (int v = 0; v < voxels; v++) {
            // both are double sums of 500 terms returned as floats: they may differ by a float rounding or two
            assertEquals(r2[v], r2s[v], 4 * Math.ulp(Math.abs(r2[v])) + 1e-7, "R^2 of voxel " + v);
            assertEquals(pearson[v], pearsons[v], 4 * Math.ulp(Math.abs(pearson[v])) + 1e-7, "r of voxel " + v);
        }
    }

    @Test
    public void constantVoxelsHaveNoScore() {
        VoxelScoreSums sums = new VoxelScoreSums(2);
        sums.add(new float[] { 3, 1 }, new float[] { 1, 5 });
        sums.add(new float[] { 3, 2 }, new float[] { 2, 5 });
        sums.add(new float[] { 3, 4 }, new float[] { 3, 5 });
        assertTrue(Float.isNaN(sums.rSquared()[0]));
        assertTrue(Float.isNaN(sums.pearson()[0]));
        assertTrue(Float.isNaN(sums.pearson()[1]));
        // voxel 1: mean 7/3, SStot = 14/3, errors 4, 3, 1 -> SSres 26: R^2 = 1 - 26 / (14/3)
        assertEquals(1 - 26 / (14 / 3.0), sums.rSquared()[1], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> sums.add(new float[3], new float[2]));
    }

    @Test
    public void aVoxelWithANonFiniteResponseOrPredictionHasNoScoreAndIsCounted() {
        VoxelScoreSums sums = new VoxelScoreSums(4);
        // voxel 0 is clean; voxel 1 sees a NaN response, voxel 2 an infinite prediction, voxel 3 both kinds
        sums.add(new float[] { 1, Float.NaN, 1, Float.NEGATIVE_INFINITY }, new float[] { 1, 1, 1, Float.NaN });
        sums.add(new float[] { 2, 2, 2, 2 }, new float[] { 3, 3, Float.POSITIVE_INFINITY, 3 });
        sums.add(new float[] { 4, 4, 4, 4 }, new float[] { 4, 4, 4, Float.NaN });
        assertArrayEquals(new int[] { 0, 1, 1, 2 }, sums.nonFinite());
        // voxel 0: mean 7/3, SStot = 14/3, errors 0, -1, 0: R^2 = 1 - 1 / (14/3)
        assertEquals(1 - 3 / 14.0, sums.rSquared()[0], 1e-6);
        for (int v = 1; v < 4; v++) {
            // before, voxel 2's R^2 was minus infinity (an infinite error over a finite variance)
            assertTrue(Float.isNaN(sums.rSquared()[v]), "R^2 of voxel " + v);
            assertTrue(Float.isNaN(sums.pearson()[v]), "r of voxel " + v);
        }
    }
}
