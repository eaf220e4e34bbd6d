package org.brainalign.cli.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.brainalign.core.data.Responses;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.engine.factortopy.EncoderEvaluator;
import org.brainalign.engine.factortopy.FittedEncoder;
import org.brainalign.engine.features.FeatureStore;
import org.brainalign.engine.features.StoreFeatures;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.subject.Subject;
import org.brainalign.io.subject.SubjectDescription;
import org.brainalign.io.npy.NpyArray;
import org.brainalign.testing.SyntheticAlgonautsSubject;

/**
 * The commands of a whole study on a small demo subject made once for the class: fit, evaluate, predict, ridge,
 * analyze, render, drift, compare and report, checked for their exit codes, their files, and numbers that must agree
 * between commands (evaluate on the held-out images repeats the fit's own score; predict's file reproduces it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class WorkflowCommandsTest extends CommandHarness {

    private static Path dir;
    private static Path subject;
    private static Path store;
    private static Path demoRun;

    @BeforeAll
    public static void smallDemo() throws Exception {
        dir = Files.createTempDirectory("brainalign-workflow");
        WorkflowCommandsTest t = new WorkflowCommandsTest();
        int code = t.run("demo", "--out", dir.resolve("demo").toString(), "--images", "60", "--epochs", "3",
                "--threads", "2");
        assertEquals(0, code, t.err);
        subject = dir.resolve("demo/subject/subject.json");
        store = dir.resolve("demo/features");
        demoRun = dir.resolve("demo/runs/demo");
    }

    @AfterAll
    public static void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    @Order(1)
    public void evaluateRepeatsTheFitsHeldOutScore() throws Exception {
        String runJson = Files.readString(demoRun.resolve("run.json"));
        double fitted = number(runJson, "\"mean_r2\"\\s*:\\s*(-?[0-9.eE+-]+)");
        assertEquals(0, run("evaluate", demoRun.toString()), err);
        double evaluated = number(out, "mean R2 (-?[0-9.]+)");
        assertEquals(fitted, evaluated, 1e-4, "same encoder, same held-out images, same score (printed to 4 places)");
        assertTrue(Files.isRegularFile(demoRun.resolve("tables/evaluation.csv")));
    }

    @Test
    @Order(1)
    public void evaluateOnEveryImageReadsInPassesAndScoresAsTheWholeSubjectAtOnce() throws Exception {
        assertEveryImageScoredInPassesAsAtOnce(demoRun, subject, store, 60);
        assertEquals(2, run("evaluate", demoRun.toString(), "--all-images", "--images-per-pass", "0"));
    }

    /**
     * The same for a subject in the Algonauts layout, made of the demo subject's responses (a pass reads its rows of
     * the fMRI arrays only), on a run fitted to it for one epoch: the scores do not depend on the fit's quality.
     */
    @Test
    @Order(1)
    public void evaluateOnEveryImageOfAnAlgonautsSubjectReadsInPassesToo() throws Exception {
        Subject demo = SubjectDescription.read(subject).load(null, null);
        int voxels = demo.responses().voxelCount();
        int[] nsd = IntStream.range(0, demo.responses().imageCount()).map(i -> 100 + 3 * i).toArray();
        Path folder = dir.resolve("algonauts");
        Path subj = folder.resolve("subj01");
        Path surfaces = folder.resolve("surf");
        SyntheticAlgonautsSubject.write(subj, surfaces, hemisphere(demo, 0, voxels / 2),
                hemisphere(demo, voxels / 2, voxels), nsd, demo.imageFiles());
        Path description = folder.resolve(SubjectDescription.FILE);
        new SubjectDescription("algonauts", subj, null, null, null, null, null, surfaces).write(description);
        Path features = folder.resolve("features");
        // batches of 16 as the demo extracted them: the network has run at that shape (at 8 this takes 7 s, not 0.3)
        assertEquals(0, run("extract", "--backbone", "hf-vit:" + dir.resolve("demo/network"), "--images",
                subj.resolve("training_split/training_images").toString(), "--out", features.toString(),
                "--device", "cpu", "--batch", "16"), err);
        Path fitted = folder.resolve("run");
        assertEquals(0, run("fit", "--features", features.toString(), "--subject", description.toString(), "--out",
                fitted.toString(), "--epochs", "1", "--threads", "2", "--no-analysis"), err);
        assertEveryImageScoredInPassesAsAtOnce(fitted, description, features, 60);
        // on the held-out images only their rows are read, and the fit's own score comes back
        double score = number(Files.readString(fitted.resolve("run.json")), "\"mean_r2\"\\s*:\\s*(-?[0-9.eE+-]+)");
        assertEquals(0, run("evaluate", fitted.toString(), "--threads", "2"), err);
        assertEquals(score, number(out, "mean R2 (-?[0-9.]+)"), 1e-4, out);
    }

    /** Columns [from, to) of a subject as one hemisphere, every vertex a challenge vertex at its voxel's position. */
    private static SyntheticAlgonautsSubject.Hemisphere hemisphere(Subject s, int from, int to) {
        double[][] positions = new double[to - from][];
        float[][] responses = new float[s.responses().imageCount()][to - from];
        for (int v = from; v < to; v++) {
            positions[v - from] = s.voxels().coordinate(v);
            for (int i = 0; i < responses.length; i++) {
                responses[i][v - from] = s.responses().get(i, v);
            }
        }
        return new SyntheticAlgonautsSubject.Hemisphere(positions, IntStream.range(0, to - from).toArray(), responses,
                null);
    }

    /**
     * evaluate --all-images in passes of 16 images and in one pass writes the scores of the whole subject loaded at
     * once and scored, to the last bit (what evaluate --all-images did before it read in passes).
     */
    private void assertEveryImageScoredInPassesAsAtOnce(Path runPath, Path subjectFile, Path storePath, int count)
            throws Exception {
        Subject whole = SubjectDescription.read(subjectFile).load(null, null);
        RunFolder runFolder = RunFolder.open(runPath);
        VoxelSet voxels = runFolder.voxels();
        int[] positions = new int[voxels.size()];
        for (int n = 0; n < positions.length; n++) {
            positions[n] = whole.voxels().positionOf(voxels.index(n));
        }
        Responses responses = whole.responses().selectVoxels(positions);
        int[] images = new int[responses.imageCount()];
        java.util.Arrays.setAll(images, i -> i);
        EncoderEvaluator.Scores expected;
        try (FeatureStore fs = FeatureStore.open(storePath)) {
            expected = EncoderEvaluator.evaluate(FittedEncoder.load(runFolder.encoderFile()),
                    StoreFeatures.match(fs, whole.imageFiles()), responses, voxels.coordinates(), images, null, 2,
                    null);
        }
        assertEquals(count, images.length);
        List<List<String>> tables = new java.util.ArrayList<>();
        // 16 per pass: four passes, never more than 16 images' responses held; 1000: one pass, as before
        for (String[] c : new String[][] { { "16", "4", "16" }, { "1000", "1", "" + count } }) {
            assertEquals(0, run("evaluate", runPath.toString(), "--all-images", "--images-per-pass", c[0],
                    "--threads", "2"), err);
            assertTrue(out.contains("on " + count + " images") && out.contains("read in " + c[1] + " pass")
                    && out.contains("of at most " + c[0] + " images (" + c[2] + " held at once at most)"), out);
            assertTrue(number(out, "([0-9.]+) images/s with the reading") > 0, out);
            List<String> lines = Files.readAllLines(runPath.resolve("tables/evaluation.csv"));
            assertEquals("voxel,index,r2,pearson_r", lines.get(0));
            assertEquals(voxels.size() + 1, lines.size());
            for (int n = 0; n < voxels.size(); n++) {
                String[] cells = lines.get(n + 1).split(",");
                // the same sums in the same order: equal to the last bit (the table writes floats exactly)
                assertEquals(expected.rSquared()[n], Float.parseFloat(cells[2]), 0, "R2 of voxel " + n);
                assertEquals(expected.pearson()[n], Float.parseFloat(cells[3]), 0, "r of voxel " + n);
            }
            tables.add(lines);
        }
        assertEquals(tables.get(0), tables.get(1), "four passes and one write the same table");
    }

    @Test
    @Order(2)
    public void predictFromExportedFeaturesMatchesTheStore() throws Exception {
        Path npz = dir.resolve("features.npz");
        assertEquals(0, run("features", "export", store.toString(), "--out", npz.toString()), err);
        Path pred = dir.resolve("pred.npy");
        assertEquals(0, run("predict", "--run", demoRun.toString(), "--features", npz.toString(), "--out",
                pred.toString()), err);
        NpyArray p = Npy.read(pred);
        assertEquals(60, p.shape()[0]);
        int voxels = p.shape()[1];
        assertTrue(voxels > 100, "the demo has some hundred voxels, got " + voxels);
        // the same prediction through --encoder/--coords (the reference implementation's inputs)
        Path coords = demoRun.resolve("voxels/coordinates.npy");
        Path pred2 = dir.resolve("pred2.npy");
        assertEquals(0, run("predict", "--encoder", demoRun.resolve("encoder.safetensors").toString(), "--coords",
                coords.toString(), "--features", npz.toString(), "--out", pred2.toString()), err);
        float[] a = p.toFloatArray(), b = Npy.read(pred2).toFloatArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 0, "element " + i);
        }
        assertEquals(2, run("predict", "--run", demoRun.toString(), "--encoder", "x", "--features", npz.toString(),
                "--out", pred.toString()));
    }

    @Test
    @Order(3)
    public void fitAnotherRunThenDriftCompareAndReport() throws Exception {
        Path second = dir.resolve("runs/seed2");
        assertEquals(0, run("fit", "--features", store.toString(), "--subject", subject.toString(), "--out",
                second.toString(), "--epochs", "2", "--seed", "2", "--threads", "2"), err);
        for (String f : List.of("run.json", "encoder.safetensors", "maps/preferred_layer.nii.gz",
                "tables/rois.csv", "charts/layer-preference.png", "charts/alignment.svg")) {
            assertTrue(Files.isRegularFile(second.resolve(f)), f + " missing");
        }
        // a second fit into the same folder is refused, and --resume of a finished run says so
        assertEquals(1, run("fit", "--features", store.toString(), "--subject", subject.toString(), "--out",
                second.toString()));
        assertTrue(err.contains("already holds a run"), err);

        Path drift = dir.resolve("drift");
        assertEquals(0, run("drift", demoRun.toString(), second.toString(), "--out", drift.toString()), err);
        assertTrue(Files.isRegularFile(drift.resolve("drift.csv")) && Files.isRegularFile(drift.resolve("drift.png")));
        assertEquals(0, run("drift", demoRun.toString(), demoRun.toString(), "--out", dir.resolve("self").toString()),
                err);
        assertTrue(out.contains("slope +0.000, b0 +0.000, b1 +0.000"), "a run drifts nowhere from itself:\n" + out);

        Path compare = dir.resolve("compare");
        assertEquals(0, run("compare", demoRun.toString(), second.toString(), "--out", compare.toString()), err);
        assertTrue(Files.isRegularFile(compare.resolve("comparison.csv")));

        Path html = dir.resolve("report.html");
        assertEquals(0, run("report", demoRun.toString(), second.toString(), "--out", html.toString()), err);
        String report = Files.readString(html);
        assertTrue(report.contains("data:image/png;base64,"), "charts inlined");
        assertFalse(report.contains("http://") || report.contains("<script"), "self-contained");
    }

    @Test
    @Order(4)
    public void analyzeRenderAndRidge() throws Exception {
        assertEquals(0, run("analyze", demoRun.toString(), "--hierarchy", "V1,V2,V3;hV4,OFA,OPA;EBA,FFA,PPA"), err);
        assertTrue(out.contains("alignment: slope"), out);
        assertEquals(0, run("render", demoRun.toString(), "--chart", "brain", "--format", "svg"), err);
        assertTrue(Files.readString(demoRun.resolve("charts/brain.svg")).startsWith("<?xml")
                || Files.readString(demoRun.resolve("charts/brain.svg")).startsWith("<svg"));
        assertEquals(2, run("render", demoRun.toString(), "--chart", "pie"));
        assertEquals(2, run("analyze", demoRun.toString(), "--hierarchy", "V1=zero"));

        Path ridge = dir.resolve("ridge");
        assertEquals(0, run("ridge", "--features", store.toString(), "--subject", subject.toString(), "--out",
                ridge.toString(), "--folds", "3"), err);
        List<String> rows = Files.readAllLines(ridge.resolve("ridge.csv"));
        assertEquals("voxel,index,best_layer,lambda,validation_r2,test_r2,test_r", rows.get(0));
        assertTrue(rows.size() > 100);
        assertTrue(out.contains("V1"), out);
    }

    @Test
    @Order(5)
    public void finetuneDriftExperimentRunsAndResumes() throws Exception {
        Path classes = dir.resolve("classes");
        for (int c = 0; c < 2; c++) {
            Path folder = Files.createDirectories(classes.resolve(c == 0 ? "discs" : "bars"));
            for (int i = 0; i < 12; i++) {
                java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 64,
                        java.awt.image.BufferedImage.TYPE_INT_RGB);
                java.awt.Graphics2D g = image.createGraphics();
                g.setColor(new java.awt.Color(40 + 15 * i, 90, 200 - 10 * i));
                int at = 8 + 2 * i;
                if (c == 0) {
                    g.fillOval(at, at, 28, 28);
                } else {
                    g.fillRect(at, 4, 10, 56);
                }
                g.dispose();
                javax.imageio.ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
            }
        }
        Path exp = dir.resolve("experiment");
        String[] command = { "experiment", "finetune-drift", "--backbone", "hf-vit:" + dir.resolve("demo/network"),
                "--finetune-images", classes.toString(), "--subject", subject.toString(), "--out", exp.toString(),
                "--finetune-epochs", "1", "--fit-epochs", "2", "--threads", "2", "--device", "cpu" };
        assertEquals(0, run(command), err);
        for (String f : List.of("before/run/maps/preferred_layer.nii.gz", "after/run/maps/preferred_layer.nii.gz",
                "finetuned/model.safetensors", "drift/drift.csv", "drift/drift.png", "forgetting.csv",
                "report.html")) {
            assertTrue(Files.isRegularFile(exp.resolve(f)), f + " missing");
        }
        List<String> forgetting = Files.readAllLines(exp.resolve("forgetting.csv"));
        assertTrue(forgetting.get(0).startsWith("roi,voxels,r2_before,r2_after,r2_change"), forgetting.get(0));
        assertTrue(forgetting.stream().anyMatch(l -> l.startsWith("V1,")), "V1 row");
        String first = out;
        // a second call finds every stage done and reports the same figures
        assertEquals(0, run(command), err);
        assertTrue(err.contains("the before fit is already done") && err.contains("fine-tuning already done")
                && err.contains("the after fit is already done"), err);
        assertEquals(first.replaceAll("(?s)wrote:.*", ""), out.replaceAll("(?s)wrote:.*", ""));
    }
    @Test
    @Order(6)
    public void outputsNeverReplaceInputsAndExistingFilesOnlyWithForce() throws Exception {
        Path npz = dir.resolve("features.npz");
        Path data = store.resolve("features.f16");
        byte[] storeBefore = Files.readAllBytes(data);
        assertEquals(1, run("features", "export", store.toString(), "--out", data.toString(), "--force"));
        assertTrue(err.contains("never writes over"), err);
        assertArrayEquals(storeBefore, Files.readAllBytes(data), "the store is untouched");
        assertEquals(1, run("features", "export", store.toString(), "--out", npz.toString()));
        assertTrue(err.contains(npz + " already exists; pass --force"), err);
        assertEquals(0, run("features", "export", store.toString(), "--out", npz.toString(), "--force"), err);

        Path runJson = demoRun.resolve("run.json");
        byte[] runBefore = Files.readAllBytes(runJson);
        assertEquals(1, run("report", demoRun.toString(), "--out", runJson.toString(), "--force"));
        assertArrayEquals(runBefore, Files.readAllBytes(runJson), "the run is untouched");

        Path coords = dir.resolve("coords.npy");
        Files.copy(demoRun.resolve("voxels/coordinates.npy"), coords);
        byte[] coordsBefore = Files.readAllBytes(coords);
        for (String input : List.of("--coords", "--encoder", "--features")) {
            Path target = input.equals("--coords")
                    ? coords
                    : input.equals("--encoder") ? demoRun.resolve("encoder.safetensors") : npz;
            assertEquals(1, run("predict", "--encoder", demoRun.resolve("encoder.safetensors").toString(), "--coords",
                    coords.toString(), "--features", npz.toString(), "--out", target.toString(), "--force"), input);
            assertTrue(err.contains("never writes over"), err);
        }
        assertArrayEquals(coordsBefore, Files.readAllBytes(coords));

        Path atlas = dir.resolve("runs/seed2/voxels/mask.nii.gz");
        byte[] atlasBefore = Files.readAllBytes(atlas);
        assertEquals(1, run("roi", "mask", atlas.toString(), "--labels", "1", "--out", atlas.toString(), "--force"));
        assertArrayEquals(atlasBefore, Files.readAllBytes(atlas));
        Path mask = Files.writeString(dir.resolve("mask.nii.gz"), "kept");
        assertEquals(1, run("roi", "mask", atlas.toString(), "--labels", "1", "--out", mask.toString()));
        assertEquals("kept", Files.readString(mask));
        assertEquals(0, run("roi", "mask", atlas.toString(), "--labels", "1", "--out", mask.toString(), "--force"),
                err);

        // folders: drift and compare refuse a non-empty folder and any folder inside a run
        Path second = dir.resolve("runs/seed2");
        Path notEmpty = Files.createDirectories(dir.resolve("notes"));
        Files.writeString(notEmpty.resolve("mine.txt"), "mine");
        assertEquals(1, run("drift", demoRun.toString(), second.toString(), "--out", notEmpty.toString()));
        assertTrue(err.contains("is not empty; pass --force"), err);
        assertEquals(1, run("compare", demoRun.toString(), second.toString(), "--out", notEmpty.toString()));
        assertEquals(1, run("compare", demoRun.toString(), second.toString(), "--out",
                demoRun.resolve("compare").toString(), "--force"));
        assertEquals(0, run("drift", demoRun.toString(), second.toString(), "--out", notEmpty.toString(), "--force"),
                err);
        assertEquals("mine", Files.readString(notEmpty.resolve("mine.txt")));

        // extract refuses a folder that holds something other than a store, such as a run
        Path images = Files.createDirectories(dir.resolve("one-image"));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", images.resolve("a.png").toFile());
        assertEquals(1, run("extract", "--backbone", "hf-vit:" + dir.resolve("demo/network"), "--images",
                images.toString(), "--out", second.toString(), "--device", "cpu"));
        assertTrue(err.contains("holds no feature store"), err);
        assertArrayEquals(runBefore, Files.readAllBytes(runJson));

        // a second writer of a store or a run is refused while the first holds it, and its files are left alone
        try (org.brainalign.io.FolderLock held = org.brainalign.io.FolderLock.acquire(store)) {
            assertEquals(1, run("extract", "--backbone", "hf-vit:" + dir.resolve("demo/network"), "--images",
                    images.toString(), "--out", store.toString(), "--device", "cpu"));
            assertTrue(err.contains("is being written by another BrainAlign command"), err);
        }
        Path busy = dir.resolve("runs/busy");
        try (org.brainalign.io.FolderLock held = org.brainalign.io.FolderLock.acquire(busy)) {
            Files.writeString(busy.resolve("run.json"), "{}");
            assertEquals(1, run("fit", "--features", store.toString(), "--subject", subject.toString(), "--out",
                    busy.toString(), "--epochs", "1", "--threads", "2"));
            assertTrue(err.contains("is being written by another BrainAlign command"), err);
            assertEquals("{}", Files.readString(busy.resolve("run.json")), "the other writer's file is kept");
        }
    }
    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Test
    @Order(7)
    public void resumeKeepsTheSettingsItStartedWithAndFinishesAKilledAnalysis() throws Exception {
        Path resumed = dir.resolve("runs/resume");
        String[] fit = { "fit", "--features", store.toString(), "--subject", subject.toString(), "--out",
                resumed.toString(), "--epochs", "2", "--seed", "3", "--threads", "2", "--no-analysis" };
        assertEquals(0, run(fit), err);
        // what a kill leaves after run.json is written and before the first checkpoint
        for (String f : List.of("selectors", "encoder.safetensors", "checkpoint.safetensors", "training-curve.csv")) {
            delete(resumed.resolve(f));
        }
        String[] other = fit.clone();
        other[10] = "4";
        other = java.util.stream.Stream.concat(java.util.Arrays.stream(other), java.util.stream.Stream.of("--resume"))
                .toArray(String[]::new);
        assertEquals(1, run(other));
        assertTrue(err.contains("seed 3 (now 4)") && err.contains(resumed.toString()), err);
        String[] same = java.util.stream.Stream.concat(java.util.Arrays.stream(fit), java.util.stream.Stream.of(
                "--resume")).toArray(String[]::new);
        assertEquals(0, run(same), err);
        assertTrue(Files.readString(resumed.resolve("run.json")).contains("\"seed\": \"3\""));

        // what a kill during the analysis leaves: a finished fit without its maps; --resume finishes the analysis
        delete(resumed.resolve("maps"));
        String[] analyse = java.util.Arrays.stream(same).filter(a -> !a.equals("--no-analysis"))
                .toArray(String[]::new);
        assertEquals(0, run(analyse), err);
        assertTrue(Files.isRegularFile(resumed.resolve("maps/preferred_layer.nii.gz")), "the analysis finished");
    }

    @Test
    @Order(8)
    public void aFailedFitLeavesNoRunFolder() throws Exception {
        // a subject of three trials: fitting starts, but no split leaves images to score
        Path small = Files.createDirectories(dir.resolve("small-subject"));
        List<String> trials = Files.readAllLines(subject.resolveSibling("trials.csv")).subList(0, 4);
        Files.write(small.resolve("trials.csv"), trials);
        Path root = subject.getParent().toAbsolutePath();
        Files.writeString(small.resolve("subject.json"), "{\"layout\": \"nsd\", \"root\": \""
                + root.toString().replace("\\", "/") + "\", \"subject\": \"subj01\", \"trials\": \"trials.csv\","
                + " \"stimuli\": \"" + root.resolve("stimuli").toString().replace("\\", "/") + "\"}");
        Path failed = dir.resolve("runs/failed");
        assertEquals(1, run("fit", "--features", store.toString(), "--subject", small.resolve("subject.json")
                .toString(), "--out", failed.toString(), "--epochs", "2", "--threads", "2"));
        assertFalse(Files.exists(failed), "a failed fit leaves nothing under the run's name: " + err);
        assertFalse(err.contains("small-subject"), "it failed while fitting, not on reading the subject: " + err);
    }
    /** Writes a NaN over the first value of the first float32 tensor whose name contains a word. */
    private static void nanInto(Path safetensors, String word) throws IOException {
        byte[] b = Files.readAllBytes(safetensors);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) buf.getLong(0);
        com.google.gson.JsonObject header = com.google.gson.JsonParser.parseString(new String(b, 8, headerLength,
                java.nio.charset.StandardCharsets.UTF_8)).getAsJsonObject();
        for (String name : header.keySet()) {
            com.google.gson.JsonElement e = header.get(name);
            if (name.contains(word) && e.isJsonObject() && e.getAsJsonObject().get("dtype").getAsString().equals(
                    "F32")) {
                int at = 8 + headerLength + e.getAsJsonObject().getAsJsonArray("data_offsets").get(0).getAsInt();
                buf.putFloat(at, Float.NaN);
                Files.write(safetensors, b);
                return;
            }
        }
        throw new AssertionError("no float32 tensor named like " + word + " in " + safetensors);
    }

    @Test
    @Order(9)
    public void nanInputsAreRefusedInsteadOfGivingNanResults() throws Exception {
        Path npz = dir.resolve("features.npz");
        java.util.Map<String, NpyArray> arrays = org.brainalign.io.npy.Npz.read(npz, java.util.Set.of("local",
                "global"));
        float[] local = arrays.get("local").toFloatArray();
        local[local.length - 1] = Float.POSITIVE_INFINITY;
        Path bad = dir.resolve("inf-features.npz");
        org.brainalign.io.npy.Npz.write(bad, java.util.Map.of("local", NpyArray.ofFloats(local, arrays.get("local")
                .shape()), "global", arrays.get("global")), false);
        Path pred = dir.resolve("nan-pred.npy");
        assertEquals(1, run("predict", "--run", demoRun.toString(), "--features", bad.toString(), "--out",
                pred.toString()));
        assertTrue(err.contains("inf-features.npz") && err.contains("image 59"), err);
        assertFalse(Files.exists(pred));

        Path encoder = dir.resolve("nan-encoder.safetensors");
        Files.copy(demoRun.resolve("encoder.safetensors"), encoder);
        nanInto(encoder, "weight");
        assertEquals(1, run("predict", "--encoder", encoder.toString(), "--coords", demoRun.resolve(
                "voxels/coordinates.npy").toString(), "--features", npz.toString(), "--out", pred.toString()));
        assertTrue(err.contains("nan-encoder.safetensors") && err.contains("NaN"), err);
        assertFalse(Files.exists(pred));

        // a backbone whose weights hold NaN: extract stores nothing and says so
        Path network = Files.createDirectories(dir.resolve("nan-network"));
        Files.copy(dir.resolve("demo/network/config.json"), network.resolve("config.json"));
        Files.copy(dir.resolve("demo/network/model.safetensors"), network.resolve("model.safetensors"));
        nanInto(network.resolve("model.safetensors"), "patch");
        Path nanStore = dir.resolve("nan-store");
        assertEquals(1, run("extract", "--backbone", "hf-vit:" + network, "--images", dir.resolve("one-image")
                .toString(), "--out", nanStore.toString(), "--device", "cpu"));
        assertTrue(err.contains("NaN features"), err);
    }
}
