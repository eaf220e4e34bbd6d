package org.brainalign.io.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.brainalign.io.ValueStatistics;

/**
 * An npy array is a NumPy array read from or written to a .npy file: a shape, an element type, a byte order, a
 * memory order (C: last index fastest; Fortran: first index fastest) and the raw element bytes. Element access is by
 * C-order position whatever the memory order, so callers never see the difference. Immutable.
 */
public final class NpyArray {

    private final int[] shape;
    private final NpyType type;
    private final boolean fortranOrder;
    private final ByteBuffer data;
    private final long size;

    /**
     * @param shape the sizes (an empty shape is a scalar)
     * @param type the element type
     * @param fortranOrder whether the data are in Fortran order
     * @param data the element bytes, in the buffer's byte order
     */
    public NpyArray(int[] shape, NpyType type, boolean fortranOrder, ByteBuffer data) {
        this.shape = shape.clone();
        this.type = type;
        this.fortranOrder = fortranOrder;
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, s);
        }
        this.size = n;
        if (data.capacity() != n * type.bytes()) {
            throw new IllegalArgumentException(data.capacity() + " bytes do not hold " + n + " " + type.numpyName()
                    + " elements");
        }
        this.data = data;
    }

    /**
     * @param values the elements in C order
     * @param shape the shape
     * @return a little-endian float32 array
     */
    public static NpyArray ofFloats(float[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new NpyArray(shape, NpyType.FLOAT32, false, b);
    }

    /**
     * @param values the elements in C order
     * @param shape the shape
     * @return a little-endian float64 array
     */
    public static NpyArray ofDoubles(double[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return new NpyArray(shape, NpyType.FLOAT64, false, b);
    }

    /**
     * @param values the elements in C order
     * @param shape the shape
     * @return a little-endian int32 array
     */
    public static NpyArray ofInts(int[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return new NpyArray(shape, NpyType.INT32, false, b);
    }

    /**
     * @param values the elements in C order
     * @param shape the shape
     * @return a little-endian int64 array
     */
    public static NpyArray ofLongs(long[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new NpyArray(shape, NpyType.INT64, false, b);
    }

    /**
     * @param values the elements in C order
     * @param shape the shape
     * @return a bool array
     */
    public static NpyArray ofBooleans(boolean[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length);
        for (int i = 0; i < values.length; i++) {
            b.put(i, (byte) (values[i] ? 1 : 0));
        }
        return new NpyArray(shape, NpyType.BOOL, false, b);
    }

    /** @return a copy of the shape */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of elements */
    public long size() {
        return size;
    }

    /** @return the element type */
    public NpyType type() {
        return type;
    }

    /** @return the byte order of the data */
    public ByteOrder byteOrder() {
        return data.order();
    }

    /** @return whether the data are stored in Fortran order */
    public boolean isFortranOrder() {
        return fortranOrder;
    }

    /** @return NumPy's descr string, e.g. "&lt;f4" ('|' for one-byte types) */
    public String descr() {
        char order = type.bytes() == 1 ? '|' : data.order() == ByteOrder.BIG_ENDIAN ? '>' : '<';
        return order + type.code();
    }

    /** @return the raw data (a read-only view, positioned at 0) */
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(data.order());
    }

    private int offsetOf(long cIndex) {
        if (!fortranOrder || shape.length < 2) {
            return Math.toIntExact(cIndex * type.bytes());
        }
        // C-order position -> indices -> Fortran-order position
        long rest = cIndex;
        long f = 0;
        long stride = 1;
        long[] idx = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = rest % shape[d];
            rest /= shape[d];
        }
        for (int d = 0; d < shape.length; d++) {
            f += idx[d] * stride;
            stride *= shape[d];
        }
        return Math.toIntExact(f * type.bytes());
    }

    /**
     * @param cIndex a position in C order (last index fastest)
     * @return the element as a double
     */
    public double get(long cIndex) {
        if (cIndex < 0 || cIndex >= size) {
            throw new IndexOutOfBoundsException("element " + cIndex + " of " + size);
        }
        return type.read(data, offsetOf(cIndex));
    }

    /**
     * @param indices one index per dimension
     * @return the element as a double
     */
    public double get(int... indices) {
        return get(cIndex(indices));
    }

    /**
     * @param indices one index per dimension
     * @return the C-order position of those indices
     */
    public long cIndex(int... indices) {
        if (indices.length != shape.length) {
            throw new IllegalArgumentException(
                    "an array of shape " + Arrays.toString(shape) + " needs " + shape.length + " indices");
        }
        long c = 0;
        for (int d = 0; d < shape.length; d++) {
            if (indices[d] < 0 || indices[d] >= shape[d]) {
                throw new IndexOutOfBoundsException(
                        Arrays.toString(indices) + " is outside the shape " + Arrays.toString(shape));
            }
            c = c * shape[d] + indices[d];
        }
        return c;
    }

    /** @return all elements in C order as float32 */
    public float[] toFloatArray() {
        float[] v = new float[Math.toIntExact(size)];
        if (type == NpyType.FLOAT32 && (!fortranOrder || shape.length < 2)) {
            data.duplicate().order(data.order()).asFloatBuffer().get(v);
            return v;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) get(i);
        }
        return v;
    }

    /** @return all elements in C order as float64 */
    public double[] toDoubleArray() {
        double[] v = new double[Math.toIntExact(size)];
        for (int i = 0; i < v.length; i++) {
            v[i] = get(i);
        }
        return v;
    }

    /**
     * @return all elements in C order as int32
     * @throws IllegalStateException if an element is not a whole number in the int range
     */
    public int[] toIntArray() {
        int[] v = new int[Math.toIntExact(size)];
        for (int i = 0; i < v.length; i++) {
            double d = get(i);
            if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
                throw new IllegalStateException("element " + i + " (" + d + ") is not an int");
            }
            v[i] = (int) d;
        }
        return v;
    }

    /** @return all elements in C order as int64 (exact for int64 and uint64 below 2^63) */
    public long[] toLongArray() {
        long[] v = new long[Math.toIntExact(size)];
        for (int i = 0; i < v.length; i++) {
            v[i] = type.readLong(data, offsetOf(i));
        }
        return v;
    }

    /**
     * @return a 2-D array as rows of float32
     * @throws IllegalStateException if the array is not 2-D
     */
    public float[][] toFloatMatrix() {
        if (shape.length != 2) {
            throw new IllegalStateException("a matrix needs a 2-D array, this one has shape " + Arrays.toString(shape));
        }
        float[][] m = new float[shape[0]][shape[1]];
        for (int r = 0; r < shape[0]; r++) {
            for (int c = 0; c < shape[1]; c++) {
                m[r][c] = (float) get((long) r * shape[1] + c);
            }
        }
        return m;
    }

    /** @return statistics of all elements */
    public ValueStatistics statistics() {
        ValueStatistics.Accumulator a = new ValueStatistics.Accumulator();
        for (long i = 0; i < size; i++) {
            a.add(type.read(data, Math.toIntExact(i * type.bytes())));
        }
        return a.result();
    }

    @Override
    public String toString() {
        return "NpyArray[" + descr() + " " + Arrays.toString(shape) + (fortranOrder ? " Fortran" : "") + "]";
    }
}
