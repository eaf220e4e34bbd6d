package org.brainalign.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans, their checks before any work (one sentence each, nothing written), the dry run, `sweep cell` and the Slurm
 * script.
 */
class SweepPlanTest {

    @TempDir
    Path dir;

    private Path plan(String json) throws IOException {
        Path p = dir.resolve("SWEEP.json");
        Files.writeString(p, json);
        return p;
    }

    private Path tinyInputs() throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Files.writeString(dir.resolve("a/subject.json"), "{}");
        Files.createDirectories(dir.resolve("ckpt/vit-s"));
        Files.createDirectories(dir.resolve("ckpt/vit-b"));
        Files.createDirectories(dir.resolve("img"));
        return plan("""
                {"subjects": ["a/subject.json"], "backbones": ["hf-vit:ckpt/vit-s", "ckpt/vit-b"],
                 "seeds": [3, 4], "images": "img", "fit": {"epochs": 5}}
                """);
    }

    @Test
    void theGridIsTheProductInPlanOrder() throws IOException {
        SweepPlan p = SweepPlan.read(tinyInputs());
        assertEquals(List.of("a__vit-s__seed3", "a__vit-s__seed4", "a__vit-b__seed3", "a__vit-b__seed4"), p.cells()
                .stream().map(SweepCell::id).toList());
        assertEquals("hf-vit", p.backbone("vit-s").family());
        assertEquals("auto", p.backbone("vit-b").family());
        assertEquals(dir.resolve("ckpt/vit-b").toAbsolutePath(), p.backbone("vit-b").checkpoint());
        assertEquals(5, p.options().epochs());
        assertEquals(0.1, p.options().testFraction());
    }

    /** Asserts a sweep command fails with usage or failure, in one line that contains the words given. */
    private static void refused(String expected, String... args) {
        String text = SweepLocalTest.sweep(SweepMain.FAILURE, args);
        assertTrue(text.contains(expected), text);
        assertEquals(1, text.strip().lines().count(), text);
    }

    @Test
    void badPlansAreRefusedInOneSentenceBeforeAnyWork() throws IOException {
        tinyInputs();
        Path out = dir.resolve("out");
        Files.writeString(dir.resolve("missing-subject.json"), """
                {"subjects": ["b/subject.json"], "backbones": ["ckpt/vit-s"], "images": "img"}""");
        refused("subject 'b' names " + dir.resolve("b/subject.json").toAbsolutePath() + ", which does not exist",
                "--plan", dir.resolve("missing-subject.json").toString(), "--out", out.toString());
        Files.writeString(dir.resolve("missing-checkpoint.json"), """
                {"subjects": ["a/subject.json"], "backbones": ["clip:ckpt/clip-l"], "images": "img"}""");
        refused("backbone 'clip-l' names checkpoint", "--plan", dir.resolve("missing-checkpoint.json").toString(),
                "--out", out.toString());
        Files.writeString(dir.resolve("twice.json"), """
                {"subjects": ["a/subject.json"], "backbones": ["ckpt/vit-s", "hf-vit:ckpt/vit-s"], "images": "img"}""");
        refused("two backbones are named 'vit-s'", "--plan", dir.resolve("twice.json").toString(), "--out", out
                .toString());
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        refused("the master spark://127.0.0.1:" + closed + " does not answer", "--plan", dir.resolve("SWEEP.json")
                .toString(), "--out", out.toString(), "--master", "spark://127.0.0.1:" + closed);
        assertFalse(Files.exists(out), "nothing is written before the checks pass");

        // a folder of another plan
        Files.createDirectories(out);
        Files.writeString(out.resolve(SweepFolder.SWEEP_JSON), """
                {"format": "brainalign-sweep/1", "plan": "/elsewhere/OTHER.json", "plan_sha256": "00"}""");
        refused("holds the sweep of another plan (/elsewhere/OTHER.json", "--plan", dir.resolve("SWEEP.json")
                .toString(), "--out", out.toString());
        Files.delete(out.resolve(SweepFolder.SWEEP_JSON));
        Files.writeString(out.resolve("notes.txt"), "mine");
        refused("is not empty and holds no sweep", "--plan", dir.resolve("SWEEP.json").toString(), "--out", out
                .toString());
    }

    @Test
    void theSlurmScriptRunsOneCellPerArrayTask() throws IOException {
        Path p = tinyInputs();
        String script = SweepLocalTest.sweep(SweepMain.OK, "slurm-script", "--plan", p.toString(), "--out", dir
                .resolve("out").toString(), "--threads", "8");
        assertTrue(script.startsWith("#!/bin/bash\n"), script);
        assertTrue(script.contains("#SBATCH --array=0-3\n"), script);
        assertTrue(script.contains("#SBATCH --cpus-per-task=8\n"), script);
        assertTrue(script.contains("brainalign sweep cell --plan " + p.toAbsolutePath() + " --index"
                + " \"$SLURM_ARRAY_TASK_ID\" --out " + dir.resolve("out").toAbsolutePath() + " --threads 8\n"), script);
    }

    @Test
    void dryRunListsCellsAndWorkAndWritesNothing() throws IOException {
        DemoGrid grid = DemoGrid.get();
        Path out = grid.root.resolve("sweep-dry");
        String text = SweepLocalTest.sweep(SweepMain.OK, "--plan", grid.plan.toString(), "--out", out.toString(),
                "--dry-run");
        assertTrue(text.contains("s2__net-b__seed1"), text);
        assertTrue(text.contains("done: 0 of 8 cells, 0 of 2 feature stores"), text);
        assertTrue(text.contains("to do: 2 stores x 40 images = 80 images through a backbone; 8 cells x at most 2"
                + " epochs = 16 epochs of fitting"), text);
        assertFalse(Files.exists(out));
    }

    @Test
    void oneCellAloneEqualsItsFitRunAlone() throws IOException {
        DemoGrid grid = DemoGrid.get();
        Path out = grid.root.resolve("sweep-cell");
        String text = SweepLocalTest.sweep(SweepMain.OK, "cell", "--plan", grid.plan.toString(), "--index", "5",
                "--out", out.toString(), "--threads", "1");
        assertTrue(text.startsWith("s2__net-a__seed1: published"), text);
        SweepLocalTest.assertSameAsOneByOne(grid, out, List.of("s2__net-a__seed1"));
        assertTrue(SweepLocalTest.sweep(SweepMain.OK, "status", out.toString()).contains(
                "cells: 1 done, 0 running, 0 failed, 7 waiting, of 8"));
    }
}
