package org.brainalign.ui;

import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IAdaptable;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.application.ActionBarAdvisor;
import org.eclipse.ui.application.IActionBarConfigurer;
import org.eclipse.ui.application.IWorkbenchConfigurer;
import org.eclipse.ui.application.IWorkbenchWindowConfigurer;
import org.eclipse.ui.application.WorkbenchAdvisor;
import org.eclipse.ui.application.WorkbenchWindowAdvisor;
import org.eclipse.ui.ide.IDE;

/** The standalone BrainAlign workbench: an Eclipse workbench that opens on the Brain Alignment perspective. */
public class WorkbenchApplication implements IApplication {

    @Override
    public Object start(IApplicationContext context) {
        Display display = PlatformUI.createDisplay();
        try {
            int code = PlatformUI.createAndRunWorkbench(display, new Advisor());
            return code == PlatformUI.RETURN_RESTART ? IApplication.EXIT_RESTART : IApplication.EXIT_OK;
        } finally {
            display.dispose();
        }
    }

    @Override
    public void stop() {
        if (!PlatformUI.isWorkbenchRunning()) {
            return;
        }
        IWorkbench workbench = PlatformUI.getWorkbench();
        Display display = workbench.getDisplay();
        display.syncExec(() -> {
            if (!display.isDisposed()) {
                workbench.close();
            }
        });
    }

    /** Opens the Brain Alignment perspective on the workspace, with the IDE's adapters for resources. */
    private static final class Advisor extends WorkbenchAdvisor {

        @Override
        public void initialize(IWorkbenchConfigurer configurer) {
            configurer.setSaveAndRestore(true);
            IDE.registerAdapters();
            IdeImages.declare(configurer);
        }

        @Override
        public String getInitialWindowPerspectiveId() {
            return BrainAlignmentPerspective.ID;
        }

        @Override
        public IAdaptable getDefaultPageInput() {
            return ResourcesPlugin.getWorkspace().getRoot();
        }

        @Override
        public WorkbenchWindowAdvisor createWorkbenchWindowAdvisor(IWorkbenchWindowConfigurer configurer) {
            return new WorkbenchWindowAdvisor(configurer) {

                @Override
                public ActionBarAdvisor createActionBarAdvisor(IActionBarConfigurer bars) {
                    return new MenuBar(bars);
                }

                @Override
                public void preWindowOpen() {
                    IWorkbenchWindowConfigurer c = getWindowConfigurer();
                    c.setInitialSize(new Point(1400, 900));
                    c.setShowCoolBar(true);
                    c.setShowStatusLine(true);
                    c.setShowProgressIndicator(true);
                    c.setTitle("BrainAlign");
                }
            };
        }
    }
}
