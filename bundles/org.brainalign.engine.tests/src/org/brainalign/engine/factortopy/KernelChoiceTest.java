package org.brainalign.engine.factortopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The kernels are chosen by what the JVM has: the Vector API exactly when the module jdk.incubator.vector was added
 * (and Equinox then exports it to the engine's optional import), the plain loops otherwise. The engine's tests run
 * in both kinds of JVM.
 */
public class KernelChoiceTest {

    @Test
    public void vectorApiIsUsedExactlyWhenTheModuleIsThere() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(module, CpuKernels.vectorApi(), CpuKernels.describe());
        assertTrue(CpuKernels.describe().startsWith(module ? "Vector API" : "scalar loops"), CpuKernels.describe());
    }
}
