package org.brainalign.cli;

import java.io.PrintStream;
import java.util.List;

import org.brainalign.workflow.command.UsageException;

/**
 * One built-in {@code brainalign} command, such as {@code doctor} or {@code inspect}; other bundles add theirs as
 * {@link org.brainalign.workflow.command.ContributedCommand} services.
 */
public interface Command {

    /** @return the word that selects the command */
    String name();

    /** @return one line saying what the command does, for the overview */
    String summary();

    /** @return the synopsis and options, for {@code brainalign help COMMAND} */
    String usage();

    /**
     * Runs the command.
     *
     * @param args the arguments after the command name
     * @param out where results go
     * @param err where progress and warnings go
     * @return the exit code: 0 success, 1 failure
     * @throws UsageException if the arguments are wrong (exit code 2)
     * @throws Exception for any failure; its message is shown as the one-sentence reason (exit code 1)
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
