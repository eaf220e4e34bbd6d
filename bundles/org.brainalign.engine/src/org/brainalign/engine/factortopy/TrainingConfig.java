package org.brainalign.engine.factortopy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The training configuration of a FactorTopy fit: the reference's optimiser (AdamW, lr 1e-3, betas 0.9 / 0.999, eps
 * 1e-8, weight decay 0.01, batch 8), its regulariser schedule (weight 0.1 fading to 0 over 2,000 steps), a seeded
 * train / validation split (the reference's 841 of 9,841 images, about 8.55 %), early stopping on the validation loss,
 * and what to do with voxels whose responses contain NaN. Immutable; build it with {@link #builder()}, where every
 * setting is optional.
 */
public final class TrainingConfig {

    /** What to do when a voxel's responses contain NaN. */
    public enum NanPolicy {
        /** Leave the voxel out of the fit and say so in a warning. */
        DROP_VOXELS,
        /** Refuse to fit. */
        STOP
    }

    private final long seed;
    private final int batchSize;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final int maxEpochs;
    private final int patience;
    private final double validationFraction;
    private final double regularisationWeight;
    private final int regularisationSteps;
    private final int bottleneck;
    private final int hidden;
    private final int threads;
    private final NanPolicy nanPolicy;

    private TrainingConfig(Builder b) {
        seed = b.seed;
        batchSize = b.batchSize;
        learningRate = b.learningRate;
        beta1 = b.beta1;
        beta2 = b.beta2;
        eps = b.eps;
        weightDecay = b.weightDecay;
        maxEpochs = b.maxEpochs;
        patience = b.patience;
        validationFraction = b.validationFraction;
        regularisationWeight = b.regularisationWeight;
        regularisationSteps = b.regularisationSteps;
        bottleneck = b.bottleneck;
        hidden = b.hidden;
        threads = b.threads;
        nanPolicy = b.nanPolicy;
    }

    /** @return a builder with the reference's settings */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the defaults */
    public static TrainingConfig defaults() {
        return builder().build();
    }

    /** @return the seed of initialisation, split and shuffling */
    public long seed() {
        return seed;
    }

    /** @return images per step */
    public int batchSize() {
        return batchSize;
    }

    /** @return AdamW's learning rate */
    public double learningRate() {
        return learningRate;
    }

    /** @return AdamW's beta1 */
    public double beta1() {
        return beta1;
    }

    /** @return AdamW's beta2 */
    public double beta2() {
        return beta2;
    }

    /** @return AdamW's eps */
    public double eps() {
        return eps;
    }

    /** @return AdamW's decoupled weight decay */
    public double weightDecay() {
        return weightDecay;
    }

    /** @return the most epochs to train */
    public int maxEpochs() {
        return maxEpochs;
    }

    /** @return epochs without a better validation loss before stopping */
    public int patience() {
        return patience;
    }

    /** @return the share of the training images held out for validation */
    public double validationFraction() {
        return validationFraction;
    }

    /** @return the regulariser's weight at step 0 */
    public double regularisationWeight() {
        return regularisationWeight;
    }

    /** @return the step at which the regulariser's weight reaches 0 */
    public int regularisationSteps() {
        return regularisationSteps;
    }

    /** @return D */
    public int bottleneck() {
        return bottleneck;
    }

    /** @return H */
    public int hidden() {
        return hidden;
    }

    /** @return worker threads */
    public int threads() {
        return threads;
    }

    /** @return the NaN policy */
    public NanPolicy nanPolicy() {
        return nanPolicy;
    }

    /**
     * @param step the number of steps taken before this one
     * @return the regulariser's weight at that step: weight * max(0, 1 - step / steps)
     */
    public double regularisationWeightAt(long step) {
        return regularisationWeight * Math.max(0.0, 1.0 - (double) step / regularisationSteps);
    }

    /**
     * @return the settings that determine the numbers of a fit, by name, as text that parses back exactly (the thread
     *         count is left out: it does not change them)
     */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("seed", Long.toString(seed));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("learning_rate", Double.toString(learningRate));
        m.put("beta1", Double.toString(beta1));
        m.put("beta2", Double.toString(beta2));
        m.put("eps", Double.toString(eps));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("max_epochs", Integer.toString(maxEpochs));
        m.put("patience", Integer.toString(patience));
        m.put("validation_fraction", Double.toString(validationFraction));
        m.put("regularisation_weight", Double.toString(regularisationWeight));
        m.put("regularisation_steps", Integer.toString(regularisationSteps));
        m.put("bottleneck", Integer.toString(bottleneck));
        m.put("hidden", Integer.toString(hidden));
        m.put("nan_policy", nanPolicy.name().toLowerCase(Locale.ROOT));
        return m;
    }

    @Override
    public String toString() {
        return "TrainingConfig" + toMap();
    }

    /** Builds a {@link TrainingConfig}; every setting starts at the reference's value. */
    public static final class Builder {

        private long seed = 0;
        private int batchSize = 8;
        private double learningRate = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay = 0.01;
        private int maxEpochs = 50;
        private int patience = 5;
        private double validationFraction = 0.0855;
        private double regularisationWeight = 0.1;
        private int regularisationSteps = 2000;
        private int bottleneck = EncoderShape.DEFAULT_WIDTH;
        private int hidden = EncoderShape.DEFAULT_WIDTH;
        private int threads = 2;
        private NanPolicy nanPolicy = NanPolicy.DROP_VOXELS;

        private Builder() {
        }

        /**
         * @param value the seed of initialisation, split and shuffling (default 0)
         * @return this builder
         */
        public Builder optSeed(long value) {
            seed = value;
            return this;
        }

        /**
         * @param value images per step, at least 1 (default 8)
         * @return this builder
         */
        public Builder optBatchSize(int value) {
            batchSize = atLeast("batch size", value, 1);
            return this;
        }

        /**
         * @param value AdamW's learning rate, positive (default 1e-3)
         * @return this builder
         */
        public Builder optLearningRate(double value) {
            learningRate = positive("learning rate", value);
            return this;
        }

        /**
         * @param first beta1 in [0, 1) (default 0.9)
         * @param second beta2 in [0, 1) (default 0.999)
         * @return this builder
         */
        public Builder optBetas(double first, double second) {
            if (!(first >= 0 && first < 1 && second >= 0 && second < 1)) {
                throw new IllegalArgumentException("AdamW's betas must lie in [0, 1), got " + first + ", " + second);
            }
            beta1 = first;
            beta2 = second;
            return this;
        }

        /**
         * @param value AdamW's eps, positive (default 1e-8)
         * @return this builder
         */
        public Builder optEps(double value) {
            eps = positive("eps", value);
            return this;
        }

        /**
         * @param value decoupled weight decay, at least 0 (default 0.01)
         * @return this builder
         */
        public Builder optWeightDecay(double value) {
            if (!(value >= 0)) {
                throw new IllegalArgumentException("the weight decay must not be negative, got " + value);
            }
            weightDecay = value;
            return this;
        }

        /**
         * @param value the most epochs, at least 1 (default 50)
         * @return this builder
         */
        public Builder optMaxEpochs(int value) {
            maxEpochs = atLeast("the number of epochs", value, 1);
            return this;
        }

        /**
         * @param value epochs without improvement of the validation loss before stopping, at least 1 (default 5)
         * @return this builder
         */
        public Builder optPatience(int value) {
            patience = atLeast("patience", value, 1);
            return this;
        }

        /**
         * @param value share of the images held out for validation, in (0, 1) (default 0.0855)
         * @return this builder
         */
        public Builder optValidationFraction(double value) {
            if (!(value > 0 && value < 1)) {
                throw new IllegalArgumentException("the validation fraction must lie in (0, 1), got " + value);
            }
            validationFraction = value;
            return this;
        }

        /**
         * @param weight the regulariser's weight at step 0, at least 0 (default 0.1)
         * @param steps the step at which it has faded to 0, at least 1 (default 2000)
         * @return this builder
         */
        public Builder optRegularisation(double weight, int steps) {
            if (!(weight >= 0)) {
                throw new IllegalArgumentException("the regulariser's weight must not be negative, got " + weight);
            }
            regularisationWeight = weight;
            regularisationSteps = atLeast("the regulariser's steps", steps, 1);
            return this;
        }

        /**
         * @param value D, the bottleneck width (default 128, the paper's; smaller for tests)
         * @return this builder
         */
        public Builder optBottleneck(int value) {
            bottleneck = atLeast("the bottleneck width", value, 1);
            return this;
        }

        /**
         * @param value H, the selectors' hidden width (default 128, the paper's; smaller for tests)
         * @return this builder
         */
        public Builder optHidden(int value) {
            hidden = atLeast("the hidden width", value, 1);
            return this;
        }

        /**
         * @param value worker threads, at least 1 (default 2); the results do not depend on it
         * @return this builder
         */
        public Builder optThreads(int value) {
            threads = atLeast("the thread count", value, 1);
            return this;
        }

        /**
         * @param value what to do with voxels whose responses contain NaN (default: drop them with a warning)
         * @return this builder
         */
        public Builder optNanPolicy(NanPolicy value) {
            nanPolicy = java.util.Objects.requireNonNull(value);
            return this;
        }

        /** @return the configuration */
        public TrainingConfig build() {
            return new TrainingConfig(this);
        }

        private static int atLeast(String what, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(what + " must be at least " + min + ", got " + value);
            }
            return value;
        }

        private static double positive(String what, double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("the " + what + " must be positive, got " + value);
            }
            return value;
        }
    }
}
