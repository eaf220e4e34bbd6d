package org.brainalign.engine.finetune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.engine.DjlRuntime;
import org.brainalign.engine.backbone.TrainableTransformer;
import org.brainalign.io.safetensors.FloatTensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

/**
 * AdamW on DJL NDArrays, for fine-tuning a backbone (the FactorTopy encoder's AdamW on plain arrays is
 * {@code factortopy.EncoderAdamW}), with the semantics of {@code torch.optim.AdamW} (amsgrad off, no maximise): for
 * each parameter
 * p with gradient g at step t, {@code p *= 1 - lr * weight_decay} (decoupled weight decay, applied to every
 * parameter it updates, biases and norms included, as torch does when given all parameters), {@code m += (1 - b1)
 * (g - m)}, {@code v = b2 v + (1 - b2) g^2}, {@code p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}.
 * The arithmetic is torch's, operation by operation, in float32; where torch fuses two operations (lerp, addcmul,
 * addcdiv) the results agree to float rounding. After each update the gradients are set to zero, because PyTorch
 * adds each backward pass's gradient to what is there.
 */
public final class TensorAdamW {

    /**
     * The hyper-parameters other than the learning rate, which may change from step to step.
     *
     * @param beta1 decay of the first moment
     * @param beta2 decay of the second moment
     * @param eps added to the denominator
     * @param weightDecay the decoupled weight decay
     */
    public record Settings(double beta1, double beta2, double eps, double weightDecay) {

        /** torch.optim.AdamW's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
        public static final Settings TORCH_DEFAULTS = new Settings(0.9, 0.999, 1e-8, 0.01);

        /**
         * Checks the ranges.
         *
         * @throws IllegalArgumentException if a value is out of range
         */
        public Settings {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("betas must lie in [0, 1), got " + beta1 + ", " + beta2);
            }
            if (!(eps > 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("eps must be positive and the weight decay not negative");
            }
        }
    }

    private final Settings settings;
    private final LinkedHashMap<String, NDArray> parameters;
    private final List<NDArray> first = new ArrayList<>();
    private final List<NDArray> second = new ArrayList<>();
    private long steps;

    /**
     * Starts an optimizer with zero moments.
     *
     * @param parameters the arrays to update, by name, each with gradients attached
     * @param settings the hyper-parameters
     * @param manager where the moments live (the parameters' device)
     */
    public TensorAdamW(LinkedHashMap<String, NDArray> parameters, Settings settings, NDManager manager) {
        this.settings = settings;
        this.parameters = new LinkedHashMap<>(parameters);
        DjlRuntime.call(() -> {
            for (NDArray p : parameters.values()) {
                first.add(keep(manager.zeros(p.getShape())));
                second.add(keep(manager.zeros(p.getShape())));
            }
            return null;
        });
    }

    private static NDArray keep(NDArray a) {
        NDScope.unregister(a);
        return a;
    }

    /** @return the hyper-parameters */
    public Settings settings() {
        return settings;
    }

    /** @return the number of updates made, t */
    public long steps() {
        return steps;
    }

    /**
     * Updates every parameter from its gradient and then zeroes the gradients. Call it outside a gradient collector.
     *
     * @param learningRate this step's learning rate
     */
    public void update(double learningRate) {
        steps++;
        // StrictMath gives the same bits however far the JIT has compiled this method (Math.pow need not)
        double bc1 = 1 - StrictMath.pow(settings.beta1(), steps);
        double bc2 = 1 - StrictMath.pow(settings.beta2(), steps);
        float decay = (float) (1 - learningRate * settings.weightDecay());
        float w1 = (float) (1 - settings.beta1());
        float b2 = (float) settings.beta2();
        float w2 = (float) (1 - settings.beta2());
        float stepSize = (float) (learningRate / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        float eps = (float) settings.eps();
        DjlRuntime.call(() -> {
            int i = 0;
            for (NDArray p : parameters.values()) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray g = p.getGradient();
                    NDArray m = first.get(i);
                    NDArray v = second.get(i);
                    p.muli(decay);
                    m.addi(g.sub(m).muli(w1));
                    v.muli(b2).addi(g.mul(g).muli(w2));
                    NDArray denominator = v.sqrt().divi(bc2Sqrt).addi(eps);
                    p.addi(m.mul(-stepSize).divi(denominator));
                    g.subi(g);
                }
                i++;
            }
            return null;
        });
    }

    /**
     * Copies the moments to the heap, for saving.
     *
     * @param firstPrefix prefix for the first moments' names
     * @param secondPrefix prefix for the second moments' names
     * @return the moments by prefixed parameter name
     */
    public LinkedHashMap<String, FloatTensor> moments(String firstPrefix, String secondPrefix) {
        return DjlRuntime.call(() -> {
            LinkedHashMap<String, FloatTensor> out = new LinkedHashMap<>();
            int i = 0;
            for (String name : parameters.keySet()) {
                out.put(firstPrefix + name, heap(first.get(i)));
                out.put(secondPrefix + name, heap(second.get(i)));
                i++;
            }
            return out;
        });
    }

    private static FloatTensor heap(NDArray a) {
        return new FloatTensor(a.getShape().getShape(), a.toFloatArray());
    }

    /**
     * Restores the moments and the step count, for resuming.
     *
     * @param values the moments by prefixed parameter name, as {@link #moments} gave them
     * @param firstPrefix prefix of the first moments' names
     * @param secondPrefix prefix of the second moments' names
     * @param steps the step count t
     * @return null when restored, else what is missing or misshapen
     */
    public String restore(Map<String, FloatTensor> values, String firstPrefix, String secondPrefix, long steps) {
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            for (String prefix : new String[] { firstPrefix, secondPrefix }) {
                FloatTensor t = values.get(prefix + e.getKey());
                if (t == null || !java.util.Arrays.equals(t.shape(), e.getValue().getShape().getShape())) {
                    return "the optimizer state of '" + e.getKey() + "' is missing or misshapen";
                }
            }
        }
        int i = 0;
        for (String name : parameters.keySet()) {
            TrainableTransformer.overwrite(first.get(i), values.get(firstPrefix + name).data());
            TrainableTransformer.overwrite(second.get(i), values.get(secondPrefix + name).data());
            i++;
        }
        this.steps = steps;
        return null;
    }
}
