package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.brainalign.core.analysis.RoiSummary;
import org.brainalign.io.run.RunFolder;
import org.brainalign.ui.charts.ChartKind;
import org.brainalign.ui.charts.ChartView;
import org.brainalign.ui.handlers.CompareWithHandler;
import org.brainalign.ui.viewer.VolumeEditor;
import org.brainalign.ui.workspace.OpenRunActionProvider;
import org.brainalign.ui.workspace.RunPropertyPage;
import org.brainalign.ui.workspace.RunSummary;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two runs named alike in two projects (the demos of two demo projects) are told apart everywhere: the model
 * comparison's legend and the drift chart name where each lies, Compare with... compares them instead of refusing,
 * the viewer's tabs name project and run, and a run renamed in its properties keeps its new name in run.json, the
 * open viewer's tab and the drift chart taking it at once.
 */
public class SameNamedRunsTest {

    private static IFolder first;
    private static IFolder second;

    @BeforeAll
    public static void plantTwoDemos() throws Exception {
        IProject a = Workbench.freshProject("twin-a");
        IProject b = Workbench.freshProject("twin-b");
        first = a.getFolder("runs").getFolder("demo");
        second = b.getFolder("runs").getFolder("demo");
        PlantedRun.write(first.getLocation().toPath(), "demo", 0);
        PlantedRun.write(second.getLocation().toPath(), "demo", 1);
        a.refreshLocal(IResource.DEPTH_INFINITE, null);
        b.refreshLocal(IResource.DEPTH_INFINITE, null);
    }

    @AfterAll
    public static void closeEditors() {
        Workbench.page().closeAllEditors(false);
    }

    @Test
    public void compareWithComparesThemAndTheLegendsSayWhichIsWhich() throws Exception {
        Path a = first.getLocation().toPath();
        Path b = second.getLocation().toPath();
        CompareWithHandler.compare(Workbench.page().getWorkbenchWindow(), a, b).join();
        Workbench.settle();
        ChartView drift = (ChartView) Workbench.page().findView(ChartKind.DRIFT.viewId());
        Workbench.drawn(drift);
        assertNull(drift.message(), drift.message());
        List<String> lines = drift.figure().csv().lines().toList();
        assertEquals("roi,demo (twin-a/runs/demo),demo (twin-b/runs/demo),shift", lines.get(0));
        // the numbers are those of the two runs, in the order asked
        RunFolder ra = RunFolder.open(a);
        RunFolder rb = RunFolder.open(b);
        for (int i = 0; i < PlantedRun.ROIS.size(); i++) {
            String[] row = lines.get(i + 1).split(",");
            assertEquals(RoiSummary.of(ra.rois().get(i), ra.selectors()).meanDepth(), Double.parseDouble(row[1]),
                    1e-12);
            assertEquals(RoiSummary.of(rb.rois().get(i), rb.selectors()).meanDepth(), Double.parseDouble(row[2]),
                    1e-12);
        }

        Workbench.selectInExplorer(first, second);
        ChartView comparison = (ChartView) Workbench.page().showView(ChartKind.MODEL_COMPARISON.viewId(), null,
                IWorkbenchPage.VIEW_VISIBLE);
        Workbench.drawn(comparison);
        assertNull(comparison.message(), comparison.message());
        String header = comparison.figure().csv().lines().findFirst().orElseThrow();
        assertTrue(header.contains("demo (twin-a/runs/demo)") && header.contains("demo (twin-b/runs/demo)"), header);
    }

    @Test
    public void theViewersTabsNameProjectAndRun() throws Exception {
        VolumeEditor one = Workbench.loaded(
                OpenRunActionProvider.openMap(Workbench.page(), first.getLocation().toPath()));
        VolumeEditor two = Workbench.loaded(
                OpenRunActionProvider.openMap(Workbench.page(), second.getLocation().toPath()));
        assertEquals("twin-a/demo: preferred_layer", one.getPartName());
        assertEquals("twin-b/demo: preferred_layer", two.getPartName());
        assertNotEquals(one, two);
    }

    @Test
    public void theLabelIsEditedInTheRunsPropertiesAndKeptInRunJson() throws Exception {
        Path a = first.getLocation().toPath();
        Path b = second.getLocation().toPath();
        // a viewer and the drift chart already show the run when it is renamed
        VolumeEditor viewer = Workbench.loaded(OpenRunActionProvider.openMap(Workbench.page(), b));
        assertEquals("twin-b/demo: preferred_layer", viewer.getPartName());
        assertTrue(viewer.getTitleToolTip().startsWith("Run 'demo' in twin-b/runs/demo\n"), viewer.getTitleToolTip());
        CompareWithHandler.compare(Workbench.page().getWorkbenchWindow(), a, b).join();
        ChartView drift = (ChartView) Workbench.page().findView(ChartKind.DRIFT.viewId());
        Workbench.drawn(drift);
        assertEquals("roi,demo (twin-a/runs/demo),demo (twin-b/runs/demo),shift", header(drift));

        PreferenceDialog dialog = PreferencesUtil.createPropertyDialogOn(
                PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), second,
                "org.brainalign.ui.runProperties", null, null);
        assertNotNull(dialog, "no property dialog for the run");
        dialog.setBlockOnOpen(false);
        dialog.open();
        RunPropertyPage page = (RunPropertyPage) dialog.getSelectedPage();
        page.labelField().setText("   ");
        assertTrue(!page.isValid() && page.getErrorMessage().startsWith("A run needs a label"),
                String.valueOf(page.getErrorMessage()));
        page.labelField().setText(" demo, fine-tuned ");
        assertTrue(page.isValid());
        assertTrue(page.performOk());
        dialog.close();
        assertEquals("demo, fine-tuned", RunFolder.open(b).label());
        assertTrue(RunSummary.label(b).startsWith("'demo, fine-tuned', "), RunSummary.label(b));
        // the open tab follows at once, with no reopening
        Workbench.settle();
        assertEquals("twin-b/demo, fine-tuned: preferred_layer", viewer.getPartName());
        assertTrue(viewer.getTitleToolTip().startsWith("Run 'demo, fine-tuned' in twin-b/runs/demo\n"),
                viewer.getTitleToolTip());
        // and so does the drift chart, without being asked again: the labels differ now, so no folder is needed to
        // tell them apart
        Workbench.drawn(drift);
        assertEquals("roi,demo,\"demo, fine-tuned\",shift", header(drift));
    }

    private static String header(ChartView chart) {
        return chart.figure().csv().lines().findFirst().orElseThrow();
    }
}
