package org.brainalign.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.brainalign.core.PreferenceDefaults;
import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.DjlRuntime;
import org.brainalign.engine.factortopy.CpuKernels;
import org.brainalign.workflow.BrainAlignVersion;
import org.brainalign.workflow.command.Arguments;
import org.brainalign.workflow.command.UsageException;

/**
 * {@code brainalign doctor}: what this machine offers BrainAlign. It never fails: whatever cannot be determined is
 * reported as unknown, with the reason.
 */
public final class DoctorCommand implements Command {

    @Override
    public String name() {
        return "doctor";
    }

    @Override
    public String summary() {
        return "report Java, the deep-learning engine, compute device, cores, memory, display and caches";
    }

    @Override
    public String usage() {
        return """
                Usage: brainalign doctor [--device auto|cpu|gpu]

                Reports the Java runtime, the DJL engine and its version, the compute device that
                would be used (and why there is no GPU when there is none), cores, memory, the CPU
                kernels FactorTopy runs on (the Vector API, or plain loops when Java was started
                without jdk.incubator.vector), whether a display is available for the workbench, and
                where caches live.

                  --device D   the device preference to resolve (default: auto)
                """;
    }

    @Override
    public int run(List<String> argList, PrintStream out, PrintStream err) throws UsageException {
        Arguments args = Arguments.parse(name(), argList, Set.of("device"), Set.of());
        args.expectPositional(0, "");
        DevicePreference preference;
        try {
            preference = DevicePreference.parse(args.get("device", "auto"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
        line(out, "BrainAlign", () -> BrainAlignVersion.get());
        line(out, "Java", () -> System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ") at " + System.getProperty("java.home"));
        line(out, "System", () -> System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        line(out, "Cores", () -> Runtime.getRuntime().availableProcessors() + " available to Java");
        line(out, "Memory", () -> gib(Runtime.getRuntime().maxMemory()) + " max heap; " + physicalMemory()
                + " physical");
        DjlRuntime.EngineInfo engine = DjlRuntime.describe(preference);
        line(out, "DJL engine", () -> engine.engine() + " " + engine.version() + " (DJL " + engine.djlVersion() + ")");
        line(out, "GPUs", () -> String.valueOf(engine.gpuCount()));
        line(out, "Device", () -> engine.device() + ": " + engine.deviceReason());
        line(out, "Kernels", CpuKernels::describe);
        line(out, "Display", DoctorCommand::display);
        line(out, "Cache", PreferenceDefaults::cacheFolder);
        line(out, "DJL cache", engine::cacheDirectory);
        return CommandLine.OK;
    }

    private static void line(PrintStream out, String what, Supplier<String> value) {
        String text;
        try {
            text = value.get();
        } catch (RuntimeException | LinkageError e) {
            text = "unknown (" + e + ")";
        }
        out.printf("%-11s %s%n", what, text);
    }

    private static String gib(long bytes) {
        return String.format("%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    /** Linux only: MemTotal from /proc/meminfo. */
    private static String physicalMemory() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(l.replaceAll("[^0-9]", ""));
                    return gib(kib * 1024);
                }
            }
            return "unknown (no MemTotal in /proc/meminfo)";
        } catch (IOException | NumberFormatException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** Whether the workbench could open a window: an X display (or Wayland) named in the environment. */
    static String display() {
        Map<String, String> env = System.getenv();
        String x = env.get("DISPLAY");
        String wayland = env.get("WAYLAND_DISPLAY");
        if (x != null && !x.isBlank()) {
            String number = x.replaceAll("^[^:]*:", "").replaceAll("\\..*$", "");
            boolean local = x.startsWith(":");
            if (local && !Files.exists(Path.of("/tmp/.X11-unix/X" + number))) {
                return "DISPLAY=" + x + " is set but no X server listens there: the workbench cannot open";
            }
            return "DISPLAY=" + x + ": the workbench can open (`brainalign gui`)";
        }
        if (wayland != null && !wayland.isBlank()) {
            return "WAYLAND_DISPLAY=" + wayland + ": the workbench can open through XWayland";
        }
        return "none (DISPLAY is not set): the command line works, the workbench needs a display";
    }
}
