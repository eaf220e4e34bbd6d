package org.brainalign.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.SplittableRandom;

import org.brainalign.engine.ProcessMemory;
import org.brainalign.engine.factortopy.CpuKernels;
import org.brainalign.engine.factortopy.EncoderAdamW;
import org.brainalign.engine.factortopy.EncoderParameters;
import org.brainalign.engine.factortopy.EncoderShape;
import org.brainalign.engine.factortopy.FusedEncoder;
import org.brainalign.engine.factortopy.GemmFloor;
import org.brainalign.engine.factortopy.PositionalEncoding;
import org.brainalign.engine.factortopy.ReferenceEncoder;
import org.brainalign.engine.factortopy.SelectorKind;
import org.brainalign.engine.factortopy.Workers;

import com.google.gson.JsonObject;

/**
 * The fit benchmark measures full training steps (forward, backward and the AdamW update of every parameter) of the
 * fused encoder at paper scale: N = 37,984 voxels, batch 8, 12 layers of 768 channels, 8 x 8 grids, D = H = 128, on
 * random features and responses with the voxels spread over the grid as after some training. It prints the step's
 * work ({@link StepCost}), the machine's floor ({@link GemmFloor}: a matrix product of the step's dominant shape on the
 * same threads), and per round one product and one step back to back, so that on a shared machine both see the same
 * load: the median step, images per second, the median of the rounds' step-to-floor ratios (goal: 2.5 or less), the
 * CPU time against the floor's, and each phase's time, share and speed. It then times the reference formulation
 * (image by image, layer by layer, plain loops, double precision, no grouping) against the fused one at a smaller N
 * and extrapolates it to paper scale. The figures are also returned as a {@link Report}, which {@code bench fit --json}
 * prints for scripts that set them beside another implementation's (releng/bench/fit-vs-official).
 */
public final class FitBenchmark {

    /** The paper-scale voxel count (subject 1 of the Algonauts data, both hemispheres). */
    public static final int PAPER_VOXELS = 37_984;

    private final int voxels;
    private final int threads;
    private final int steps;
    private final int referenceVoxels;
    private double lastFusedMs;

    /**
     * What a run measured.
     *
     * @param voxels N
     * @param batch images per step
     * @param threads worker threads
     * @param steps timed steps
     * @param kernels the kernels used ({@link CpuKernels#describe()})
     * @param gflopPerStep the step's work ({@link StepCost#flops()}) in GFLOP
     * @param stepMs median wall time of a step, forward, backward and AdamW
     * @param cpuMs mean CPU time of a step over all threads
     * @param floorGflops median speed of the floor's product in the rounds
     * @param floorRatio median of the rounds' step-to-floor ratios
     * @param cpuFloorRatio the step's CPU time against the floor's CPU time for the same work
     * @param phaseMs time per step of each phase of {@link FusedEncoder#PHASES}, in that order
     * @param peakHeapMb peak heap of the run
     */
    public record Report(int voxels, int batch, int threads, int steps, String kernels, double gflopPerStep,
            double stepMs, double cpuMs, double floorGflops, double floorRatio, double cpuFloorRatio,
            double[] phaseMs, double peakHeapMb) {

        /** @return the figures as one JSON object (times in milliseconds) */
        public String toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("benchmark", "fit");
            o.addProperty("voxels", voxels);
            o.addProperty("batch", batch);
            o.addProperty("threads", threads);
            o.addProperty("steps", steps);
            o.addProperty("kernels", kernels);
            o.addProperty("gflop_per_step", gflopPerStep);
            o.addProperty("step_ms", stepMs);
            o.addProperty("cpu_ms", cpuMs);
            o.addProperty("floor_gflops", floorGflops);
            o.addProperty("floor_ratio", floorRatio);
            o.addProperty("cpu_floor_ratio", cpuFloorRatio);
            JsonObject phases = new JsonObject();
            for (int i = 0; i < phaseMs.length; i++) {
                phases.addProperty(FusedEncoder.PHASES[i], phaseMs[i]);
            }
            o.add("phase_ms", phases);
            o.addProperty("peak_heap_mb", peakHeapMb);
            return o.toString();
        }
    }

    /** A benchmark at paper scale on 2 threads, 10 timed steps, the reference at 400 voxels. */
    public FitBenchmark() {
        this(PAPER_VOXELS, 2, 10, 400);
    }

    /**
     * @param voxels N for the fused encoder
     * @param threads worker threads
     * @param steps timed steps (after 3 untimed ones)
     * @param referenceVoxels N for the comparison with the reference formulation, 0 to skip it
     */
    public FitBenchmark(int voxels, int threads, int steps, int referenceVoxels) {
        this.voxels = voxels;
        this.threads = threads;
        this.steps = steps;
        this.referenceVoxels = referenceVoxels;
    }

    /**
     * Runs the benchmark.
     *
     * @param out where to print the figures
     * @return the figures of the fused training step at N voxels
     */
    public Report run(PrintStream out) {
        int layers = 12;
        int channels = 768;
        int batch = 8;
        out.printf(Locale.ROOT, "FactorTopy fit benchmark: N = %d voxels, batch %d, %d layers x %d channels, 8 x 8 "
                + "grid, D = H = 128, %d threads, %d cores available, %s%n", voxels, batch, layers, channels, threads,
                Runtime.getRuntime().availableProcessors(), "kernels: " + CpuKernels.describe());
        ProcessMemory.resetHeapPeak();
        EncoderShape shape = EncoderShape.of(layers, channels, 8, voxels);
        StepCost cost = StepCost.of(shape, batch);
        double[] phaseWork = cost.phases();
        StringBuilder work = new StringBuilder(String.format(Locale.ROOT,
                "work: %.2f GFLOP per step (two per multiply-add of the products:", cost.flops() / 1e9));
        for (int i = 0; i < phaseWork.length; i++) {
            work.append(String.format(Locale.ROOT, "%s %s %.2f", i == 0 ? "" : ";", FusedEncoder.PHASES[i],
                    2 * phaseWork[i] / 1e9));
        }
        out.println(work.append(')'));
        Setup s = new Setup(shape, batch, 1);
        double[] stepMs = new double[steps];
        double[] floorGflops = new double[steps];
        double[] ratios = new double[steps];
        double cpuMs;
        double floorCpuGflops;
        double[] phaseMs = new double[FusedEncoder.PHASES.length];
        try (Workers workers = new Workers(threads)) {
            FusedEncoder fused = new FusedEncoder(shape, s.pe, batch, workers);
            GemmFloor floor = new GemmFloor(shape, workers);
            EncoderAdamW adam = new EncoderAdamW(shape, 1e-3, 0.9, 0.999, 1e-8, 0.01);
            EncoderParameters grads = s.params.zerosLike();
            for (int i = 0; i < 3; i++) {
                fused.step(s.params, s.local, s.global, batch, s.targets, 0.1, grads);
                adam.update(s.params, grads, workers);
                floor.seconds();
            }
            java.util.Arrays.fill(fused.phaseNanos, 0);
            long cpuStep = 0;
            long cpuFloor = 0;
            // a round is one product at the floor's shape and one step, back to back: on a machine shared with other
            // work both see the same load, and the ratio of each round is the figure to trust
            for (int i = 0; i < steps; i++) {
                long c0 = processCpuNanos();
                double floorSeconds = floor.seconds();
                long c1 = processCpuNanos();
                long t0 = System.nanoTime();
                fused.step(s.params, s.local, s.global, batch, s.targets, 0.1, grads);
                adam.update(s.params, grads, workers);
                stepMs[i] = (System.nanoTime() - t0) / 1e6;
                cpuStep += processCpuNanos() - c1;
                cpuFloor += c1 - c0;
                floorGflops[i] = 2 * floor.multiplyAdds() / floorSeconds / 1e9;
                ratios[i] = stepMs[i] / (cost.flops() / (floorGflops[i] * 1e9) * 1e3);
            }
            cpuMs = cpuStep / 1e6 / steps;
            floorCpuGflops = 2 * floor.multiplyAdds() * steps / cpuFloor;
            for (int i = 0; i < phaseMs.length; i++) {
                phaseMs[i] = fused.phaseNanos[i] / 1e6 / steps;
            }
        }
        double ms = median(stepMs);
        double gflops = median(floorGflops);
        out.printf(Locale.ROOT, "floor: a float matrix product of the selectors' shape (384 x 192 by 192 x 256 "
                + "voxels) on the same %d threads: %.1f GFLOP/s (median of %d rounds), %.1f GFLOP per CPU-second; "
                + "the step's work takes %.1f ms at that speed%n", threads, gflops, steps, floorCpuGflops,
                cost.flops() / gflops / 1e6);
        out.printf(Locale.ROOT, "fused step: %.1f ms per step (median; forward, backward, AdamW), %.1f images/s, "
                + "%.2f times the floor (median of the rounds' ratios; goal 2.5), peak heap %.0f MB, "
                + "%d parameters%n", ms, batch * 1000 / ms, median(ratios), ProcessMemory.peakHeapMb(),
                s.params.count());
        // on a machine shared with other work the wall time overstates the cost: the CPU time spent is the work
        out.printf(Locale.ROOT, "CPU time: %.1f ms per step over all threads (%.0f %% of %d threads busy), %.2f "
                + "times the floor's CPU time for the same work%n", cpuMs, 100 * cpuMs / (ms * threads), threads,
                cpuMs / (cost.flops() / floorCpuGflops / 1e6));
        // on one thread the phases are CPU time (FusedEncoder's clock), so their shares are of the step's CPU time
        double whole = threads == 1 ? cpuMs : mean(stepMs);
        double phaseSum = 0;
        for (double p : phaseMs) {
            phaseSum += p;
        }
        StringBuilder phases = new StringBuilder(threads == 1
                ? "phases (CPU ms per step, share of the step, GFLOP/s):"
                : "phases (ms per step, share of the step, GFLOP/s):");
        for (int i = 0; i < phaseMs.length; i++) {
            phases.append(String.format(Locale.ROOT, " %s %.0f, %.0f %%, %.1f;", FusedEncoder.PHASES[i], phaseMs[i],
                    100 * phaseMs[i] / whole, 2 * phaseWork[i] / phaseMs[i] / 1e6));
        }
        double rest = Math.max(0, whole - phaseSum);
        out.println(phases.append(String.format(Locale.ROOT, " AdamW and the rest %.0f, %.0f %%", rest,
                100 * rest / whole)));
        lastFusedMs = ms;
        Report report = new Report(voxels, batch, threads, steps, CpuKernels.describe(), cost.flops() / 1e9, ms, cpuMs,
                gflops, median(ratios), cpuMs / (cost.flops() / floorCpuGflops / 1e6), phaseMs,
                ProcessMemory.peakHeapMb());
        if (referenceVoxels > 0) {
            compare(out, layers, channels, batch);
        }
        return report;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    private static double mean(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }

    private void compare(PrintStream out, int layers, int channels, int batch) {
        EncoderShape shape = EncoderShape.of(layers, channels, 8, referenceVoxels);
        Setup s = new Setup(shape, batch, 2);
        double fusedMs;
        try (Workers workers = new Workers(threads)) {
            FusedEncoder fused = new FusedEncoder(shape, s.pe, batch, workers);
            EncoderParameters grads = s.params.zerosLike();
            for (int i = 0; i < 3; i++) {
                fused.step(s.params, s.local, s.global, batch, s.targets, 0.1, grads);
            }
            int reps = 10;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                fused.step(s.params, s.local, s.global, batch, s.targets, 0.1, grads);
            }
            fusedMs = (System.nanoTime() - t0) / 1e6 / reps;
        }
        double[][] pe = new double[referenceVoxels][];
        for (int v = 0; v < pe.length; v++) {
            pe[v] = new double[s.pe[v].length];
            for (int j = 0; j < pe[v].length; j++) {
                pe[v][j] = s.pe[v][j];
            }
        }
        double refMs = referenceMs(shape, s, pe, batch, referenceVoxels);
        out.printf(Locale.ROOT, "at N = %d: reference formulation (per image and layer, plain loops, double, one "
                + "thread) %.0f ms per loss and gradient, fused %.1f ms: %.1f times faster%n", referenceVoxels,
                refMs, fusedMs, refMs / fusedMs);
        // the reference grows linearly in N: a second size gives its slope, and so its time at paper scale
        int half = Math.max(1, referenceVoxels / 2);
        double halfMs = referenceMs(shape.withVoxels(half), s, pe, batch, half);
        double perVoxel = (refMs - halfMs) / (referenceVoxels - half);
        if (half == referenceVoxels || !(perVoxel > 0)) {
            // timing noise on a busy machine can make the smaller run the slower one (and one voxel has no smaller
            // run): fall back to a cost proportional to N, which overstates the fixed part but cannot turn negative
            perVoxel = refMs / referenceVoxels;
        }
        double atN = refMs + perVoxel * (voxels - referenceVoxels);
        out.printf(Locale.ROOT, "reference extrapolated to N = %d: about %.0f s per step, %.0f times the fused step%n",
                voxels, atN / 1000, atN / lastFusedMs);
    }

    private static double referenceMs(EncoderShape shape, Setup s, double[][] pe, int batch, int voxelCount) {
        double[][] encodings = java.util.Arrays.copyOf(pe, voxelCount);
        float[][] targets = new float[batch][];
        for (int b = 0; b < batch; b++) {
            targets[b] = java.util.Arrays.copyOf(s.targets[b], voxelCount);
        }
        java.util.Map<String, double[]> params = ReferenceEncoder.toDouble(s.params);
        int d = shape.bottleneck();
        params.put("weight", java.util.Arrays.copyOf(params.get("weight"), voxelCount * d));
        params.put("bias", java.util.Arrays.copyOf(params.get("bias"), voxelCount));
        ReferenceEncoder ref = new ReferenceEncoder(shape, encodings, params);
        ref.loss(s.local, s.global, batch, targets, 0.1, new HashMap<>());
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 2; i++) {
            long t0 = System.nanoTime();
            ref.loss(s.local, s.global, batch, targets, 0.1, new HashMap<>());
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }

    /** Random parameters, features and responses; the last selector layers random so voxels spread over the grid. */
    private static final class Setup {

        final EncoderParameters params;
        final float[][] pe;
        final float[] local;
        final float[] global;
        final float[][] targets;

        Setup(EncoderShape shape, int batch, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            params = EncoderParameters.initial(shape, seed);
            for (SelectorKind k : SelectorKind.values()) {
                for (float[] row : params.selectorOutput(k).rows()) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = (float) (0.5 * (2 * r.nextDouble() - 1));
                    }
                }
            }
            double[][] coords = new double[shape.voxels()][];
            for (int v = 0; v < coords.length; v++) {
                coords[v] = new double[] { 80 * r.nextDouble(), 100 * r.nextDouble(), 80 * r.nextDouble() };
            }
            pe = PositionalEncoding.fit(coords).encodeAllFloat(coords);
            int lc = shape.layers() * shape.channels();
            local = new float[batch * lc * shape.cells()];
            global = new float[batch * lc];
            for (int i = 0; i < local.length; i++) {
                local[i] = (float) (2 * r.nextDouble() - 1);
            }
            for (int i = 0; i < global.length; i++) {
                global[i] = (float) (2 * r.nextDouble() - 1);
            }
            targets = new float[batch][shape.voxels()];
            for (float[] row : targets) {
                for (int v = 0; v < row.length; v++) {
                    row[v] = (float) (2 * r.nextDouble() - 1);
                }
            }
        }
    }

    /** @return CPU time of all live threads (the workers live through the measurement) */
    private static long processCpuNanos() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            sum += Math.max(0, t);
        }
        return sum;
    }

    /**
     * Runs the paper-scale benchmark.
     *
     * @param args optional: voxels, threads, steps, reference voxels
     */
    public static void main(String[] args) {
        FitBenchmark b = args.length == 4
                ? new FitBenchmark(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                        Integer.parseInt(args[2]), Integer.parseInt(args[3]))
                : new FitBenchmark();
        b.run(System.out);
    }
}
