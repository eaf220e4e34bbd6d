package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.brainalign.testing.SharedData;
import org.brainalign.workflow.FitWorkflow;
import org.brainalign.engine.factortopy.TrainingConfig;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunInput;
import org.brainalign.io.subject.SubjectDescription;
import org.brainalign.ui.charts.ChartKind;
import org.brainalign.ui.charts.ChartView;
import org.brainalign.engine.backbone.PositionInterpolation;
import org.brainalign.engine.features.Extractor;
import org.brainalign.ui.jobs.DemoJob;
import org.brainalign.ui.jobs.ExtractJob;
import org.brainalign.ui.jobs.FitJob;
import org.brainalign.ui.jobs.ReportJob;
import org.brainalign.ui.viewer.VolumeEditor;
import org.brainalign.ui.wizards.DemoProjectWizard;
import org.brainalign.ui.wizards.ExtractWizard;
import org.brainalign.ui.wizards.FitWizard;
import org.brainalign.ui.workspace.BrainAlignNature;
import org.brainalign.ui.workspace.RunCommand;
import org.brainalign.ui.workspace.RunPropertyPage;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs in the real workbench, on a tiny demo (20 stimuli, one epoch: seconds): the demo project job makes the
 * project and opens its layer map with the charts filled; a cancelled demo or fit leaves nothing behind; a failed
 * fit says which file in one sentence, in the platform log too; the report job writes its report; and the command a
 * run's properties show redoes the fit through the real command line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class JobsTest {

    private static final String PROJECT = "demo-job-test";

    /** The tiny demo: enough to run every stage, not to recover anything. */
    private static final DemoJob.Settings TINY = new DemoJob.Settings(20, 2, 1, 1, 2);

    private static IProject project;
    private static Path root;
    private static final List<IStatus> logged = Collections.synchronizedList(new ArrayList<>());
    private static final ILogListener listener = (status, plugin) -> logged.add(status);

    @TempDir
    Path temp;

    @BeforeAll
    public static void quietDialogs() throws Exception {
        // error dialogs would wait for a click: in automated mode they only record what they would show
        ErrorDialog.AUTOMATED_MODE = true;
        Platform.addLogListener(listener);
        IProject old = ResourcesPlugin.getWorkspace().getRoot().getProject(PROJECT);
        if (old.exists()) {
            old.delete(IResource.ALWAYS_DELETE_PROJECT_CONTENT | IResource.FORCE, null);
        }
    }

    @AfterAll
    public static void removeListener() {
        Platform.removeLogListener(listener);
        Workbench.page().closeAllEditors(false);
    }

    @Test
    @Order(1)
    public void theDemoProjectOpensItsLayerMapAndFillsTheCharts() throws Exception {
        DemoJob job = new DemoJob(Workbench.page().getWorkbenchWindow(), PROJECT, null, TINY);
        job.schedule();
        job.join();
        assertEquals(IStatus.OK, job.getResult().getSeverity(), String.valueOf(job.getResult()));
        project = ResourcesPlugin.getWorkspace().getRoot().getProject(PROJECT);
        root = project.getLocation().toPath();
        assertTrue(project.hasNature(BrainAlignNature.ID));
        assertTrue(project.getFolder("runs").getFolder("demo").getFile("run.json").exists(),
                "the run is in the workspace");
        Path map = root.resolve("runs/demo/maps/preferred_layer.nii.gz");
        Workbench.waitUntil(() -> Workbench.page().getActiveEditor() instanceof VolumeEditor e
                && e.file().equals(map), "the viewer on the demo's layer map");
        VolumeEditor editor = Workbench.loaded(Workbench.page().getActiveEditor());
        assertNotNull(editor.view());
        ChartView layers = (ChartView) Workbench.page().showView(ChartKind.LAYER_PREFERENCE.viewId(), null,
                IWorkbenchPage.VIEW_VISIBLE);
        Workbench.drawn(layers);
        assertNull(layers.message(), layers.message());
        assertTrue(layers.figure().csv().lines().count() > 1, "a row per ROI");
    }

    private static FitWorkflow.Request fit(Path subject, String name, int epochs) {
        TrainingConfig config = TrainingConfig.builder().optMaxEpochs(epochs).optPatience(epochs).optSeed(3)
                .optThreads(2).build();
        return new FitWorkflow.Request(root.resolve("features"), subject, root.resolve("runs").resolve(name), name,
                config, 0.1, false);
    }

    @Test
    @Order(2)
    public void aCancelledFitLeavesNoRun() throws Exception {
        Path subject = root.resolve("subject").resolve(SubjectDescription.FILE);
        FitJob job = new FitJob(null, fit(subject, "cancelled", 100_000));
        Path run = job.request().run();
        job.schedule();
        // the run folder appears before the first training step: cancel while it is being written
        Workbench.waitUntil(() -> Files.exists(run.resolve(RunFolder.RUN_JSON)) || job.getState() == Job.NONE,
                "the fit to start writing its run");
        assertTrue(Files.exists(run.resolve(RunFolder.RUN_JSON)), "the fit ended before it could be cancelled");
        job.cancel();
        job.join();
        assertEquals(IStatus.CANCEL, job.getResult().getSeverity());
        assertFalse(Files.exists(run), "a cancelled fit left " + run);
        project.refreshLocal(IResource.DEPTH_INFINITE, null);
        assertFalse(project.getFolder("runs").getFolder("cancelled").exists());
    }

    @Test
    @Order(3)
    public void aFailedFitSaysWhichFileInOneSentence() throws Exception {
        Path bad = temp.resolve("subject.json");
        Files.writeString(bad, "{ this is not json", StandardCharsets.UTF_8);
        logged.clear();
        // the job's failure, and the error dialog (automated: logged) that says it
        CleanLog.expect(CleanLog.about(bad.toString()));
        FitJob job = new FitJob(Workbench.page().getWorkbenchWindow(), fit(bad, "failed", 1));
        job.schedule();
        job.join();
        Workbench.settle(); // the error dialog is shown (and logged) from the UI thread after the job
        IStatus failure = job.getResult();
        assertEquals(IStatus.ERROR, failure.getSeverity());
        String message = failure.getMessage();
        assertTrue(message.contains(bad.toString()), message);
        assertFalse(message.contains("\n"), "one sentence: " + message);
        assertTrue(message.startsWith("File " + bad + " is not valid JSON"), message);
        assertTrue(logged.stream().anyMatch(s -> s.getMessage().equals(message)), "in the platform log: " + logged);
        assertFalse(Files.exists(job.request().run()), "a failed fit left its run folder");
    }

    @Test
    @Order(4)
    public void theFitWizardFitsIntoTheProjectAndOpensTheRun() throws Exception {
        FitWizard wizard = new FitWizard(PlatformUI.getWorkbench(),
                new StructuredSelection(project.getFolder("runs")));
        WizardDialog dialog = new WizardDialog(Workbench.page().getWorkbenchWindow().getShell(), wizard);
        dialog.setBlockOnOpen(false);
        dialog.open();
        try {
            // the project's only store and subject are offered; the run name is the user's
            FitWizard.FitPage page = wizard.page();
            assertEquals(root.resolve("features"), page.request().store());
            assertEquals(root.resolve("subject").resolve(SubjectDescription.FILE), page.request().subjectFile());
            page.set(root.resolve("features"), root.resolve("subject").resolve(SubjectDescription.FILE), "demo", 1);
            assertFalse(page.isPageComplete(), "the name of an existing run is refused");
            assertTrue(page.getErrorMessage().contains("already has a run demo"), page.getErrorMessage());
            page.set(root.resolve("features"), root.resolve("subject").resolve(SubjectDescription.FILE), "wizard", 1);
            assertTrue(page.isPageComplete(), page.getErrorMessage());
            assertTrue(wizard.performFinish());
        } finally {
            dialog.close();
        }
        FitJob job = wizard.job();
        job.join();
        assertEquals(IStatus.OK, job.getResult().getSeverity(), String.valueOf(job.getResult()));
        Path map = root.resolve("runs/wizard/maps/preferred_layer.nii.gz");
        assertTrue(Files.isRegularFile(map), "the fit is analysed");
        Workbench.waitUntil(() -> Workbench.page().getActiveEditor() instanceof VolumeEditor e
                && e.file().equals(map), "the viewer on the new run's layer map");
        assertTrue(project.getFolder("runs").getFolder("wizard").exists(), "the workspace sees the run");
    }

    @Test
    @Order(5)
    public void theExtractionJobWritesAStore() throws Exception {
        Path store = root.resolve("features").resolve("again");
        List<Path> images = org.brainalign.ui.runs.Stimuli.list(root.resolve("subject").resolve("stimuli"), 100);
        ExtractJob job = new ExtractJob(null, Extractor.Request.of(root.resolve("network"), images, store));
        job.schedule();
        job.join();
        assertEquals(IStatus.OK, job.getResult().getSeverity(), String.valueOf(job.getResult()));
        assertEquals(20, job.result().images());
        assertTrue(Files.isRegularFile(store.resolve("manifest.json")));
    }

    @Test
    @Order(6)
    public void theReportJobWritesTheReport() throws Exception {
        Path run = root.resolve("runs/demo");
        Path output = temp.resolve("report.html");
        ReportJob job = new ReportJob(null, List.of(run), output);
        job.schedule();
        job.join();
        assertEquals(IStatus.OK, job.getResult().getSeverity(), String.valueOf(job.getResult()));
        String html = Files.readString(output, StandardCharsets.UTF_8);
        assertTrue(html.contains("<html") && html.contains("demo"), html.substring(0, Math.min(200, html.length())));
        assertEquals(run.resolve("report.html"), ReportJob.defaultOutput(List.of(run)));
    }

    @Test
    @Order(7)
    public void theCommandTheRunShowsRedoesTheFit() throws Exception {
        RunFolder demo = RunFolder.open(root.resolve("runs/demo"));
        List<String> args = new ArrayList<>(RunCommand.fit(demo).orElseThrow());
        assertEquals(List.of("brainalign", "fit"), args.subList(0, 2));
        assertEquals(root.resolve("features").toString(), args.get(args.indexOf("--features") + 1));
        assertEquals("1", args.get(args.indexOf("--epochs") + 1), "the demo fitted one epoch");
        Path redo = root.resolve("runs/redo");
        args.set(args.indexOf("--out") + 1, redo.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CommandLineFace.run(args.subList(1, args.size()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        RunFolder again = RunFolder.open(redo);
        assertEquals(demo.info().config(), again.info().config());
        assertEquals(demo.info().split(), again.info().split());
        assertEquals(demo.info().seed(), again.info().seed());
        assertEquals(demo.info().inputs().stream().map(RunInput::sha256).toList(),
                again.info().inputs().stream().map(RunInput::sha256).toList(), "the same inputs");
        assertTrue(RunCommand.unsettable(demo.info()).isEmpty(), RunCommand.unsettable(demo.info()).toString());

        // the run's Properties show that command
        project.refreshLocal(IResource.DEPTH_INFINITE, null);
        PreferenceDialog dialog = PreferencesUtil.createPropertyDialogOn(
                PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(),
                project.getFolder("runs").getFolder("demo"), "org.brainalign.ui.runProperties", null, null);
        assertNotNull(dialog, "no property dialog for the run");
        dialog.setBlockOnOpen(false);
        dialog.open();
        try {
            RunPropertyPage page = (RunPropertyPage) dialog.getSelectedPage();
            assertEquals(RunCommand.text(demo).strip(), page.commandText());
            assertTrue(page.commandText().startsWith("brainalign fit --features "), page.commandText());
        } finally {
            dialog.close();
        }
    }

    @Test
    @Order(8)
    public void aCancelledDemoLeavesNoProject() throws Exception {
        DemoProjectWizard wizard = new DemoProjectWizard();
        wizard.init(PlatformUI.getWorkbench(), StructuredSelection.EMPTY);
        WizardDialog dialog = new WizardDialog(Workbench.page().getWorkbenchWindow().getShell(), wizard);
        dialog.setBlockOnOpen(false);
        dialog.open();
        String name;
        try {
            wizard.page().setSize(20, 1);
            assertTrue(wizard.page().isPageComplete(), wizard.page().getErrorMessage());
            name = wizard.page().getProjectName();
            assertEquals(20, wizard.page().settings().images());
            assertEquals(1, wizard.page().settings().epochs());
            assertTrue(wizard.performFinish());
        } finally {
            dialog.close();
        }
        DemoJob job = wizard.job();
        assertNotNull(job, "Finish starts the demo");
        Workbench.waitUntil(() -> job.folder() != null && Files.isDirectory(job.folder().resolve("features"))
                || job.getState() == Job.NONE, "the demo to start writing");
        job.cancel();
        job.join();
        assertEquals(IStatus.CANCEL, job.getResult().getSeverity(), String.valueOf(job.getResult()));
        assertFalse(ResourcesPlugin.getWorkspace().getRoot().getProject(name).exists());
        assertFalse(Files.exists(job.folder()), "a cancelled demo left " + job.folder());
    }

    /**
     * The extract wizard offers the installed families and turns its two switches into the request the command line
     * builds from --imagenet-norm and --dinov2-hub-positions; the position switch counts only for dinov2 (or auto).
     */
    @Test
    @Order(9)
    public void theExtractWizardsSwitchesReachTheRequest() throws Exception {
        ExtractWizard wizard = new ExtractWizard(PlatformUI.getWorkbench());
        WizardDialog dialog = new WizardDialog(Workbench.page().getWorkbenchWindow().getShell(), wizard);
        dialog.setBlockOnOpen(false);
        dialog.open();
        try {
            ExtractWizard.ExtractPage page = wizard.page();
            Path stimuli = root.resolve("subject").resolve("stimuli");
            page.set(root.resolve("network"), "auto", stimuli, "switches", false, false);
            assertTrue(page.isPageComplete(), page.getErrorMessage());
            Extractor.Request plain = page.request();
            assertFalse(plain.forceImageNet());
            assertEquals(PositionInterpolation.HUGGING_FACE, plain.positions());
            assertEquals(root.resolve("features").resolve("switches"), plain.store());
            page.set(root.resolve("network"), "dinov2", stimuli, "switches", true, true);
            Extractor.Request reference = page.request();
            assertEquals("dinov2", reference.family());
            assertTrue(reference.forceImageNet());
            assertEquals(PositionInterpolation.TORCH_HUB, reference.positions());
            page.set(root.resolve("network"), "clip", stimuli, "switches", true, true);
            assertEquals(PositionInterpolation.HUGGING_FACE, page.request().positions(),
                    "the torch.hub rule is DINOv2's: ticked for clip it does not count");
        } finally {
            dialog.close();
        }
    }

    /**
     * The extract wizard takes a PyTorch file as the checkpoint, as the command line does, names the store after it,
     * and refuses a file that is no checkpoint in one sentence.
     */
    @Test
    @Order(10)
    public void theExtractWizardTakesAPyTorchFile() throws Exception {
        ExtractWizard wizard = new ExtractWizard(PlatformUI.getWorkbench());
        WizardDialog dialog = new WizardDialog(Workbench.page().getWorkbenchWindow().getShell(), wizard);
        dialog.setBlockOnOpen(false);
        dialog.open();
        try {
            ExtractWizard.ExtractPage page = wizard.page();
            Path stimuli = root.resolve("subject").resolve("stimuli");
            Path file = SharedData.checkpoint("mocov3_vit", "vit-b-300ep.pth.tar");
            page.set(file, "auto", stimuli, "", false, false);
            assertTrue(page.isPageComplete(), page.getErrorMessage());
            Extractor.Request request = page.request();
            assertEquals(file, request.checkpoint());
            assertEquals(root.resolve("features").resolve("vit-b-300ep"), request.store());
            Path notes = Files.writeString(root.resolve("notes.txt"), "not a network");
            page.set(notes, "auto", stimuli, "x", false, false);
            assertFalse(page.isPageComplete());
            assertTrue(page.getErrorMessage().contains("notes.txt"), page.getErrorMessage());
        } finally {
            dialog.close();
        }
    }
}
