package org.brainalign.engine.factortopy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.brainalign.io.safetensors.FloatTensor;

/**
 * The parameters of a FactorTopy encoder, named and shaped as in the reference implementation: per layer a local
 * and a global channel bottleneck (C to D, no bias), three selector networks (Linear(192, H), GELU, Linear(H, H),
 * GELU, Linear(H, K) without bias; index 0 of each {@code *_selector_mlp} is the positional encoding, hence the
 * indices 1, 3 and 5), and the per-voxel readout {@code weight} (N, D) and {@code bias} (N). The same class holds
 * gradients and optimizer moments, which have the parameters' shapes.
 */
public final class EncoderParameters {

    /** The weights of one selector network. */
    static final class Selector {

        final SelectorKind kind;
        final ParameterTensor w1;
        final ParameterTensor b1;
        final ParameterTensor w2;
        final ParameterTensor b2;
        final ParameterTensor w3;

        Selector(SelectorKind kind, int hidden, int outputs) {
            this.kind = kind;
            String p = kind.prefix() + "_selector_mlp.";
            w1 = new ParameterTensor(p + "1.weight", hidden, EncoderShape.ENCODING);
            b1 = new ParameterTensor(p + "1.bias", hidden);
            w2 = new ParameterTensor(p + "3.weight", hidden, hidden);
            b2 = new ParameterTensor(p + "3.bias", hidden);
            w3 = new ParameterTensor(p + "5.weight", outputs, hidden);
        }

        /** @return the number of outputs K */
        int outputs() {
            return w3.rows().length;
        }
    }

    private final EncoderShape shape;
    private final ParameterTensor[] local;
    private final ParameterTensor[] global;
    private final Selector[] selectors;
    private final ParameterTensor weight;
    private final ParameterTensor bias;
    private final List<ParameterTensor> tensors;

    /**
     * Creates parameters of the given shape, all zero.
     *
     * @param shape the encoder shape
     */
    public EncoderParameters(EncoderShape shape) {
        this.shape = shape;
        int l = shape.layers();
        int d = shape.bottleneck();
        int c = shape.channels();
        List<ParameterTensor> all = new ArrayList<>();
        local = new ParameterTensor[l];
        global = new ParameterTensor[l];
        for (int i = 0; i < l; i++) {
            local[i] = new ParameterTensor("local_token_bottleneck." + i + ".weight", d, c, 1, 1);
            all.add(local[i]);
        }
        for (int i = 0; i < l; i++) {
            global[i] = new ParameterTensor("global_token_bottleneck." + i + ".weight", d, c);
            all.add(global[i]);
        }
        selectors = new Selector[SelectorKind.values().length];
        for (SelectorKind k : SelectorKind.values()) {
            Selector s = new Selector(k, shape.hidden(), k.outputs(l));
            selectors[k.ordinal()] = s;
            Collections.addAll(all, s.w1, s.b1, s.w2, s.b2, s.w3);
        }
        weight = new ParameterTensor("weight", shape.voxels(), d);
        bias = new ParameterTensor("bias", shape.voxels());
        all.add(weight);
        all.add(bias);
        tensors = List.copyOf(all);
    }

    /**
     * Creates parameters initialised as the reference does: bottlenecks and the first two linear layers of each
     * selector like PyTorch's default (uniform in +-1/sqrt(fan_in) for weights and biases), the last selector layer
     * zero (every voxel starts at the image centre, with uniform layer weights and scale 0.5), and the readout like
     * a Linear(D, N) (uniform in +-1/sqrt(D)).
     *
     * @param shape the encoder shape
     * @param seed the seed of the random numbers
     * @return the initial parameters
     */
    public static EncoderParameters initial(EncoderShape shape, long seed) {
        EncoderParameters p = new EncoderParameters(shape);
        SplittableRandom random = new SplittableRandom(seed);
        for (ParameterTensor t : p.local) {
            uniform(t, random, 1 / Math.sqrt(shape.channels()));
        }
        for (ParameterTensor t : p.global) {
            uniform(t, random, 1 / Math.sqrt(shape.channels()));
        }
        for (Selector s : p.selectors) {
            double b1 = 1 / Math.sqrt(EncoderShape.ENCODING);
            double b2 = 1 / Math.sqrt(shape.hidden());
            uniform(s.w1, random, b1);
            uniform(s.b1, random, b1);
            uniform(s.w2, random, b2);
            uniform(s.b2, random, b2);
        }
        double r = 1 / Math.sqrt(shape.bottleneck());
        uniform(p.weight, random, r);
        uniform(p.bias, random, r);
        return p;
    }

    private static void uniform(ParameterTensor t, SplittableRandom random, double bound) {
        for (float[] row : t.rows()) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) ((2 * random.nextDouble() - 1) * bound);
            }
        }
    }

    /** @return the shape */
    public EncoderShape shape() {
        return shape;
    }

    /** @return every tensor, in a fixed order (bottlenecks, selectors, readout) */
    public List<ParameterTensor> tensors() {
        return tensors;
    }

    /**
     * @param name a reference name
     * @return the tensor of that name
     * @throws IllegalArgumentException if there is none
     */
    public ParameterTensor tensor(String name) {
        for (ParameterTensor t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("the encoder has no parameter named " + name);
    }

    /** @return the number of scalar parameters */
    public long count() {
        long n = 0;
        for (ParameterTensor t : tensors) {
            n += t.size();
        }
        return n;
    }

    /** @return the local bottleneck of layer l, D rows of C */
    float[][] local(int l) {
        return local[l].rows();
    }

    /** @return the global bottleneck of layer l, D rows of C */
    float[][] global(int l) {
        return global[l].rows();
    }

    /** @return one selector's weights */
    Selector selector(SelectorKind kind) {
        return selectors[kind.ordinal()];
    }

    /**
     * @param kind the selector
     * @return the weights of its last layer, which a new model starts small; the fit benchmark fills them so that its
     *         steps see the mixing of a trained model
     */
    public ParameterTensor selectorOutput(SelectorKind kind) {
        return selector(kind).w3;
    }

    /** @return the readout weights, N rows of D */
    float[][] weight() {
        return weight.rows();
    }

    /** @return the readout biases, N values */
    float[] bias() {
        return bias.rows()[0];
    }

    /** @return parameters of the same shape, all zero */
    public EncoderParameters zerosLike() {
        return new EncoderParameters(shape);
    }

    /** @return a deep copy */
    public EncoderParameters copy() {
        EncoderParameters c = new EncoderParameters(shape);
        c.copyFrom(this);
        return c;
    }

    /**
     * @param other parameters of the same shape whose values to take
     */
    public void copyFrom(EncoderParameters other) {
        for (int i = 0; i < tensors.size(); i++) {
            tensors.get(i).copyFrom(other.tensors.get(i));
        }
    }

    /** Sets every value to zero. */
    public void clear() {
        for (ParameterTensor t : tensors) {
            t.clear();
        }
    }

    /**
     * @param prefix prepended to every name, e.g. "" for the model itself
     * @return the tensors by reference name, as the safetensors writer takes them
     */
    public LinkedHashMap<String, FloatTensor> toTensors(String prefix) {
        LinkedHashMap<String, FloatTensor> map = new LinkedHashMap<>();
        for (ParameterTensor t : tensors) {
            map.put(prefix + t.name(), new FloatTensor(t.shape(), t.toFlat()));
        }
        return map;
    }

    /**
     * Takes every tensor's values from a map such as a checkpoint holds.
     *
     * @param prefix prepended to every name
     * @param values flat values by name
     * @param shapes shapes by name
     * @return null when all were taken, else the first problem as the end of a sentence
     */
    String setFrom(String prefix, Map<String, float[]> values, Map<String, long[]> shapes) {
        for (ParameterTensor t : tensors) {
            String name = prefix + t.name();
            float[] v = values.get(name);
            if (v == null) {
                return "has no tensor " + name;
            }
            long[] s = shapes.get(name);
            if (!java.util.Arrays.equals(s, t.shape())) {
                return "has " + name + " of shape " + java.util.Arrays.toString(s) + " where "
                        + java.util.Arrays.toString(t.shape()) + " is needed";
            }
            t.setFlat(v);
        }
        return null;
    }

    /**
     * @param other parameters of the same shape
     * @return whether every value is bit-for-bit equal
     */
    public boolean sameBits(EncoderParameters other) {
        for (int i = 0; i < tensors.size(); i++) {
            float[][] a = tensors.get(i).rows();
            float[][] b = other.tensors.get(i).rows();
            for (int r = 0; r < a.length; r++) {
                for (int j = 0; j < a[r].length; j++) {
                    if (Float.floatToRawIntBits(a[r][j]) != Float.floatToRawIntBits(b[r][j])) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
