package org.brainalign.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

import org.brainalign.engine.factortopy.CpuKernels;
import org.brainalign.engine.factortopy.EncoderShape;
import org.brainalign.testing.SharedData;
import org.brainalign.workflow.command.ContributedCommand;
import org.brainalign.workflow.command.UsageException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@code brainalign bench} reaches the command line only as a {@link ContributedCommand} service of this bundle: these
 * take it from the service registry, as the command line does (whose listing and running of contributed commands,
 * with their exit codes, cli.tests checks), never constructing it.
 */
public class BenchCommandTest {

    private static final Path CHECKPOINTS = SharedData.path("checkpoints");

    private String out;

    private String err;

    private static ContributedCommand bench() throws InvalidSyntaxException {
        BundleContext context = FrameworkUtil.getBundle(BenchCommand.class).getBundleContext();
        Collection<ServiceReference<ContributedCommand>> found = context.getServiceReferences(
                ContributedCommand.class, "(component.name=org.brainalign.bench.command)");
        assertEquals(1, found.size(), "the bench component is registered once");
        return context.getService(found.iterator().next());
    }

    private int run(String... args) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = bench().run(List.of(args), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), new NullProgressMonitor());
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    public void theServiceIsBenchWithEveryBenchmarkInItsUsage() throws Exception {
        ContributedCommand bench = bench();
        assertEquals("bench", bench.name());
        assertFalse(bench.summary().isBlank());
        for (String name : new String[] { "nifti", "extract", "fit", "finetune", "checkpoint", "slices" }) {
            assertTrue(bench.usage().contains("  " + name + " "), bench.usage());
        }
        assertTrue(bench.usage().contains("[--file CKPT] [--cold]"), bench.usage());
    }

    @Test
    public void wrongNamesAndOptionsAreUsageErrors() {
        UsageException unknown = assertThrows(UsageException.class, () -> run("everything"));
        assertTrue(unknown.getMessage().contains("unknown benchmark 'everything'"), unknown.getMessage());
        assertThrows(UsageException.class, () -> run());
        assertThrows(UsageException.class, () -> run("checkpoint", "--steps", "3"));
        UsageException noVolume = assertThrows(UsageException.class, () -> run("slices"));
        assertTrue(noVolume.getMessage().contains("--volume"), noVolume.getMessage());
    }

    @Test
    public void benchCheckpointReportsItsBaselineRatio() throws Exception {
        Path file = CHECKPOINTS.resolve("sam_vit").resolve("sam_vit_b_01ec64.pth");
        assertEquals(ContributedCommand.OK, run("checkpoint", "--file", file.toString()));
        assertTrue(out.contains("list tensors") && out.contains("ratio tensors / bytes")
                && out.contains("ratio tensors / new arrays"), out);
        assertFalse(out.contains("NaN"), out);
    }

    @Test
    public void benchFitTakesItsShapeFromOptionsAndPrintsJsonForScripts() throws Exception {
        assertEquals(ContributedCommand.OK,
                run("fit", "--voxels", "300", "--threads", "1", "--steps", "2", "--plain-voxels", "0",
                        "--json"),
                err);
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
        UsageException noThreads = assertThrows(UsageException.class, () -> run("fit", "--threads", "0"));
        assertTrue(noThreads.getMessage().contains("--threads"), noThreads.getMessage());
    }
}
