package org.brainalign.ui;

import org.brainalign.ui.charts.ChartKind;
import org.brainalign.ui.guide.GuideView;
import org.brainalign.ui.roi.RoiView;
import org.brainalign.ui.wizards.DemoProjectWizard;
import org.brainalign.ui.wizards.NewProjectWizard;
import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

/**
 * The "Brain Alignment" perspective (WORKBENCH.md): subjects, stores and runs on the left with progress and problems
 * under them, volumes in the editor area with the charts under it, and one view per ROI on the right (V1, EBA, FFA,
 * PPA).
 */
public class BrainAlignmentPerspective implements IPerspectiveFactory {

    /** The perspective's id. */
    public static final String ID = "org.brainalign.ui.perspective";
    /** The Project Explorer of the resources navigator. */
    public static final String PROJECT_EXPLORER = "org.eclipse.ui.navigator.ProjectExplorer";
    /** The Error Log view (bundle org.eclipse.ui.views.log, part of the product), where job errors land. */
    public static final String ERROR_LOG = "org.eclipse.pde.runtime.LogView";
    /** Folder ids, so later views can be placed next to their neighbours. */
    public static final String LEFT = "org.brainalign.ui.left", RIGHT = "org.brainalign.ui.right",
            BOTTOM = "org.brainalign.ui.bottom", PROGRESS = "org.brainalign.ui.progress";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        String editors = layout.getEditorArea();
        layout.setEditorAreaVisible(true);
        IFolderLayout left = layout.createFolder(LEFT, IPageLayout.LEFT, 0.2f, editors);
        left.addView(PROJECT_EXPLORER);
        // the ROI views take the full height: a histogram, a heat map and a stimulus stack up
        IFolderLayout right = layout.createFolder(RIGHT, IPageLayout.RIGHT, 0.7f, editors);
        for (String roi : RoiView.DEFAULT_ROIS) {
            right.addView(RoiView.ID + ":" + roi);
        }
        right.addPlaceholder(RoiView.ID + ":*");
        right.addPlaceholder(IPageLayout.ID_PROP_SHEET);
        IFolderLayout bottom = layout.createFolder(BOTTOM, IPageLayout.BOTTOM, 0.6f, editors);
        for (ChartKind k : ChartKind.values()) {
            bottom.addView(k.viewId());
        }
        bottom.addPlaceholder(GuideView.ID);
        // progress and problems under the explorer, in sight while a job runs, leaving the charts the full width
        IFolderLayout progress = layout.createFolder(PROGRESS, IPageLayout.BOTTOM, 0.66f, LEFT);
        progress.addView(IPageLayout.ID_PROGRESS_VIEW);
        progress.addView(IPageLayout.ID_PROBLEM_VIEW);
        progress.addView(ERROR_LOG);
        layout.addShowViewShortcut(PROJECT_EXPLORER);
        layout.addShowViewShortcut(IPageLayout.ID_PROGRESS_VIEW);
        layout.addShowViewShortcut(GuideView.ID);
        for (ChartKind k : ChartKind.values()) {
            layout.addShowViewShortcut(k.viewId());
        }
        layout.addNewWizardShortcut(NewProjectWizard.ID);
        layout.addNewWizardShortcut(DemoProjectWizard.ID);
        layout.addPerspectiveShortcut(ID);
    }
}
