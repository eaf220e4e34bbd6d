package org.brainalign.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.brainalign.cli.CommandLine;
import org.junit.jupiter.api.Test;

/** The command line's contract: help, version, exit codes, and doctor's report. */
public class CommandLineTest extends CommandHarness {

    @Test
    public void helpListsEveryCommand() {
        assertEquals(0, run("--help"));
        assertTrue(out.startsWith("Usage: brainalign COMMAND"), out);
        for (String name : new CommandLine().commands().keySet()) {
            assertTrue(out.contains("  " + name + " "), name + " missing from:\n" + out);
        }
        assertEquals(0, run("help", "doctor"));
        assertTrue(out.startsWith("Usage: brainalign doctor"), out);
        assertEquals(0, run("doctor", "--help"));
        assertTrue(out.startsWith("Usage: brainalign doctor"), out);
    }

    @Test
    public void versionNamesTheBundleVersion() {
        assertEquals(0, run("--version"));
        // inside OSGi the version is the cli bundle's, e.g. 0.1.0.202611260530
        assertTrue(out.matches("BrainAlign \\d+\\.\\d+\\.\\d+(\\.\\S+)?\\R"), out);
    }

    @Test
    public void usageErrorsExitWithTwoAndSayWhy() {
        assertEquals(2, run());
        assertTrue(err.contains("no command given"), err);
        assertEquals(2, run("paint-the-brain"));
        assertTrue(err.startsWith("brainalign: unknown command 'paint-the-brain'"), err);
        assertEquals(2, run("--frobnicate"));
        assertTrue(err.startsWith("brainalign: unknown option '--frobnicate'"), err);
        assertEquals(2, run("doctor", "--colour", "red"));
        assertTrue(err.startsWith("brainalign doctor: unknown option --colour"), err);
        assertEquals(2, run("doctor", "--device", "tpu"));
        assertTrue(err.contains("unknown device 'tpu'"), err);
        assertEquals(2, run("doctor", "extra"));
        assertTrue(err.contains("expected no arguments"), err);
        assertEquals(2, run("help", "nothing"));
    }

    @Test
    public void doctorReportsEngineDeviceAndMachine() {
        assertEquals(0, run("doctor"));
        assertTrue(out.matches("(?s).*\\nDJL engine +PyTorch 2\\.\\d+\\.\\d+ \\(DJL 0\\.\\d+\\.\\d+\\)\\n.*"), out);
        assertTrue(out.matches("(?s).*\\nDevice +(cpu|gpu\\(\\d+\\)): .+\\n.*"), out);
        assertTrue(out.contains("Cores       " + Runtime.getRuntime().availableProcessors() + " available"), out);
        assertTrue(out.matches("(?s).*\\nJava +\\d+.*"), out);
        assertTrue(out.matches("(?s).*\\nDisplay +\\S.*"), out);
        // the test runtime is started with the Vector API module, as the product is
        assertTrue(out.matches("(?s).*\\nKernels +Vector API \\(jdk\\.incubator\\.vector, \\d+-bit vectors\\)\\n.*"),
                out);
        assertTrue(out.matches("(?s).*\\nCache +\\S.*"), out);
        assertEquals(0, run("doctor", "--device", "cpu"));
        assertTrue(out.contains("cpu: CPU as asked"), out);
    }
}
