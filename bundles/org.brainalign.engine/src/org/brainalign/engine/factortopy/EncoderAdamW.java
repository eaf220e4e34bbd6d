package org.brainalign.engine.factortopy;

import java.util.ArrayList;
import java.util.List;

/**
 * AdamW for the FactorTopy encoder's parameters (plain arrays on the heap, {@link EncoderParameters}; the
 * fine-tuner's AdamW on DJL tensors is {@code finetune.TensorAdamW}), with PyTorch's semantics (torch.optim.AdamW,
 * default options): the weight decay is decoupled and applied to
 * every parameter, biases included, by shrinking it by (1 - lr * weight_decay) before the Adam step; the moments are
 * bias-corrected with the step count t as m / (1 - beta1^t) and sqrt(v) / sqrt(1 - beta2^t) + eps. Its state (both
 * moments and t) is part of a checkpoint.
 */
public final class EncoderAdamW {

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final EncoderParameters firstMoment;
    private final EncoderParameters secondMoment;
    private long steps;

    /**
     * @param shape the shape of the parameters it will update
     * @param learningRate lr
     * @param beta1 decay of the first moment
     * @param beta2 decay of the second moment
     * @param eps added to the denominator
     * @param weightDecay decoupled weight decay
     */
    public EncoderAdamW(EncoderShape shape, double learningRate, double beta1, double beta2, double eps,
            double weightDecay) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.firstMoment = new EncoderParameters(shape);
        this.secondMoment = new EncoderParameters(shape);
    }

    /** @return the number of updates made so far, t */
    public long steps() {
        return steps;
    }

    /** @return the first moments (exp_avg), shared */
    EncoderParameters firstMoment() {
        return firstMoment;
    }

    /** @return the second moments (exp_avg_sq), shared */
    EncoderParameters secondMoment() {
        return secondMoment;
    }

    /**
     * @param t the step count to continue from, as read from a checkpoint
     */
    void setSteps(long t) {
        this.steps = t;
    }

    /**
     * Updates the parameters in place with their gradient.
     *
     * @param params the parameters
     * @param grads their gradient
     * @param workers the threads to spread the rows over
     */
    public void update(EncoderParameters params, EncoderParameters grads, Workers workers) {
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps);
        double bc2 = 1 - Math.pow(beta2, steps);
        float decay = (float) (1 - learningRate * weightDecay);
        float w1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float w2 = (float) (1 - beta2);
        float stepSize = (float) (learningRate / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        float epsF = (float) eps;
        List<float[][]> p = new ArrayList<>();
        List<float[][]> g = new ArrayList<>();
        List<float[][]> m = new ArrayList<>();
        List<float[][]> v = new ArrayList<>();
        for (int i = 0; i < params.tensors().size(); i++) {
            p.add(params.tensors().get(i).rows());
            g.add(grads.tensors().get(i).rows());
            m.add(firstMoment.tensors().get(i).rows());
            v.add(secondMoment.tensors().get(i).rows());
        }
        // each task updates its own rows of every tensor: element-wise work, so any split gives the same bits
        workers.run(FusedEncoder.PARTS, part -> {
            for (int i = 0; i < p.size(); i++) {
                float[][] pr = p.get(i);
                int lo = (int) ((long) part * pr.length / FusedEncoder.PARTS);
                int hi = (int) ((long) (part + 1) * pr.length / FusedEncoder.PARTS);
                for (int r = lo; r < hi; r++) {
                    update(pr[r], g.get(i)[r], m.get(i)[r], v.get(i)[r], decay, w1, b2, w2, stepSize, bc2Sqrt, epsF);
                }
            }
        });
    }

    private static void update(float[] p, float[] g, float[] m, float[] v, float decay, float w1, float b2, float w2,
            float stepSize, float bc2Sqrt, float eps) {
        for (int j = 0; j < p.length; j++) {
            float gj = g[j];
            float pj = p[j] * decay;
            // torch: exp_avg.lerp_(grad, 1 - beta1), exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2)
            float mj = m[j] + w1 * (gj - m[j]);
            float vj = v[j] * b2 + w2 * gj * gj;
            float denom = (float) Math.sqrt(vj) / bc2Sqrt + eps;
            m[j] = mj;
            v[j] = vj;
            p[j] = pj - stepSize * mj / denom;
        }
    }
}
