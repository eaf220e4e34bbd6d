package org.brainalign.workflow;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.brainalign.core.analysis.Drift;
import org.brainalign.core.analysis.Hierarchy;
import org.brainalign.core.analysis.RoiSummary;
import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.factortopy.TrainingConfig;
import org.brainalign.engine.features.Extractor;
import org.brainalign.engine.finetune.FineTuneResult;
import org.brainalign.engine.finetune.FineTuner;
import org.brainalign.io.AtomicFile;
import org.brainalign.workflow.report.RunReport;
import org.brainalign.workflow.analysis.RunAnalysis;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.subject.Subject;
import org.brainalign.io.subject.SubjectDescription;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * The paper's fine-tuning experiment: extract and fit a subject with a backbone, fine-tune the backbone on a labelled
 * image set, extract and fit again with the fine-tuned network, and measure how the mapping drifted (per ROI: depth
 * shift, changed preferred layers, Jensen-Shannon divergence of layer weights) and what was forgotten (the brain score
 * per ROI after against before), next to the classification accuracy gained. Every stage leaves its result in its own
 * folder and is skipped when found complete, so an interrupted experiment continues where it stopped.
 */
public final class FinetuneDriftExperiment {

    /**
     * The experiment's settings.
     *
     * @param family the backbone family, or "auto"
     * @param checkpoint the backbone checkpoint folder
     * @param finetuneImages the labelled image folder (one sub-folder per class)
     * @param subject the subject description
     * @param folder the experiment folder
     * @param finetuneEpochs fine-tuning epochs
     * @param learningRate fine-tuning learning rate
     * @param fitEpochs most FactorTopy epochs per fit
     * @param seed the seed of fits and fine-tuning
     * @param threads fit threads
     * @param device where the network runs
     */
    public record Options(String family, Path checkpoint, Path finetuneImages, Path subject, Path folder,
            int finetuneEpochs, double learningRate, int fitEpochs, long seed, int threads,
            DevicePreference device) {

        /**
         * The settings with every optional one at its default, the one place the command line and the workbench
         * take them from.
         *
         * @param family the backbone family, or "auto"
         * @param checkpoint the backbone checkpoint folder
         * @param finetuneImages the labelled image folder
         * @param subject the subject description
         * @param folder the experiment folder
         * @return 5 fine-tuning epochs at learning rate 1e-4, at most 100 epochs per fit, seed 0, a thread per core,
         *         the device chosen automatically
         */
        public static Options defaults(String family, Path checkpoint, Path finetuneImages, Path subject,
                Path folder) {
            return new Options(family, checkpoint, finetuneImages, subject, folder, 5, 1e-4, 100, 0,
                    Runtime.getRuntime().availableProcessors(), DevicePreference.AUTO);
        }
    }

    /**
     * The figures of an experiment.
     *
     * @param untrainedAccuracy validation accuracy of the untrained head
     * @param finalAccuracy validation accuracy after fine-tuning
     * @param drift the drift of the mapping
     * @param before the analysis of the fit before
     * @param after the analysis of the fit after
     * @param report the HTML report
     * @param written the files and folders written
     */
    public record Result(double untrainedAccuracy, double finalAccuracy, Drift drift, SelectorSummary before,
            SelectorSummary after, Path report, List<Path> written) {
    }

    /** What the fine-tuning stage records, so a resumed experiment knows its figures without redoing it. */
    private record Accuracy(double untrained, double last, double best, int bestEpoch) {
    }

    /** What the stages leave in the experiment folder; any of them marks a started experiment. */
    private static final List<String> STAGE_OUTPUTS = List.of("before", "finetune.json", "finetuned", "after",
            "drift", "forgetting.csv", "report.html");

    private FinetuneDriftExperiment() {
    }

    /**
     * @param folder an experiment folder
     * @return the run folder of the fit before fine-tuning
     */
    public static Path beforeRun(Path folder) {
        return runFolder(folder, "before");
    }

    /**
     * @param folder an experiment folder
     * @return the run folder of the fit with the fine-tuned backbone
     */
    public static Path afterRun(Path folder) {
        return runFolder(folder, "after");
    }

    private static Path runFolder(Path folder, String side) {
        return folder.resolve(side).resolve("run");
    }

    /**
     * Whether a folder holds an experiment begun before, which {@link #run} continues.
     *
     * @param folder a folder
     * @return true when it holds what at least one stage writes
     */
    public static boolean isStarted(Path folder) {
        return STAGE_OUTPUTS.stream().anyMatch(name -> Files.exists(folder.resolve(name)));
    }

    /**
     * Runs (or finishes) the experiment.
     *
     * @param o the settings
     * @param version the software version
     * @param log where stage messages go
     * @param monitor progress; cancelling stops the current stage, keeping the finished ones
     * @return the figures
     * @throws IOException if a stage fails
     */
    public static Result run(Options o, String version, PrintStream log, IProgressMonitor monitor) throws IOException {
        SubMonitor sub = SubMonitor.convert(monitor, "Fine-tuning drift experiment", 100);
        Path dir = o.folder().toAbsolutePath().normalize();
        Files.createDirectories(dir);
        SubjectDescription description = SubjectDescription.read(o.subject());
        log.println("experiment: loading the subject");
        Subject subject = description.load(sub.split(5));
        Path tuned = dir.resolve("finetuned");

        RunFolder before = stage(o, "before", o.family(), o.checkpoint(), description, subject, dir, version, log,
                sub.split(30));

        Path accuracyFile = dir.resolve("finetune.json");
        Accuracy accuracy;
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        if (Files.isRegularFile(accuracyFile)) {
            log.println("experiment: fine-tuning already done");
            accuracy = gson.fromJson(Files.readString(accuracyFile, StandardCharsets.UTF_8), Accuracy.class);
            sub.split(25);
        } else {
            log.println("experiment: fine-tuning the backbone on " + o.finetuneImages());
            FineTuneResult tuning = FineTuner.builder().setBackbone(o.checkpoint(), o.family())
                    .setImages(o.finetuneImages()).setOutput(tuned).optEpochs(o.finetuneEpochs())
                    .optLearningRate(o.learningRate()).optSeed(o.seed()).optDevice(o.device()).build()
                    .run(sub.split(25));
            accuracy = new Accuracy(tuning.untrainedAccuracy(), tuning.finalAccuracy(), tuning.bestAccuracy(),
                    tuning.bestEpoch());
            String json = gson.toJson(accuracy);
            AtomicFile.write(accuracyFile, out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
        }

        RunFolder after = stage(o, "after", before.info().backbone().getOrDefault("family", o.family()).toString(),
                tuned, description, subject, dir, version, log, sub.split(30));

        log.println("experiment: drift, forgetting and report");
        Hierarchy hierarchy = Hierarchy.standard();
        Path driftDir = dir.resolve("drift");
        Drift drift = RunAnalysis.drift(before, after, hierarchy, driftDir);
        List<Path> written = new ArrayList<>(List.of(before.folder(), tuned, after.folder(), driftDir));
        byte[] chart = RunCharts.driftFigure("before", "after", drift).png();
        AtomicFile.write(driftDir.resolve("drift.png"), out -> out.write(chart));
        SelectorSummary summaryBefore = RunAnalysis.summarize(before, null, hierarchy);
        SelectorSummary summaryAfter = RunAnalysis.summarize(after, null, hierarchy);
        Path forgetting = dir.resolve("forgetting.csv");
        writeForgetting(forgetting, summaryBefore, summaryAfter, accuracy);
        written.add(forgetting);
        Path report = dir.resolve("report.html");
        RunReport.write(report, List.of(before, after), hierarchy, new RunCharts(), version, sub.split(10));
        written.add(report);
        return new Result(accuracy.untrained(), accuracy.last(), drift, summaryBefore, summaryAfter, report,
                written);
    }

    /** Extracts and fits one side of the experiment, unless it is already complete. */
    private static RunFolder stage(Options o, String name, String family, Path checkpoint,
            SubjectDescription description, Subject subject, Path dir, String version, PrintStream log,
            IProgressMonitor monitor) throws IOException {
        SubMonitor sub = SubMonitor.convert(monitor, name, 100);
        Path runDir = runFolder(dir, name);
        if (Files.isRegularFile(runDir.resolve(RunFolder.RUN_JSON))) {
            RunFolder run = RunFolder.open(runDir);
            if (run.hasSelectors()) {
                log.println("experiment: the " + name + " fit is already done");
                return run;
            }
        }
        Path store = dir.resolve(name).resolve("features");
        log.println("experiment: extracting features " + name + " fine-tuning");
        new Extractor().extract(new Extractor.Request(checkpoint, family, subject.imageFiles(), store, 8, o.device(), 0,
                false, Extractor.OnUnreadable.STOP), sub.split(40));
        log.println("experiment: fitting " + name + " fine-tuning");
        TrainingConfig config = TrainingConfig.builder().optSeed(o.seed()).optMaxEpochs(o.fitEpochs())
                .optThreads(o.threads()).build();
        FitWorkflow.Outcome fit = FitWorkflow.fit(new FitWorkflow.Request(store, o.subject(), runDir, name, config,
                0.1, true), description, subject, version, sub.split(50));
        SelectorSummary summary = RunAnalysis.analyze(fit.run(), sub.split(5));
        RunCharts.save(fit.run(), summary, List.of("png", "svg"));
        sub.split(5);
        return fit.run();
    }

    /** Per ROI: mean brain score before and after, its change, and the accuracy the fine-tuning gained. */
    private static void writeForgetting(Path file, SelectorSummary before, SelectorSummary after, Accuracy accuracy)
            throws IOException {
        StringBuilder csv = new StringBuilder("roi,voxels,r2_before,r2_after,r2_change,accuracy_untrained,"
                + "accuracy_finetuned,accuracy_gain\n");
        Map<String, RoiSummary> afterRois = new java.util.HashMap<>();
        after.rois().forEach(r -> afterRois.put(r.name(), r));
        List<RoiSummary> rows = new ArrayList<>(before.rois());
        rows.add(before.all());
        afterRois.put(after.all().name(), after.all());
        for (RoiSummary b : rows) {
            RoiSummary a = afterRois.get(b.name());
            if (a == null) {
                continue;
            }
            double rb = b.r2().mean(), ra = a.r2().mean();
            csv.append(String.format(Locale.ROOT, "%s,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f%n", b.name(), b.voxelCount(),
                    rb, ra, ra - rb, accuracy.untrained(), accuracy.last(), accuracy.last() - accuracy.untrained()));
        }
        AtomicFile.write(file, out -> out.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
