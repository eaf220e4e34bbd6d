package org.brainalign.engine.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.atomic.AtomicReference;

import org.brainalign.engine.DjlRuntime;
import org.junit.jupiter.api.Test;

/**
 * The first DJL call of this JVM comes from a fresh thread whose context class loader sees nothing of DJL (as when a
 * workbench job or a foreign framework thread calls us): {@link DjlRuntime} must still find the PyTorch engine. Runs
 * in its own OSGi runtime (see the pom) so that nothing else has initialised DJL before.
 */
public class DjlForeignLoaderTest {

    @Test
    public void engineIsFoundFromAThreadWithAForeignContextLoader() throws Exception {
        AtomicReference<String> engine = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ClassLoader foreign = new URLClassLoader(new URL[0], null);
        Thread t = new Thread(() -> {
            try {
                engine.set(DjlRuntime.engine().getEngineName());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "foreign-loader");
        t.setContextClassLoader(foreign);
        t.start();
        t.join(120_000);
        assertNull(failure.get(), () -> "DJL failed behind the guard: " + failure.get());
        assertEquals("PyTorch", engine.get());
        assertEquals(foreign, t.getContextClassLoader(), "the guard must restore the caller's loader");
    }
}
