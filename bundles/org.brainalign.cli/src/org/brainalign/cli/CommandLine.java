package org.brainalign.cli;

import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.brainalign.workflow.BrainAlignVersion;
import org.brainalign.workflow.command.ContributedCommand;
import org.brainalign.workflow.command.UsageException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The {@code brainalign} command line: picks the command named by the first argument and runs it. Usage errors print
 * the reason and the usage and give exit code 2; failures print one sentence and give exit code 1; a stack trace is
 * printed only with {@code --debug}.
 */
public final class CommandLine {

    /** Exit code of a successful command. */
    public static final int OK = ContributedCommand.OK;
    /** Exit code of a command that failed. */
    public static final int FAILURE = ContributedCommand.FAILURE;
    /** Exit code of a command line that could not be understood. */
    public static final int USAGE = ContributedCommand.USAGE;

    private static final ThreadLocal<ConsoleProgress> CURRENT = new ThreadLocal<>();

    private final Map<String, Command> commands = new LinkedHashMap<>();

    /** Creates the command line with every built-in command and those other bundles contribute. */
    public CommandLine() {
        List<Command> all = new ArrayList<>(List.of(new DoctorCommand(), new InspectCommand(),
                new ConvertCommand(), new RoiCommand(), new ExtractCommand(), new FeaturesCommand(), new FitCommand(),
                new FinetuneCommand(),
                new ExperimentCommand(), new DemoCommand()));
        all.addAll(ModelCommands.all());
        all.addAll(AnalysisCommands.all());
        for (Command c : all) {
            commands.put(c.name(), c);
        }
        for (Command c : contributed()) {
            commands.putIfAbsent(c.name(), c);
        }
    }

    /**
     * @return the commands other bundles register as {@link ContributedCommand} services, by name (the benchmarks'
     *         bundle registers {@code bench}): the command line depends on none of them, and an installation without
     *         one simply does not offer it; none outside OSGi
     */
    private static List<Command> contributed() {
        Bundle own = FrameworkUtil.getBundle(CommandLine.class);
        BundleContext context = own == null ? null : own.getBundleContext();
        if (context == null) {
            return List.of();
        }
        List<Command> found = new ArrayList<>();
        try {
            for (ServiceReference<ContributedCommand> reference : context.getServiceReferences(
                    ContributedCommand.class, null)) {
                ContributedCommand c = context.getService(reference);
                if (c != null) {
                    found.add(new Contributed(c));
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("no filter is given, so none can be invalid", e);
        }
        found.sort(Comparator.comparing(Command::name));
        return found;
    }

    /** A contributed command among the built-in ones: it gets the progress of the command running on this thread. */
    private record Contributed(ContributedCommand command) implements Command {

        @Override
        public String name() {
            return command.name();
        }

        @Override
        public String summary() {
            return command.summary();
        }

        @Override
        public String usage() {
            return command.usage();
        }

        @Override
        public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
            return command.run(args, out, err, progress(err));
        }
    }

    /** @return the commands, in the order the overview lists them */
    public Map<String, Command> commands() {
        return Map.copyOf(commands);
    }

    /**
     * Runs one command line.
     *
     * @param args the arguments, command first
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public int run(String[] args, PrintStream out, PrintStream err) {
        List<String> list = Arrays.asList(args);
        boolean debug = list.contains("--debug");
        list = list.stream().filter(a -> !a.equals("--debug")).toList();
        if (list.isEmpty()) {
            err.println("brainalign: no command given");
            err.print(overview());
            return USAGE;
        }
        String first = list.get(0);
        switch (first) {
            case "--help", "-h", "help" -> {
                if (list.size() > 1) {
                    Command c = commands.get(list.get(1));
                    if (c == null) {
                        err.println("brainalign: unknown command '" + list.get(1) + "'");
                        err.print(overview());
                        return USAGE;
                    }
                    out.print(c.usage());
                    return OK;
                }
                out.print(overview());
                return OK;
            }
            case "--version", "-V", "version" -> {
                out.println("BrainAlign " + BrainAlignVersion.get());
                return OK;
            }
            default -> {
                // handled below
            }
        }
        Command command = commands.get(first);
        if (command == null) {
            err.println("brainalign: unknown " + (first.startsWith("-") ? "option" : "command") + " '" + first + "'");
            err.print(overview());
            return USAGE;
        }
        List<String> rest = list.subList(1, list.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(command.usage());
            return OK;
        }
        CountDownLatch finished = new CountDownLatch(1);
        ConsoleProgress progress = new ConsoleProgress(err);
        Thread onInterrupt = new Thread(() -> {
            // Ctrl-C: cancel the work and give it time to stop at its next check and clean up
            progress.setCanceled(true);
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "brainalign-cancel");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        CURRENT.set(progress);
        try {
            return command.run(rest, out, err);
        } catch (OperationCanceledException e) {
            err.println("brainalign " + command.name() + ": cancelled; nothing half-written was left behind");
            return FAILURE;
        } catch (UsageException e) {
            err.println("brainalign " + e.getMessage());
            err.print(command.usage());
            return USAGE;
        } catch (Exception | Error e) {
            err.println("brainalign " + command.name() + ": " + sentence(e));
            if (debug) {
                e.printStackTrace(err);
            }
            return FAILURE;
        } finally {
            CURRENT.remove();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the command has finished
            }
        }
    }

    /**
     * The one sentence a user sees for a failure: the exception's own message when it is one of ours (they name the
     * file and the problem); for the operating system's errors (a full disk, a folder where a file should be, a
     * permission) the path and the system's reason; never a Java class name or a second line.
     *
     * @param e the failure
     * @return the sentence
     */
    static String sentence(Throwable e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String reason = f.getReason() != null
                    ? f.getReason()
                    : f instanceof NoSuchFileException
                            ? "no such file or folder"
                            : f instanceof AccessDeniedException
                                    ? "permission denied"
                                    : f instanceof FileAlreadyExistsException
                                            ? "a file of that name is in the way"
                                            : "refused";
            return "Cannot use " + f.getFile() + (f.getOtherFile() != null ? " (with " + f.getOtherFile() + ")" : "")
                    + ": " + reason;
        }
        if (e instanceof OutOfMemoryError) {
            return "ran out of memory; give Java more with -Xmx, or the command less to do at once";
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return "failed unexpectedly (" + e.getClass().getSimpleName()
                    .replaceAll("(Exception|Error)$", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(
                            java.util.Locale.ROOT)
                    + "); run it again with --debug to see where";
        }
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline).strip();
    }

    /**
     * The progress monitor of the command running on this thread: prints progress to standard error and is cancelled
     * by Ctrl-C.
     *
     * @param err standard error, used when no command is running (a command called directly from a test)
     * @return the monitor
     */
    public static IProgressMonitor progress(PrintStream err) {
        ConsoleProgress p = CURRENT.get();
        return p != null ? p : new ConsoleProgress(err);
    }

    /** @return the overview printed by {@code --help} */
    public String overview() {
        StringBuilder b = new StringBuilder();
        b.append("Usage: brainalign COMMAND [ARGS...]\n");
        b.append("       brainalign help COMMAND | --help | --version\n\n");
        b.append("Maps the layers of a frozen Vision Transformer onto visual cortex (FactorTopy).\n\n");
        b.append("Commands:\n");
        for (Command c : commands.values()) {
            b.append(String.format("  %-12s %s%n", c.name(), c.summary()));
        }
        b.append("\nOptions for every command:\n");
        b.append("  --help       show the command's usage\n");
        b.append("  --debug      print the stack trace of a failure\n");
        b.append("\nExit codes: 0 success, 1 failure, 2 usage error.\n");
        return b.toString();
    }
}
