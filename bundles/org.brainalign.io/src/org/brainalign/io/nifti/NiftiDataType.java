package org.brainalign.io.nifti;

import java.nio.ByteBuffer;

/**
 * A NIfTI datatype is the on-disk type of one voxel value, identified by the header's datatype code (NIfTI-1
 * standard, table of NIFTI_TYPE_* codes). All real types are readable; RGB24 is read as the packed integer
 * 0xRRGGBB; complex and 128-bit float types are refused.
 */
public enum NiftiDataType {

    /** unsigned 8-bit integer (code 2), used for label maps */
    UINT8(2, 8, "uint8"),
    /** signed 16-bit integer (code 4) */
    INT16(4, 16, "int16"),
    /** signed 32-bit integer (code 8) */
    INT32(8, 32, "int32"),
    /** 32-bit float (code 16) */
    FLOAT32(16, 32, "float32"),
    /** pair of 32-bit floats (code 32): refused */
    COMPLEX64(32, 64, "complex64"),
    /** 64-bit float (code 64) */
    FLOAT64(64, 64, "float64"),
    /** three unsigned bytes R, G, B per voxel (code 128) */
    RGB24(128, 24, "rgb24"),
    /** signed 8-bit integer (code 256) */
    INT8(256, 8, "int8"),
    /** unsigned 16-bit integer (code 512) */
    UINT16(512, 16, "uint16"),
    /** unsigned 32-bit integer (code 768) */
    UINT32(768, 32, "uint32"),
    /** signed 64-bit integer (code 1024) */
    INT64(1024, 64, "int64"),
    /** unsigned 64-bit integer (code 1280) */
    UINT64(1280, 64, "uint64"),
    /** 128-bit float (code 1536): refused */
    FLOAT128(1536, 128, "float128"),
    /** pair of 64-bit floats (code 1792): refused */
    COMPLEX128(1792, 128, "complex128"),
    /** pair of 128-bit floats (code 2048): refused */
    COMPLEX256(2048, 256, "complex256"),
    /** four unsigned bytes R, G, B, A per voxel (code 2304) */
    RGBA32(2304, 32, "rgba32");

    private final int code;
    private final int bitpix;
    private final String numpyName;

    NiftiDataType(int code, int bitpix, String numpyName) {
        this.code = code;
        this.bitpix = bitpix;
        this.numpyName = numpyName;
    }

    /**
     * @param code a header datatype code
     * @return the type, or null if the code is not a NIfTI type
     */
    public static NiftiDataType ofCode(int code) {
        for (NiftiDataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** @return the header's datatype code */
    public int code() {
        return code;
    }

    /** @return bits per voxel (the header's bitpix) */
    public int bitpix() {
        return bitpix;
    }

    /** @return bytes per voxel */
    public int bytes() {
        return bitpix / 8;
    }

    /** @return the NumPy name of the type, e.g. "int16"; "rgb24" and "rgba32" for colour types */
    public String numpyName() {
        return numpyName;
    }

    /** @return whether BrainAlign reads values of this type */
    public boolean isReadable() {
        return this != COMPLEX64 && this != COMPLEX128 && this != COMPLEX256 && this != FLOAT128;
    }

    /** @return whether values are integers (scaling aside) */
    public boolean isInteger() {
        return this != FLOAT32 && this != FLOAT64 && isReadable();
    }

    /**
     * Reads one raw (unscaled) value.
     *
     * @param buffer the data, in the file's byte order
     * @param offset the byte offset of the value
     * @return the value as a double (colour types: the packed integer 0xRRGGBB or 0xRRGGBBAA)
     */
    public double read(ByteBuffer buffer, int offset) {
        return switch (this) {
            case UINT8 -> buffer.get(offset) & 0xFF;
            case INT8 -> buffer.get(offset);
            case INT16 -> buffer.getShort(offset);
            case UINT16 -> buffer.getShort(offset) & 0xFFFF;
            case INT32 -> buffer.getInt(offset);
            case UINT32 -> buffer.getInt(offset) & 0xFFFFFFFFL;
            case INT64 -> buffer.getLong(offset);
            case UINT64 -> unsignedToDouble(buffer.getLong(offset));
            case FLOAT32 -> buffer.getFloat(offset);
            case FLOAT64 -> buffer.getDouble(offset);
            case RGB24 -> ((buffer.get(offset) & 0xFF) << 16) | ((buffer.get(offset + 1) & 0xFF) << 8)
                    | (buffer.get(offset + 2) & 0xFF);
            case RGBA32 -> buffer.getInt(offset) & 0xFFFFFFFFL;
            default -> throw new UnsupportedOperationException("values of type " + numpyName + " are not read");
        };
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    /**
     * Writes one value, which must be representable in this type.
     *
     * @param buffer the destination, in the output byte order
     * @param offset the byte offset
     * @param value the value
     * @throws IllegalArgumentException if the value is not representable (not an integer, out of range)
     */
    public void write(ByteBuffer buffer, int offset, double value) {
        switch (this) {
            case FLOAT32 -> buffer.putFloat(offset, (float) value);
            case FLOAT64 -> buffer.putDouble(offset, value);
            case UINT8 -> buffer.put(offset, (byte) checkedInteger(value, 0, 255));
            case INT8 -> buffer.put(offset, (byte) checkedInteger(value, -128, 127));
            case INT16 -> buffer.putShort(offset, (short) checkedInteger(value, Short.MIN_VALUE, Short.MAX_VALUE));
            case UINT16 -> buffer.putShort(offset, (short) checkedInteger(value, 0, 65535));
            case INT32 -> buffer.putInt(offset, (int) checkedInteger(value, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case UINT32 -> buffer.putInt(offset, (int) checkedInteger(value, 0, 0xFFFFFFFFL));
            case INT64 -> buffer.putLong(offset, checkedInteger(value, Long.MIN_VALUE, Long.MAX_VALUE));
            default -> throw new UnsupportedOperationException("BrainAlign does not write " + numpyName);
        }
    }

    private long checkedInteger(double value, long min, long max) {
        if (value != Math.rint(value) || value < min || value > max) {
            throw new IllegalArgumentException("the value " + value + " cannot be stored as " + numpyName);
        }
        return (long) value;
    }
}
