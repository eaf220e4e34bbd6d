package org.brainalign.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.brainalign.sweep.spark.SparkSweep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sweep in Spark's local mode against the same fits run one by one with `extract` and `fit`: equal bit for bit,
 * also after a task failed on its first attempt, and after the driver was killed (kill -9) part way and rerun.
 */
class SweepLocalTest {

    /** Runs `sweep ...` in this JVM; returns stdout, failing with stderr unless the exit code is as expected. */
    static String sweep(int expected, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = SweepMain.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(
                err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(expected, code, text);
        return text;
    }

    static void assertSameAsOneByOne(DemoGrid grid, Path out, List<String> cells) throws IOException {
        for (String id : cells) {
            List<String> diff = DemoGrid.differences(out.resolve("runs").resolve(id), grid.reference.resolve("runs")
                    .resolve(id));
            assertTrue(diff.isEmpty(), id + ": " + diff);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void gridInLocalModeEqualsTheFitsRunOneByOne() throws IOException {
        DemoGrid grid = DemoGrid.get();
        Path out = grid.root.resolve("sweep-local");
        String printed = sweep(SweepMain.OK, "--plan", grid.plan.toString(), "--out", out.toString(), "--master",
                "local[2,3]");
        assertTrue(printed.contains("2 stores extracted, 8 cells fitted, 0 cells already done"), printed);
        assertSameAsOneByOne(grid, out, grid.cellIds);

        SweepPlan plan = SweepPlan.read(grid.plan);
        SweepStatus.Report status = SweepStatus.of(plan, new SweepFolder(out));
        assertEquals(8, status.cells(SweepStatus.State.DONE));
        for (SweepStatus.Entry e : status.cells()) {
            assertEquals(1, e.attempts(), e.name());
            assertTrue(e.executor().startsWith("driver@"), e.executor());
        }
        for (String f : List.of("comparison.csv", "backbones.csv", "backbones.png", "backbones.svg",
                "families.csv", "families.png", "families.svg", "report.html")) {
            assertTrue(Files.size(out.resolve("report").resolve(f)) > 0, f);
        }
        List<String> backbones = Files.readAllLines(out.resolve("report").resolve("backbones.csv"));
        assertEquals(3, backbones.size(), String.join("\n", backbones));
        assertTrue(backbones.get(1).startsWith("net-a,4,6,96,"), backbones.get(1));
        assertTrue(Files.readAllLines(out.resolve("report").resolve("families.csv")).get(1).startsWith(
                "hf-vit,8,6,96,"));
        // the backbone row's slope: mean and sample standard deviation of its 4 cells' slopes in comparison.csv
        List<String> comparison = Files.readAllLines(out.resolve("report").resolve("comparison.csv"));
        int slope = List.of(comparison.get(0).split(",")).indexOf("slope");
        double[] slopes = comparison.stream().skip(1).filter(l -> l.contains("__net-a__")).mapToDouble(l -> Double
                .parseDouble(l.split(",")[slope])).toArray();
        assertEquals(4, slopes.length);
        double mean = (slopes[0] + slopes[1] + slopes[2] + slopes[3]) / 4, ss = 0;
        for (double x : slopes) {
            ss += (x - mean) * (x - mean);
        }
        List<String> header = List.of(backbones.get(0).split(","));
        String[] netA = backbones.get(1).split(",");
        assertEquals(mean, Double.parseDouble(netA[header.indexOf("slope_mean")]), 2e-6,
                "backbones.csv has 6 decimals");
        assertEquals(Math.sqrt(ss / 3), Double.parseDouble(netA[header.indexOf("slope_sd")]), 2e-6);
        assertTrue(Files.readString(out.resolve("report").resolve("report.html")).contains("Alignment per backbone"));

        // a rerun finds everything done and starts nothing
        String again = sweep(SweepMain.OK, "--plan", grid.plan.toString(), "--out", out.toString(), "--master",
                "local[2,3]");
        assertTrue(again.contains("0 stores extracted, 0 cells fitted, 8 cells already done"), again);
        assertTrue(sweep(SweepMain.OK, "status", out.toString()).contains("cells: 8 done, 0 running, 0 failed,"
                + " 0 waiting, of 8"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aTaskFailingOnItsFirstAttemptIsRetried() throws IOException {
        DemoGrid grid = DemoGrid.get();
        Path planFile = grid.root.resolve("retry.json");
        Files.writeString(planFile, Files.readString(grid.plan).replace("\"seeds\": [0, 1],", """
                "seeds": [0, 1],
                  "cells": [{"subject": "s2", "backbone": "net-b", "seed": 1}],"""));
        SweepPlan plan = SweepPlan.read(planFile);
        SweepFolder folder = new SweepFolder(grid.root.resolve("sweep-retry"));
        folder.claim(plan);
        String cell = "s2__net-b__seed1";
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SparkSweep.Result r = SparkSweep.run(plan, folder, new SparkSweep.Settings("local[1,2]", 1, cell),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(1, r.cellsFitted());
        assertSameAsOneByOne(grid, folder.root(), List.of(cell));
        List<String> events = new ArrayList<>();
        for (AttemptEvent e : folder.events(cell)) {
            events.add(e.event() + " " + e.sparkAttempt());
        }
        assertEquals(List.of("started 0", "failed 0", "started 1", "published 1"), events);
        assertTrue(folder.events(cell).get(1).message().contains("failed on purpose"));
        try (var partials = Files.list(folder.root().resolve("runs"))) {
            assertEquals(List.of(cell), partials.map(p -> p.getFileName().toString()).toList());
        }
    }
}
