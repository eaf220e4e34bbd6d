package org.brainalign.io.safetensors;

import java.util.Arrays;

/**
 * What a safetensors header says about one tensor: its name, its element type as the format spells it ("F32", "F16",
 * "BF16", "I64", ...) and its shape, outermost dimension first.
 *
 * @param name the tensor's name
 * @param dtype the format's element type code
 * @param shape the dimensions, outermost first; empty for a scalar
 */
public record TensorInfo(String name, String dtype, long[] shape) {

    /** Copies the shape so the record cannot be changed through the array it was given. */
    public TensorInfo {
        shape = shape.clone();
    }

    /** @return a copy of the dimensions, outermost first */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** @return the number of elements, the product of the dimensions (1 for a scalar) */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * @param dimension index into the shape
     * @return that dimension
     */
    public long dimension(int dimension) {
        return shape[dimension];
    }

    /** @return the number of dimensions */
    public int rank() {
        return shape.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo t && name.equals(t.name) && dtype.equals(t.dtype)
                && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + dtype.hashCode()) * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
