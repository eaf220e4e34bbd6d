package org.brainalign.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.brainalign.sweep.spark.SparkSweep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A sweep whose driver is killed (kill -9) part way, then rerun: finished cells are skipped, the end is identical. */
class SweepKillTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aDriverKilledPartWayResumesToTheSameResult() throws Exception {
        DemoGrid grid = DemoGrid.get();
        Path out = grid.root.resolve("sweep-killed");
        SweepPlan plan = SweepPlan.read(grid.plan);
        SweepFolder folder = new SweepFolder(out);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SparkSweep.executorOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SweepMain.class.getName(), "--plan",
                grid.plan.toString(), "--out", out.toString(), "--master", "local[2,3]"));
        Path log = grid.root.resolve("killed-driver.log");
        Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<String> before;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            do {
                Thread.sleep(200);
                before = published(plan, folder);
            } while (before.isEmpty() && driver.isAlive() && System.nanoTime() < deadline);
        } finally {
            driver.destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
            driver.waitFor(30, TimeUnit.SECONDS);
        }
        before = published(plan, folder);
        assertTrue(!before.isEmpty() && before.size() < 8, "killed after " + before + "; driver log:\n"
                + Files.readString(log));

        String printed = SweepLocalTest.sweep(SweepMain.OK, "--plan", grid.plan.toString(), "--out", out.toString(),
                "--master", "local[2,3]");
        assertTrue(printed.contains((8 - before.size()) + " cells fitted, " + before.size() + " cells already done"),
                printed);
        SweepLocalTest.assertSameAsOneByOne(grid, out, grid.cellIds);
        for (String id : before) {
            long starts = folder.events(id).stream().filter(e -> e.event().equals(AttemptEvent.STARTED)).count();
            assertEquals(1, starts, id + " was done before the kill and must not be redone");
        }
        try (var runs = Files.list(out.resolve("runs"))) {
            assertEquals(8, runs.count(), "no half-written folder is left");
        }
    }

    private static List<String> published(SweepPlan plan, SweepFolder folder) {
        return plan.cells().stream().filter(c -> SweepFolder.published(folder.run(c))).map(SweepCell::id).toList();
    }
}
