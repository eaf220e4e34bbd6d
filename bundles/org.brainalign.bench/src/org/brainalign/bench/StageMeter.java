package org.brainalign.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.brainalign.engine.ProcessMemory;

/**
 * Measures one stage of a benchmark: wall time, the heap's peak (all heap pools, reset at the start after a
 * collection, so that garbage of earlier stages does not count), the process's resident peak (VmHWM, reset at the
 * start through /proc/self/clear_refs) and the bytes the process read and wrote meanwhile (rchar and wchar of
 * /proc/self/io: every read and write call, page cache included, so a file read twice counts twice).
 */
final class StageMeter {

    /**
     * The figures of a finished stage.
     *
     * @param name the stage
     * @param seconds wall time
     * @param cpuSeconds CPU time of the whole process (every thread, the collector's too), NaN where unknown
     * @param peakHeapMb heap peak during the stage, MB (2^20 bytes)
     * @param peakResidentMb resident peak during the stage (or since start where it cannot be reset), MB
     * @param heldHeapMb heap in use after the stage once garbage is collected, MB: what the stage leaves held
     * @param bytesRead bytes read, -1 where the system does not say
     * @param bytesWritten bytes written, -1 where the system does not say
     */
    record Figures(String name, double seconds, double cpuSeconds, double peakHeapMb, double peakResidentMb,
            double heldHeapMb,
            long bytesRead, long bytesWritten) {

        /**
         * @param rate the stage's rate in its units, already formatted ("1234 trials/s, 56 MB/s")
         * @return the stage's line: wall time, rate, peak heap and resident memory, bytes read and written
         */
        String line(String rate) {
            return String.format(Locale.ROOT,
                    "stage %-8s %8.2f s (CPU %.2f s)  %s; peak heap %.0f MB, peak RSS %.0f MB, heap held after %.0f MB; "
                            + "read %s, written %s",
                    name, seconds, cpuSeconds, rate, peakHeapMb, peakResidentMb, heldHeapMb, megabytes(bytesRead),
                    megabytes(bytesWritten));
        }

        private static String megabytes(long bytes) {
            return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
    }

    private final String name;
    private final long[] ioStart;
    private final long started;
    private final long cpuStarted;

    private StageMeter(String name) {
        this.name = name;
        System.gc();
        ProcessMemory.resetHeapPeak();
        ProcessMemory.resetResidentPeak();
        ioStart = io();
        started = System.nanoTime();
        cpuStarted = cpuNanos();
    }

    /**
     * Starts measuring a stage.
     *
     * @param name the stage's name
     * @return the meter
     */
    static StageMeter start(String name) {
        return new StageMeter(name);
    }

    /** @return the seconds since the start */
    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    /** @return the figures from the start to now */
    Figures stop() {
        double seconds = seconds();
        long cpu = cpuNanos();
        double peakHeap = ProcessMemory.peakHeapMb();
        double peakResident = ProcessMemory.peakResidentMb();
        long[] ioEnd = io();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        double held = (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
        return new Figures(name, seconds, cpu < 0 || cpuStarted < 0 ? Double.NaN : (cpu - cpuStarted) / 1e9, peakHeap,
                peakResident, held,
                ioStart[0] < 0 || ioEnd[0] < 0 ? -1 : ioEnd[0] - ioStart[0],
                ioStart[1] < 0 || ioEnd[1] < 0 ? -1 : ioEnd[1] - ioStart[1]);
    }

    /**
     * @return the process's CPU time, ns, or -1 where unknown: on a machine shared with other work the wall time
     *         overstates a stage's cost, the CPU time much less
     */
    private static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
    }

    /** @return rchar and wchar of /proc/self/io, or -1 each where the system does not report them */
    private static long[] io() {
        long[] io = { -1, -1 };
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("rchar:")) {
                    io[0] = Long.parseLong(line.substring(6).strip());
                } else if (line.startsWith("wchar:")) {
                    io[1] = Long.parseLong(line.substring(6).strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or not readable: no figure
        }
        return io;
    }
}
