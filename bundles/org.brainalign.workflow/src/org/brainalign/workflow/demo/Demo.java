package org.brainalign.workflow.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.brainalign.workflow.FitWorkflow;
import org.brainalign.workflow.RunCharts;
import org.brainalign.core.analysis.Alignment;
import org.brainalign.core.analysis.Hierarchy;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.factortopy.TrainingConfig;
import org.brainalign.engine.features.Extractor;
import org.brainalign.engine.features.FeatureStore;
import org.brainalign.io.AtomicFile;
import org.brainalign.io.DataFormatException;
import org.brainalign.workflow.report.RunReport;
import org.brainalign.workflow.analysis.RunAnalysis;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.subject.NsdVolumeSubject;
import org.brainalign.io.subject.Subject;
import org.brainalign.io.subject.SubjectDescription;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * The demo end to end: builds the synthetic subject (network, stimuli, brain with planted selections, NSD files),
 * extracts the network's features, imports the subject through the normal NSD reader, fits FactorTopy, analyses the
 * run (maps, tables, charts), writes the HTML report, and compares what was recovered with what was planted.
 */
public final class Demo {

    /**
     * The demo's settings.
     *
     * @param folder the output folder (must be new or empty)
     * @param images the number of stimuli
     * @param sessions sessions, each showing every image once
     * @param seed the seed of everything
     * @param epochs most training epochs
     * @param threads worker threads of the fit
     */
    public record Options(Path folder, int images, int sessions, long seed, int epochs, int threads) {

        /**
         * @param folder the output folder
         * @return the defaults: 480 images in 2 sessions, seed 1, up to 100 epochs, every core
         */
        public static Options defaults(Path folder) {
            return new Options(folder, 480, 2, 1, 100, Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * Planted against recovered, per area.
     *
     * @param area the area
     * @param voxels its voxels
     * @param plantedDepth mean depth of the planted layers, layer / (L - 1): the responses are read from that one
     *        layer, so this is what the expected depth estimates
     * @param recoveredDepth mean recovered expected depth
     * @param layerRecovered share of voxels whose preferred layer is the planted one
     */
    public record AreaRecovery(String area, int voxels, double plantedDepth, double recoveredDepth,
            double layerRecovered) {
    }

    /**
     * What the demo produced.
     *
     * @param run the run folder
     * @param report the HTML report
     * @param areas recovery per area, in hierarchy order
     * @param layerRecovered share of all voxels whose preferred layer is the planted one
     * @param alignment the recovered alignment
     * @param plantedAlignment the alignment of the planted depths
     * @param meanR2 mean held-out R^2
     * @param written the files and folders written
     */
    public record Result(RunFolder run, Path report, List<AreaRecovery> areas, double layerRecovered,
            Alignment alignment, Alignment plantedAlignment, double meanR2, List<Path> written) {
    }

    private Demo() {
    }

    /**
     * Runs the demo.
     *
     * @param options the settings
     * @param version the software version
     * @param log where stage messages go
     * @param monitor progress; cancelling stops the current stage and leaves what is complete
     * @return the result
     * @throws IOException if a stage fails
     */
    public static Result run(Options options, String version, PrintStream log, IProgressMonitor monitor)
            throws IOException {
        SubMonitor sub = SubMonitor.convert(monitor, "BrainAlign demo", 100);
        Path dir = options.folder().toAbsolutePath().normalize();
        checkFree(dir);
        Path network = dir.resolve("network"), subjectRoot = dir.resolve("subject"), stimuli = subjectRoot
                .resolve("stimuli"), store = dir.resolve("features"), runDir = dir.resolve("runs").resolve("demo");

        log.println("demo: building the network (" + DemoNetwork.LAYERS + " blocks of " + DemoNetwork.WIDTH + ", "
                + DemoNetwork.IMAGE + " x " + DemoNetwork.IMAGE + " input) and " + options.images() + " stimuli");
        DemoNetwork.write(network, options.seed());
        List<String> ids = DemoStimuli.write(stimuli, options.images(), options.seed(), sub.split(5));
        List<Path> imageFiles = ids.stream().map(id -> stimuli.resolve(id + ".png")).toList();

        log.println("demo: extracting features");
        new Extractor().extract(new Extractor.Request(network, "hf-vit", imageFiles, store, 16,
                DevicePreference.CPU, 0, false, Extractor.OnUnreadable.STOP), sub.split(15));

        List<DemoBrain.Voxel> planted = DemoBrain.plant(DemoNetwork.LAYERS, options.seed());
        log.println("demo: planting selections in " + planted.size() + " voxels of " + DemoBrain.AREAS.size()
                + " areas and writing the subject (NSD layout, " + options.sessions() + " sessions)");
        try (FeatureStore features = FeatureStore.open(store)) {
            DemoSubjectWriter.write(subjectRoot, features, ids, planted, options.sessions(), options.seed(),
                    sub.split(15));
        }
        SubjectDescription description = SubjectDescription.nsd(subjectRoot, DemoSubjectWriter.SUBJECT,
                subjectRoot.resolve("trials.csv"), stimuli);
        description.write(subjectRoot.resolve(SubjectDescription.FILE));

        log.println("demo: importing the subject through the NSD reader");
        Subject subject = NsdVolumeSubject.at(subjectRoot, DemoSubjectWriter.SUBJECT)
                .setTrials(description.trials()).setStimuli(stimuli).load(sub.split(5));

        log.println("demo: fitting FactorTopy");
        TrainingConfig config = TrainingConfig.builder().optSeed(options.seed()).optMaxEpochs(options.epochs())
                .optThreads(options.threads()).build();
        FitWorkflow.Outcome fit = FitWorkflow.fit(new FitWorkflow.Request(store,
                subjectRoot.resolve(SubjectDescription.FILE), runDir, "demo", config, 0.1, false), description,
                subject, version, sub.split(45));

        log.println("demo: analysing, drawing and reporting");
        RunFolder run = fit.run();
        SelectorSummary summary = RunAnalysis.analyze(run, sub.split(5));
        List<Path> written = new ArrayList<>(List.of(network, subjectRoot, store, runDir));
        RunCharts.save(run, summary, List.of("png", "svg"));
        Path report = dir.resolve("report.html");
        RunReport.write(report, List.of(run), Hierarchy.standard(), new RunCharts(), version, sub.split(5));
        written.add(report);

        Result result = compare(run, fit.maps(), planted, summary, fit.meanR2(), report, written);
        Path recovery = dir.resolve("recovery.csv");
        writeRecovery(recovery, result);
        written.add(recovery);
        sub.split(5);
        return new Result(result.run(), report, result.areas(), result.layerRecovered(), result.alignment(),
                result.plantedAlignment(), result.meanR2(), written);
    }

    /**
     * Prints the planted-against-recovered table and the alignment.
     *
     * @param out where to print
     * @param r the result
     */
    public static void print(PrintStream out, Result r) {
        out.printf(Locale.ROOT, "%-6s %7s %14s %16s %16s%n", "area", "voxels", "planted depth", "recovered depth",
                "layer recovered");
        for (AreaRecovery a : r.areas()) {
            out.printf(Locale.ROOT, "%-6s %7d %14.3f %16.3f %15.1f%%%n", a.area(), a.voxels(), a.plantedDepth(),
                    a.recoveredDepth(), 100 * a.layerRecovered());
        }
        out.printf(Locale.ROOT, "preferred layer recovered for %.1f%% of voxels; held-out mean R2 %.3f%n",
                100 * r.layerRecovered(), r.meanR2());
        out.printf(Locale.ROOT, "alignment, planted:   slope %.3f, b0 %.3f, b1 %.3f%n", r.plantedAlignment().slope(),
                r.plantedAlignment().b0(), r.plantedAlignment().b1());
        out.printf(Locale.ROOT, "alignment, recovered: slope %.3f, b0 %.3f, b1 %.3f%n", r.alignment().slope(),
                r.alignment().b0(), r.alignment().b1());
    }

    private static Result compare(RunFolder run, SelectorMaps maps, List<DemoBrain.Voxel> planted,
            SelectorSummary summary, double meanR2, Path report, List<Path> written) throws IOException {
        Map<Integer, DemoBrain.Voxel> byIndex = new HashMap<>();
        for (DemoBrain.Voxel v : planted) {
            byIndex.put(v.index(), v);
        }
        int[] indices = run.voxels().indices();
        int areas = DemoBrain.AREAS.size();
        int[] count = new int[areas], hits = new int[areas];
        double[] plantedDepth = new double[areas], recoveredDepth = new double[areas];
        double[] t = new double[indices.length], depth = new double[indices.length];
        java.util.Arrays.fill(t, Double.NaN);
        int total = 0, totalHits = 0;
        for (int n = 0; n < indices.length; n++) {
            DemoBrain.Voxel v = byIndex.get(indices[n]);
            if (v == null) {
                continue;
            }
            int a = v.area();
            count[a]++;
            total++;
            if (maps.preferredLayer(n) == v.layer()) {
                hits[a]++;
                totalHits++;
            }
            double layerDepth = v.layer() / (double) (DemoNetwork.LAYERS - 1);
            plantedDepth[a] += layerDepth;
            recoveredDepth[a] += maps.depth(n);
            t[n] = Hierarchy.standard().position(DemoBrain.AREAS.get(a).name()).orElse(Double.NaN);
            depth[n] = layerDepth;
        }
        List<AreaRecovery> rows = new ArrayList<>();
        for (int a = 0; a < areas; a++) {
            rows.add(new AreaRecovery(DemoBrain.AREAS.get(a).name(), count[a], plantedDepth[a] / count[a],
                    recoveredDepth[a] / count[a], hits[a] / (double) count[a]));
        }
        Alignment planted0 = Alignment.leastSquares(finite(t, t), finite(t, depth));
        return new Result(run, report, rows, totalHits / (double) total, summary.alignment(), planted0, meanR2,
                written);
    }

    /** The values of b where a is finite. */
    private static double[] finite(double[] a, double[] b) {
        return java.util.stream.IntStream.range(0, a.length).filter(i -> Double.isFinite(a[i])).mapToDouble(i -> b[i])
                .toArray();
    }

    private static void writeRecovery(Path file, Result r) throws IOException {
        StringBuilder csv = new StringBuilder("area,voxels,planted_depth,recovered_depth,layer_recovered\n");
        for (AreaRecovery a : r.areas()) {
            csv.append(String.format(Locale.ROOT, "%s,%d,%.6f,%.6f,%.6f%n", a.area(), a.voxels(), a.plantedDepth(),
                    a.recoveredDepth(), a.layerRecovered()));
        }
        csv.append(String.format(Locale.ROOT, "all,%d,,,%.6f%n", r.areas().stream().mapToInt(AreaRecovery::voxels)
                .sum(), r.layerRecovered()));
        AtomicFile.write(file, out -> out.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void checkFree(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw DataFormatException.of(dir, "is not empty; the demo writes into a new or empty folder"
                            + " (remove it, or pass another --out)");
                }
            }
        } else if (Files.exists(dir)) {
            throw DataFormatException.of(dir, "is a file, not a folder");
        }
        Files.createDirectories(dir);
    }
}
