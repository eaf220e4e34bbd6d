package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import javax.imageio.ImageIO;

import org.brainalign.workflow.BrainAlignVersion;
import org.brainalign.workflow.demo.Demo;
import org.brainalign.workflow.FinetuneDriftExperiment;
import org.brainalign.core.analysis.RoiSummary;
import org.brainalign.core.data.Roi;
import org.brainalign.engine.DevicePreference;
import org.brainalign.workflow.analysis.RunAnalysis;
import org.brainalign.io.run.RunFolder;
import org.brainalign.ui.BrainAlignmentPerspective;
import org.brainalign.ui.charts.ChartKind;
import org.brainalign.ui.charts.ChartView;
import org.brainalign.ui.jobs.FinetuneDriftJob;
import org.brainalign.ui.runs.RunContext;
import org.brainalign.ui.wizards.DriftBackbonePage;
import org.brainalign.ui.wizards.DriftSettingsPage;
import org.brainalign.ui.wizards.DriftTargetPage;
import org.brainalign.ui.wizards.ExtractWizard;
import org.brainalign.ui.wizards.FinetuneDriftWizard;
import org.brainalign.ui.workspace.RunCommand;
import org.brainalign.testing.SharedData;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.DialogSettings;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.dialogs.IDialogSettings;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.navigator.CommonNavigator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fine-tuning drift wizard and its job in the real workbench, on a tiny built-in demo (20 stimuli) and a tiny
 * labelled set (two classes of four drawn images): the pages check what is typed in one sentence each; they give
 * exactly the settings the command line builds for the same choices; and the experiment runs, is cancelled keeping
 * its finished stages, is continued from the wizard, and ends with the drift chart on its pair of runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class FinetuneDriftWizardTest {

    private static final String PROJECT = "finetune-drift-test";

    @TempDir
    static Path data;

    private static IProject project;
    private static Path network;
    private static Path subject;
    private static Path classes;

    @BeforeAll
    public static void tinyDemoAndClasses() throws Exception {
        ErrorDialog.AUTOMATED_MODE = true;
        project = Workbench.freshProject(PROJECT);
        Path demo = data.resolve("demo");
        Demo.run(new Demo.Options(demo, 20, 2, 1, 1, 2), BrainAlignVersion.get(),
                new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8), null);
        network = demo.resolve("network");
        subject = demo.resolve("subject").resolve("subject.json");
        classes = data.resolve("classes");
        for (int c = 0; c < 2; c++) {
            Path folder = Files.createDirectories(classes.resolve(c == 0 ? "bars" : "discs"));
            for (int i = 0; i < 4; i++) {
                BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = image.createGraphics();
                g.setColor(new Color(60 + 40 * i, 120, 220 - 40 * i));
                if (c == 0) {
                    g.fillRect(4 + 5 * i, 2, 6, 28);
                } else {
                    g.fillOval(2 + 3 * i, 2 + 3 * i, 16, 16);
                }
                g.dispose();
                ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
            }
        }
    }

    @AfterAll
    public static void closeEditors() {
        Workbench.page().closeAllEditors(false);
    }

    /** Opens the wizard without blocking, with its own dialog settings, runs the checks, and closes it. */
    private static void withWizard(IDialogSettings settings, Consumer<FinetuneDriftWizard> checks) {
        FinetuneDriftWizard wizard = new FinetuneDriftWizard();
        wizard.setDialogSettings(settings);
        IStructuredSelection selection = new StructuredSelection(project);
        wizard.init(PlatformUI.getWorkbench(), selection);
        WizardDialog dialog = new WizardDialog(Workbench.page().getWorkbenchWindow().getShell(), wizard);
        dialog.setBlockOnOpen(false);
        dialog.open();
        try {
            checks.accept(wizard);
        } finally {
            dialog.close();
        }
    }

    private static void assertSentence(String message) {
        assertNotNull(message);
        assertFalse(message.contains("\n"), "one sentence: " + message);
        assertTrue(message.endsWith("."), "a full sentence: " + message);
    }

    @Test
    @Order(1)
    public void thePagesCheckWhatIsTypedInOneSentenceEach() throws Exception {
        Path lonely = Files.createDirectories(data.resolve("lonely/only-class"));
        Files.copy(classes.resolve("bars/0.png"), lonely.resolve("0.png"));
        Path thin = data.resolve("thin");
        Files.createDirectories(thin.resolve("bars"));
        Files.copy(classes.resolve("bars/0.png"), thin.resolve("bars/0.png"));
        Files.createDirectories(thin.resolve("discs"));
        Files.copy(classes.resolve("discs/0.png"), thin.resolve("discs/0.png"));
        Files.copy(classes.resolve("discs/1.png"), thin.resolve("discs/1.png"));
        Path notJson = data.resolve("broken/subject.json");
        Files.createDirectories(notJson.getParent());
        Files.writeString(notJson, "{ not json", StandardCharsets.UTF_8);
        Path junk = project.getLocation().toPath().resolve("experiments/junk");
        Files.createDirectories(junk);
        Files.writeString(junk.resolve("notes.txt"), "not an experiment", StandardCharsets.UTF_8);

        withWizard(new DialogSettings("test"), wizard -> {
            DriftBackbonePage backbone = wizard.backbonePage();
            assertFalse(backbone.isPageComplete());
            assertNull(backbone.getErrorMessage(), "an empty field is a prompt, not an error");
            assertNotNull(backbone.getMessage());

            Path missing = data.resolve("no-such-checkpoint");
            backbone.set("auto", missing, classes);
            assertEquals("Folder " + missing + " does not exist.", backbone.getErrorMessage());
            backbone.set("auto", classes, classes);
            assertSentence(backbone.getErrorMessage());
            assertTrue(backbone.getErrorMessage().contains("safetensors"), backbone.getErrorMessage());
            backbone.set("clip", network, classes);
            assertSentence(backbone.getErrorMessage());
            assertTrue(backbone.getErrorMessage().contains("not one family clip loads"), backbone.getErrorMessage());
            backbone.set("auto", network, classes);
            assertTrue(backbone.isPageComplete(), backbone.getErrorMessage());
            assertTrue(backbone.familyRecognised().startsWith("Recognised as hf-vit"), backbone.familyRecognised());
            assertEquals("Found 2 classes (bars, discs) with 8 images.", backbone.imagesFound());

            backbone.set("auto", network, data.resolve("lonely"));
            assertSentence(backbone.getErrorMessage());
            assertTrue(backbone.getErrorMessage().contains("found 1 class folder"), backbone.getErrorMessage());
            assertEquals("", backbone.imagesFound());
            backbone.set("auto", network, thin);
            assertSentence(backbone.getErrorMessage());
            assertTrue(backbone.getErrorMessage().startsWith(thin.resolve("bars") + ": class folder with 1 image"),
                    backbone.getErrorMessage());
            backbone.set("auto", network, data.resolve("no-such-images"));
            assertSentence(backbone.getErrorMessage());
            assertFalse(wizard.canFinish());
            backbone.set("hf-vit", network, classes);
            assertTrue(backbone.isPageComplete(), backbone.getErrorMessage());

            DriftTargetPage target = wizard.targetPage();
            assertEquals("finetune-drift", target.experimentName(), "a fresh name by default");
            target.set(null, null, "finetune-drift", false);
            assertFalse(target.isPageComplete());
            assertNull(target.getErrorMessage());
            assertTrue(target.getMessage().contains("subject.json"), target.getMessage());
            Path absent = data.resolve("nobody/subject.json");
            target.set(null, absent, "finetune-drift", false);
            assertEquals("File " + absent + " does not exist.", target.getErrorMessage());
            target.set(null, classes, "finetune-drift", false);
            assertEquals("Folder " + classes + " holds no subject.json.", target.getErrorMessage());
            target.set(null, notJson, "finetune-drift", false);
            assertSentence(target.getErrorMessage());
            assertTrue(target.getErrorMessage().contains(notJson.toString()), target.getErrorMessage());
            target.set(null, subject, "junk", false);
            assertEquals("Folder " + junk + " is not empty and holds no experiment; choose another name.",
                    target.getErrorMessage());
            assertFalse(target.canResume());
            target.set(null, subject, "a/b", false);
            assertNotNull(target.getErrorMessage());
            assertTrue(target.getErrorMessage().startsWith("The folder name 'a/b' cannot be used"),
                    target.getErrorMessage());
            target.set(null, subject.getParent(), "finetune-drift", false);
            assertTrue(target.isPageComplete(), "a subject folder holding subject.json will do: "
                    + target.getErrorMessage());

            DriftSettingsPage settings = wizard.settingsPage();
            assertTrue(settings.isPageComplete(), settings.getErrorMessage());
            assertTrue(wizard.canFinish());
            settings.set(5, "fast", 100, 0, 2, "auto");
            assertEquals("The learning rate must be a positive number, not 'fast'.", settings.getErrorMessage());
            assertFalse(wizard.canFinish());
            settings.set(5, "0", 100, 0, 2, "auto");
            assertSentence(settings.getErrorMessage());
            settings.set(5, "1e-4", 100, 0, 2, "auto");
            assertTrue(wizard.canFinish(), settings.getErrorMessage());
        });
    }

    @Test
    @Order(2)
    public void thePagesGiveTheSettingsTheCommandLineBuilds() throws Exception {
        Path out = project.getLocation().toPath().resolve("experiments/finetune-drift");
        withWizard(new DialogSettings("test"), wizard -> {
            wizard.backbonePage().set("auto", network, classes);
            wizard.targetPage().set(PROJECT, subject, "finetune-drift", false);
            assertTrue(wizard.canFinish());
            try {
                // the defaults: nothing but the required options on the command line
                FinetuneDriftExperiment.Options cli = CommandLineFace.finetuneDriftOptions(List.of("--backbone",
                        network.toString(), "--finetune-images", classes.toString(), "--subject",
                        subject.toString(), "--out", out.toString()));
                assertEquals(cli, wizard.options());
                assertEquals(5, cli.finetuneEpochs());
                assertEquals(1e-4, cli.learningRate());

                wizard.backbonePage().set("hf-vit", network, classes);
                wizard.settingsPage().set(2, "3e-5", 7, 11, 1, "cpu");
                FinetuneDriftExperiment.Options chosen = new FinetuneDriftExperiment.Options("hf-vit", network,
                        classes, subject, out, 2, 3e-5, 7, 11, 1, DevicePreference.CPU);
                assertEquals(chosen, wizard.options());
                List<String> line = wizard.commandLine();
                assertEquals(List.of("brainalign", "experiment", "finetune-drift"), line.subList(0, 3));
                assertEquals(chosen, CommandLineFace.finetuneDriftOptions(line.subList(3, line.size())));
                // the page shows that command; without a family prefix, auto reads back as auto
                wizard.settingsPage().setVisible(true);
                assertEquals(RunCommand.shell(line), wizard.settingsPage().commandText());
                wizard.backbonePage().set("auto", network, classes);
                List<String> auto = wizard.commandLine();
                assertEquals(network.toString(), auto.get(auto.indexOf("--backbone") + 1));
                assertEquals(wizard.options(), CommandLineFace.finetuneDriftOptions(auto.subList(3, auto.size())));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    @Order(3)
    public void aFailedExperimentSaysWhichFileInOneSentenceAndLeavesNoFolder() throws Exception {
        Path bad = data.resolve("bad-subject/subject.json");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "{ \"layout\": ", StandardCharsets.UTF_8);
        Path folder = project.getLocation().toPath().resolve("experiments/failing");
        // the job's failure, and the error dialog (automated: logged) that says it
        CleanLog.expect(CleanLog.about(bad.toString()));
        FinetuneDriftJob job = new FinetuneDriftJob(Workbench.page().getWorkbenchWindow(),
                FinetuneDriftExperiment.Options.defaults("auto", network, classes, bad, folder));
        job.schedule();
        job.join();
        IStatus status = job.getResult();
        assertEquals(IStatus.ERROR, status.getSeverity());
        assertTrue(status.getMessage().startsWith("File " + bad), status.getMessage());
        assertFalse(status.getMessage().contains("\n"), status.getMessage());
        assertFalse(Files.exists(folder), "the job made the folder and nothing was written in it");
        Workbench.settle();
    }

    @Test
    @Order(4)
    public void theExperimentIsCancelledContinuedAndShowsItsDrift() throws Exception {
        IDialogSettings remembered = new DialogSettings("test");
        CommonNavigator explorer = (CommonNavigator) Workbench.page()
                .showView(BrainAlignmentPerspective.PROJECT_EXPLORER);
        FinetuneDriftJob[] started = new FinetuneDriftJob[1];
        withWizard(remembered, wizard -> {
            wizard.backbonePage().set("hf-vit", network, classes);
            wizard.targetPage().set(PROJECT, subject, "finetune-drift", false);
            wizard.settingsPage().set(1, "1e-4", 1, 0, 2, "cpu");
            assertTrue(wizard.canFinish(), String.valueOf(wizard.targetPage().getErrorMessage()));
            assertTrue(wizard.performFinish());
            started[0] = wizard.job();
        });
        FinetuneDriftJob first = started[0];
        Path folder = first.folder();
        // cancel once the fit before and the fine-tuning are done, as the stage after fine-tuning begins
        Path tuned = folder.resolve("finetune.json");
        Workbench.waitUntil(() -> Files.isRegularFile(tuned) || first.getState() == Job.NONE,
                "the experiment to finish its fine-tuning");
        first.cancel();
        first.join();
        assertEquals(IStatus.CANCEL, first.getResult().getSeverity(),
                "the experiment ended before it could be cancelled: " + first.getResult());
        assertNull(first.failure(), "a cancelled experiment is no failure");
        RunFolder before = RunFolder.open(first.beforeRun());
        assertTrue(before.hasSelectors(), "the finished fit before fine-tuning is kept");
        assertTrue(project.getFolder("experiments/finetune-drift/before/run").exists(),
                "the workspace shows what was kept");
        assertFalse(Files.exists(folder.resolve("report.html")));
        List<Path> kept = List.of(first.beforeRun().resolve(RunFolder.RUN_JSON), tuned,
                folder.resolve("finetuned/model.safetensors"));
        List<byte[]> keptBytes = new ArrayList<>();
        List<FileTime> keptTimes = new ArrayList<>();
        for (Path p : kept) {
            keptBytes.add(Files.readAllBytes(p));
            keptTimes.add(Files.getLastModifiedTime(p));
        }

        FinetuneDriftJob[] continued = new FinetuneDriftJob[1];
        withWizard(remembered, wizard -> {
            // the last choices are offered again; the folder is offered new, the one begun in the list
            assertTrue(wizard.canFinish(), "remembered: " + wizard.backbonePage().getErrorMessage());
            FinetuneDriftExperiment.Options offered = wizard.options();
            assertEquals("hf-vit", offered.family());
            assertEquals(network, offered.checkpoint());
            assertEquals(classes, offered.finetuneImages());
            assertEquals(subject, offered.subject());
            assertEquals(1, offered.finetuneEpochs());
            assertEquals(1, offered.fitEpochs());
            assertEquals(2, offered.threads());
            assertEquals(DevicePreference.CPU, offered.device());
            assertEquals("finetune-drift-2", wizard.targetPage().experimentName());
            assertTrue(wizard.targetPage().offeredExperiments().contains("finetune-drift"));

            DriftTargetPage target = wizard.targetPage();
            target.set(null, subject, "finetune-drift", false);
            assertTrue(target.canResume());
            assertFalse(target.isPageComplete(), "continuing is offered, not assumed");
            assertNull(target.getErrorMessage());
            assertTrue(target.getMessage().contains("begun before"), target.getMessage());
            target.set(null, subject, "finetune-drift", true);
            assertTrue(target.isPageComplete(), target.getErrorMessage());
            assertTrue(target.getMessage().startsWith("Finish continues the experiment"), target.getMessage());
            screenshots(wizard);
            assertTrue(wizard.performFinish());
            continued[0] = wizard.job();
        });
        FinetuneDriftJob second = continued[0];
        second.join();
        assertEquals(IStatus.OK, second.getResult().getSeverity(), String.valueOf(second.getResult()));
        for (int i = 0; i < kept.size(); i++) {
            assertArrayEquals(keptBytes.get(i), Files.readAllBytes(kept.get(i)), kept.get(i) + " was redone");
            assertEquals(keptTimes.get(i), Files.getLastModifiedTime(kept.get(i)), kept.get(i) + " was rewritten");
        }
        for (String f : List.of("finetuned/model.safetensors", "after/run/maps/preferred_layer.nii.gz",
                "drift/drift.csv", "forgetting.csv", "report.html")) {
            assertTrue(Files.isRegularFile(folder.resolve(f)), f + " missing");
        }
        IFile report = project.getFile("experiments/finetune-drift/report.html");
        assertTrue(report.exists(), "the workspace shows the report");

        // the drift chart opens on the pair, and the report is selected in the Project Explorer
        RunContext context = RunContext.of(Workbench.page().getWorkbenchWindow());
        Workbench.waitUntil(() -> context.state().before() != null
                && context.state().before().folder().equals(second.beforeRun())
                && context.state().after().folder().equals(second.afterRun()), "the drift pair");
        ChartView drift = (ChartView) Workbench.page().findView(ChartKind.DRIFT.viewId());
        assertNotNull(drift, "the drift chart is open");
        assertTrue(Workbench.page().isPartVisible(drift));
        Workbench.drawn(drift);
        assertNull(drift.message(), drift.message());
        List<String> rows = drift.figure().csv().lines().toList();
        assertEquals("roi,before,after,shift", rows.get(0));
        RunFolder after = RunFolder.open(second.afterRun());
        List<Roi> rois = RunAnalysis.defaultRois(before);
        assertEquals(rois.size(), rows.size() - 1, "a row per ROI");
        int drawn = 0;
        for (int i = 0; i < rois.size(); i++) {
            String[] row = rows.get(i + 1).split(",", -1);
            Roi roi = rois.get(i);
            assertEquals(roi.name(), row[0]);
            // core's summary of each run, independent of the drift code (Double.toString reads back exactly; an
            // empty cell is a ROI without a depth, NaN)
            assertEquals(RoiSummary.of(roi, before.selectors()).meanDepth(), cell(row[1]), 1e-12, roi.name());
            assertEquals(RoiSummary.of(roi, after.selectors()).meanDepth(), cell(row[2]), 1e-12, roi.name());
            drawn += Double.isNaN(cell(row[1])) ? 0 : 1;
        }
        assertTrue(drawn > 0, "some ROI has a depth to draw: " + rows);
        IStructuredSelection shown = (IStructuredSelection) explorer.getCommonViewer().getSelection();
        assertEquals(List.of(report), shown.toList());
        Path dir = Files.createDirectories(Path.of(System.getProperty("user.dir"), "target", "screenshots"));
        ScreenshotTest.save(ScreenshotTest.capture(Workbench.page().getWorkbenchWindow().getShell()),
                dir.resolve("workbench-finetune-drift.png"));
    }

    /**
     * A PyTorch file in its library's own layout is a checkpoint here as in the extract wizard, with the same chooser
     * and the same checks: the page detects its family from the tensor names, says when a sidecar beside it is read,
     * refuses a missing file, a file that is no checkpoint and a family that does not load it in one sentence each, and
     * gives the settings the command line builds for the same file and family prefix.
     */
    @Test
    @Order(5)
    public void aNativeWeightFileIsChosenAndCheckedAsTheExtractWizardDoes() throws Exception {
        Path file = Files.copy(SharedData.checkpoint("torchvision_vit", "vit_state_dict.pth"),
                data.resolve("vit_state_dict.pth"));
        Path sidecar = data.resolve("vit_state_dict.pth.json");
        Path notes = Files.writeString(data.resolve("notes.txt"), "not a network");
        Path gone = data.resolve("gone.pth");
        Path out = project.getLocation().toPath().resolve("experiments/native-drift");
        List<String> extractSays = new ArrayList<>();
        ExtractWizard extract = new ExtractWizard(PlatformUI.getWorkbench());
        WizardDialog extractDialog = new WizardDialog(Workbench.page().getWorkbenchWindow().getShell(), extract);
        extractDialog.setBlockOnOpen(false);
        extractDialog.open();
        try {
            for (Path p : List.of(gone, notes)) {
                extract.page().set(p, "auto", classes.resolve("bars"), "x", false, false);
                extractSays.add(extract.page().getErrorMessage());
            }
        } finally {
            extractDialog.close();
        }
        withWizard(new DialogSettings("test"), wizard -> {
            DriftBackbonePage backbone = wizard.backbonePage();
            backbone.set("auto", file, classes);
            assertTrue(backbone.isPageComplete(), backbone.getErrorMessage());
            assertTrue(backbone.familyRecognised().startsWith("Recognised as torchvision-vit: "),
                    backbone.familyRecognised());
            assertFalse(backbone.familyRecognised().contains(sidecar.getFileName().toString()),
                    "no sidecar yet: " + backbone.familyRecognised());
            try {
                Files.writeString(sidecar, "{\"heads\": 4}");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            backbone.set("auto", file, classes);
            assertTrue(backbone.familyRecognised().endsWith(" Settings from vit_state_dict.pth.json."),
                    backbone.familyRecognised());
            backbone.set("timm-vit", file, classes);
            assertEquals("The checkpoint " + file + " is not one family timm-vit loads; choose its family or auto.",
                    backbone.getErrorMessage());

            backbone.set("auto", gone, classes);
            assertEquals("File " + gone + " does not exist.", backbone.getErrorMessage());
            assertEquals(extractSays.get(0), backbone.getErrorMessage(), "the extract wizard's words");
            backbone.set("auto", notes, classes);
            assertEquals("Checkpoint " + notes + " is neither a folder nor a .safetensors, .pth, .pt, .bin, .pth.tar "
                    + "or .ckpt file.", backbone.getErrorMessage());
            assertEquals(extractSays.get(1), backbone.getErrorMessage(), "the extract wizard's words");

            backbone.set("torchvision-vit", file, classes);
            assertTrue(backbone.isPageComplete(), backbone.getErrorMessage());
            wizard.targetPage().set(PROJECT, subject, "native-drift", false);
            assertTrue(wizard.canFinish(), String.valueOf(wizard.targetPage().getErrorMessage()));
            try {
                FinetuneDriftExperiment.Options cli = CommandLineFace.finetuneDriftOptions(List.of("--backbone",
                        "torchvision-vit:" + file, "--finetune-images", classes.toString(), "--subject",
                        subject.toString(), "--out", out.toString()));
                assertEquals(cli, wizard.options());
                List<String> line = wizard.commandLine();
                assertEquals(cli, CommandLineFace.finetuneDriftOptions(line.subList(3, line.size())));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private static double cell(String text) {
        return text.isEmpty() ? Double.NaN : Double.parseDouble(text);
    }

    /** The wizard's pages as the user guide shows them, captured into target/screenshots/ (ending on the second). */
    private static void screenshots(FinetuneDriftWizard wizard) {
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("user.dir"), "target", "screenshots"));
            String[] names = { "backbone", "settings", "target" };
            int[] pages = { 0, 2, 1 };
            for (int i = 0; i < names.length; i++) {
                wizard.getContainer().showPage(wizard.getPages()[pages[i]]);
                Workbench.settle();
                // the dialog's client area: its bounds also hold the invisible margin GTK draws its shadow in
                Shell shell = wizard.getShell();
                ImageData image = ScreenshotTest.capture(shell,
                        shell.getDisplay().map(shell, null, shell.getClientArea()));
                ScreenshotTest.save(image, dir.resolve("workbench-finetune-drift-" + names[i] + ".png"));
                assertTrue(ScreenshotTest.colours(image) > 20, "an empty capture of the " + names[i] + " page");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
