package org.brainalign.engine.finetune;

import java.nio.file.Path;
import java.util.List;

import com.google.gson.JsonObject;

/**
 * What a fine-tuning achieved: the validation accuracy of the untrained head (the chance baseline, since a new head
 * predicts the first class for every image) and after each epoch, the training loss and accuracy per epoch, and the
 * checkpoint folder written, which loads as a backbone of the original family.
 *
 * @param output the fine-tuned checkpoint folder
 * @param family the backbone family id
 * @param classes the class names, in label order
 * @param trainingImages images trained on
 * @param validationImages held-out images the accuracies are measured on
 * @param untrainedAccuracy validation accuracy before any training
 * @param epochs one record per epoch, in order
 * @param resumed whether this run continued an interrupted one
 */
public record FineTuneResult(Path output, String family, List<String> classes, int trainingImages,
        int validationImages, double untrainedAccuracy, List<FineTuneResult.Epoch> epochs, boolean resumed) {

    /**
     * One epoch.
     *
     * @param epoch its number, from 1
     * @param validationAccuracy the share of validation images classified right after the epoch
     * @param trainingLoss the mean cross-entropy over the epoch's training images (each measured before its step's
     *        update, with augmentation)
     * @param trainingAccuracy the share of the epoch's training images classified right, measured the same way
     * @param imagesPerSecond training images per second in this epoch (forward, backward, update, image decoding)
     */
    public record Epoch(int epoch, double validationAccuracy, double trainingLoss, double trainingAccuracy,
            double imagesPerSecond) {

        /** @return the epoch as the JSON object the saved state and the checkpoint's description hold */
        public JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("epoch", epoch);
            o.addProperty("validation_accuracy", validationAccuracy);
            o.addProperty("training_loss", trainingLoss);
            o.addProperty("training_accuracy", trainingAccuracy);
            o.addProperty("images_per_second", imagesPerSecond);
            return o;
        }

        /**
         * @param o an object written by {@link #toJson}
         * @return the epoch it describes
         */
        public static Epoch fromJson(JsonObject o) {
            return new Epoch(o.get("epoch").getAsInt(), o.get("validation_accuracy").getAsDouble(),
                    o.get("training_loss").getAsDouble(), o.get("training_accuracy").getAsDouble(),
                    o.get("images_per_second").getAsDouble());
        }
    }

    /** Copies the lists. */
    public FineTuneResult {
        classes = List.copyOf(classes);
        epochs = List.copyOf(epochs);
    }

    /** @return the validation accuracy after each epoch */
    public List<Double> accuracies() {
        return epochs.stream().map(Epoch::validationAccuracy).toList();
    }

    /** @return the validation accuracy after the last epoch, the one of the written checkpoint */
    public double finalAccuracy() {
        return epochs.isEmpty() ? untrainedAccuracy : epochs.get(epochs.size() - 1).validationAccuracy();
    }

    /** @return the best validation accuracy over the epochs (the untrained head's when there were none) */
    public double bestAccuracy() {
        return epochs.stream().mapToDouble(Epoch::validationAccuracy).max().orElse(untrainedAccuracy);
    }

    /** @return the first epoch reaching the best accuracy, or 0 when there were no epochs */
    public int bestEpoch() {
        double best = bestAccuracy();
        return epochs.stream().filter(e -> e.validationAccuracy() == best).mapToInt(Epoch::epoch).findFirst()
                .orElse(0);
    }
}
