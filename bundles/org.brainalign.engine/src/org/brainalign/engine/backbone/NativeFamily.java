package org.brainalign.engine.backbone;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the families of native PyTorch checkpoints share (a library's own state dict, no config.json): sizes come
 * from the tensors' shapes; what the file does not record (the number of heads) comes from the sidecar JSON beside
 * the file ({@code FILE.json}: {@code "heads"}, or {@code "architecture"} naming one of the library's models), or
 * from the width when every model of the library with that width has the same heads; otherwise loading stops and
 * says what to write. Library constants (LayerNorm eps, activation) are the library's code, overridable in the
 * sidecar ({@code "layer_norm_eps"}, {@code "hidden_act"}), as is the input size ({@code "image_size"}, else the size
 * the position table was trained for). Fine-tuning a native file writes such a sidecar beside its result.
 */
abstract class NativeFamily extends TransformerFamily {

    /** Architecture names of the library and their heads. */
    abstract Map<String, Integer> architectures();

    /** Widths whose every architecture in the library has the same number of heads. */
    abstract Map<Integer, Integer> headsByWidth();

    /** @return the library's LayerNorm epsilon */
    abstract double eps();

    @Override
    Set<String> modelTypes() {
        return Set.of();
    }

    @Override
    public boolean recognises(Checkpoint checkpoint) {
        return checkpoint.config().string("model_type") == null && checkpoint.prefixOf(signatureTensor()).isPresent();
    }

    /**
     * @param checkpoint the checkpoint
     * @param width the width read from the tensors
     * @return the number of heads, from the sidecar, its architecture name, or the width
     * @throws CheckpointException naming the file and the sidecar to write when none of them says
     */
    int heads(Checkpoint checkpoint, int width) throws CheckpointException {
        Optional<Checkpoint.Config> side = checkpoint.sidecarConfig();
        if (side.isPresent() && side.get().has("heads")) {
            return side.get().integer("heads", 0);
        }
        if (side.isPresent() && side.get().has("architecture")) {
            String arch = side.get().string("architecture");
            Integer h = architectures().get(arch);
            if (h == null) {
                throw new CheckpointException(side.get().file() + ": architecture '" + arch + "' is not one of "
                        + String.join(", ", architectures().keySet()) + "; give \"heads\" instead");
            }
            return h;
        }
        Integer h = headsByWidth().get(width);
        if (h == null) {
            throw new CheckpointException(checkpoint.weightsPath() + ": a '" + id() + "' checkpoint of width " + width
                    + " does not record its number of heads; write " + Checkpoint.sidecar(checkpoint.weightsPath())
                    + " with {\"heads\": N} or {\"architecture\": NAME}");
        }
        return h;
    }

    /**
     * @param checkpoint the checkpoint
     * @return the LayerNorm epsilon: the sidecar's, else the library's
     * @throws CheckpointException if the sidecar's value is not a number
     */
    float eps(Checkpoint checkpoint) throws CheckpointException {
        Optional<Checkpoint.Config> side = checkpoint.sidecarConfig();
        return (float) (side.isPresent() ? side.get().number("layer_norm_eps", eps()) : eps());
    }

    /**
     * @param checkpoint the checkpoint
     * @param library the library's activation
     * @return the activation: the sidecar's {@code "hidden_act"}, else the library's
     * @throws CheckpointException if the sidecar names an activation that is not supported
     */
    static TransformerSpec.Activation activation(Checkpoint checkpoint, TransformerSpec.Activation library)
            throws CheckpointException {
        Optional<Checkpoint.Config> side = checkpoint.sidecarConfig();
        if (side.isPresent() && side.get().has("hidden_act")) {
            return activation(side.get(), side.get().string("hidden_act"));
        }
        return library;
    }

    /**
     * @param checkpoint the checkpoint
     * @param prefix the tensors' prefix
     * @param blockName a block tensor's name with "%d" for the block index
     * @return how many consecutive blocks the file holds
     */
    static int countBlocks(Checkpoint checkpoint, String prefix, String blockName) {
        int n = 0;
        while (checkpoint.has(prefix + String.format(blockName, n))) {
            n++;
        }
        return n;
    }

    /**
     * @param checkpoint the checkpoint
     * @param tokens the position table's rows
     * @param classRows rows before the grid
     * @return the grid side G with classRows + G * G = tokens
     * @throws CheckpointException if the rows are not a square grid
     */
    int positionGrid(Checkpoint checkpoint, long tokens, int classRows) throws CheckpointException {
        int g = (int) Math.round(Math.sqrt(tokens - classRows));
        if ((long) g * g + classRows != tokens) {
            throw new CheckpointException(checkpoint.weightsPath() + ": the position table's " + tokens
                    + " rows are not " + classRows + " + a square grid");
        }
        return g;
    }

    /**
     * @param stored the fused projection's name without ".weight"/".bias"
     * @param part "q.weight", "k.bias", ...
     * @param c the width
     * @param shape the canonical shape
     * @return the third of the fused (3C, C) weight or (3C) bias, q then k then v
     */
    static TensorOrigin fusedThird(String stored, String part, long c, long[] shape) {
        boolean weight = part.endsWith("weight");
        long third = "qkv".indexOf(part.charAt(0));
        long n = weight ? c * c : c;
        return new TensorOrigin(stored + (weight ? "weight" : "bias"), weight ? shape(3 * c, c) : shape(3 * c),
                third * n, shape);
    }

    /**
     * @param checkpoint the checkpoint
     * @param trained the side the position table was trained for
     * @param patch the patch side
     * @param inputSize the requested side, 0 for the sidecar's {@code "image_size"} or else the trained one
     * @return the side to run at
     * @throws CheckpointException if it is not a whole number of patches
     */
    static int size(Checkpoint checkpoint, int trained, int patch, int inputSize) throws CheckpointException {
        Optional<Checkpoint.Config> side = checkpoint.sidecarConfig();
        int size = inputSize > 0 ? inputSize : side.isPresent() ? side.get().side("image_size", trained) : trained;
        if (size % patch != 0) {
            throw new CheckpointException(checkpoint.weightsPath() + ": an input of " + size
                    + " px is not a whole number of " + patch + " px patches");
        }
        return size;
    }
}
