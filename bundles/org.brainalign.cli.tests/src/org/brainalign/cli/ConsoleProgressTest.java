package org.brainalign.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.brainalign.engine.factortopy.TrainingConfig;
import org.brainalign.io.subject.SubjectDescription;
import org.brainalign.workflow.FitWorkflow;
import org.brainalign.workflow.analysis.RunAnalysis;
import org.brainalign.workflow.demo.Demo;
import org.eclipse.core.runtime.SubMonitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console says "at most" of the time left only while the fit under way can still stop early: never for a fit
 * whose epochs all run, never in a fit's last epoch, and never in the stages after the fit (scoring, analysis,
 * report), which cannot stop early. Checked on the progress lines of real work, a small demo and a fit with a patience
 * of one epoch, printed on a clock that moves 1.5 s at every reading, so that every report is a line with a rate.
 */
public class ConsoleProgressTest {

    private static final Pattern EPOCH = Pattern.compile("epoch (\\d+) of (at most )?(\\d+)");
    private static final Pattern AT_MOST_LEFT = Pattern.compile("\\[\\d+%, at most .* left\\]$");

    @TempDir
    static Path dir;

    /** Lines of a demo of 3 epochs: with the default patience of 5 epochs, none can end it early. */
    private static List<String> demo;

    private static ConsoleProgress console(ByteArrayOutputStream lines) {
        AtomicLong now = new AtomicLong();
        return new ConsoleProgress(new PrintStream(lines, true, StandardCharsets.UTF_8),
                () -> now.addAndGet(1_500_000_000L));
    }

    private static List<String> lines(ByteArrayOutputStream printed) {
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @BeforeAll
    public static void smallDemo() throws IOException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Demo.run(new Demo.Options(dir.resolve("demo"), 60, 2, 1, 3, 2), "test",
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), console(printed));
        demo = lines(printed);
    }

    private static int lastEpochLine(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (EPOCH.matcher(lines.get(i)).find()) {
                return i;
            }
        }
        throw new AssertionError("no line names an epoch:\n" + String.join("\n", lines));
    }

    @Test
    public void aFitWhoseEpochsAllRunNeverSaysAtMost() {
        assertTrue(demo.stream().anyMatch(l -> l.contains("epoch 1 of 3: step ")), String.join("\n", demo));
        assertTrue(demo.stream().anyMatch(l -> l.contains("epoch 3 of 3: step ")), String.join("\n", demo));
        assertTrue(demo.stream().anyMatch(l -> l.matches(".*\\[\\d+%, \\d.* left\\]$")), "time left is shown");
        for (String line : demo) {
            assertFalse(line.contains("at most"), line);
        }
        assertTrue(lastEpochLine(demo) < demo.size() - 1, "the analysis and the report report progress too");
    }

    @Test
    public void atMostOnlyWhileAnEarlyStopCanHappenAndNeverAfterTheFit() throws IOException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SubMonitor sub = SubMonitor.convert(console(printed), "Fitting and analysing", 10);
        TrainingConfig impatient = TrainingConfig.builder().optSeed(1).optMaxEpochs(4).optPatience(1).optThreads(2)
                .build();
        Path demoDir = dir.resolve("demo");
        FitWorkflow.Outcome fit = FitWorkflow.fit(new FitWorkflow.Request(demoDir.resolve("features"), demoDir
                .resolve("subject").resolve(SubjectDescription.FILE), dir.resolve("impatient"), "impatient", impatient,
                0.1, false), "test", sub.split(8));
        RunAnalysis.analyze(fit.run(), sub.split(2));
        List<String> lines = lines(printed);
        String all = String.join("\n", lines);

        // the first epoch can always end the fit when one bad epoch is enough, and the console says so
        assertTrue(lines.stream().anyMatch(l -> l.contains("epoch 1 of at most 4") && AT_MOST_LEFT.matcher(l)
                .find()), all);
        for (String line : lines) {
            Matcher m = EPOCH.matcher(line);
            if (m.find() && m.group(2) != null) {
                assertTrue(Integer.parseInt(m.group(1)) < Integer.parseInt(m.group(3)),
                        "the last epoch cannot end the fit early: " + line);
            }
            if (AT_MOST_LEFT.matcher(line).find()) {
                assertTrue(line.contains(" of at most "), "only the fit's word makes the console say it: " + line);
            }
        }
        List<String> after = lines.subList(lastEpochLine(lines) + 1, lines.size());
        assertFalse(after.isEmpty(), "scoring and analysis report progress after the fit:\n" + all);
        for (String line : after) {
            assertFalse(line.contains("at most"), "after the fit: " + line);
        }
    }
}
