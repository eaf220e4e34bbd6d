package org.brainalign.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.brainalign.core.data.Responses;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.core.metrics.VoxelScoreSums;
import org.brainalign.engine.factortopy.EncoderEvaluator;
import org.brainalign.engine.factortopy.FittedEncoder;
import org.brainalign.engine.features.FeatureStore;
import org.brainalign.engine.features.StoreFeatures;
import org.brainalign.io.subject.Subject;
import org.brainalign.io.subject.SubjectDescription;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

/**
 * Scores a fitted encoder on every image of a subject (NSD or Algonauts layout) without holding the subject's
 * responses: the images are taken in passes of at most K, in the subject's row order; each pass loads the responses
 * of its images only, predicts them and adds them to the running sums of the scores. The NSD loader standardises
 * every session over all its trials whichever images it keeps, and adds an image's trials in the same order; the
 * Algonauts loader reads the pass's rows of the fMRI arrays as they are stored. So each pass's rows are those of a
 * whole load to the last bit, and the sums see the images in the same order: the scores are those of scoring the
 * whole subject at once, bit for bit. The heap holds one pass's responses; the price is reading the sessions once per
 * pass (NSD), or skipping to the pass's rows of the arrays (Algonauts).
 */
final class EvaluationPasses {

    /**
     * What a run of the passes gave.
     *
     * @param scores the scores over every image
     * @param passes how many passes read the subject
     * @param largestPass the most images whose responses were held at once
     * @param imagesPerSecond images over the whole time, reading included
     */
    record Result(EncoderEvaluator.Scores scores, int passes, int largestPass, double imagesPerSecond) {
    }

    private EvaluationPasses() {
    }

    /**
     * Images per pass for a heap: a pass's responses are held twice (over the subject's voxels as loaded, then over
     * the run's; 4 bytes a value), 8 x voxels bytes per image, and get a quarter of the heap the JVM may grow to; a
     * multiple of the prediction batch (8), at least one batch.
     *
     * @param maxHeapBytes the heap the JVM may grow to
     * @param voxels the run's voxels
     * @return images per pass
     */
    static int imagesPerPass(long maxHeapBytes, int voxels) {
        long images = maxHeapBytes / 4 / (8L * Math.max(1, voxels));
        return (int) Math.max(8, Math.min(Integer.MAX_VALUE - 7, images / 8 * 8));
    }

    /**
     * @param description the subject
     * @param imageIds its images in row order ({@link SubjectDescription#imageIds()})
     * @param imagesPerPass at most this many images' responses held at once
     * @param encoder the fitted encoder
     * @param voxels the run's voxels
     * @param runFolder the run, for messages
     * @param store the feature store
     * @param threads worker threads
     * @param monitor progress in passes; cancellable between batches
     * @return the scores and how they were read
     * @throws IOException if a file is unreadable or the inputs do not fit each other
     */
    static Result score(SubjectDescription description, List<String> imageIds, int imagesPerPass,
            FittedEncoder encoder, VoxelSet voxels, Path runFolder, FeatureStore store, int threads,
            IProgressMonitor monitor) throws IOException {
        int passes = (imageIds.size() + imagesPerPass - 1) / imagesPerPass;
        SubMonitor sub = SubMonitor.convert(monitor, "Scoring " + imageIds.size() + " images in " + passes
                + " passes", 2 * passes);
        VoxelScoreSums sums = new VoxelScoreSums(voxels.size());
        double predictSeconds = 0;
        int largest = 0;
        long t0 = System.nanoTime();
        for (int first = 0; first < imageIds.size(); first += imagesPerPass) {
            if (sub.isCanceled()) {
                throw new OperationCanceledException();
            }
            List<String> part = imageIds.subList(first, Math.min(imageIds.size(), first + imagesPerPass));
            Subject subject = description.load(part, sub.split(1));
            if (!subject.responses().imageIds().equals(part)) {
                // the plan that listed the images and the loader disagree: scoring would pair the wrong rows
                throw new IllegalStateException("the subject's images changed while it was read: expected "
                        + part.size() + " images from " + part.get(0) + ", got "
                        + subject.responses().imageCount());
            }
            Responses responses = subject.responses().selectVoxels(ModelCommands.matchVoxels(subject.voxels(),
                    voxels, runFolder));
            largest = Math.max(largest, responses.imageCount());
            int[] rows = new int[responses.imageCount()];
            java.util.Arrays.setAll(rows, i -> i);
            predictSeconds += EncoderEvaluator.accumulate(encoder, StoreFeatures.match(store, subject.imageFiles()),
                    responses, voxels.coordinates(), rows, sums, threads, sub.split(1));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int[] all = new int[imageIds.size()];
        java.util.Arrays.setAll(all, i -> i);
        EncoderEvaluator.Scores scores = EncoderEvaluator.scores(sums, all, null, all.length / predictSeconds);
        return new Result(scores, passes, largest, all.length / seconds);
    }
}
