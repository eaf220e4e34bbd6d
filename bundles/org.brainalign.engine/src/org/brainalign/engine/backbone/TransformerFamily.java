package org.brainalign.engine.backbone;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
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
     * The architecture with the options applied; only dinov2 has a choice of position rule, so the others refuse
     * torch.hub's rather than silently give features that are not what was asked for.
     *
     * @param checkpoint the checkpoint
     * @param options the load options
     * @return the architecture config.json describes, at the options' input size
     * @throws CheckpointException if config.json is unusable or the options ask for a rule this family lacks
     */
    TransformerSpec spec(Checkpoint checkpoint, BackboneOptions options) throws CheckpointException {
        if (options.positions() != PositionInterpolation.HUGGING_FACE) {
            throw new CheckpointException(checkpoint.weightsPath() + ": the " + options.positions().id()
                    + " position rule applies to dinov2 checkpoints only, and this one is of backbone family '"
                    + id() + "'");
        }
        try {
            return spec(checkpoint, options.inputSize());
        } catch (IllegalArgumentException e) {
            // numbers of config.json that cannot make a network: name the file they came from
            throw new CheckpointException((checkpoint.config() != null
                    ? checkpoint.config().file()
                    : checkpoint.weightsPath()) + ": " + e.getMessage());
        }
    }

    /**
     * @param checkpoint the checkpoint
     * @param spec its architecture
     * @return the translation from canonical names to the checkpoint's tensors
     * @throws CheckpointException if the checkpoint lacks the family's tensors
     */
    abstract TensorLayout layout(Checkpoint checkpoint, TransformerSpec spec) throws CheckpointException;

    /**
     * Reads canonical tensors through the family's layout, checking each stored tensor's shape.
     *
     * @param checkpoint the checkpoint
     * @param spec its architecture
     * @return the canonical tensors
     * @throws CheckpointException if the checkpoint lacks the family's tensors
     */
    TensorSource source(Checkpoint checkpoint, TransformerSpec spec) throws CheckpointException {
        TensorLayout layout = layout(checkpoint, spec);
        // the parts of one stored tensor (positions, SAM's fused q/k/v) are asked for in a row: keep the last read
        Map<String, float[]> last = new HashMap<>(2);
        return (name, shape) -> {
            TensorOrigin o = layout.origin(name, shape);
            float[] all = last.get(o.stored());
            if (all == null) {
                all = checkpoint.tensor(o.stored(), o.storedShape());
                last.clear();
                last.put(o.stored(), all);
            }
            return new FloatTensor(o.shape(), o.isWhole()
                    ? all
                    : Arrays.copyOfRange(all, (int) o.offset(), (int) (o.offset() + o.size())));
        };
    }

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
        TransformerSpec spec = spec(checkpoint, options);
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
     * Locates one part of position embeddings stored as (..., 1 + G * G, C), the class token's row first.
     *
     * @param stored the stored tensor's name
     * @param storedShape its shape
     * @param classPart true for the class token's part (C), false for the grid's (G, G, C)
     * @param grid G
     * @param channels C
     * @return the part's origin
     */
    static TensorOrigin positionPart(String stored, long[] storedShape, boolean classPart, int grid, int channels) {
        return classPart
                ? new TensorOrigin(stored, storedShape, 0, shape(channels))
                : new TensorOrigin(stored, storedShape, channels, shape(grid, grid, channels));
    }

    /**
     * @param config where the value was read
     * @param activation the hidden_act value
     * @return the activation
     * @throws CheckpointException if unknown
     */
    static TransformerSpec.Activation activation(Checkpoint.Config config, String activation)
            throws CheckpointException {
        // a hidden_act that is no text (a list, an object) reaches here as null
        TransformerSpec.Activation a = activation == null ? null : TransformerSpec.Activation.fromConfig(activation);
        if (a == null) {
            throw new CheckpointException(config.file() + ": hidden_act " + (activation == null
                    ? "is not a text"
                    : "'" + activation + "'") + " is not supported (gelu, "
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
