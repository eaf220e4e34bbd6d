package org.brainalign.ui.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a workbench test when anything reached the platform log at error level while it ran: an event-loop
 * exception, a "Problem Occurred" pop-up, a job that failed. The suite once passed while the product logged dozens of
 * such errors on JDK 25, so every test of this fragment is watched: the extension is registered through the Jupiter
 * service file and switched on in junit-platform.properties. Errors logged before the first test (the workbench
 * starting) are read from the log file and fail the first test class; errors between tests fail the class after them.
 * A test that provokes an error on purpose declares it with {@link #expect(Predicate)}.
 */
public final class CleanLog implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final List<IStatus> errors = new ArrayList<>();
    private static final List<Predicate<IStatus>> expected = new ArrayList<>();
    private static final ILogListener listener = (status, plugin) -> {
        if (status.matches(IStatus.ERROR)) {
            synchronized (errors) {
                errors.add(status);
            }
        }
    };
    private static boolean listening;

    /**
     * Declares errors the running test provokes on purpose; the declaration ends with the test.
     *
     * @param error which logged statuses are expected
     */
    public static void expect(Predicate<IStatus> error) {
        synchronized (errors) {
            expected.add(error);
        }
    }

    /**
     * @param text what an expected error says, e.g. the file it names
     * @return a match for a status whose message, or a child's, or an exception's in it, holds the text (the error
     *         dialog a failed job opens logs the job's name and puts the reason in a child)
     */
    public static Predicate<IStatus> about(String text) {
        return status -> says(status, text);
    }

    private static boolean says(IStatus status, String text) {
        if (String.valueOf(status.getMessage()).contains(text)) {
            return true;
        }
        for (Throwable t = status.getException(); t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(text)) {
                return true;
            }
        }
        for (IStatus child : status.getChildren()) {
            if (says(child, text)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        synchronized (errors) {
            if (listening) {
                return;
            }
            listening = true;
        }
        Platform.addLogListener(listener);
        String startup = startupErrors(Platform.getLogFileLocation().toPath());
        if (!startup.isEmpty()) {
            throw new AssertionError("the workbench logged errors while starting:\n" + startup);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        check();
        synchronized (errors) {
            expected.clear();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check();
    }

    /**
     * Fails when an unexpected error was logged since the last check, and forgets what it has seen.
     *
     * @throws AssertionError naming every unexpected error with its exception
     */
    static void check() {
        List<IStatus> unexpected;
        synchronized (errors) {
            unexpected = errors.stream().filter(e -> expected.stream().noneMatch(p -> p.test(e))).toList();
            errors.clear();
        }
        if (!unexpected.isEmpty()) {
            throw new AssertionError(unexpected.size() + " error(s) in the platform log:\n"
                    + unexpected.stream().map(CleanLog::describe).collect(Collectors.joining("\n")));
        }
    }

    private static String describe(IStatus status) {
        StringBuilder text = new StringBuilder(status.getPlugin() + ": " + status.getMessage());
        for (Throwable cause = status.getException(); cause != null; cause = cause.getCause()) {
            text.append("\n  caused by ").append(cause);
            StackTraceElement[] stack = cause.getStackTrace();
            for (int i = 0; i < Math.min(4, stack.length); i++) {
                text.append("\n    at ").append(stack[i]);
            }
        }
        for (IStatus child : status.getChildren()) {
            if (child.matches(IStatus.ERROR)) {
                text.append("\n  ").append(describe(child));
            }
        }
        return text.toString();
    }

    /** @return the error entries (severity 4) of an Eclipse log file, with their first lines, or "" when none */
    private static String startupErrors(Path log) throws IOException {
        if (log == null || !Files.exists(log)) {
            return "";
        }
        List<String> entries = new ArrayList<>();
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = lines.get(i).split(" ");
            // !ENTRY <plugin> <severity> <code> <date>; severity 4 is IStatus.ERROR
            if (fields.length > 2 && fields[0].equals("!ENTRY") && fields[2].equals("4")) {
                entries.add(String.join("\n  ", lines.subList(i, Math.min(lines.size(), i + 6))));
            }
        }
        return String.join("\n", entries);
    }
}
