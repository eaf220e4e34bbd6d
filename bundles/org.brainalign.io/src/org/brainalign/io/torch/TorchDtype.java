package org.brainalign.io.torch;

import java.util.Arrays;
import java.util.Optional;

/**
 * The element type of a PyTorch storage, named as {@code torch.save} names it (the storage class, e.g.
 * {@code torch.HalfStorage}) and as safetensors names it (e.g. {@code F16}), with its size in bytes.
 */
public enum TorchDtype {

    /** 32-bit IEEE float, {@code torch.float32}. */
    FLOAT32("FloatStorage", "F32", 4),
    /** 64-bit IEEE float, {@code torch.float64}. */
    FLOAT64("DoubleStorage", "F64", 8),
    /** 16-bit IEEE half, {@code torch.float16}. */
    FLOAT16("HalfStorage", "F16", 2),
    /** The upper half of a float32, {@code torch.bfloat16}. */
    BFLOAT16("BFloat16Storage", "BF16", 2),
    /** Signed 64-bit integer, {@code torch.int64}. */
    INT64("LongStorage", "I64", 8),
    /** Signed 32-bit integer, {@code torch.int32}. */
    INT32("IntStorage", "I32", 4),
    /** Signed 16-bit integer, {@code torch.int16}. */
    INT16("ShortStorage", "I16", 2),
    /** Signed byte, {@code torch.int8}. */
    INT8("CharStorage", "I8", 1),
    /** Unsigned byte, {@code torch.uint8}. */
    UINT8("ByteStorage", "U8", 1),
    /** One byte per boolean, {@code torch.bool}. */
    BOOL("BoolStorage", "BOOL", 1),
    /** Bytes without a type ({@code torch.UntypedStorage}), read as unsigned bytes. */
    UNTYPED("UntypedStorage", "U8", 1);

    private final String storageClass;
    private final String safetensorsCode;
    private final int bytes;

    TorchDtype(String storageClass, String safetensorsCode, int bytes) {
        this.storageClass = storageClass;
        this.safetensorsCode = safetensorsCode;
        this.bytes = bytes;
    }

    /** @return the storage class name in module {@code torch}, e.g. {@code FloatStorage} */
    public String storageClass() {
        return storageClass;
    }

    /** @return the safetensors element type code, e.g. {@code F32} */
    public String safetensorsCode() {
        return safetensorsCode;
    }

    /** @return bytes per element */
    public int bytes() {
        return bytes;
    }

    /** @return the name PyTorch prints, e.g. {@code float16} */
    public String torchName() {
        return this == UNTYPED ? "uint8" : name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * @param storageClass a storage class name in module {@code torch}
     * @return the element type it holds, or empty for a class this reader does not know (complex, quantised)
     */
    public static Optional<TorchDtype> ofStorageClass(String storageClass) {
        return Arrays.stream(values()).filter(d -> d.storageClass.equals(storageClass)).findFirst();
    }
}
