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
        if (layers <= 0) {
            throw new IllegalArgumentException(family + ": " + layers + " blocks (num_hidden_layers); a transformer"
                    + " needs at least one");
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
     * A spec whose position embeddings are resized to the input grid (no torch.hub offset); the parameters are the
     * record's, in its order.
     *
     * @param family the family id
     * @param channels C
     * @param layers L
     * @param heads attention heads
     * @param mlpHidden the MLP's hidden width
     * @param swiglu whether the MLP is SwiGLU
     * @param activation the MLP activation
     * @param eps LayerNorm epsilon
     * @param patch patch side
     * @param inputChannels image channels
     * @param patchBias whether the patch convolution has a bias
     * @param classToken whether a class token leads
     * @param registers register tokens
     * @param positionGrid trained position grid side, 0 for none
     * @param classPosition whether the class token has a position embedding
     * @param antialiasedPositions whether position resizing is antialiased
     * @param preNorm whether a LayerNorm follows the embeddings
     * @param layerScale whether residual branches are scaled
     * @param windows per block window side, 0 for global
     * @param relativePositions whether attention adds relative position terms
     * @param qkvBias whether q, k, v have biases
     * @param inputSize the input side
     */
    public TransformerSpec(String family, int channels, int layers, int heads, int mlpHidden, boolean swiglu,
            Activation activation, float eps, int patch, int inputChannels, boolean patchBias, boolean classToken,
            int registers, int positionGrid, boolean classPosition, boolean antialiasedPositions, boolean preNorm,
            boolean layerScale, int[] windows, boolean relativePositions, boolean qkvBias, int inputSize) {
        this(family, channels, layers, heads, mlpHidden, swiglu, activation, eps, patch, inputChannels, patchBias,
                classToken, registers, positionGrid, classPosition, antialiasedPositions, preNorm, layerScale,
                windows, relativePositions, qkvBias, inputSize, 0);
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
        return new TransformerSpec(family, channels, layers, heads, mlpHidden, swiglu, activation, eps, patch,
                inputChannels, patchBias, classToken, registers, positionGrid, classPosition, antialiasedPositions,
                preNorm, layerScale, windows, relativePositions, qkvBias, inputSize, positionOffset);
    }

    /**
     * @param positionOffset 0 to resize position embeddings to the input grid, else torch.hub's offset
     * @return this spec with that position rule
     */
    public TransformerSpec withPositionOffset(double positionOffset) {
        return new TransformerSpec(family, channels, layers, heads, mlpHidden, swiglu, activation, eps, patch,
                inputChannels, patchBias, classToken, registers, positionGrid, classPosition, antialiasedPositions,
                preNorm, layerScale, windows, relativePositions, qkvBias, inputSize, positionOffset);
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
    }
}
