package org.brainalign.ui.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;

/**
 * The sweep job runs `brainalign sweep --plan PLAN --out DIR` as an external process (Spark does not run inside the
 * workbench's OSGi framework) and shows its progress as a job: the cells done, the failed attempts and the cells
 * running, read from the lines the sweep prints. When it succeeds the sweep's report opens in the browser.
 * Cancelling stops the process; the cells already finished stay, and running the same sweep again resumes.
 */
public final class SweepJob extends BrainAlignJob {

    /** The system property the launcher script sets to itself when it starts the workbench. */
    public static final String LAUNCHER_PROPERTY = "brainalign.launcher";

    /** A progress line of the sweep: "sweep: cells 3/8 done, 1 failed attempts, 2 running; ...". */
    private static final Pattern PROGRESS = Pattern.compile(
            "sweep: (stores|cells) (\\d+)/(\\d+) done, (\\d+) failed attempts, (\\d+) running.*");

    /** The sweep's progress as last printed. */
    public record Progress(String stage, int done, int total, int failedAttempts, int running) {
    }

    private final Path launcher;
    private final Path plan;
    private final Path out;
    private final List<String> options;
    private volatile Progress progress;

    /**
     * @param window the window the report opens in, or null
     * @param launcher the brainalign launcher script
     * @param plan the sweep plan
     * @param out the sweep's folder
     * @param options further options of `sweep` (for example --master URL)
     */
    public SweepJob(IWorkbenchWindow window, Path launcher, Path plan, Path out, List<String> options) {
        super("Sweep " + plan.getFileName() + " into " + out.getFileName(), window);
        this.launcher = launcher;
        this.plan = plan;
        this.out = out;
        this.options = List.copyOf(options);
    }

    /**
     * @return the launcher script the workbench was started by
     * @throws IOException in one sentence when the workbench was not started by it
     */
    public static Path launcher() throws IOException {
        String p = System.getProperty(LAUNCHER_PROPERTY);
        if (p == null || !Files.isExecutable(Path.of(p))) {
            throw new IOException("Running a sweep needs the brainalign launcher script, which starts it outside the"
                    + " workbench: start the workbench with `brainalign gui`, or run `brainalign sweep` in a terminal");
        }
        return Path.of(p);
    }

    @Override
    protected void work(IProgressMonitor monitor) throws IOException, CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, getName(), 1000);
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "sweep", "--plan", plan.toString(),
                "--out", out.toString()));
        command.addAll(options);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Deque<String> last = new ArrayDeque<>();
        int reported = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (monitor.isCanceled()) {
                    throw new OperationCanceledException();
                }
                Matcher m = PROGRESS.matcher(line);
                if (m.matches()) {
                    Progress p = new Progress(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(
                            3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)));
                    progress = p;
                    // the stores take the first tenth of the bar, the cells the rest
                    int at = p.stage().equals("stores")
                            ? 100 * p.done() / Math.max(1, p.total())
                            : 100 + 900 * p.done() / Math.max(1, p.total());
                    if (at > reported) {
                        sub.worked(at - reported);
                        reported = at;
                    }
                    sub.subTask(p.stage() + ": " + p.done() + " of " + p.total() + " done, " + p.running()
                            + " running, " + p.failedAttempts() + " failed attempts");
                } else if (!line.isBlank()) {
                    last.addLast(line);
                    if (last.size() > 20) {
                        last.removeFirst();
                    }
                }
            }
            if (process.waitFor() != 0) {
                String reason = last.stream().filter(l -> l.startsWith("brainalign sweep: ")).reduce((a, b) -> b)
                        .map(l -> l.substring("brainalign sweep: ".length())).orElse(String.join(" / ", last));
                throw new IOException(reason);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCanceledException();
        } finally {
            if (process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
        refresh(out, sub.split(1));
    }

    @Override
    protected void opened(IWorkbenchWindow resultWindow) {
        Path report = report();
        if (Files.isRegularFile(report)) {
            try {
                PlatformUI.getWorkbench().getBrowserSupport().getExternalBrowser().openURL(report.toUri().toURL());
            } catch (PartInitException | java.net.MalformedURLException e) {
                org.eclipse.core.runtime.ILog.of(SweepJob.class).warn("The sweep's report " + report
                        + " could not be opened: " + e.getMessage());
            }
        }
    }

    /** @return the sweep's progress as last printed, or null before the first line */
    public Progress progress() {
        return progress;
    }

    /** @return the sweep's report */
    public Path report() {
        return out.resolve("report").resolve("report.html");
    }
}
