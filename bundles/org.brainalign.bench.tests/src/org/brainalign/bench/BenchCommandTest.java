package org.brainalign.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.brainalign.cli.CommandLine;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * {@code brainalign bench} reaches the command line only as a service of this bundle: these run the command line as
 * the product does, which knows nothing of the benchmarks.
 */
public class BenchCommandTest {

    private static final Path CHECKPOINTS = SharedData.path("checkpoints");

    private String out;
    private String err;

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = new CommandLine().run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    public void theCommandLineOffersTheContributedCommand() {
        assertEquals(0, run("--help"), err);
        assertTrue(out.contains("  bench "), out);
        assertEquals(0, run("help", "bench"), err);
        for (String name : new String[] { "nifti", "extract", "fit", "finetune", "checkpoint", "slices" }) {
            assertTrue(out.contains("  " + name + " "), out);
        }
    }

    @Test
    public void wrongNamesAndOptionsAreUsageErrors() {
        assertEquals(2, run("bench", "everything"));
        assertTrue(err.contains("unknown benchmark 'everything'"), err);
        assertEquals(2, run("bench"));
        assertEquals(2, run("bench", "checkpoint", "--steps", "3"));
        assertEquals(2, run("bench", "slices"));
        assertTrue(err.contains("--volume"), err);
    }

    @Test
    public void benchCheckpointReportsItsBaselineRatio() {
        Path file = CHECKPOINTS.resolve("sam_vit").resolve("sam_vit_b_01ec64.pth");
        assertEquals(0, run("bench", "checkpoint", "--file", file.toString()), err);
        assertTrue(out.contains("list tensors") && out.contains("ratio tensors / bytes")
                && out.contains("ratio tensors / new arrays"), out);
        assertFalse(out.contains("NaN"), out);
    }
}
