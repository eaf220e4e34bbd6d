package org.brainalign.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.brainalign.io.nifti.NiftiDataType;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiSeries;
import org.brainalign.io.nifti.NiftiWriter;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * The NIfTI benchmark ({@code brainalign bench nifti}) measures masked extraction from an NSD-sized session: it
 * writes 81 x 104 x 83 x 750 int16 betas gzipped (level 1, as nibabel writes) to a temporary folder, extracts 15,000
 * masked voxels from every volume with {@link NiftiSeries}, and compares that with plain decompression of the same
 * file (a GZIPInputStream read to nowhere) measured in the same run. Goals: time within 1.3 x the plain
 * decompression, and peak heap growth under 2 x (the masked result + one volume's bytes).
 */
public final class NiftiBenchmark {

    private static final int[] SHAPE = { 81, 104, 83 };
    private static final int VOLUMES = 750;
    private static final int MASKED = 15_000;
    private static final int REPEATS = 2;

    /**
     * The figures of one run.
     *
     * @param decompressedBytes bytes of NIfTI data decompressed per pass
     * @param extractSeconds best time of masked extraction
     * @param decompressSeconds best time of plain decompression
     * @param peakHeapBytes largest heap growth during extraction over the heap in use before it
     * @param heapBudgetBytes 2 x (masked result + one volume)
     */
    public record Result(long decompressedBytes, double extractSeconds, double decompressSeconds, long peakHeapBytes,
            long heapBudgetBytes) {

        /** @return extraction time over plain decompression time (goal: at most 1.3) */
        public double ratio() {
            return extractSeconds / decompressSeconds;
        }

        /** @return decompressed megabytes (10^6 bytes) per second of extraction */
        public double megabytesPerSecond() {
            return decompressedBytes / 1e6 / extractSeconds;
        }
    }

    private NiftiBenchmark() {
    }

    /**
     * Runs the benchmark and prints its figures.
     *
     * @param parent the folder to create the temporary session folder in, or null for the system's
     * @param out where to print
     * @param monitor progress in volumes; cancelling stops promptly; may be null
     * @return the figures
     * @throws IOException if the temporary files cannot be written or read
     */
    public static Result run(Path parent, PrintStream out, IProgressMonitor monitor) throws IOException {
        SubMonitor sub = SubMonitor.convert(monitor, "NIfTI benchmark", VOLUMES * (1 + 2 * REPEATS));
        Path dir = parent == null
                ? Files.createTempDirectory("brainalign-bench")
                : Files.createTempDirectory(parent,
                        "brainalign-bench");
        try {
            Path file = dir.resolve("betas_session01.nii.gz");
            VolumeGrid grid = new VolumeGrid(SHAPE, Affine.ofRowMajor(-1.8, 0, 0, 72, 0, 1.8, 0, -93.6, 0, 0, 1.8,
                    -73.8));
            long start = System.nanoTime();
            int[] mask = writeSession(file, grid, sub.split(VOLUMES));
            out.printf(Locale.ROOT, "wrote %s: %d x %d x %d x %d int16, %.1f MB gzipped, in %.1f s%n",
                    file.getFileName(), SHAPE[0], SHAPE[1], SHAPE[2], VOLUMES, Files.size(file) / 1e6,
                    (System.nanoTime() - start) / 1e9);

            long volumeBytes = 2L * grid.voxelCount();
            long decompressed = volumeBytes * VOLUMES;
            long resultBytes = 4L * MASKED * VOLUMES;
            double bestExtract = Double.MAX_VALUE;
            double bestPlain = Double.MAX_VALUE;
            double bestUnchecked = Double.MAX_VALUE;
            double bestChecked = Double.MAX_VALUE;
            long peak = 0;
            for (int r = 0; r < REPEATS; r++) {
                start = System.nanoTime();
                long n = decompressToNowhere(file, sub.split(VOLUMES));
                bestPlain = Math.min(bestPlain, (System.nanoTime() - start) / 1e9);
                if (n != decompressed + 352) {
                    throw new IOException("decompressed " + n + " bytes, expected " + (decompressed + 352));
                }
                start = System.nanoTime();
                if (inflate(file, false) != decompressed + 352) {
                    throw new IOException("inflated a different number of bytes than gzip did");
                }
                bestUnchecked = Math.min(bestUnchecked, (System.nanoTime() - start) / 1e9);
                start = System.nanoTime();
                inflate(file, true);
                bestChecked = Math.min(bestChecked, (System.nanoTime() - start) / 1e9);
                HeapWatch watch = new HeapWatch();
                start = System.nanoTime();
                float[][] m = NiftiSeries.extract(file, mask, sub.split(VOLUMES));
                bestExtract = Math.min(bestExtract, (System.nanoTime() - start) / 1e9);
                peak = Math.max(peak, watch.stop());
                if (m.length != VOLUMES || m[0].length != MASKED) {
                    throw new IOException("extracted " + m.length + " x " + m[0].length);
                }
            }
            Result result = new Result(decompressed, bestExtract, bestPlain, peak, 2 * (resultBytes + volumeBytes));
            out.printf(Locale.ROOT, "masked extraction of %d voxels x %d volumes: %.2f s, %.0f MB/s of decompressed"
                    + " data (best of %d)%n", MASKED, VOLUMES, bestExtract, result.megabytesPerSecond(), REPEATS);
            out.printf(Locale.ROOT, "plain decompression of the same file (GZIPInputStream to nowhere): %.2f s, %.0f"
                    + " MB/s%n", bestPlain, decompressed / 1e6 / bestPlain);
            out.printf(Locale.ROOT, "ratio extraction / decompression: %.2f (goal <= 1.30) %s%n", result.ratio(),
                    result.ratio() <= 1.3 ? "met" : "NOT MET");
            // before and after the integrity check: the same inflation without the CRC-32 and length that the
            // readers now verify, in the same run
            out.printf(Locale.ROOT, "integrity check: inflation with the CRC-32 and length computed and verified"
                    + " %.2f s, the same inflation without them %.2f s, ratio %.3f (goal <= 1.05) %s%n", bestChecked,
                    bestUnchecked, bestChecked / bestUnchecked, bestChecked / bestUnchecked <= 1.05
                            ? "met"
                            : "NOT MET");
            out.printf(Locale.ROOT, "peak heap growth during extraction: %.1f MB; masked result %.1f MB + one volume"
                    + " %.1f MB, budget 2x = %.1f MB %s%n", peak / 1e6, resultBytes / 1e6, volumeBytes / 1e6,
                    result.heapBudgetBytes() / 1e6, peak <= result.heapBudgetBytes() ? "met" : "NOT MET");
            return result;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Writes a session whose values look like betas: an ellipsoidal brain of smooth per-voxel means plus noise
     * (about 10 bits of entropy per value, so it compresses like real betas rather than like zeros), zero outside.
     *
     * @return the mask: MASKED voxels inside the brain, ascending
     */
    private static int[] writeSession(Path file, VolumeGrid grid, IProgressMonitor monitor) throws IOException {
        SubMonitor sub = SubMonitor.convert(monitor, VOLUMES);
        int n = grid.voxelCount();
        short[] base = new short[n];
        boolean[] brain = new boolean[n];
        int inside = 0;
        for (int k = 0; k < SHAPE[2]; k++) {
            for (int j = 0; j < SHAPE[1]; j++) {
                for (int i = 0; i < SHAPE[0]; i++) {
                    double x = (i - 40) / 36.0;
                    double y = (j - 52) / 46.0;
                    double z = (k - 41) / 36.0;
                    int v = grid.index(i, j, k);
                    if (x * x + y * y + z * z < 1) {
                        brain[v] = true;
                        base[v] = (short) (300 * Math.sin(i * 0.3) * Math.cos(j * 0.2 + k * 0.1));
                        inside++;
                    }
                }
            }
        }
        int[] candidates = new int[inside];
        for (int v = 0, c = 0; v < n; v++) {
            if (brain[v]) {
                candidates[c++] = v;
            }
        }
        Random r = new Random(2024);
        for (int c = 0; c < MASKED; c++) { // partial Fisher-Yates: MASKED distinct voxels
            int pick = c + r.nextInt(candidates.length - c);
            int t = candidates[c];
            candidates[c] = candidates[pick];
            candidates[pick] = t;
        }
        int[] mask = java.util.Arrays.copyOf(candidates, MASKED);
        java.util.Arrays.sort(mask);

        long seed = 0x9E3779B97F4A7C15L;
        short[] volume = new short[n];
        try (NiftiWriter w = NiftiWriter.create(file, NiftiHeader.forGrid(grid, NiftiDataType.INT16, VOLUMES), 1)) {
            for (int t = 0; t < VOLUMES; t++) {
                sub.split(1);
                for (int v = 0; v < n; v++) {
                    if (brain[v]) {
                        seed ^= seed << 13;
                        seed ^= seed >>> 7;
                        seed ^= seed << 17;
                        volume[v] = (short) (base[v] + ((seed & 0x3FF) - 512));
                    }
                }
                w.writeVolume(volume);
            }
            w.commit();
        }
        return mask;
    }

    /**
     * Inflates the deflate stream of a gzip file (after its plain 10-byte header, as our writer makes it), with or
     * without computing its CRC-32 and comparing it and the length with the trailer: the same loop both ways, so
     * that the difference is the check's cost alone.
     */
    private static long inflate(Path file, boolean check) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        byte[] in = new byte[1 << 16];
        byte[] out = new byte[1 << 16];
        long total = 0;
        int lastInput = 0;
        try (InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.skipNBytes(10);
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    int got = raw.read(in);
                    if (got < 0) {
                        throw new IOException(file + " ends inside its deflate stream");
                    }
                    inflater.setInput(in, 0, got);
                    lastInput = got;
                }
                try {
                    int got = inflater.inflate(out);
                    if (check) {
                        crc.update(out, 0, got);
                    }
                    total += got;
                } catch (java.util.zip.DataFormatException e) {
                    throw new IOException(file + " holds a damaged deflate stream", e);
                }
            }
            if (check) {
                // the trailer follows the deflate data: what the inflater left unread, then the stream
                byte[] trailer = new byte[8];
                int left = inflater.getRemaining();
                int fromBuffer = Math.min(left, 8);
                System.arraycopy(in, lastInput - left, trailer, 0, fromBuffer);
                if (raw.readNBytes(trailer, fromBuffer, 8 - fromBuffer) != 8 - fromBuffer) {
                    throw new IOException(file + " ends inside its gzip trailer");
                }
                java.nio.ByteBuffer t = java.nio.ByteBuffer.wrap(trailer).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                if ((t.getInt(0) & 0xFFFFFFFFL) != crc.getValue() || (t.getInt(4) & 0xFFFFFFFFL) != (total
                        & 0xFFFFFFFFL)) {
                    throw new IOException(file + " fails its gzip check");
                }
            }
        } finally {
            inflater.end();
        }
        return total;
    }

    private static long decompressToNowhere(Path file, IProgressMonitor monitor) throws IOException {
        SubMonitor sub = SubMonitor.convert(monitor, VOLUMES);
        long chunk = 2L * SHAPE[0] * SHAPE[1] * SHAPE[2];
        long total = 0;
        long nextReport = chunk;
        // the same stream stack and read size as the extraction, so that only the extraction's own work differs
        byte[] buffer = new byte[(int) chunk];
        try (InputStream in = new GZIPInputStream(new java.io.BufferedInputStream(Files.newInputStream(file),
                1 << 16), 1 << 16)) {
            int got;
            while ((got = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                total += got;
                while (total >= nextReport) {
                    sub.split(1);
                    nextReport += chunk;
                }
            }
        }
        return total;
    }

    /** Samples the heap in use every millisecond and keeps the largest growth over the level at the start. */
    private static final class HeapWatch {

        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final long baseline;
        private final AtomicLong max = new AtomicLong();
        private final Thread sampler;
        private volatile boolean running = true;

        HeapWatch() {
            System.gc();
            baseline = memory.getHeapMemoryUsage().getUsed();
            sampler = new Thread(() -> {
                while (running) {
                    long used = memory.getHeapMemoryUsage().getUsed() - baseline;
                    max.accumulateAndGet(used, Math::max);
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap watch");
            sampler.setDaemon(true);
            sampler.start();
        }

        long stop() {
            max.accumulateAndGet(memory.getHeapMemoryUsage().getUsed() - baseline, Math::max);
            running = false;
            try {
                sampler.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return max.get();
        }
    }

    /**
     * Runs the benchmark from a plain command line.
     *
     * @param args optionally the folder for the temporary session
     * @throws IOException if it fails
     */
    public static void main(String[] args) throws IOException {
        run(args.length > 0 ? Path.of(args[0]) : null, System.out, null);
    }
}
