package org.brainalign.cli.tests;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.brainalign.cli.CommandLine;

/** Runs the command line in-process, keeping what it printed to standard output and error for the test to read. */
abstract class CommandHarness {

    /** What the last {@link #run} printed to standard output. */
    protected String out;
    /** What the last {@link #run} printed to standard error. */
    protected String err;

    /**
     * @param args the command line's arguments
     * @return its exit code
     */
    protected int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = new CommandLine().run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }
}
