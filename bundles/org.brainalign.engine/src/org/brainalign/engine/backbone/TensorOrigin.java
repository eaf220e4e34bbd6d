package org.brainalign.engine.backbone;

import java.util.Arrays;

/**
 * Where a canonical tensor of {@link TensorSource} lives in a checkpoint: a contiguous run of elements of one stored
 * tensor, in row-major order, viewed under the canonical shape. Most canonical tensors are a whole stored tensor
 * under another name and perhaps another shape ({@code cls} is HF ViT's (1, 1, C) {@code cls_token}); a stored
 * tensor may also hold several canonical ones side by side (the class token's and the grid's position embeddings,
 * SAM's fused query, key and value projection). Training updates the stored tensors and writes them back under their
 * own names, so this mapping is what lets a trained network be saved in its checkpoint's layout.
 *
 * @param stored the checkpoint's tensor name
 * @param storedShape the stored tensor's shape, as config.json implies it
 * @param offset the index of the first element within the stored tensor
 * @param shape the canonical shape
 */
public record TensorOrigin(String stored, long[] storedShape, long offset, long[] shape) {

    /**
     * Checks that the run of elements lies inside the stored tensor.
     *
     * @throws IllegalArgumentException if it does not
     */
    public TensorOrigin {
        storedShape = storedShape.clone();
        shape = shape.clone();
        if (offset < 0 || offset + count(shape) > count(storedShape)) {
            throw new IllegalArgumentException(stored + ": elements " + offset + " to " + (offset + count(shape))
                    + " do not lie inside its " + count(storedShape) + " elements");
        }
    }

    /**
     * @param stored a stored tensor's name
     * @param shape its shape, which is also the canonical one
     * @return the origin of a canonical tensor that is the whole stored tensor, unchanged
     */
    public static TensorOrigin whole(String stored, long... shape) {
        return new TensorOrigin(stored, shape, 0, shape);
    }

    /**
     * @param stored a stored tensor's name
     * @param storedShape its shape
     * @param shape the canonical shape, with as many elements
     * @return the origin of a canonical tensor that is the whole stored tensor under another shape
     */
    public static TensorOrigin reshaped(String stored, long[] storedShape, long... shape) {
        return new TensorOrigin(stored, storedShape, 0, shape);
    }

    /** @return a copy of the stored shape */
    @Override
    public long[] storedShape() {
        return storedShape.clone();
    }

    /** @return a copy of the canonical shape */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** @return the number of elements of the canonical tensor */
    public long size() {
        return count(shape);
    }

    /** @return whether the canonical tensor is all of the stored one */
    public boolean isWhole() {
        return offset == 0 && count(shape) == count(storedShape);
    }

    /**
     * @param dims a shape
     * @return the product of its dimensions
     */
    static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorOrigin t && t.stored.equals(stored) && Arrays.equals(t.storedShape, storedShape)
                && t.offset == offset && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return (stored.hashCode() * 31 + Long.hashCode(offset)) * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return stored + Arrays.toString(storedShape) + "[" + offset + ", +" + size() + "] as "
                + Arrays.toString(shape);
    }
}
