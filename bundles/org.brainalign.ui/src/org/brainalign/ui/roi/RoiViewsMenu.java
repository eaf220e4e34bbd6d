package org.brainalign.ui.roi;

import java.util.ArrayList;
import java.util.List;

import org.brainalign.core.data.Roi;
import org.brainalign.ui.runs.LoadedRun;
import org.brainalign.ui.runs.RunContext;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.ActionContributionItem;
import org.eclipse.jface.action.IContributionItem;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.actions.CompoundContributionItem;

/**
 * The ROI views menu lists every ROI of the followed run; choosing one opens (or brings forward) its ROI view. It
 * is filled afresh each time it opens, so it always lists the current run's ROIs.
 */
public class RoiViewsMenu extends CompoundContributionItem {

    @Override
    protected IContributionItem[] getContributionItems() {
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        LoadedRun run = window == null ? null : RunContext.of(window).state().run();
        List<IContributionItem> items = new ArrayList<>();
        if (run == null || run.rois().isEmpty()) {
            Action none = new Action(run == null ? "(no run followed: select a run folder)" : "(the run has no ROIs)") {
            };
            none.setEnabled(false);
            items.add(new ActionContributionItem(none));
        } else {
            for (Roi roi : run.rois()) {
                items.add(new ActionContributionItem(new Action(roi.name() + " (" + roi.size() + " voxels)") {

                    @Override
                    public void run() {
                        open(window.getActivePage(), roi.name());
                    }
                }));
            }
        }
        return items.toArray(IContributionItem[]::new);
    }

    /**
     * Opens the view of an ROI, or brings it forward.
     *
     * @param page the page
     * @param roiName the ROI's name
     * @return the view, or null if it could not be opened (the workbench logs why)
     */
    public static RoiView open(IWorkbenchPage page, String roiName) {
        try {
            return (RoiView) page.showView(RoiView.ID, roiName, IWorkbenchPage.VIEW_ACTIVATE);
        } catch (PartInitException e) {
            org.eclipse.core.runtime.ILog.of(RoiViewsMenu.class).error(e.getMessage(), e);
            return null;
        }
    }
}
