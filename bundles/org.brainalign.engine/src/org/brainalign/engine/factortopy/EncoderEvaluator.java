package org.brainalign.engine.factortopy;

import java.io.IOException;

import org.brainalign.core.data.Responses;
import org.brainalign.core.metrics.VoxelScoreSums;
import org.brainalign.core.metrics.VoxelScores;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * The encoder evaluator scores a fitted encoder voxel by voxel on held-out images: R^2 (the paper's brain score, may
 * be negative), Pearson's r, and, when noise ceilings are given, the Algonauts 2023 score (r clipped at 0, squared,
 * over the ceiling, times 100, capped at 100). The images are predicted and scored a batch at a time: the heap holds
 * one batch of predictions and six sums per voxel, whatever the number of images.
 */
public final class EncoderEvaluator {

    /**
     * Scores per voxel.
     *
     * @param images the images scored
     * @param rSquared R^2 per voxel (NaN where the responses are constant)
     * @param pearson r per voxel (NaN where either side is constant)
     * @param algonauts the Algonauts score per voxel, or null without noise ceilings
     * @param nonFinite per voxel, the images whose response or prediction is NaN or infinite (a voxel with any has
     *        NaN scores and is left out of the means)
     * @param imagesPerSecond how fast the images were predicted and scored
     */
    public record Scores(int[] images, float[] rSquared, float[] pearson, float[] algonauts, int[] nonFinite,
            double imagesPerSecond) {

        /** @return how many voxels have no score because a response or prediction was not finite */
        public int unscoredVoxels() {
            int n = 0;
            for (int c : nonFinite) {
                n += c > 0 ? 1 : 0;
            }
            return n;
        }

        /** @return the mean R^2 over voxels where it is defined */
        public double meanRSquared() {
            return mean(rSquared);
        }

        /** @return the mean r over voxels where it is defined */
        public double meanPearson() {
            return mean(pearson);
        }

        private static double mean(float[] v) {
            double s = 0;
            int n = 0;
            for (float x : v) {
                if (!Float.isNaN(x)) {
                    s += x;
                    n++;
                }
            }
            return n == 0 ? Double.NaN : s / n;
        }
    }

    private EncoderEvaluator() {
    }

    /**
     * Predicts the held-out images and scores every voxel.
     *
     * @param encoder the fitted encoder
     * @param features the features, image i matching row i of the responses
     * @param responses images x N responses of the encoder's voxels, in the fit's order (select the fitted voxels
     *        first when the fit dropped some)
     * @param coordinates the N voxel coordinates of the fit
     * @param images the held-out images, at least 2
     * @param noiseCeiling per-voxel noise ceilings, or null
     * @param threads worker threads
     * @param monitor progress in images
     * @return the scores
     * @throws IOException if the inputs do not fit the encoder or each other, or the features cannot be read
     */
    public static Scores evaluate(FittedEncoder encoder, FeatureSource features, Responses responses,
            double[][] coordinates, int[] images, float[] noiseCeiling, int threads, IProgressMonitor monitor)
            throws IOException {
        int n = encoder.shape().voxels();
        if (features.imageCount() != responses.imageCount()) {
            throw new EncoderInputException(features.description() + " have " + features.imageCount()
                    + " images but the responses have " + responses.imageCount());
        }
        if (responses.voxelCount() != n) {
            throw new EncoderInputException("The responses have " + responses.voxelCount() + " voxels but the "
                    + "encoder predicts " + n);
        }
        if (noiseCeiling != null && noiseCeiling.length != n) {
            throw new EncoderInputException(noiseCeiling.length + " noise ceilings were given for " + n + " voxels");
        }
        if (images.length < 2) {
            throw new EncoderInputException("Scores need at least two held-out images, got " + images.length);
        }
        FittedEncoder.checkImages(features, images);
        SubMonitor sub = SubMonitor.convert(monitor, "Scoring " + n + " voxels on " + images.length + " images", 10);
        VoxelScoreSums sums = new VoxelScoreSums(n);
        long t0 = System.nanoTime();
        encoder.predict(features, images, coordinates, threads, sub.split(9), (first, rows, count) -> {
            for (int i = 0; i < count; i++) {
                sums.add(responses.row(images[first + i]), rows[i]);
            }
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        float[] r = sums.pearson();
        float[] score = noiseCeiling == null ? null : VoxelScores.algonautsScores(r, noiseCeiling);
        sub.done();
        return new Scores(images.clone(), sums.rSquared(), r, score, sums.nonFinite(), images.length / seconds);
    }
}
