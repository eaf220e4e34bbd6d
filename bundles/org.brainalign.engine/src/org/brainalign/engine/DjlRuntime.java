package org.brainalign.engine;

import java.nio.file.Files;
import java.nio.file.Path;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one door to DJL. DJL finds its engine (ServiceLoader) and its native library through the calling thread's
 * context class loader, once, in a static initializer; inside OSGi that loader belongs to whoever calls first and
 * does not see the PyTorch engine embedded in this bundle. Every DJL call therefore runs inside {@link #call}, which
 * sets the context class loader to this bundle's loader for the duration of the call.
 * <p>
 * PyTorch keeps its autograd switch per thread, on by default, and DJL turns it off only on the thread that loads the
 * engine; on any other thread (an Eclipse job, a worker) inference would record graphs and DJL's optimisers, which
 * update parameters in place, would fail. {@link #call} therefore turns it off once on every thread it runs on; DJL's
 * gradient collector turns it on and off again around each training step.
 */
public final class DjlRuntime {

    /** Work that uses DJL and may throw. */
    @FunctionalInterface
    public interface DjlWork<T, E extends Exception> {

        /**
         * @return the result of the work
         * @throws E what the work throws
         */
        T run() throws E;
    }

    /** What {@link #describe} found out about the engine and the compute device. */
    public record EngineInfo(String engine, String version, String djlVersion, int gpuCount, String device,
            String deviceReason, String cacheDirectory) {
    }

    /** Whether PyTorch's autograd switch has been turned off on this thread. */
    private static final ThreadLocal<Boolean> GRAD_MODE_OFF = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private DjlRuntime() {
    }

    /**
     * Runs work with the context class loader set to the loader that sees DJL and its PyTorch engine.
     *
     * @param work the work
     * @return its result
     * @throws E what the work throws
     */
    public static <T, E extends Exception> T call(DjlWork<T, E> work) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(DjlRuntime.class.getClassLoader());
        try {
            turnGradModeOff();
            return work.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void turnGradModeOff() {
        if (GRAD_MODE_OFF.get()) {
            return;
        }
        try {
            Engine.getEngine("PyTorch");
            JniUtils.setGradMode(false);
            GRAD_MODE_OFF.set(Boolean.TRUE);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            // no engine: the work itself reports that in its own words (see engine())
        }
    }

    /**
     * @return the PyTorch engine, loading it on first use
     * @throws IllegalStateException with a readable reason if DJL finds no engine or cannot load libtorch
     */
    public static Engine engine() {
        return call(() -> {
            try {
                return Engine.getEngine("PyTorch");
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                throw new IllegalStateException("the PyTorch engine could not be started: " + e.getMessage(), e);
            }
        });
    }

    /**
     * Chooses the device for a preference.
     *
     * @param preference the user's choice
     * @return the device DJL will use, with the reason when it is not the one asked for
     */
    public static ComputeDevice device(DevicePreference preference) {
        return call(() -> {
            int gpus = engine().getGpuCount();
            if (preference == DevicePreference.CPU) {
                return new ComputeDevice(Device.cpu(), "CPU as asked");
            }
            if (gpus > 0) {
                return new ComputeDevice(Device.gpu(), "GPU 0 of " + gpus + " that PyTorch can use");
            }
            String why = noGpuReason();
            if (preference == DevicePreference.GPU) {
                return new ComputeDevice(Device.cpu(), "a GPU was asked for but " + why + "; using the CPU");
            }
            return new ComputeDevice(Device.cpu(), "CPU, since " + why);
        });
    }

    /** @return why PyTorch sees no GPU here, in words a user can act on */
    static String noGpuReason() {
        boolean nvidiaPresent = Files.exists(Path.of("/dev/nvidia0")) || Files.exists(Path.of("/proc/driver/nvidia"));
        if (!nvidiaPresent) {
            return "this machine has no NVIDIA GPU that the operating system exposes";
        }
        return "the libtorch bundled here is the CPU build (Maven Central has no CUDA build of libtorch 2.7.1)";
    }

    /**
     * Describes the engine without ever throwing: what cannot be determined is reported as such.
     *
     * @param preference the device preference to resolve
     * @return the description
     */
    public static EngineInfo describe(DevicePreference preference) {
        String cache;
        try {
            cache = call(() -> ai.djl.util.Utils.getEngineCacheDir().toString());
        } catch (Throwable t) {
            cache = "unknown (" + t.getMessage() + ")";
        }
        try {
            Engine e = engine();
            ComputeDevice d = device(preference);
            return new EngineInfo(e.getEngineName(), e.getVersion(), Engine.getDjlVersion(), e.getGpuCount(), d.name(),
                    d.reason(), cache);
        } catch (Throwable t) {
            return new EngineInfo("unavailable", "-", "-", 0, "none", String.valueOf(t.getMessage()), cache);
        }
    }
}
