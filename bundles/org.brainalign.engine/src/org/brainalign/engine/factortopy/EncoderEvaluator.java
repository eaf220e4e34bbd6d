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
        if (images.length < 2) {
            throw new EncoderInputException("Scores need at least two held-out images, got " + images.length);
        }
        if (noiseCeiling != null && noiseCeiling.length != n) {
            // said before the predictions are made, not after
            throw new EncoderInputException(noiseCeiling.length + " noise ceilings were given for " + n + " voxels");
        }
        VoxelScoreSums sums = new VoxelScoreSums(n);
        double seconds = accumulate(encoder, features, responses, coordinates, images, sums, threads, monitor);
        return scores(sums, images.clone(), noiseCeiling, images.length / seconds);
    }

    /**
     * Predicts some images and adds them to running sums: a caller that reads the responses part by part (so that
     * the heap never holds them all) adds each part in turn and then takes the {@link #scores}.
     *
     * @param encoder the fitted encoder
     * @param features the features, image i matching row i of the responses
     * @param responses images x N responses of the encoder's voxels, in the fit's order
     * @param coordinates the N voxel coordinates of the fit
     * @param images the images to add, in this order
     * @param sums the running sums, of N voxels
     * @param threads worker threads
     * @param monitor progress in images
     * @return the seconds spent predicting and adding
     * @throws IOException if the inputs do not fit the encoder or each other, or the features cannot be read
     */
    public static double accumulate(FittedEncoder encoder, FeatureSource features, Responses responses,
            double[][] coordinates, int[] images, VoxelScoreSums sums, int threads, IProgressMonitor monitor)
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
        FittedEncoder.checkImages(features, images);
        SubMonitor sub = SubMonitor.convert(monitor, "Scoring " + n + " voxels on " + images.length + " images", 1);
        long t0 = System.nanoTime();
        encoder.predict(features, images, coordinates, threads, sub.split(1), (first, rows, count) -> {
            for (int i = 0; i < count; i++) {
                sums.add(responses.row(images[first + i]), rows[i]);
            }
        });
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * @param sums the running sums of every image scored
     * @param images the images scored (as the caller numbers them)
     * @param noiseCeiling per-voxel noise ceilings, or null
     * @param imagesPerSecond how fast they were predicted and scored
     * @return the scores
     * @throws EncoderInputException if fewer than two images were added or the noise ceilings do not fit
     */
    public static Scores scores(VoxelScoreSums sums, int[] images, float[] noiseCeiling, double imagesPerSecond)
            throws EncoderInputException {
        float[] r = sums.pearson();
        if (noiseCeiling != null && noiseCeiling.length != r.length) {
            throw new EncoderInputException(noiseCeiling.length + " noise ceilings were given for " + r.length
                    + " voxels");
        }
        if (sums.images() < 2) {
            throw new EncoderInputException("Scores need at least two held-out images, got " + sums.images());
        }
        float[] score = noiseCeiling == null ? null : VoxelScores.algonautsScores(r, noiseCeiling);
        return new Scores(images, sums.rSquared(), r, score, sums.nonFinite(), imagesPerSecond);
    }
}
