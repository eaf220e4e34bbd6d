package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.brainalign.ui.jobs.DemoJob;
import org.brainalign.ui.wizards.ExtractWizard;
import org.brainalign.ui.wizards.FitWizard;
import org.brainalign.ui.wizards.NewProjectWizard;
import org.eclipse.core.resources.IProject;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.wizard.IWizardPage;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wizards say a problem as soon as it is typed, not at Finish: an image folder without images, a feature store folder
 * that does not exist, and the name of a project a demo job is still making.
 */
public class WizardChecksTest {

    private static IProject project;

    @TempDir
    Path temp;

    @BeforeAll
    public static void createProject() throws Exception {
        project = Workbench.freshProject("wizard-checks-test");
    }

    private static WizardDialog open(org.eclipse.jface.wizard.IWizard wizard) {
        WizardDialog dialog = new WizardDialog(Workbench.page().getWorkbenchWindow().getShell(), wizard);
        dialog.setBlockOnOpen(false);
        dialog.open();
        return dialog;
    }

    @Test
    public void extractRefusesAnImageFolderWithoutImagesAtOnce() throws Exception {
        Path checkpoint = Files.createDirectories(temp.resolve("checkpoint"));
        Path empty = Files.createDirectories(temp.resolve("no-images"));
        Files.writeString(empty.resolve("notes.txt"), "not an image");
        ExtractWizard wizard = new ExtractWizard(PlatformUI.getWorkbench());
        WizardDialog dialog = open(wizard);
        try {
            ExtractWizard.ExtractPage page = wizard.page();
            page.set(checkpoint, "auto", empty, "store", false, false);
            assertEquals("Folder " + empty + " holds no image (.png, .jpg or .jpeg).", page.getErrorMessage());
            assertFalse(page.isPageComplete());
            Files.write(empty.resolve("a.png"), new byte[] { 1 });
            page.set(checkpoint, "auto", empty, "store", false, false);
            assertNull(page.getErrorMessage());
        } finally {
            dialog.close();
        }
    }

    @Test
    public void fitSaysAMissingStoreFolderIsMissing() throws Exception {
        Path missing = temp.resolve("no-such-store");
        Path subject = Files.writeString(temp.resolve("subject.json"), "{}");
        FitWizard wizard = new FitWizard(PlatformUI.getWorkbench(), new StructuredSelection(project));
        WizardDialog dialog = open(wizard);
        try {
            wizard.page().set(missing, subject, "run", 1);
            assertEquals("Folder " + missing + " does not exist.", wizard.page().getErrorMessage());
            assertFalse(wizard.page().isPageComplete());
        } finally {
            dialog.close();
        }
    }

    @Test
    public void newProjectRefusesTheNameOfAProjectADemoIsMaking() throws Exception {
        // a demo job waiting to start stands for one at work: the project appears only when it is done
        DemoJob demo = new DemoJob(null, "demo-at-work", null, new DemoJob.Settings(20, 2, 1, 1, 2));
        demo.schedule(600_000);
        NewProjectWizard wizard = new NewProjectWizard();
        wizard.init(PlatformUI.getWorkbench(), StructuredSelection.EMPTY);
        WizardDialog dialog = open(wizard);
        try {
            IWizardPage page = dialog.getCurrentPage();
            Text name = firstText((Composite) page.getControl());
            name.setText("demo-at-work");
            Workbench.settle();
            assertTrue(String.valueOf(page.getErrorMessage()).startsWith(
                    "A running demo job is making project demo-at-work"), String.valueOf(page.getErrorMessage()));
            assertFalse(page.isPageComplete());
            name.setText("another-name");
            Workbench.settle();
            assertTrue(page.isPageComplete(), String.valueOf(page.getErrorMessage()));
        } finally {
            dialog.close();
            demo.cancel();
            demo.join();
        }
    }

    private static Text firstText(Composite parent) {
        for (Control c : parent.getChildren()) {
            if (c instanceof Text t) {
                return t;
            }
            if (c instanceof Composite child) {
                Text t = firstText(child);
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }
}
