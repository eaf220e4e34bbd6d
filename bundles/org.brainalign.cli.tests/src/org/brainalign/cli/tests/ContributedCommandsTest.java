package org.brainalign.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.brainalign.cli.CommandLine;
import org.brainalign.workflow.command.Arguments;
import org.brainalign.workflow.command.ContributedCommand;
import org.eclipse.core.runtime.IProgressMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

/**
 * Commands other bundles register as {@link ContributedCommand} services (as the benchmarks' bundle registers
 * {@code bench}): the command line lists them, runs them with its own exit codes and progress, and never lets one
 * replace a built-in command.
 */
public class ContributedCommandsTest extends CommandHarness {

    private final List<ServiceRegistration<ContributedCommand>> registered = new ArrayList<>();

    /** A contributed command that prints what it was given, or fails as told. */
    private static final class Probe implements ContributedCommand {

        private final String name;
        private IProgressMonitor seen;

        Probe(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String summary() {
            return "echo what it was given";
        }

        @Override
        public String usage() {
            return "Usage: brainalign " + name + " WORD [--times N] [--fail]\n";
        }

        @Override
        public int run(List<String> args, PrintStream out, PrintStream err, IProgressMonitor monitor)
                throws Exception {
            seen = monitor;
            Arguments a = Arguments.parse(name, args, Set.of("times"), Set.of("fail"));
            a.expectPositional(1, "WORD");
            if (a.has("fail")) {
                throw new IOException("the probe's file probe.bin is truncated");
            }
            out.println(String.join(" ", Collections.nCopies(a.getInt("times", 1, 1), a.positional().get(0))));
            return OK;
        }
    }

    private Probe register(String name) {
        Probe probe = new Probe(name);
        BundleContext context = FrameworkUtil.getBundle(CommandLine.class).getBundleContext();
        assertNotNull(context, "the command line's bundle is started");
        registered.add(context.registerService(ContributedCommand.class, probe, null));
        return probe;
    }

    @AfterEach
    public void unregister() {
        registered.forEach(ServiceRegistration::unregister);
    }

    @Test
    public void aContributedCommandIsListedAndRunWithTheConsoleProgress() {
        Probe probe = register("probe");
        assertEquals(0, run("--help"), err);
        assertTrue(out.contains("  probe        echo what it was given"), out);
        assertEquals(0, run("help", "probe"), err);
        assertEquals(probe.usage(), out);
        assertEquals(0, run("probe", "hop", "--times", "3"), err);
        assertEquals("hop hop hop\n", out.replace("\r\n", "\n"));
        assertNotNull(probe.seen, "the command gets the command line's progress monitor");
        assertFalse(probe.seen.isCanceled());
    }

    @Test
    public void itsUsageErrorsAndFailuresGetTheCommandLinesExitCodes() {
        register("probe");
        assertEquals(CommandLine.USAGE, run("probe", "hop", "--colour", "red"));
        assertTrue(err.startsWith("brainalign probe: unknown option --colour"), err);
        assertTrue(err.contains("Usage: brainalign probe WORD"), "the usage follows the reason:\n" + err);
        assertEquals(CommandLine.USAGE, run("probe"));
        assertTrue(err.contains("expected WORD, got none"), err);
        assertEquals(CommandLine.FAILURE, run("probe", "hop", "--fail"));
        assertEquals("brainalign probe: the probe's file probe.bin is truncated\n", err.replace("\r\n", "\n"));
    }

    @Test
    public void aContributedCommandNeverReplacesABuiltInOne() {
        register("doctor");
        assertEquals(0, run("help", "doctor"), err);
        assertTrue(out.startsWith("Usage: brainalign doctor"), out);
        assertFalse(out.contains("WORD"), out);
    }

    @Test
    public void withoutTheServiceTheCommandIsUnknown() {
        assertEquals(CommandLine.USAGE, run("probe", "hop"));
        assertTrue(err.startsWith("brainalign: unknown command 'probe'"), err);
    }
}
