package org.brainalign.io.torch;

import java.util.Arrays;

/**
 * A tensor of a checkpoint as PyTorch describes it: a storage, an offset into it, a shape and strides (both in
 * elements), so views that share one storage, start inside it or walk it transposed come out as PyTorch shows them.
 * It holds no data; {@link TorchCheckpoint} reads its elements on demand.
 */
public final class TorchTensor {

    private final TorchStorage storage;
    private final long offset;
    private final long[] shape;
    private final long[] stride;

    /**
     * @param storage the storage the elements live in
     * @param offset the first element, in elements from the start of the storage
     * @param shape the dimensions, outermost first
     * @param stride the step in elements along each dimension
     * @throws IllegalArgumentException (a sentence without the file name) if the view reaches outside the storage, or
     *         has negative sizes, strides or offset, or shape and stride differ in length
     */
    public TorchTensor(TorchStorage storage, long offset, long[] shape, long[] stride) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape.clone();
        this.stride = stride.clone();
        if (shape.length != stride.length) {
            throw new IllegalArgumentException("a tensor has shape " + Arrays.toString(shape) + " but strides "
                    + Arrays.toString(stride));
        }
        if (offset < 0) {
            throw new IllegalArgumentException("a tensor has the negative storage offset " + offset);
        }
        long last = offset;
        boolean empty = false;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0 || stride[i] < 0) {
                throw new IllegalArgumentException("a tensor has a negative size or stride (shape "
                        + Arrays.toString(shape) + ", stride " + Arrays.toString(stride) + ")");
            }
            if (shape[i] == 0) {
                empty = true;
            } else {
                try {
                    last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, stride[i]));
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException("a tensor's shape " + Arrays.toString(shape) + " and strides "
                            + Arrays.toString(stride) + " overflow", e);
                }
            }
        }
        elementCount();
        if (!empty && last >= storage.numel()) {
            throw new IllegalArgumentException("a tensor of shape " + Arrays.toString(shape) + " at offset " + offset
                    + " with strides " + Arrays.toString(stride) + " reaches element " + last + " of storage '"
                    + storage.key() + "', which holds only " + storage.numel());
        }
    }

    /** @return the storage the elements live in */
    public TorchStorage storage() {
        return storage;
    }

    /** @return the element type */
    public TorchDtype dtype() {
        return storage.dtype();
    }

    /** @return the first element's index in the storage */
    public long offset() {
        return offset;
    }

    /** @return a copy of the dimensions, outermost first */
    public long[] shape() {
        return shape.clone();
    }

    /** @return a copy of the strides in elements */
    public long[] stride() {
        return stride.clone();
    }

    /** @return the number of elements (1 for a 0-d tensor) */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** @return whether the elements lie in row-major order without gaps, so they can be read as one block */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /**
     * The index of the last element this tensor touches, plus one (its offset for an empty tensor).
     *
     * @return the end of the span of storage elements it reads
     */
    public long spanEnd() {
        long last = offset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) {
                return offset;
            }
            last += (shape[i] - 1) * stride[i];
        }
        return last + 1;
    }

    @Override
    public String toString() {
        return dtype().torchName() + Arrays.toString(shape);
    }
}
