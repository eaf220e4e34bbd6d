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

import org.brainalign.testing.SharedData;
import org.brainalign.workflow.command.ContributedCommand;
import org.brainalign.workflow.command.UsageException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * {@code brainalign bench} reaches the command line only as a {@link ContributedCommand} service of this bundle: these
 * take it from the service registry, as the command line does (whose listing and running of contributed commands,
 * with their exit codes, cli.tests checks), never constructing it.
 */
public class BenchCommandTest {

    private static final Path CHECKPOINTS = SharedData.path("checkpoints");

    private String out;

    private static ContributedCommand bench() throws InvalidSyntaxException {
        BundleContext context = FrameworkUtil.getBundle(BenchCommand.class).getBundleContext();
        Collection<ServiceReference<ContributedCommand>> found = context.getServiceReferences(
                ContributedCommand.class, "(component.name=org.brainalign.bench.command)");
        assertEquals(1, found.size(), "the bench component is registered once");
        return context.getService(found.iterator().next());
    }

    private int run(String... args) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        int code = bench().run(List.of(args), new PrintStream(o, true, StandardCharsets.UTF_8), err,
                new NullProgressMonitor());
        out = o.toString(StandardCharsets.UTF_8);
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
}
