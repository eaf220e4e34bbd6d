package org.brainalign.engine.backbone;

/**
 * A family's map from the canonical tensor names of {@link TensorSource} to its checkpoint's tensors: for each
 * canonical tensor, the {@link TensorOrigin} it is read from. Reading through a layout gives the network's weights;
 * writing through it puts trained weights back under the checkpoint's own names.
 */
@FunctionalInterface
public interface TensorLayout {

    /**
     * Locates one canonical tensor.
     *
     * @param name a canonical name, e.g. "blocks.3.q.weight"
     * @param shape the canonical shape the spec implies; -1 marks a dimension the checkpoint decides
     * @return its origin, with every dimension known
     * @throws CheckpointException if the checkpoint cannot hold it (e.g. config.json contradicts the name)
     */
    TensorOrigin origin(String name, long... shape) throws CheckpointException;
}
