package org.brainalign.engine;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory figures the benchmarks print: the Java heap's peak since the last reset (all heap pools) and the
 * process's resident memory as Linux reports it in /proc/self/status (VmRSS now, VmHWM its peak), which also counts
 * what libtorch allocates outside the heap. Megabytes here are 2^20 bytes.
 */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Starts the heap peak afresh, so that {@link #peakHeapMb} measures from here. */
    public static void resetHeapPeak() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** @return the peak heap in use since start or the last {@link #resetHeapPeak}, MB */
    public static double peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / 1048576.0;
    }

    /**
     * Starts the resident peak (VmHWM) afresh where Linux allows it (writing 5 to /proc/self/clear_refs), so that
     * {@link #peakResidentMb} measures from here; elsewhere the peak stays the one since start.
     *
     * @return whether the peak was reset
     */
    public static boolean resetResidentPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** @return the process's peak resident memory (VmHWM), MB; NaN where the system does not report it */
    public static double peakResidentMb() {
        return status("VmHWM:");
    }

    /** @return the process's resident memory now (VmRSS), MB; NaN where the system does not report it */
    public static double residentMb() {
        return status("VmRSS:");
    }

    private static double status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no figure
        }
        return Double.NaN;
    }
}
