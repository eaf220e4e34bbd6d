package org.brainalign.engine.factortopy;

/**
 * The three selectors of FactorTopy. Each is a network of the voxel coordinate alone that chooses, for every voxel,
 * where in the backbone to read: the space selector picks an image position (x, y) in (-1, 1)^2 through tanh, the
 * layer selector weights the L layers through a softmax, and the scale selector mixes local (patch) and global (CLS)
 * tokens through a sigmoid.
 */
public enum SelectorKind {

    /** Image position: two outputs, tanh; x runs along the grid's width, y along its height. */
    SPACE("space"),
    /** Layer weights: L outputs, softmax. */
    LAYER("layer"),
    /** Scale: one output, sigmoid; 0 is local, 1 global. */
    SCALE("scale");

    private final String prefix;

    SelectorKind(String prefix) {
        this.prefix = prefix;
    }

    /** @return the word the reference implementation uses in parameter names, e.g. "space" */
    public String prefix() {
        return prefix;
    }

    /**
     * @param layers L
     * @return the number of outputs of this selector's last linear layer
     */
    public int outputs(int layers) {
        return switch (this) {
            case SPACE -> 2;
            case LAYER -> layers;
            case SCALE -> 1;
        };
    }
}
