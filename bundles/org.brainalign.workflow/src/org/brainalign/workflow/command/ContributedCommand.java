package org.brainalign.workflow.command;

import java.io.PrintStream;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;

/**
 * A command that another bundle adds to the {@code brainalign} command line, registered as an OSGi service of this
 * type (the benchmarks' bundle registers {@code bench}). The command line lists it in {@code brainalign help} and runs
 * it as {@code brainalign NAME ARGS...}; it depends on no contributor, so an installation without one simply lacks its
 * command, and a contributed command never replaces a built-in one of the same name.
 */
public interface ContributedCommand {

    /** Exit code of a successful command. */
    int OK = 0;
    /** Exit code of a command that failed. */
    int FAILURE = 1;
    /** Exit code of a command line that could not be understood. */
    int USAGE = 2;

    /** @return the word that selects the command */
    String name();

    /** @return one line saying what the command does, for the overview of {@code brainalign help} */
    String summary();

    /** @return the synopsis and options, for {@code brainalign help NAME} */
    String usage();

    /**
     * Runs the command.
     *
     * @param args the arguments after the command's name ({@link Arguments} parses options)
     * @param out where results go
     * @param err where progress and warnings go
     * @param monitor the command line's progress on standard error, cancelled by Ctrl-C
     * @return the exit code, {@link #OK} or {@link #FAILURE}
     * @throws UsageException if the arguments are wrong: the command line prints the message and the usage and exits
     *         with {@link #USAGE}
     * @throws Exception for any failure; its message is shown as the one-sentence reason (exit code {@link #FAILURE})
     */
    int run(List<String> args, PrintStream out, PrintStream err, IProgressMonitor monitor) throws Exception;
}
