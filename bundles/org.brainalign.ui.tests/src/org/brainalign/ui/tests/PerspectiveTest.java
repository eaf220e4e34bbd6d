package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.brainalign.ui.BrainAlignmentPerspective;
import org.brainalign.ui.charts.ChartKind;
import org.brainalign.ui.roi.RoiView;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveDescriptor;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;

/** In a real workbench (under Xvfb): the Brain Alignment perspective opens with its views, and resets. */
public class PerspectiveTest {

    @Test
    public void brainAlignmentPerspectiveOpensWithItsViews() throws Exception {
        assertTrue(PlatformUI.isWorkbenchRunning());
        IPerspectiveDescriptor descriptor = PlatformUI.getWorkbench().getPerspectiveRegistry()
                .findPerspectiveWithId(BrainAlignmentPerspective.ID);
        assertNotNull(descriptor, "perspective not registered");
        assertEquals("Brain Alignment", descriptor.getLabel());
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        page.setPerspective(descriptor);
        assertEquals(BrainAlignmentPerspective.ID, page.getPerspective().getId());
        assertNotNull(page.findView(BrainAlignmentPerspective.PROJECT_EXPLORER), "Project Explorer not shown");
        assertNotNull(page.findView(IPageLayout.ID_PROGRESS_VIEW), "Progress view not shown");

        page.hideView(page.findView(IPageLayout.ID_PROGRESS_VIEW));
        page.resetPerspective();
        assertNotNull(page.findView(IPageLayout.ID_PROGRESS_VIEW), "reset did not bring the Progress view back");
    }

    @Test
    public void roiViewsOnTheRightAndChartsAlongTheBottom() throws Exception {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        page.setPerspective(PlatformUI.getWorkbench().getPerspectiveRegistry()
                .findPerspectiveWithId(BrainAlignmentPerspective.ID));
        page.resetPerspective();
        for (String roi : RoiView.DEFAULT_ROIS) {
            assertNotNull(page.findViewReference(RoiView.ID, roi), "no ROI view for " + roi);
        }
        IViewPart v1 = page.findViewReference(RoiView.ID, "V1").getView(true);
        assertEquals("V1", v1.getTitle());
        assertTrue(page.isPartVisible(v1), "V1's view is on top of the right folder");
        for (ChartKind k : ChartKind.values()) {
            assertNotNull(page.findViewReference(k.viewId()), "no chart view " + k);
        }
        IViewPart layers = page.findViewReference(ChartKind.LAYER_PREFERENCE.viewId()).getView(true);
        assertTrue(page.isPartVisible(layers), "the layer preference chart is on top of the bottom folder");
    }
}
