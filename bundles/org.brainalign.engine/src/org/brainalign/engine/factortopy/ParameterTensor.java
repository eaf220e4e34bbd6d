package org.brainalign.engine.factortopy;

import java.util.Arrays;

/**
 * A parameter tensor is one named array of model weights, stored as rows so that the compute kernels get one Java
 * array per row. Its name and shape are those of the reference implementation (for example
 * {@code local_token_bottleneck.3.weight} of shape (D, C, 1, 1)): the first dimension counts rows, the product of the
 * others is the row length, and a one-dimensional tensor is a single row.
 */
public final class ParameterTensor {

    private final String name;
    private final long[] shape;
    private final float[][] rows;

    /**
     * @param name the reference name
     * @param shape the reference shape
     */
    ParameterTensor(String name, long... shape) {
        this.name = name;
        this.shape = shape.clone();
        int r = shape.length == 1 ? 1 : Math.toIntExact(shape[0]);
        long width = 1;
        for (int i = shape.length == 1 ? 0 : 1; i < shape.length; i++) {
            width *= shape[i];
        }
        this.rows = new float[r][Math.toIntExact(width)];
    }

    /** @return the reference name */
    public String name() {
        return name;
    }

    /** @return a copy of the shape */
    public long[] shape() {
        return shape.clone();
    }

    /** @return the rows themselves (shared) */
    public float[][] rows() {
        return rows;
    }

    /** @return the number of elements */
    public int size() {
        return rows.length * rows[0].length;
    }

    /** @return the values in row-major order, as a new array */
    public float[] toFlat() {
        int w = rows[0].length;
        float[] flat = new float[rows.length * w];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * w, w);
        }
        return flat;
    }

    /**
     * @param flat values in row-major order, exactly {@link #size()} of them
     */
    void setFlat(float[] flat) {
        if (flat.length != size()) {
            throw new IllegalArgumentException(name + " needs " + size() + " values, got " + flat.length);
        }
        int w = rows[0].length;
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(flat, r * w, rows[r], 0, w);
        }
    }

    /**
     * @param other a tensor of the same shape whose values to take
     */
    void copyFrom(ParameterTensor other) {
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(other.rows[r], 0, rows[r], 0, rows[r].length);
        }
    }

    /** Sets every value to zero. */
    void clear() {
        for (float[] row : rows) {
            Arrays.fill(row, 0f);
        }
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
