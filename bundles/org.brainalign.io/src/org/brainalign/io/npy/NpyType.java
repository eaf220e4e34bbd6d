package org.brainalign.io.npy;

import java.nio.ByteBuffer;

/**
 * An npy type is the element type of a NumPy array as its descr string names it without the byte-order character
 * ("f4", "i2", "b1", ...). Only plain numbers and booleans are read: objects (pickles), strings, complex numbers,
 * dates and structured types are refused.
 */
public enum NpyType {

    /** bool, one byte */
    BOOL("b1", 1, "bool"),
    /** int8 */
    INT8("i1", 1, "int8"),
    /** uint8 */
    UINT8("u1", 1, "uint8"),
    /** int16 */
    INT16("i2", 2, "int16"),
    /** uint16 */
    UINT16("u2", 2, "uint16"),
    /** int32 */
    INT32("i4", 4, "int32"),
    /** uint32 */
    UINT32("u4", 4, "uint32"),
    /** int64 */
    INT64("i8", 8, "int64"),
    /** uint64 */
    UINT64("u8", 8, "uint64"),
    /** float16 (IEEE half precision) */
    FLOAT16("f2", 2, "float16"),
    /** float32 */
    FLOAT32("f4", 4, "float32"),
    /** float64 */
    FLOAT64("f8", 8, "float64");

    private final String code;
    private final int bytes;
    private final String name;

    NpyType(String code, int bytes, String name) {
        this.code = code;
        this.bytes = bytes;
        this.name = name;
    }

    /**
     * @param code a descr without byte order, e.g. "f4"
     * @return the type, or null if it is not one BrainAlign reads
     */
    public static NpyType ofCode(String code) {
        for (NpyType t : values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        return null;
    }

    /** @return the descr code without byte order, e.g. "f4" */
    public String code() {
        return code;
    }

    /** @return bytes per element */
    public int bytes() {
        return bytes;
    }

    /** @return NumPy's name, e.g. "float32" */
    public String numpyName() {
        return name;
    }

    /** @return whether elements are floating point */
    public boolean isFloat() {
        return this == FLOAT16 || this == FLOAT32 || this == FLOAT64;
    }

    /**
     * @param b the data, in the array's byte order
     * @param offset a byte offset
     * @return the element there as a double (bool: 0 or 1)
     */
    public double read(ByteBuffer b, int offset) {
        return switch (this) {
            case BOOL -> b.get(offset) != 0 ? 1 : 0;
            case INT8 -> b.get(offset);
            case UINT8 -> b.get(offset) & 0xFF;
            case INT16 -> b.getShort(offset);
            case UINT16 -> b.getShort(offset) & 0xFFFF;
            case INT32 -> b.getInt(offset);
            case UINT32 -> b.getInt(offset) & 0xFFFFFFFFL;
            case INT64 -> b.getLong(offset);
            case UINT64 -> {
                long v = b.getLong(offset);
                yield v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
            }
            case FLOAT16 -> Float.float16ToFloat(b.getShort(offset));
            case FLOAT32 -> b.getFloat(offset);
            case FLOAT64 -> b.getDouble(offset);
        };
    }

    /**
     * @param b the data, in the array's byte order
     * @param offset a byte offset
     * @return the element there as a long (exact for integer types up to int64; floats are truncated)
     */
    public long readLong(ByteBuffer b, int offset) {
        return switch (this) {
            case INT64, UINT64 -> b.getLong(offset);
            default -> (long) read(b, offset);
        };
    }
}
