package org.brainalign.io.torch;

import java.nio.ByteBuffer;

/** Little-endian elements of a storage type to floats: exact for float32, float16 and bfloat16. */
final class ElementConversion {

    private ElementConversion() {
    }

    /**
     * @param dtype the element type
     * @param b little-endian elements from its position
     * @param out where the floats go
     * @param at the first index of out to fill
     * @param n how many
     */
    static void toFloats(TorchDtype dtype, ByteBuffer b, float[] out, int at, int n) {
        ByteBuffer in = b.slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case FLOAT32 -> in.asFloatBuffer().get(out, at, n);
            case FLOAT64 -> {
                var d = in.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    out[at + i] = (float) d.get(i);
                }
            }
            case FLOAT16 -> {
                var s = in.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[at + i] = Float.float16ToFloat(s.get(i));
                }
            }
            case BFLOAT16 -> {
                var s = in.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[at + i] = Float.intBitsToFloat((s.get(i) & 0xffff) << 16);
                }
            }
            case INT64 -> {
                var s = in.asLongBuffer();
                for (int i = 0; i < n; i++) {
                    out[at + i] = s.get(i);
                }
            }
            case INT32 -> {
                var s = in.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    out[at + i] = s.get(i);
                }
            }
            case INT16 -> {
                var s = in.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[at + i] = s.get(i);
                }
            }
            case INT8 -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = in.get(i);
                }
            }
            case UINT8, UNTYPED -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = in.get(i) & 0xff;
                }
            }
            case BOOL -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = in.get(i) != 0 ? 1f : 0f;
                }
            }
        }
    }
}
