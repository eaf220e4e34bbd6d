package org.brainalign.cli.tests;

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
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.brainalign.io.npy.Npy;
import org.brainalign.io.npy.NpyArray;

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
}
