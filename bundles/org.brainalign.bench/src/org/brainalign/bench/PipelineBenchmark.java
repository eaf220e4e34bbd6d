package org.brainalign.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.brainalign.workflow.command.Arguments;
import org.brainalign.workflow.command.UsageException;
import org.brainalign.core.data.Responses;
import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.factortopy.CpuKernels;
import org.brainalign.engine.factortopy.FittedEncoder;
import org.brainalign.engine.factortopy.TrainingConfig;
import org.brainalign.engine.factortopy.TrainingCurve;
import org.brainalign.engine.features.Extractor;
import org.brainalign.engine.features.FeatureStore;
import org.brainalign.engine.features.StoreFeatures;
import org.brainalign.io.DataFormatException;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.subject.NsdVolumeSubject;
import org.brainalign.io.subject.Subject;
import org.brainalign.io.subject.SubjectDescription;
import org.brainalign.workflow.BrainAlignVersion;
import org.brainalign.workflow.FitWorkflow;
import org.brainalign.workflow.analysis.RunAnalysis;
import org.brainalign.workflow.demo.DemoNetwork;
import org.brainalign.workflow.demo.DemoStimuli;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * The pipeline benchmark ({@code brainalign bench pipeline}) runs a whole subject of NSD's size through the ordinary
 * classes, stage by stage: it draws the demo's stimuli and extracts the demo network's features, writes a synthetic
 * subject in NSD's volume layout ({@link PipelineSubject}), imports it with the NSD reader, fits one epoch of
 * FactorTopy (or a given number of steps) through the fit workflow, predicts every image's responses into a .npy file
 * batch by batch, and analyses the run. Each stage prints its wall time, its rate in its own units, the peak heap and
 * resident memory and the bytes read and written ({@link StageMeter}). The baseline, in the same run: plain gunzip of
 * the same session files (GZIPInputStream into a discarded buffer), against which the import is a ratio (goal: at
 * most 1.3 for 40 sessions). It ends with the time of a full fit extrapolated from the measured step.
 */
public final class PipelineBenchmark {

    /** Options of {@code bench pipeline} with values, as the command line names them. */
    static final java.util.Set<String> VALUED = java.util.Set.of("voxels", "images", "sessions", "steps", "out",
            "grid");
    /** Flags of {@code bench pipeline}. */
    static final java.util.Set<String> FLAGS = java.util.Set.of("keep");
    /** The synopsis the command line shows (--grid AxBxC, a smaller grid for tests, is left out on purpose). */
    static final String SYNOPSIS = "--sessions N [--voxels 37984] [--images 10000] [--steps K] [--out DIR] [--keep]";

    private static final double TEST_FRACTION = 0.1;
    private static final long SEED = 1;

    /**
     * The benchmark's settings.
     *
     * @param voxels voxels of the mask
     * @param images images of the stimulus set
     * @param sessions session files of 750 trials
     * @param steps training steps, or 0 for one epoch
     * @param out the output folder, or null for a temporary one
     * @param keep whether a temporary output folder is kept
     * @param grid the grid's shape
     * @param threads worker threads of the fit and prediction, and session files written at once
     */
    public record Options(int voxels, int images, int sessions, int steps, Path out, boolean keep, int[] grid,
            int threads) {

        /**
         * @param args the parsed options of {@code bench pipeline}
         * @return the options
         * @throws UsageException if one is malformed
         */
        static Options of(Arguments args) throws UsageException {
            int[] grid = PipelineSubject.NSD_SHAPE;
            if (args.has("grid")) {
                String[] parts = args.get("grid", "").split("x");
                try {
                    grid = java.util.Arrays.stream(parts).mapToInt(Integer::parseInt).toArray();
                } catch (NumberFormatException e) {
                    grid = new int[0];
                }
                if (grid.length != 3 || java.util.Arrays.stream(grid).anyMatch(g -> g < 4 || g > 512)) {
                    throw new UsageException("bench pipeline: --grid takes three sides from 4 to 512 as AxBxC, got '"
                            + args.get("grid", "") + "'");
                }
            }
            if (!args.has("sessions")) {
                throw new UsageException("bench pipeline: --sessions N is required (40 hold 10,000 images three "
                        + "times, as NSD)");
            }
            return new Options(args.getInt("voxels", FitBenchmark.PAPER_VOXELS, 1), args.getInt("images", 10_000, 2),
                    args.getInt("sessions", 40, 1), args.getInt("steps", 0, 0), args.path("out"), args.has("keep"),
                    grid, Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * What a run measured.
     *
     * @param stages every stage's figures, in order
     * @param importOverGunzip import time over plain gunzip time of the same files
     * @param stepSeconds seconds per training step
     * @param fullFitSteps training steps of one epoch of the whole stimulus set
     * @param folder the output folder (deleted at the end unless kept)
     */
    public record Report(List<StageMeter.Figures> stages, double importOverGunzip, double stepSeconds,
            int fullFitSteps, Path folder) {
    }

    private PipelineBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param options the settings
     * @param out where the figures go
     * @param monitor progress in each stage's units; cancelling stops within a volume or a step
     * @return the figures
     * @throws IOException if a stage fails
     */
    public static Report run(Options options, PrintStream out, IProgressMonitor monitor) throws IOException {
        boolean temporary = options.out() == null;
        Path folder = temporary
                ? Files.createTempDirectory("brainalign-pipeline")
                : options.out().toAbsolutePath().normalize();
        try {
            return run(options, folder, out, monitor);
        } finally {
            if (temporary && !options.keep()) {
                delete(folder);
            } else {
                out.println("kept " + folder);
            }
        }
    }

    private static Report run(Options options, Path folder, PrintStream out, IProgressMonitor monitor)
            throws IOException {
        PipelineSubject.Layout layout = new PipelineSubject.Layout(folder);
        PipelineSubject.Design design = new PipelineSubject.Design(options.grid(), options.voxels(),
                options.images(), options.sessions(), SEED);
        int[] g = options.grid();
        int shown = design.shownImages();
        out.printf(Locale.ROOT, "pipeline benchmark: %d x %d x %d grid, %d voxels, %d images, %d sessions of %d "
                + "trials (%d images shown, each %s), %d threads, max heap %.0f MB, kernels: %s%n", g[0], g[1], g[2],
                options.voxels(), options.images(), options.sessions(), PipelineSubject.TRIALS, shown,
                design.trials() % shown == 0
                        ? design.trials() / shown + " times"
                        : design.trials() / shown + " or " + (design.trials() / shown + 1) + " times",
                options.threads(), Runtime.getRuntime().maxMemory() / 1048576.0, CpuKernels.describe());
        List<StageMeter.Figures> stages = new ArrayList<>();
        PipelineSubject.Anatomy anatomy = PipelineSubject.Anatomy.of(options.grid(), options.voxels());

        boolean reuse = PipelineSubject.generated(layout, design);
        StageCosts costs = StageCosts.of(options);
        // each stage's share of the progress is its expected share of the time, so that the time left falls
        // steadily instead of jumping at every stage that is slower than its share
        SubMonitor sub = SubMonitor.convert(monitor, "Pipeline benchmark", costs.ticks(!reuse));
        if (reuse) {
            out.println("reusing the subject, stimuli and features generated before in " + folder);
        } else {
            checkFree(folder);
            generate(options, layout, design, anatomy, out, stages, costs, sub.split(costs.generation()));
        }

        long compressed = 0;
        long decompressed = 0;
        List<Path> sessionFiles = new ArrayList<>();
        for (int s = 1; s <= options.sessions(); s++) {
            sessionFiles.add(layout.session(s));
            compressed += Files.size(layout.session(s));
        }

        // the baseline: plain decompression of the same files, nothing kept
        SubMonitor gunzipProgress = SubMonitor.convert(sub.split(costs.gunzip()), "Plain gunzip", sessionFiles.size());
        StageMeter meter = StageMeter.start("gunzip");
        byte[] discard = new byte[1 << 16];
        for (Path file : sessionFiles) {
            gunzipProgress.subTask(String.format(Locale.ROOT, "%s, %.0f MB decompressed so far", file.getFileName(),
                    decompressed / 1e6));
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
                int got;
                while ((got = in.read(discard)) >= 0) {
                    decompressed += got;
                }
            }
            gunzipProgress.split(1);
        }
        StageMeter.Figures gunzip = meter.stop();
        stages.add(gunzip);
        out.println(gunzip.line(String.format(Locale.ROOT, "%.0f MB/s decompressed, %.0f MB/s of gzip files "
                + "(GZIPInputStream into a discarded buffer)", decompressed / 1e6 / gunzip.seconds(),
                compressed / 1e6 / gunzip.seconds())));

        // the baseline's last line ("... MB decompressed so far") would otherwise stand over the whole import
        sub.subTask(String.format(Locale.ROOT, "importing %d sessions through the NSD reader", options.sessions()));
        meter = StageMeter.start("import");
        SubjectDescription description = SubjectDescription.read(layout.description());
        Subject subject = NsdVolumeSubject.at(layout.root(), PipelineSubject.SUBJECT).setTrials(layout.trials())
                .setStimuli(layout.stimuli()).load(sub.split(costs.importing()));
        StageMeter.Figures read = meter.stop();
        stages.add(read);
        double ratio = read.seconds() / gunzip.seconds();
        out.println(read.line(String.format(Locale.ROOT, "%.0f trials/s, %.0f MB/s of gzip files, %d images x %d "
                + "voxels", design.trials() / read.seconds(), compressed / 1e6 / read.seconds(),
                subject.responses().imageCount(), subject.responses().voxelCount())));
        out.printf(Locale.ROOT, "ratio import / gunzip: %.2f (goal <= 1.30 for 40 sessions)%s%n", ratio,
                options.sessions() >= 40 ? ratio <= 1.3 ? " met" : " NOT MET" : "");

        // fit: one epoch of the subject, or of its first images when a number of steps is asked for
        TrainingConfig config = TrainingConfig.builder().optSeed(SEED).optMaxEpochs(1).optThreads(options.threads())
                .build();
        if (options.steps() > 0) {
            subject = firstImages(subject, imagesForSteps(options.steps(), subject.responses().imageCount(),
                    config));
        }
        int fitImages = subject.responses().imageCount();
        Path runDir = newRunFolder(layout);
        meter = StageMeter.start("fit");
        FitWorkflow.Outcome fit = FitWorkflow.fit(new FitWorkflow.Request(layout.store(), layout.description(),
                runDir, "pipeline", config, TEST_FRACTION, false), description, subject, BrainAlignVersion.get(),
                sub.split(costs.fit()));
        subject = null; // predict and analyse need the run, not the responses
        StageMeter.Figures fitted = meter.stop();
        stages.add(fitted);
        TrainingCurve.Epoch epoch = fit.fit().curve().rows().get(0);
        double stepSeconds = epoch.seconds() / fit.fit().steps();
        out.println(fitted.line(String.format(Locale.ROOT, "%.2f steps/s (%d steps of %d images in %.1f s, the "
                + "rest of the stage validates, scores %d held-out images and writes the run), %.2f s per step, "
                + "%.2f CPU-s per step over the whole stage", 1 / stepSeconds, fit.fit().steps(), config.batchSize(),
                epoch.seconds(), fit.testImages(), stepSeconds, fitted.cpuSeconds() / fit.fit().steps())));
        if (options.steps() > 0 && fit.fit().steps() != options.steps()) {
            throw new IllegalStateException("the fit of " + fitImages + " images took " + fit.fit().steps()
                    + " steps, not the " + options.steps() + " asked for");
        }

        meter = StageMeter.start("predict");
        int predicted;
        int voxels;
        try (FeatureStore store = FeatureStore.open(layout.store())) {
            List<Path> images = store.imageNames().stream().map(layout.stimuli()::resolve).toList();
            StoreFeatures features = StoreFeatures.match(store, images);
            FittedEncoder encoder = fit.fit().encoder();
            double[][] coordinates = fit.run().voxels().coordinates();
            int[] rows = new int[images.size()];
            java.util.Arrays.setAll(rows, i -> i);
            predicted = rows.length;
            voxels = coordinates.length;
            Npy.writeFloatRows(layout.predictions(), rows.length, voxels, sink -> encoder.predict(features, rows,
                    coordinates, options.threads(), sub.split(costs.predict()), (first, batch, count) -> {
                        for (int i = 0; i < count; i++) {
                            sink.add(batch[i]);
                        }
                    }));
        }
        StageMeter.Figures predict = meter.stop();
        stages.add(predict);
        out.println(predict.line(String.format(Locale.ROOT, "%.0f images/s (%d images x %d voxels into %s)",
                predicted / predict.seconds(), predicted, voxels, layout.predictions().getFileName())));

        meter = StageMeter.start("analyse");
        RunAnalysis.analyze(fit.run(), sub.split(costs.analyse()));
        StageMeter.Figures analysed = meter.stop();
        stages.add(analysed);
        out.println(analysed.line(String.format(Locale.ROOT, "%.0f voxels/s (maps and tables of the run)",
                voxels / analysed.seconds())));

        int fullSteps = stepsPerEpoch(options.images(), TrainingConfig.defaults());
        int epochs = TrainingConfig.defaults().maxEpochs();
        out.printf(Locale.ROOT, "a full fit of %d images at %d voxels: %d steps per epoch x %d epochs (the default "
                + "most; early stopping may end sooner) x %.2f s per step = %.1f h (%.0f min per epoch); at the fit "
                + "stage's CPU time per step spread over %d idle cores: %.1f h%n", options.images(), voxels,
                fullSteps, epochs, stepSeconds, fullSteps * epochs * stepSeconds / 3600, fullSteps * stepSeconds / 60,
                options.threads(), fullSteps * epochs * fitted.cpuSeconds() / fit.fit().steps() / options.threads()
                        / 3600);
        double peak = stages.stream().mapToDouble(StageMeter.Figures::peakHeapMb).max().orElse(0);
        out.printf(Locale.ROOT, "largest peak heap of a stage: %.0f MB (goal under 4096 MB) %s%n", peak,
                peak < 4096 ? "met" : "NOT MET");
        return new Report(List.copyOf(stages), ratio, stepSeconds, fullSteps, folder);
    }

    private static void generate(Options options, PipelineSubject.Layout layout, PipelineSubject.Design design,
            PipelineSubject.Anatomy anatomy, PrintStream out, List<StageMeter.Figures> stages, StageCosts costs,
            IProgressMonitor monitor) throws IOException {
        SubMonitor sub = SubMonitor.convert(monitor, "Generating the subject", costs.generation());
        StageMeter meter = StageMeter.start("stimuli");
        DemoNetwork.write(layout.network(), SEED);
        List<String> ids = DemoStimuli.write(layout.stimuli(), options.images(), SEED, sub.split(costs.stimuli()));
        StageMeter.Figures stimuli = meter.stop();
        stages.add(stimuli);
        out.println(stimuli.line(String.format(Locale.ROOT, "%.0f images/s (the demo's stimuli, %d x %d PNG, and "
                + "its network)", options.images() / stimuli.seconds(), DemoStimuli.SIDE, DemoStimuli.SIDE)));

        meter = StageMeter.start("extract");
        List<Path> files = ids.stream().map(id -> layout.stimuli().resolve(id + ".png")).toList();
        new Extractor().extract(new Extractor.Request(layout.network(), "hf-vit", files, layout.store(), 32,
                DevicePreference.CPU, 0, false, Extractor.OnUnreadable.STOP), sub.split(costs.extract()));
        StageMeter.Figures extracted = meter.stop();
        stages.add(extracted);
        out.println(extracted.line(String.format(Locale.ROOT, "%.0f images/s (the demo network, %d layers x %d "
                + "channels, into a feature store)", options.images() / extracted.seconds(), DemoNetwork.LAYERS,
                DemoNetwork.WIDTH)));

        meter = StageMeter.start("betas");
        long bytes;
        try (FeatureStore store = FeatureStore.open(layout.store())) {
            bytes = PipelineSubject.write(layout, design, anatomy, store, options.threads(), sub.split(costs.betas()));
        }
        StageMeter.Figures betas = meter.stop();
        stages.add(betas);
        out.println(betas.line(String.format(Locale.ROOT, "%.0f trials/s, %.0f MB/s of gzip files (%d session "
                + "files, %.1f MB, int16, Deflater level %d, %d at once)", design.trials() / betas.seconds(),
                bytes / 1e6 / betas.seconds(), design.sessions(), bytes / 1e6, PipelineSubject.GZIP_LEVEL,
                Math.min(options.threads(), design.sessions()))));
        PipelineSubject.record(layout, design);
    }

    /**
     * The training steps of one epoch over a subject's images: the fit workflow holds out a share for testing, the
     * trainer a share of the rest for validation, and trains on the others in batches.
     *
     * @param images the subject's images
     * @param config the training configuration
     * @return steps per epoch
     */
    static int stepsPerEpoch(int images, TrainingConfig config) {
        int test = (int) Math.max(1, Math.round(images * TEST_FRACTION));
        int pool = images - test;
        int validation = (int) Math.max(1, Math.round(pool * config.validationFraction()));
        return Math.max(0, (pool - validation + config.batchSize() - 1) / config.batchSize());
    }

    /** @return the fewest images whose epoch has the steps asked for (and which hold out two to score) */
    private static int imagesForSteps(int steps, int available, TrainingConfig config) throws DataFormatException {
        for (int n = 3; n <= available; n++) {
            // scoring needs two held-out images
            if (Math.round(n * TEST_FRACTION) >= 2 && stepsPerEpoch(n, config) >= steps) {
                return n;
            }
        }
        throw new DataFormatException("The subject's " + available + " images give " + stepsPerEpoch(available,
                config) + " training steps per epoch, fewer than the " + steps + " asked for");
    }

    private static Subject firstImages(Subject subject, int count) {
        int[] rows = new int[count];
        java.util.Arrays.setAll(rows, i -> i);
        Responses responses = subject.responses().selectImages(rows);
        return new Subject(subject.id(), responses, subject.voxels(), subject.rois(),
                subject.imageFiles().subList(0, count));
    }

    private static Path newRunFolder(PipelineSubject.Layout layout) {
        for (int n = 1;; n++) {
            Path run = layout.runs().resolve("run-" + n);
            if (!Files.exists(run)) {
                return run;
            }
        }
    }

    private static void checkFree(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            try (Stream<Path> entries = Files.list(folder)) {
                if (entries.findAny().isPresent()) {
                    throw DataFormatException.of(folder, "is not empty and holds no finished pipeline subject of "
                            + "these settings (generated.txt); give a new or empty folder, or the folder of an "
                            + "earlier run with the same --grid, --voxels, --images and --sessions");
                }
            }
        } else if (Files.exists(folder)) {
            throw DataFormatException.of(folder, "is a file, not a folder");
        }
        Files.createDirectories(folder);
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * {@code bench pipeline} from the command line.
     *
     * @param args the parsed options
     * @param out where the figures go
     * @param monitor progress
     * @throws Exception if it fails
     */
    static void run(Arguments args, PrintStream out, IProgressMonitor monitor) throws Exception {
        Options options = Options.of(args);
        try {
            PipelineSubject.Anatomy.of(options.grid(), options.voxels());
        } catch (IllegalArgumentException e) {
            throw new UsageException("bench pipeline: " + e.getMessage());
        }
        run(options, out, monitor);
    }

    /**
     * Runs the benchmark from a plain class path, with the options of {@code bench pipeline}.
     *
     * @param args the options
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        run(Arguments.parse("bench pipeline", List.of(args), VALUED, FLAGS), System.out, null);
    }
}
