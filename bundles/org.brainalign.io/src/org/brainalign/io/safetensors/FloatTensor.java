package org.brainalign.io.safetensors;

import java.util.Arrays;

/**
 * A tensor of 32-bit floats held on the heap: its shape (outermost dimension first) and its elements in row-major
 * (C) order, as safetensors stores them.
 *
 * @param shape the dimensions, outermost first; empty for a scalar
 * @param data the elements, row-major; its length is the product of the dimensions
 */
public record FloatTensor(long[] shape, float[] data) {

    /**
     * Checks that the data fill the shape exactly.
     *
     * @throws IllegalArgumentException if a dimension is negative or the element count disagrees with the shape
     */
    public FloatTensor {
        shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " holds " + n + " elements but " + data.length + " were given");
        }
    }

    /** @return a copy of the dimensions, outermost first */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
