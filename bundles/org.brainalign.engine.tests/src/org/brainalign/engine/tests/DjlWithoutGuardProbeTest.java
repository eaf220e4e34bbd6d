package org.brainalign.engine.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Set;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@link DjlForeignLoaderTest} honest: the same first call without the guard finds no engine at all, so the
 * guard is what makes the difference (if DJL ever stops depending on the context loader, this test says so and the
 * guard may go). Runs in its own OSGi runtime.
 */
public class DjlWithoutGuardProbeTest {

    @Test
    public void withoutTheGuardDjlFindsNoEngine() {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(new URLClassLoader(new URL[0], null));
        try {
            Set<String> engines = Engine.getAllEngines();
            assertTrue(engines.isEmpty(), "DJL found engines without the guard: " + engines);
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
