package org.brainalign.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.brainalign.core.Permutations;
import org.brainalign.core.analysis.Distribution;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.data.Responses;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.engine.factortopy.EncoderEvaluator;
import org.brainalign.engine.factortopy.EncoderTrainer;
import org.brainalign.engine.factortopy.FitResult;
import org.brainalign.engine.factortopy.SelectorOutputs;
import org.brainalign.engine.factortopy.TrainingConfig;
import org.brainalign.engine.features.FeatureStore;
import org.brainalign.engine.features.StoreFeatures;
import org.brainalign.io.DataFormatException;
import org.brainalign.io.FolderLock;
import org.brainalign.io.OutputRefusedException;
import org.brainalign.io.OutputTarget;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiSeries;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunFolderException;
import org.brainalign.io.run.RunInfo;
import org.brainalign.io.run.RunInput;
import org.brainalign.io.subject.Subject;
import org.brainalign.io.subject.SubjectDescription;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * Fits FactorTopy to a subject from a feature store and leaves a complete run folder: the encoder, its training curve,
 * the voxels and ROIs, the selectors with held-out R^2 and r per voxel, and run.json with inputs, split and metrics.
 * Images are split once, by seed, into held-out test images (scored here) and the images the trainer splits again
 * into training and validation (for early stopping). A run folder that exists is continued only when asked to
 * resume; the trainer then continues from its last checkpoint to the same result.
 */
public final class FitWorkflow {

    /**
     * What to fit.
     *
     * @param store the feature store folder
     * @param subjectFile the subject description (subject.json or its folder)
     * @param run the run folder to create (or continue)
     * @param label the run's name in tables and reports
     * @param config the training configuration
     * @param testFraction share of the images held out for scoring, in (0, 0.5]
     * @param resume whether an existing run folder may be continued
     */
    public record Request(Path store, Path subjectFile, Path run, String label, TrainingConfig config,
            double testFraction, boolean resume) {

        /** Checks the fraction. */
        public Request {
            if (!(testFraction > 0 && testFraction <= 0.5)) {
                throw new IllegalArgumentException("the test fraction must lie in (0, 0.5], got " + testFraction);
            }
        }
    }

    /**
     * What a fit produced.
     *
     * @param run the run folder
     * @param fit the trainer's result
     * @param maps the selectors with their scores
     * @param testImages the number of held-out images scored
     * @param meanR2 mean R^2 over scored voxels
     * @param meanR mean Pearson r over scored voxels
     * @param warnings what the user should know
     */
    public record Outcome(RunFolder run, FitResult fit, SelectorMaps maps, int testImages, double meanR2,
            double meanR, List<String> warnings) {
    }

    private FitWorkflow() {
    }

    /**
     * Loads the subject and fits.
     *
     * @param request what to fit
     * @param version the software version for run.json
     * @param monitor progress: loading, training steps, scoring
     * @return the outcome
     * @throws IOException if an input is unusable or a file cannot be written; nothing is left half-written
     */
    public static Outcome fit(Request request, String version, IProgressMonitor monitor) throws IOException {
        SubMonitor sub = SubMonitor.convert(monitor, "Fitting " + request.label(), 100);
        SubjectDescription description = SubjectDescription.read(request.subjectFile());
        Subject subject = description.load(sub.split(15));
        return fit(request, description, subject, version, sub.split(85));
    }

    /**
     * Fits a subject already loaded.
     *
     * @param request what to fit
     * @param description the subject's description (for run.json and the maps' geometry)
     * @param subject the loaded subject
     * @param version the software version for run.json
     * @param monitor progress
     * @return the outcome
     * @throws IOException if an input is unusable or a file cannot be written
     */
    public static Outcome fit(Request request, SubjectDescription description, Subject subject, String version,
            IProgressMonitor monitor) throws IOException {
        // a fit that fails leaves no partial run under the final name unless it continues an earlier one
        boolean fresh = !request.resume() && OutputTarget.isEmptyFolder(request.run());
        boolean existed = Files.exists(request.run());
        try {
            return fitLocked(request, description, subject, version, monitor);
        } catch (OutputRefusedException e) {
            throw e; // another fit holds the folder: its files are not ours to discard
        } catch (IOException | RuntimeException e) {
            if (fresh) {
                discard(request.run(), existed);
            }
            throw e;
        }
    }

    private static void discard(Path folder, boolean keepFolder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!(keepFolder && p.equals(folder))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // the failure being reported matters more than what could not be cleaned up
        }
    }

    private static Outcome fitLocked(Request request, SubjectDescription description, Subject subject,
            String version, IProgressMonitor monitor) throws IOException {
        SubMonitor sub = SubMonitor.convert(monitor, "Fitting " + request.label(), 100);
        List<String> warnings = new ArrayList<>();
        try (FeatureStore store = FeatureStore.open(request.store());
                FolderLock lock = FolderLock.acquire(request.run())) {
            StoreFeatures features = StoreFeatures.match(store, subject.imageFiles());
            Responses responses = subject.responses();
            VoxelSet voxels = subject.voxels();
            int[] finite = finiteVoxels(responses);
            if (finite.length == 0) {
                throw DataFormatException.of(subjectJson(request.subjectFile()), "describes responses in which every"
                        + " voxel holds NaN or infinity in some trial, so no voxel can be fitted");
            }
            if (finite.length < responses.voxelCount()
                    && request.config().nanPolicy() == TrainingConfig.NanPolicy.DROP_VOXELS) {
                warnings.add("left out " + (responses.voxelCount() - finite.length)
                        + " voxels whose responses hold NaN");
                responses = responses.selectVoxels(finite);
                voxels = voxels.subset(finite);
            }
            int[][] split = split(responses.imageCount(), request.testFraction(), request.config().seed());
            int[] test = split[0];
            int[] trainValidation = split[1];

            RunFolder run = openOrCreate(request, description, store, voxels, responses.imageIds(), test,
                    trainValidation, version, sub.split(5));
            if (run.hasSelectors()) {
                throw new RunFolderException(run.folder() + " holds a finished fit; analyse it, or choose another"
                        + " run folder to fit again");
            }
            run.writeRois(subject.rois(), List.of());
            long started = System.nanoTime();
            double[][] coordinates = voxels.coordinates();
            FitResult fit = EncoderTrainer.builder().setFeatures(features).setResponses(responses)
                    .setCoordinates(coordinates).setRunFolder(run).optConfig(request.config())
                    .optImages(trainValidation).build().fit(sub.split(80));
            warnings.addAll(fit.warnings());
            double fitSeconds = (System.nanoTime() - started) / 1e9;

            started = System.nanoTime();
            EncoderEvaluator.Scores scores = EncoderEvaluator.evaluate(fit.encoder(), features, responses,
                    coordinates, test, null, request.config().threads(), sub.split(8));
            float[] r2 = scores.rSquared();
            float[] r = scores.pearson();
            SelectorOutputs s = fit.encoder().selectors(coordinates);
            SelectorMaps maps = SelectorMaps.of(s.layerWeights(), s.x(), s.y(), s.scale(), r2, r);
            run.writeSelectors(maps);
            double meanR2 = scores.meanRSquared(), meanR = scores.meanPearson();
            run.updateInfo(run.info().toBuilder().putMetric("test_images", test.length)
                    .putMetric("mean_r2", meanR2).putMetric("median_r2", median(r2)).putMetric("mean_r", meanR)
                    .putMetric("best_epoch", fit.bestEpoch()).putMetric("best_validation_loss",
                            fit.bestValidationLoss())
                    .putMetric("steps", fit.steps()).putMetric("stopped_early", fit.stoppedEarly())
                    .putTiming("fit", fitSeconds).putTiming("score", (System.nanoTime() - started) / 1e9).build());
            sub.split(2);
            return new Outcome(run, fit, maps, test.length, meanR2, meanR, warnings);
        }
    }

    /**
     * The seeded split of a subject's images into held-out test images and the rest, the same for every command
     * given the same seed (so the ridge baseline is scored on the images a fit held out).
     *
     * @param images the number of images
     * @param testFraction the share held out, in (0, 0.5]
     * @param seed the seed
     * @return the test images and the others, each ascending
     */
    public static int[][] split(int images, double testFraction, long seed) {
        int[] rows = new int[images];
        Arrays.setAll(rows, i -> i);
        Permutations.shuffle(rows, new SplittableRandom(seed ^ 0x7E57L));
        int nTest = (int) Math.max(1, Math.round(rows.length * testFraction));
        int[] test = Arrays.copyOfRange(rows, 0, nTest);
        int[] rest = Arrays.copyOfRange(rows, nTest, rows.length);
        Arrays.sort(test);
        Arrays.sort(rest);
        return new int[][] { test, rest };
    }

    private static RunFolder openOrCreate(Request request, SubjectDescription description, FeatureStore store,
            VoxelSet voxels, List<String> imageIds, int[] test, int[] trainValidation, String version,
            IProgressMonitor monitor)
            throws IOException {
        Path folder = request.run();
        if (Files.exists(folder.resolve(RunFolder.RUN_JSON))) {
            if (!request.resume()) {
                throw new RunFolderException(folder + " already holds a run; continue it with --resume, or choose"
                        + " another run folder");
            }
            RunFolder run = RunFolder.open(folder);
            String difference = differentSettings(run.info(), request);
            if (difference != null) {
                throw new RunFolderException("Run " + folder + " was started with " + difference
                        + "; resume it with the settings it was started with, or fit into another folder");
            }
            return run;
        }
        SubMonitor sub = SubMonitor.convert(monitor, "Recording the inputs", 3);
        Map<String, Object> backbone = new LinkedHashMap<>();
        backbone.put("family", store.family());
        backbone.put("checkpoint_sha256", store.checkpointHash());
        backbone.put("layers", store.layers());
        backbone.put("channels", store.channels());
        backbone.put("store", store.folder().toString());
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("test_fraction", request.testFraction());
        split.put("test_images", test.length);
        split.put("train_validation_images", trainValidation.length);
        split.put("validation_fraction", request.config().validationFraction());
        split.put("seed", request.config().seed());
        split.put("test_image_ids", java.util.Arrays.stream(test).mapToObj(i -> imageIds.get(i)).toList());
        RunInfo.Builder info = RunInfo.builder(request.label()).setSoftwareVersion(version).setBackbone(backbone)
                .setConfig(request.config().toMap()).setSeed(request.config().seed()).setSplit(split)
                .addInput(RunInput.of("features", store.folder().resolve(FeatureStore.MANIFEST), sub.split(1)))
                .addInput(RunInput.of("subject", subjectJson(request.subjectFile()), sub.split(1)));
        if (description.trials() != null) {
            info.addInput(RunInput.of("trials", description.trials(), sub.split(1)));
        }
        Path betas = description.firstBetas();
        NiftiHeader source = null;
        if (betas != null && voxels.grid().isPresent()) {
            try (NiftiSeries series = NiftiSeries.open(betas)) {
                source = series.header();
            }
        }
        return RunFolder.create(folder, info.build(), voxels, source);
    }

    /**
     * @return the settings of a resumed fit that differ from those its run.json records ("seed 3 (now 4), ..."), or
     *         null when all agree; a run killed before its first checkpoint has only run.json to say how it began
     */
    private static String differentSettings(RunInfo info, Request request) {
        List<String> differences = new ArrayList<>();
        Map<String, Object> recorded = info.config();
        for (Map.Entry<String, String> e : request.config().toMap().entrySet()) {
            Object was = recorded.get(e.getKey());
            if (was != null && !sameSetting(was, e.getValue())) {
                differences.add(e.getKey() + " " + was + " (now " + e.getValue() + ")");
            }
        }
        Object fraction = info.split().get("test_fraction");
        if (fraction instanceof Number n && n.doubleValue() != request.testFraction()) {
            differences.add("test_fraction " + n + " (now " + request.testFraction() + ")");
        }
        return differences.isEmpty() ? null : String.join(", ", differences);
    }

    private static boolean sameSetting(Object recorded, String now) {
        if (recorded instanceof Number n) {
            try {
                return n.doubleValue() == Double.parseDouble(now);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        String was = String.valueOf(recorded);
        if (was.equals(now)) {
            return true;
        }
        try {
            return Double.parseDouble(was) == Double.parseDouble(now);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Path subjectJson(Path fileOrFolder) {
        return Files.isDirectory(fileOrFolder) ? fileOrFolder.resolve(SubjectDescription.FILE) : fileOrFolder;
    }

    private static int[] finiteVoxels(Responses responses) {
        int n = responses.voxelCount();
        boolean[] bad = new boolean[n];
        for (float[] row : responses.values()) {
            for (int v = 0; v < n; v++) {
                bad[v] |= !Float.isFinite(row[v]);
            }
        }
        int[] keep = new int[n];
        int k = 0;
        for (int v = 0; v < n; v++) {
            if (!bad[v]) {
                keep[k++] = v;
            }
        }
        return Arrays.copyOf(keep, k);
    }

    private static double median(float[] values) {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i];
        }
        return Distribution.of(v).median();
    }
}
