package org.brainalign.engine.backbone;

import java.util.Set;

import org.brainalign.engine.ComputeDevice;
import org.brainalign.engine.DjlRuntime;
import org.brainalign.io.safetensors.FloatTensor;

/**
 * What the built-in families share: check the declared model type, derive a {@link TransformerSpec} from config.json,
 * translate tensor names, pick the normalisation and the device, and load a {@link VisionTransformer}.
 */
abstract class TransformerFamily implements BackboneFamily {

    /** @return the config.json model_type values this family loads */
    abstract Set<String> modelTypes();

    /** @return a tensor name (without prefix) every checkpoint of the family has, to recognise undeclared ones */
    abstract String signatureTensor();

    /**
     * @param checkpoint the checkpoint
     * @param inputSize the requested input side, 0 for the default
     * @return the architecture config.json describes
     * @throws CheckpointException if config.json is unusable
     */
    abstract TransformerSpec spec(Checkpoint checkpoint, int inputSize) throws CheckpointException;

    /**
     * @param checkpoint the checkpoint
     * @param spec its architecture
     * @return the translation from canonical names to the checkpoint's
     * @throws CheckpointException if the checkpoint lacks the family's tensors
     */
    abstract TensorSource source(Checkpoint checkpoint, TransformerSpec spec) throws CheckpointException;

    @Override
    public boolean recognises(Checkpoint checkpoint) {
        String type = checkpoint.config().string("model_type");
        if (type != null) {
            return modelTypes().contains(type);
        }
        return checkpoint.prefixOf(signatureTensor()).isPresent();
    }

    @Override
    public Backbone load(Checkpoint checkpoint, BackboneOptions options) throws CheckpointException {
        String type = checkpoint.config().string("model_type");
        if (type != null && !modelTypes().contains(type)) {
            throw new CheckpointException(checkpoint.config().file() + ": model_type '" + type
                    + "' is not one backbone family '" + id() + "' loads (" + String.join(", ", modelTypes()) + ")");
        }
        TransformerSpec spec = spec(checkpoint, options.inputSize());
        TensorSource source = source(checkpoint, spec);
        Normalization normalization = checkpoint.declaredNormalization(spec.inputChannels())
                .orElseGet(() -> Normalization.imageNet(spec.inputChannels()));
        ComputeDevice device = DjlRuntime.device(options.device());
        return new VisionTransformer(spec, source, normalization, device);
    }

    /**
     * @param checkpoint the checkpoint
     * @return the prefix before the family's tensor names ("" or e.g. "vit.")
     * @throws CheckpointException if the signature tensor is nowhere, i.e. the checkpoint is of another family
     */
    String prefix(Checkpoint checkpoint) throws CheckpointException {
        return checkpoint.prefixOf(signatureTensor()).orElseThrow(() -> new CheckpointException(
                checkpoint.weightsPath() + ": no tensor named like '" + signatureTensor() + "': not a '" + id()
                        + "' checkpoint (or its tensors are named differently)"));
    }

    /**
     * Reads a tensor stored under one shape and returns it under the canonical one (same elements, same order).
     *
     * @param checkpoint the checkpoint
     * @param name the checkpoint's tensor name
     * @param stored the shape config.json implies for the stored tensor
     * @param canonical the canonical shape
     * @return the tensor
     * @throws CheckpointException if missing or misshapen
     */
    static FloatTensor read(Checkpoint checkpoint, String name, long[] stored, long[] canonical)
            throws CheckpointException {
        return new FloatTensor(canonical, checkpoint.tensor(name, stored));
    }

    /**
     * @param checkpoint the checkpoint
     * @param name the checkpoint's tensor name
     * @param shape its shape, equal to the canonical one
     * @return the tensor
     * @throws CheckpointException if missing or misshapen
     */
    static FloatTensor read(Checkpoint checkpoint, String name, long[] shape) throws CheckpointException {
        return read(checkpoint, name, shape, shape);
    }

    /**
     * @param values numbers
     * @return them as a shape
     */
    static long[] shape(long... values) {
        return values;
    }

    /**
     * @param name a canonical per-block name "blocks.l.rest"
     * @return l
     */
    static int blockOf(String name) {
        return Integer.parseInt(name.substring(7, name.indexOf('.', 7)));
    }

    /**
     * @param name a canonical per-block name "blocks.l.rest"
     * @return rest
     */
    static String partOf(String name) {
        return name.substring(name.indexOf('.', 7) + 1);
    }

    /**
     * Splits (1, 1 + G * G, C) position embeddings into the class token's and the grid's.
     *
     * @param all the stored embeddings, class token first
     * @param classPart true for the class token's (C), false for the grid's (G, G, C)
     * @param grid G
     * @param channels C
     * @return the part
     */
    static FloatTensor positionPart(float[] all, boolean classPart, int grid, int channels) {
        if (classPart) {
            return new FloatTensor(shape(channels), java.util.Arrays.copyOf(all, channels));
        }
        return new FloatTensor(shape(grid, grid, channels), java.util.Arrays.copyOfRange(all, channels, all.length));
    }

    /**
     * @param config where the value was read
     * @param activation the hidden_act value
     * @return the activation
     * @throws CheckpointException if unknown
     */
    static TransformerSpec.Activation activation(Checkpoint.Config config, String activation)
            throws CheckpointException {
        TransformerSpec.Activation a = TransformerSpec.Activation.fromConfig(activation);
        if (a == null) {
            throw new CheckpointException(config.file() + ": hidden_act '" + activation + "' is not supported (gelu, "
                    + "gelu_new, gelu_pytorch_tanh, quick_gelu, relu, silu)");
        }
        return a;
    }

    /**
     * @param config the configuration
     * @param channels C
     * @param heads heads
     * @throws CheckpointException if C is not a multiple of the heads
     */
    static void checkHeads(Checkpoint.Config config, int channels, int heads) throws CheckpointException {
        if (heads <= 0 || channels % heads != 0) {
            throw new CheckpointException(config.file() + ": hidden_size " + channels
                    + " is not a multiple of num_attention_heads " + heads);
        }
    }

    /**
     * @param config the configuration
     * @param inputSize the input side
     * @param patch the patch side
     * @throws CheckpointException if the input is not a whole number of patches
     */
    static void checkInput(Checkpoint.Config config, int inputSize, int patch) throws CheckpointException {
        if (inputSize <= 0 || patch <= 0 || inputSize % patch != 0) {
            throw new CheckpointException(config.file() + ": an input of " + inputSize + " px is not a whole number "
                    + "of " + patch + " px patches");
        }
    }
}
