package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.brainalign.ui.jobs.SweepJob;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep job against a stand-in for the launcher script that prints what `brainalign sweep` prints (the real
 * sweep runs outside the workbench and is tested in releng/org.brainalign.sweep): the job reads the cells done,
 * failed and running from its lines, and a failing sweep's one sentence becomes the job's failure.
 */
public class SweepJobTest {

    @TempDir
    Path dir;

    @BeforeAll
    public static void noModalDialogs() {
        ErrorDialog.AUTOMATED_MODE = true;
    }

    private Path launcher(String body) throws Exception {
        Path script = dir.resolve("brainalign");
        Files.writeString(script, "#!/bin/bash\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    public void theJobFollowsTheSweepsProgressLines() throws Exception {
        Path out = dir.resolve("sweep");
        Path script = launcher("""
                [[ $1 == sweep && $2 == --plan && $4 == --out ]] || exit 2
                echo "sweep: 8 cells (0 done), 2 backbones, master local[2,3], 1 thread(s) per task"
                echo "sweep: stores 2/2 done, 0 failed attempts, 0 running; 3 s spent, 0 s left"
                echo "sweep: cells 5/8 done, 1 failed attempts, 2 running; 30 s spent, 18 s left"
                echo "sweep: cells 8/8 done, 1 failed attempts, 0 running; 48 s spent, 0 s left"
                mkdir -p "$5/report" && echo "<html></html>" > "$5/report/report.html"
                """);
        SweepJob job = new SweepJob(null, script, dir.resolve("SWEEP.json"), out, List.of());
        job.schedule();
        job.join();
        assertNull(job.failure());
        assertEquals(new SweepJob.Progress("cells", 8, 8, 1, 0), job.progress());
        assertTrue(Files.isRegularFile(job.report()));
    }

    @Test
    public void aFailingSweepFailsTheJobInItsOwnSentence() throws Exception {
        Path script = launcher(
                """
                        echo "sweep: Spark 4.2.0 started on local[2,3] in 2.0 s"
                        echo "brainalign sweep: /data/SWEEP.json: two backbones are named 'vit-b'; give each a distinct \\"name\\"" >&2
                        exit 1
                        """);
        // the job's failure, and the error dialog (automated: logged) that says it
        CleanLog.expect(CleanLog.about("two backbones are named 'vit-b'"));
        SweepJob job = new SweepJob(null, script, dir.resolve("SWEEP.json"), dir.resolve("sweep"), List.of());
        job.schedule();
        job.join();
        Workbench.settle(); // the error dialog is shown (and logged) from the UI thread after the job
        assertEquals("/data/SWEEP.json: two backbones are named 'vit-b'; give each a distinct \"name\"", job.failure()
                .getMessage());
    }
}
