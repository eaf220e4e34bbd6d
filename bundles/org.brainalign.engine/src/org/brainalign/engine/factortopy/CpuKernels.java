package org.brainalign.engine.factortopy;

/**
 * Which kernels the fused encoder runs on in this JVM, chosen once at start-up: the Java Vector API when the JVM was
 * started with {@code --add-modules=jdk.incubator.vector} (the product, the launcher and the tests are), else plain
 * loops that the JIT vectorises as far as it can (inside an IDE started without the option, say). Both give the same
 * bits; the Vector API path is faster.
 */
public final class CpuKernels {

    private CpuKernels() {
    }

    /** @return whether the Vector API kernels are used */
    public static boolean vectorApi() {
        return RowKernels.SIMD;
    }

    /** @return the kernels in use and why, in one line for doctor and the benchmarks */
    public static String describe() {
        if (RowKernels.SIMD) {
            return "Vector API (jdk.incubator.vector, " + SimdKernels.bits() + "-bit vectors)";
        }
        return Boolean.getBoolean(RowKernels.SCALAR_PROPERTY)
                ? "scalar loops (" + RowKernels.SCALAR_PROPERTY + " is set)"
                : "scalar loops (start Java with --add-modules=jdk.incubator.vector for the faster Vector API path)";
    }
}
