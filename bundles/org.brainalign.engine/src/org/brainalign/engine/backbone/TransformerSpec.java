package org.brainalign.engine.backbone;

import java.util.Arrays;

/**
 * The shape of a pre-norm Vision Transformer, in the terms every supported family shares: a patch convolution, an
 * optional class token and register tokens, absolute position embeddings on the patch grid (interpolated when the
 * input size differs from the trained one), an optional pre-norm, and {@code layers} blocks of multi-head
 * self-attention and MLP with LayerNorm before each, optional layer scale, optional windowed attention with
 * decomposed relative positions (SAM).
 *
 * @param family the family id, for messages
 * @param channels the token width C
 * @param layers the number of blocks L
 * @param heads attention heads; C must be a multiple
 * @param mlpHidden the MLP's hidden width (for SwiGLU, the width of each half)
 * @param swiglu whether the MLP is SwiGLU (DINOv2 giant) rather than Linear-activation-Linear
 * @param activation the MLP activation
 * @param eps LayerNorm epsilon
 * @param patch patch side in pixels
 * @param inputChannels image channels
 * @param patchBias whether the patch convolution has a bias
 * @param classToken whether a class token leads the sequence
 * @param registers register tokens after the class token (DINOv2 with registers), excluded from the grid
 * @param positionGrid the side of the patch grid the position embeddings were trained for; 0 for none
 * @param classPosition whether the class token has its own position embedding
 * @param antialiasedPositions whether interpolated position embeddings use antialiased bicubic (else plain bicubic)
 * @param preNorm whether a LayerNorm follows the embeddings (CLIP's pre_layrnorm)
 * @param layerScale whether each residual branch is scaled per channel (DINOv2)
 * @param windows per block: 0 for global attention, else the window side (SAM)
 * @param relativePositions whether attention adds decomposed relative position terms (SAM)
 * @param qkvBias whether query, key and value projections have biases
 * @param inputSize the square input side in pixels the network runs at
 * @param positionOffset 0 to resize position embeddings to the input grid g, else the offset d of torch.hub's
 *        DINOv2 rule, which resizes by the scale factor (g + d) / G (see {@link PositionInterpolation#TORCH_HUB})
 */
public record TransformerSpec(String family, int channels, int layers, int heads, int mlpHidden, boolean swiglu,
        Activation activation, float eps, int patch, int inputChannels, boolean patchBias, boolean classToken,
        int registers, int positionGrid, boolean classPosition, boolean antialiasedPositions, boolean preNorm,
        boolean layerScale, int[] windows, boolean relativePositions, boolean qkvBias, int inputSize,
        double positionOffset) {

    /**
     * Checks the numbers fit together.
     *
     * @throws IllegalArgumentException if they do not
     */
    public TransformerSpec {
        windows = windows.clone();
        // each impossible number is named for what it is (num_hidden_layers 0 is no block, not a width problem)
        checkLayers(family, layers);
        if (inputChannels <= 0 || inputChannels > MAX_INPUT_CHANNELS) {
            throw new IllegalArgumentException(family + ": " + inputChannels + " input channels (num_channels); an "
                    + "image has 1 to " + MAX_INPUT_CHANNELS);
        }
        if (channels <= 0) {
            throw new IllegalArgumentException(family + ": a width (hidden_size) of " + channels
                    + "; it must be positive");
        }
        if (heads <= 0) {
            throw new IllegalArgumentException(family + ": " + heads + " attention heads; at least one is needed");
        }
        if (channels % heads != 0) {
            throw new IllegalArgumentException(family + ": width " + channels + " is not a multiple of " + heads
                    + " heads");
        }
        if (windows.length != layers) {
            throw new IllegalArgumentException(family + ": one window size per block is needed");
        }
        if (patch <= 0 || inputSize % patch != 0) {
            throw new IllegalArgumentException(family + ": input size " + inputSize
                    + " is not a multiple of the patch size " + patch);
        }
        if (!(positionOffset >= 0 && positionOffset < 1)) {
            throw new IllegalArgumentException(family + ": the position offset must be in [0, 1), got "
                    + positionOffset);
        }
    }

    /**
     * Starts describing a network; every size must be set, the switches default to a plain ViT (3 input channels,
     * exact GELU, biases on the patch convolution and q/k/v, a class token with its own position, global attention,
     * no registers, pre-norm, layer scale or relative positions, position embeddings resized to the input grid).
     *
     * @param family the family id, for messages
     * @return the builder
     */
    public static Builder builder(String family) {
        return new Builder(family);
    }

    /** @return a builder holding this spec's values, to change a few */
    public Builder toBuilder() {
        Builder b = new Builder(family);
        b.channels = channels;
        b.layers = layers;
        b.heads = heads;
        b.mlpHidden = mlpHidden;
        b.swiglu = swiglu;
        b.activation = activation;
        b.eps = eps;
        b.patch = patch;
        b.inputChannels = inputChannels;
        b.patchBias = patchBias;
        b.classToken = classToken;
        b.registers = registers;
        b.positionGrid = positionGrid;
        b.classPosition = classPosition;
        b.antialiasedPositions = antialiasedPositions;
        b.preNorm = preNorm;
        b.layerScale = layerScale;
        b.windows = windows.clone();
        b.relativePositions = relativePositions;
        b.qkvBias = qkvBias;
        b.inputSize = inputSize;
        b.positionOffset = positionOffset;
        return b;
    }

    /**
     * Names each value of a {@link TransformerSpec} instead of passing 23 in a row; the record's components document
     * them.
     */
    public static final class Builder {

        private final String family;
        private int channels;
        private int layers;
        private int heads;
        private int mlpHidden;
        private boolean swiglu;
        private Activation activation = Activation.GELU;
        private float eps = Float.NaN;
        private int patch;
        private int inputChannels = 3;
        private boolean patchBias = true;
        private boolean classToken = true;
        private int registers;
        private int positionGrid;
        private boolean classPosition = true;
        private boolean antialiasedPositions;
        private boolean preNorm;
        private boolean layerScale;
        private int[] windows;
        private boolean relativePositions;
        private boolean qkvBias = true;
        private int inputSize;
        private double positionOffset;

        private Builder(String family) {
            this.family = family;
        }

        /**
         * @param channels C, layers L, heads, and the MLP's hidden width
         * @param layers L
         * @param heads attention heads
         * @param mlpHidden the MLP's hidden width (each half's for SwiGLU)
         * @return this
         */
        public Builder size(int channels, int layers, int heads, int mlpHidden) {
            this.channels = channels;
            this.layers = layers;
            this.heads = heads;
            this.mlpHidden = mlpHidden;
            return this;
        }

        /**
         * @param patch the patch side
         * @param positionGrid the trained position grid side, 0 for none
         * @param inputSize the input side to run at
         * @return this
         */
        public Builder input(int patch, int positionGrid, int inputSize) {
            this.patch = patch;
            this.positionGrid = positionGrid;
            this.inputSize = inputSize;
            return this;
        }

        /**
         * @param eps LayerNorm epsilon
         * @return this
         */
        public Builder eps(float eps) {
            this.eps = eps;
            return this;
        }

        /**
         * @param activation the MLP activation
         * @return this
         */
        public Builder activation(Activation activation) {
            this.activation = activation;
            return this;
        }

        /**
         * @param swiglu whether the MLP is SwiGLU
         * @return this
         */
        public Builder swiglu(boolean swiglu) {
            this.swiglu = swiglu;
            return this;
        }

        /**
         * @param inputChannels image channels
         * @return this
         */
        public Builder inputChannels(int inputChannels) {
            this.inputChannels = inputChannels;
            return this;
        }

        /**
         * @param patchBias whether the patch convolution has a bias
         * @return this
         */
        public Builder patchBias(boolean patchBias) {
            this.patchBias = patchBias;
            return this;
        }

        /**
         * @param classToken whether a class token leads
         * @param classPosition whether it has its own position embedding
         * @return this
         */
        public Builder classToken(boolean classToken, boolean classPosition) {
            this.classToken = classToken;
            this.classPosition = classPosition;
            return this;
        }

        /**
         * @param registers register tokens after the class token
         * @return this
         */
        public Builder registers(int registers) {
            this.registers = registers;
            return this;
        }

        /**
         * @param antialiasedPositions whether position resizing is antialiased bicubic
         * @return this
         */
        public Builder antialiasedPositions(boolean antialiasedPositions) {
            this.antialiasedPositions = antialiasedPositions;
            return this;
        }

        /**
         * @param positionOffset 0, or torch.hub DINOv2's offset
         * @return this
         */
        public Builder positionOffset(double positionOffset) {
            this.positionOffset = positionOffset;
            return this;
        }

        /**
         * @param preNorm whether a LayerNorm follows the embeddings
         * @return this
         */
        public Builder preNorm(boolean preNorm) {
            this.preNorm = preNorm;
            return this;
        }

        /**
         * @param layerScale whether residual branches are scaled per channel
         * @return this
         */
        public Builder layerScale(boolean layerScale) {
            this.layerScale = layerScale;
            return this;
        }

        /**
         * @param windows per block window side, 0 for global attention
         * @param relativePositions whether attention adds decomposed relative positions
         * @return this
         */
        public Builder windows(int[] windows, boolean relativePositions) {
            this.windows = windows.clone();
            this.relativePositions = relativePositions;
            return this;
        }

        /**
         * @param qkvBias whether q, k, v have biases
         * @return this
         */
        public Builder qkvBias(boolean qkvBias) {
            this.qkvBias = qkvBias;
            return this;
        }

        /**
         * @return the spec
         * @throws IllegalArgumentException if a size or the epsilon was not set, or the numbers do not fit together
         */
        public TransformerSpec build() {
            if (!(eps > 0)) {
                throw new IllegalArgumentException(family + ": the LayerNorm epsilon was not set");
            }
            // before the per-block window array is allocated by a count that may come from a hostile config.json
            checkLayers(family, layers);
            return new TransformerSpec(family, channels, layers, heads, mlpHidden, swiglu, activation, eps, patch,
                    inputChannels, patchBias, classToken, registers, positionGrid, classPosition,
                    antialiasedPositions, preNorm, layerScale, windows == null ? new int[Math.max(layers, 0)] : windows,
                    relativePositions, qkvBias, inputSize, positionOffset);
        }
    }

    /** More blocks than any Vision Transformer has (ViT-22B has 48): a larger count is a lying config. */
    private static final int MAX_LAYERS = 1000;
    /** More channels than any image a backbone reads (RGB, grey, multispectral): the normalisation has one each. */
    private static final int MAX_INPUT_CHANNELS = 1000;

    private static void checkLayers(String family, int layers) {
        if (layers <= 0) {
            throw new IllegalArgumentException(family + ": " + layers + " blocks (num_hidden_layers); a transformer"
                    + " needs at least one");
        }
        if (layers > MAX_LAYERS) {
            throw new IllegalArgumentException(family + ": " + layers + " blocks (num_hidden_layers); no Vision "
                    + "Transformer has more than " + MAX_LAYERS);
        }
    }

    /** @return a copy of the per-block window sides */
    @Override
    public int[] windows() {
        return windows.clone();
    }

    /** @return the side of the patch grid at the input size */
    public int grid() {
        return inputSize / patch;
    }

    /** @return tokens before the patch tokens (class token and registers) */
    public int prefixTokens() {
        return (classToken ? 1 : 0) + registers;
    }

    /** @return the channels per head */
    public int headDim() {
        return channels / heads;
    }

    /**
     * @param inputSize another input side
     * @return this spec at that input size
     */
    public TransformerSpec withInputSize(int inputSize) {
        return toBuilder().input(patch, positionGrid, inputSize).build();
    }

    /**
     * @param positionOffset 0 to resize position embeddings to the input grid, else torch.hub's offset
     * @return this spec with that position rule
     */
    public TransformerSpec withPositionOffset(double positionOffset) {
        return toBuilder().positionOffset(positionOffset).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransformerSpec s && toString().equals(s.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return family + "[C=" + channels + ", L=" + layers + ", heads=" + heads + ", mlp=" + mlpHidden
                + (swiglu ? " swiglu" : " " + activation) + ", eps=" + eps + ", patch=" + patch + ", in="
                + inputChannels + "x" + inputSize + ", cls=" + classToken + ", registers=" + registers + ", posGrid="
                + positionGrid + ", clsPos=" + classPosition + ", aaPos=" + antialiasedPositions + ", preNorm="
                + preNorm + ", layerScale=" + layerScale + ", windows=" + Arrays.toString(windows) + ", relPos="
                + relativePositions + ", qkvBias=" + qkvBias + ", patchBias=" + patchBias
                + (positionOffset == 0 ? "" : ", posOffset=" + positionOffset) + "]";
    }

    /** The MLP activations of the supported checkpoints, by their Hugging Face names. */
    public enum Activation {

        /** Exact GELU, x * Phi(x) with the error function ("gelu"). */
        GELU,
        /** GELU's tanh approximation ("gelu_new", "gelu_pytorch_tanh", "gelu_fast"). */
        GELU_TANH,
        /** x * sigmoid(1.702 x), as in OpenAI's CLIP ("quick_gelu"). */
        QUICK_GELU,
        /** max(0, x) ("relu"). */
        RELU,
        /** x * sigmoid(x) ("silu", "swish"). */
        SILU;

        /**
         * @param name the hidden_act value of config.json
         * @return the activation, or null if unknown
         */
        public static Activation fromConfig(String name) {
            return switch (name) {
                case "gelu" -> GELU;
                case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> GELU_TANH;
                case "quick_gelu" -> QUICK_GELU;
                case "relu" -> RELU;
                case "silu", "swish" -> SILU;
                default -> null;
            };
        }

        /** @return the hidden_act value that names it in config.json and in a sidecar, read back by fromConfig */
        public String configName() {
            return switch (this) {
                case GELU -> "gelu";
                case GELU_TANH -> "gelu_pytorch_tanh";
                case QUICK_GELU -> "quick_gelu";
                case RELU -> "relu";
                case SILU -> "silu";
            };
        }
    }
}
