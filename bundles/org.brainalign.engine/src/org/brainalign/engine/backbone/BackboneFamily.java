package org.brainalign.engine.backbone;

/**
 * A family of vision networks that share a checkpoint layout, such as Hugging Face's ViTModel ("hf-vit"), CLIP's
 * vision tower ("clip"), DINOv2 ("dinov2") or SAM's image encoder ("sam"). A family knows its tensor names and
 * configuration keys and builds a {@link Backbone} from a {@link Checkpoint}. Families are OSGi services (Declarative
 * Services): a bundle adds a network by registering one; {@link BackboneFamilies} finds them by id.
 */
public interface BackboneFamily {

    /** The service property that carries a family service's id, so a family can be looked up in the registry. */
    String ID_PROPERTY = "backbone.id";

    /** @return the family's id, e.g. "hf-vit" */
    String id();

    /** @return one line for users: which checkpoints the family loads */
    String description();

    /**
     * Whether a checkpoint looks like this family's: its config.json model_type, or, when it declares none, its
     * tensor names.
     *
     * @param checkpoint an open checkpoint
     * @return true if this family should be able to load it
     */
    boolean recognises(Checkpoint checkpoint);

    /**
     * Builds the network from the checkpoint's config.json and tensors.
     *
     * @param checkpoint an open checkpoint; it may be closed once this returns
     * @param options input size and device
     * @return the network, ready to run; close it when done
     * @throws CheckpointException if the checkpoint belongs to another family, or a tensor is missing or has a shape
     *         config.json does not imply, naming the tensor and the file
     */
    Backbone load(Checkpoint checkpoint, BackboneOptions options) throws CheckpointException;
}
