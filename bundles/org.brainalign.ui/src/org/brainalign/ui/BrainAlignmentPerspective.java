package org.brainalign.ui;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

/**
 * The "Brain Alignment" perspective: subjects, stores and runs on the left, volumes in the editor area, per-ROI views
 * on the right and charts, progress and problems along the bottom.
 */
public class BrainAlignmentPerspective implements IPerspectiveFactory {

    /** The perspective's id. */
    public static final String ID = "org.brainalign.ui.perspective";
    /** The Project Explorer of the resources navigator. */
    public static final String PROJECT_EXPLORER = "org.eclipse.ui.navigator.ProjectExplorer";
    /** Folder ids, so later views can be placed next to their neighbours. */
    public static final String LEFT = "org.brainalign.ui.left", RIGHT = "org.brainalign.ui.right",
            BOTTOM = "org.brainalign.ui.bottom";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        String editors = layout.getEditorArea();
        layout.setEditorAreaVisible(true);
        IFolderLayout left = layout.createFolder(LEFT, IPageLayout.LEFT, 0.2f, editors);
        left.addView(PROJECT_EXPLORER);
        IFolderLayout bottom = layout.createFolder(BOTTOM, IPageLayout.BOTTOM, 0.7f, editors);
        bottom.addView(IPageLayout.ID_PROGRESS_VIEW);
        bottom.addView(IPageLayout.ID_PROBLEM_VIEW);
        IFolderLayout right = layout.createFolder(RIGHT, IPageLayout.RIGHT, 0.72f, editors);
        right.addView(IPageLayout.ID_PROP_SHEET);
        layout.addShowViewShortcut(PROJECT_EXPLORER);
        layout.addShowViewShortcut(IPageLayout.ID_PROGRESS_VIEW);
        layout.addPerspectiveShortcut(ID);
    }
}
