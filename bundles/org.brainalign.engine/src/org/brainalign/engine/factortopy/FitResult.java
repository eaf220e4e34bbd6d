package org.brainalign.engine.factortopy;

import java.util.List;

/**
 * The outcome of a fit: the best encoder (lowest validation loss), which voxels and images it used, its training
 * curve and how it ended.
 *
 * @param encoder the fitted encoder, with the parameters of the best epoch
 * @param voxels positions of the voxels fitted, into the responses' columns (all of them unless some were dropped)
 * @param trainImages the images trained on, ascending
 * @param validationImages the images validated on, ascending
 * @param curve one row per epoch
 * @param bestEpoch the 1-based epoch whose parameters were kept
 * @param bestValidationLoss its validation loss
 * @param stoppedEarly whether early stopping ended the fit (else the epoch limit)
 * @param resumed whether the fit continued from a checkpoint
 * @param steps training steps taken in all
 * @param warnings what the user should know, such as dropped voxels
 */
public record FitResult(FittedEncoder encoder, int[] voxels, int[] trainImages, int[] validationImages,
        TrainingCurve curve, int bestEpoch, double bestValidationLoss, boolean stoppedEarly, boolean resumed,
        long steps, List<String> warnings) {
}
