package org.brainalign.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.brainalign.workflow.command.Arguments;
import org.brainalign.workflow.command.UsageException;
import org.brainalign.workflow.FitWorkflow;
import org.brainalign.workflow.RunInputs;
import org.brainalign.engine.features.StoreFeatures;
import org.brainalign.core.analysis.Distribution;
import org.brainalign.core.data.Responses;
import org.brainalign.core.data.Roi;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.engine.factortopy.EncoderEvaluator;
import org.brainalign.engine.factortopy.FeatureSource;
import org.brainalign.engine.factortopy.FittedEncoder;
import org.brainalign.engine.factortopy.InMemoryFeatures;
import org.brainalign.engine.factortopy.RidgeBaseline;
import org.brainalign.engine.features.FeatureStore;
import org.brainalign.io.DataFormatException;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.npy.NpyArray;
import org.brainalign.io.npy.Npz;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.Table;
import org.brainalign.io.subject.Subject;
import org.brainalign.io.subject.SubjectDescription;

/** The commands around a fitted encoder: evaluate, predict, and the ridge baseline. */
final class ModelCommands {

    private ModelCommands() {
    }

    /** @return the commands */
    static List<Command> all() {
        return List.of(new Evaluate(), new Predict(), new Ridge());
    }

    /** Positions in a subject's voxel set of a run's voxels (same grid indices), or a clear refusal. */
    static int[] matchVoxels(VoxelSet subject, VoxelSet run, Path runFolder) throws DataFormatException {
        int[] positions = new int[run.size()];
        for (int n = 0; n < run.size(); n++) {
            int p = subject.positionOf(run.index(n));
            if (p < 0) {
                throw DataFormatException.of(runFolder, "was fitted on voxel " + run.index(n)
                        + ", which the subject's voxel set does not hold; evaluate on the subject the run was fitted on");
            }
            positions[n] = p;
        }
        return positions;
    }

    /** {@code brainalign evaluate RUN}. */
    static final class Evaluate implements Command {

        @Override
        public String name() {
            return "evaluate";
        }

        @Override
        public String summary() {
            return "score a fitted run per voxel (R2, Pearson r) on held-out images";
        }

        @Override
        public String usage() {
            return """
                    Usage: brainalign evaluate RUN [--features STORE] [--subject SUBJECT] [--all-images]
                                               [--images-per-pass N] [--threads N]

                    Predicts the responses of the run's voxels with its encoder and scores them: by default
                    on the images the fit held out (recorded in run.json), from the store and subject the
                    run was fitted on. With another --subject or --features (same voxels, e.g. another
                    session's betas or another image set), or --all-images, every image is scored: the
                    subject (NSD or Algonauts layout) is then read in passes of at most --images-per-pass
                    images (default: what a quarter of the heap holds), so the heap never holds all its
                    responses; each pass reads again the sessions that show its images (NSD) or skips
                    to its rows of the fMRI arrays (Algonauts).
                    Writes RUN/tables/evaluation.csv (voxel, index, r2, pearson_r).
                    """;
        }

        @Override
        public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
            Arguments args = Arguments.parse(name(), argList, Set.of("features", "subject", "threads",
                    "images-per-pass"), Set.of("all-images"));
            args.expectPositional(1, "one RUN folder");
            RunFolder run = RunFolder.open(Path.of(args.positional().get(0)));
            Path storePath = args.has("features")
                    ? args.path("features")
                    : RunInputs.store(run).orElseThrow(() -> new UsageException(name()
                            + ": the run does not record its feature store; give --features"));
            Path subjectPath = args.has("subject")
                    ? args.path("subject")
                    : RunInputs.subject(run).orElseThrow(() -> new UsageException(name()
                            + ": the run does not record its subject; give --subject"));
            boolean heldOut = !args.has("all-images") && !args.has("features") && !args.has("subject");
            int threads = args.getInt("threads", Runtime.getRuntime().availableProcessors(), 1);
            FittedEncoder encoder = FittedEncoder.load(run.encoderFile());
            VoxelSet voxels = run.voxels();
            SubjectDescription description = SubjectDescription.read(subjectPath);
            if (!heldOut) {
                // every image: the subject is read a pass of images at a time
                List<String> all = description.imageIds();
                int perPass = args.getInt("images-per-pass", EvaluationPasses.imagesPerPass(
                        Runtime.getRuntime().maxMemory(), voxels.size()), 1);
                try (FeatureStore store = FeatureStore.open(storePath)) {
                    EvaluationPasses.Result result = EvaluationPasses.score(description, all, perPass, encoder,
                            voxels, run.folder(), store, threads, CommandLine.progress(err));
                    writeScores(run, voxels, result.scores(), false, String.format(Locale.ROOT,
                            "read in %d pass%s of at most %d images (%d held at once at most), %.1f images/s "
                                    + "with the reading%n",
                            result.passes(), result.passes() == 1 ? "" : "es",
                            perPass, result.largestPass(), result.imagesPerSecond()), out);
                }
                return CommandLine.OK;
            }
            // on the held-out images, only their responses are kept (the sessions or rows that hold them are read)
            List<String> testIds = RunInputs.testImages(run);
            if (testIds.isEmpty()) {
                throw DataFormatException.of(run.folder(), "records no held-out images; use --all-images");
            }
            Subject subject = description.load(testIds, CommandLine.progress(err));
            Responses responses = subject.responses().selectVoxels(matchVoxels(subject.voxels(), voxels,
                    run.folder()));
            int[] images = images(responses, testIds, run.folder());
            try (FeatureStore store = FeatureStore.open(storePath)) {
                StoreFeatures features = StoreFeatures.match(store, subject.imageFiles());
                EncoderEvaluator.Scores scores = EncoderEvaluator.evaluate(encoder, features, responses,
                        voxels.coordinates(), images, null, threads, CommandLine.progress(err));
                writeScores(run, voxels, scores, true, "", out);
            }
            return CommandLine.OK;
        }

        private static void writeScores(RunFolder run, VoxelSet voxels, EncoderEvaluator.Scores scores,
                boolean heldOut, String reading, PrintStream out) throws java.io.IOException {
            Table table = new Table("evaluation", List.of("voxel", "index", "r2", "pearson_r"));
            for (int n = 0; n < voxels.size(); n++) {
                table.add(n, voxels.index(n), scores.rSquared()[n], scores.pearson()[n]);
            }
            Path file = run.writeTable(table);
            out.printf(Locale.ROOT, "%s: %d voxels on %d %simages: mean R2 %.4f, mean r %.4f (%.1f images/s)%n",
                    run.label(), voxels.size(), scores.images().length, heldOut ? "held-out " : "",
                    scores.meanRSquared(), scores.meanPearson(), scores.imagesPerSecond());
            out.print(reading);
            if (scores.unscoredVoxels() > 0) {
                out.printf(Locale.ROOT, "%d voxels have no score (NaN in r2 and pearson_r, left out of the means):"
                        + " their responses or predictions are not finite on some images%n",
                        scores.unscoredVoxels());
            }
            AnalysisCommands.listWritten(out, List.of(file));
        }

        private static int[] images(Responses responses, List<String> ids, Path run) throws DataFormatException {
            Map<String, Integer> row = new HashMap<>();
            for (int i = 0; i < responses.imageCount(); i++) {
                row.put(responses.imageIds().get(i), i);
            }
            int[] images = new int[ids.size()];
            for (int i = 0; i < images.length; i++) {
                Integer r = row.get(ids.get(i));
                if (r == null) {
                    throw DataFormatException.of(run, "held out image " + ids.get(i)
                            + ", which the subject no longer has");
                }
                images[i] = r;
            }
            return images;
        }
    }

    /** {@code brainalign predict}. */
    static final class Predict implements Command {

        @Override
        public String name() {
            return "predict";
        }

        @Override
        public String summary() {
            return "predict voxel responses to images from exported features (.npz) with a fitted encoder";
        }

        @Override
        public String usage() {
            return """
                    Usage: brainalign predict (--run RUN | --encoder W.safetensors --coords C.npy)
                                              --features F.npz --out PRED.npy [--threads N] [--force]

                    F.npz as `brainalign features export` writes it: float32 local (B, L, C, h, w) and
                    global (B, L, C). C.npy: the N x 3 voxel coordinates the encoder was fitted with.
                    W.safetensors may come from the reference PyTorch implementation (its parameter names).
                    Writes PRED.npy, float32 (B, N). An existing PRED.npy is replaced only with --force, and
                    never when it is one of the inputs.
                    """;
        }

        @Override
        public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
            Arguments args = Arguments.parse(name(), argList, Set.of("run", "encoder", "coords", "features", "out",
                    "threads"), Set.of("force"));
            args.expectPositional(0, "");
            Path featuresFile = Path.of(args.require("features"));
            if (args.has("run") && (args.has("encoder") || args.has("coords"))) {
                throw new UsageException(name() + ": give --run, or --encoder with --coords, not both");
            }
            Path target = args.outputFile("out", featuresFile, args.path("run"), args.path("encoder"),
                    args.path("coords"));
            int threads = args.getInt("threads", Runtime.getRuntime().availableProcessors(), 1);
            FittedEncoder encoder;
            double[][] coordinates;
            if (args.has("run")) {
                RunFolder run = RunFolder.open(args.path("run"));
                encoder = FittedEncoder.load(run.encoderFile());
                coordinates = run.voxels().coordinates();
            } else {
                encoder = FittedEncoder.load(Path.of(args.require("encoder")));
                Path coordsFile = Path.of(args.require("coords"));
                NpyArray c = Npy.read(coordsFile);
                if (c.shape().length != 2 || c.shape()[1] != 3) {
                    throw DataFormatException.of(coordsFile, "has shape " + java.util.Arrays.toString(c.shape())
                            + "; voxel coordinates are N x 3");
                }
                coordinates = new double[c.shape()[0]][3];
                double[] flat = c.toDoubleArray();
                for (int n = 0; n < coordinates.length; n++) {
                    System.arraycopy(flat, 3 * n, coordinates[n], 0, 3);
                }
            }
            // read image by image as the batches need them: the file may be larger than the heap
            try (NpzFeatures features = new NpzFeatures(featuresFile)) {
                int[] images = new int[features.imageCount()];
                java.util.Arrays.setAll(images, i -> i);
                int n = coordinates.length;
                long t0 = System.nanoTime();
                boolean[] nonFiniteVoxel = new boolean[n];
                // batch by batch into the file: the predictions of a whole subject are never all on the heap; a voxel
                // whose prediction overflows is counted, and then nothing is written
                Npy.writeFloatRows(target, images.length, n, rows -> {
                    encoder.predict(features, images, coordinates, threads, CommandLine.progress(err),
                            (first, batch, count) -> {
                                for (int i = 0; i < count; i++) {
                                    for (int v = 0; v < n; v++) {
                                        nonFiniteVoxel[v] |= !Float.isFinite(batch[i][v]);
                                    }
                                    rows.add(batch[i]);
                                }
                            });
                    int nonFinite = 0;
                    for (boolean bad : nonFiniteVoxel) {
                        nonFinite += bad ? 1 : 0;
                    }
                    if (nonFinite > 0) {
                        throw new DataFormatException(
                                "The predictions of " + nonFinite + " of " + n + " voxels overflow"
                                        + " to infinity or NaN, so " + target + " was not written");
                    }
                });
                double seconds = (System.nanoTime() - t0) / 1e9;
                out.printf(Locale.ROOT, "predicted %d voxels for %d images (%.1f images/s)%n", n, images.length,
                        images.length / seconds);
            }
            AnalysisCommands.listWritten(out, List.of(target));
            return CommandLine.OK;
        }
    }

    /** {@code brainalign ridge}. */
    static final class Ridge implements Command {

        @Override
        public String name() {
            return "ridge";
        }

        @Override
        public String summary() {
            return "the usual voxelwise baseline: per-layer ridge regression, best layer per voxel";
        }

        @Override
        public String usage() {
            return """
                    Usage: brainalign ridge --features STORE --subject SUBJECT --out DIR
                                            [--test-fraction 0.1] [--folds 5] [--seed 0] [--threads N]
                                            [--force]

                    For every layer, ridge regression from the CLS token and the spatially pooled tokens
                    (2C features) to each voxel, with the regularisation chosen per voxel by k-fold cross-
                    validation on the training images; the best layer per voxel is the one with the best
                    cross-validated R2, scored on the images `fit` holds out with the same --seed and
                    --test-fraction. Writes DIR/ridge.csv (per voxel: index,
                    best layer, lambda, validation R2, test R2, test r) and DIR/ridge_rois.csv, and prints
                    per ROI the most frequent best layer and mean test R2, for comparison with FactorTopy.
                    DIR must be new or empty unless --force is given.
                    """;
        }

        @Override
        public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
            Arguments args = Arguments.parse(name(), argList, Set.of("features", "subject", "out", "test-fraction",
                    "folds", "seed", "threads"), Set.of("force"));
            args.expectPositional(0, "");
            Path dir = args.outputFolder("out", args.path("features"), args.path("subject"));
            double fraction = args.getDouble("test-fraction", 0.1);
            if (!(fraction > 0 && fraction <= 0.5)) {
                throw new UsageException(name() + ": --test-fraction must lie in (0, 0.5], got " + fraction);
            }
            long seed = args.getLong("seed", 0);
            Subject subject = SubjectDescription.read(Path.of(args.require("subject")))
                    .load(CommandLine.progress(err));
            Responses responses = subject.responses();
            int[][] split = FitWorkflow.split(responses.imageCount(), fraction, seed);
            int[] test = split[0];
            int[] train = split[1];
            RidgeBaseline.Result r;
            try (FeatureStore store = FeatureStore.open(Path.of(args.require("features")))) {
                StoreFeatures features = StoreFeatures.match(store, subject.imageFiles());
                r = RidgeBaseline.builder().setFeatures(features).setResponses(responses).setTrainImages(train)
                        .setTestImages(test).optFolds(args.getInt("folds", 5, 2)).optSeed(seed)
                        .optThreads(args.getInt("threads", Runtime.getRuntime().availableProcessors(), 1)).build()
                        .fit(CommandLine.progress(err));
            }
            VoxelSet voxels = subject.voxels();
            Table perVoxel = new Table("ridge", List.of("voxel", "index", "best_layer", "lambda", "validation_r2",
                    "test_r2", "test_r"));
            for (int n = 0; n < voxels.size(); n++) {
                perVoxel.add(n, voxels.index(n), r.bestLayer()[n] + 1, r.lambda()[n], r.validationR2()[n],
                        r.testR2()[n], r.testPearson()[n]);
            }
            Table perRoi = new Table("ridge_rois", List.of("roi", "voxels", "most_frequent_best_layer",
                    "mean_test_r2"));
            out.printf(Locale.ROOT, "%-8s %7s %10s %8s%n", "ROI", "voxels", "best layer", "R2");
            List<Roi> rois = new ArrayList<>(subject.rois());
            for (Roi roi : rois) {
                int[] members = roi.members();
                if (members.length == 0) {
                    continue;
                }
                int layers = r.testR2ByLayer().length;
                int[] histogram = new int[layers];
                double[] scores = new double[members.length];
                for (int i = 0; i < members.length; i++) {
                    histogram[r.bestLayer()[members[i]]]++;
                    scores[i] = r.testR2()[members[i]];
                }
                int mode = 0;
                for (int l = 1; l < layers; l++) {
                    mode = histogram[l] > histogram[mode] ? l : mode;
                }
                double mean = Distribution.of(scores).mean();
                perRoi.add(roi.name(), members.length, mode + 1, mean);
                if (!roi.name().contains(":")) {
                    out.printf(Locale.ROOT, "%-8s %7d %10d %8.3f%n", roi.name(), members.length, mode + 1, mean);
                }
            }
            java.nio.file.Files.createDirectories(dir);
            Path a = dir.resolve("ridge.csv"), b = dir.resolve("ridge_rois.csv");
            perVoxel.writeCsv(a);
            perRoi.writeCsv(b);
            AnalysisCommands.listWritten(out, List.of(a, b));
            return CommandLine.OK;
        }
    }
}
