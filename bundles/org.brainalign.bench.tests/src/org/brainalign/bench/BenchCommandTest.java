package org.brainalign.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.brainalign.cli.CommandLine;
import org.brainalign.engine.factortopy.CpuKernels;
import org.brainalign.engine.factortopy.EncoderShape;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

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
        assertTrue(out.contains("list tensors") && out.contains("ratio tensors / bytes"), out);
        assertFalse(out.contains("NaN"), out);
    }

    @Test
    public void benchFitTakesItsShapeFromOptionsAndPrintsJsonForScripts() {
        assertEquals(0, run("bench", "fit", "--voxels", "300", "--threads", "1", "--steps", "2", "--plain-voxels", "0",
                "--json"), err);
        // the JSON object alone on out (what releng/bench/fit-vs-official reads), the human-readable lines on err
        JsonObject o = JsonParser.parseString(out.strip()).getAsJsonObject();
        assertEquals(300, o.get("voxels").getAsInt());
        assertEquals(1, o.get("threads").getAsInt());
        assertEquals(2, o.get("steps").getAsInt());
        assertEquals(8, o.get("batch").getAsInt());
        assertEquals(CpuKernels.describe(), o.get("kernels").getAsString());
        assertEquals(StepCost.of(EncoderShape.of(12, 768, 8, 300), 8).flops() / 1e9,
                o.get("gflop_per_step").getAsDouble(), 1e-9);
        for (String key : new String[] { "step_ms", "cpu_ms", "floor_gflops", "floor_ratio", "cpu_floor_ratio" }) {
            double v = o.get(key).getAsDouble();
            assertTrue(v > 0 && Double.isFinite(v), key + " = " + v);
        }
        // on one thread the phases are CPU time inside the step, so together they cannot exceed it
        double phases = 0;
        for (var e : o.getAsJsonObject("phase_ms").entrySet()) {
            phases += e.getValue().getAsDouble();
        }
        assertTrue(phases > 0 && phases <= o.get("cpu_ms").getAsDouble() * 1.05, phases + " " + o);
        assertTrue(err.contains("fused step:") && err.contains("N = 300 voxels"), err);
        assertFalse(err.contains("reference extrapolated"), err);
        assertEquals(2, run("bench", "fit", "--threads", "0"));
        assertTrue(err.contains("--threads"), err);
    }
}
