package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.brainalign.core.Affine;
import org.brainalign.io.DataFormatException;
import org.brainalign.io.roi.AtlasFile;
import org.brainalign.testing.SharedData;
import org.brainalign.ui.wizards.NiftiImportOperation;
import org.brainalign.ui.wizards.NiftiImportPage;
import org.brainalign.ui.wizards.NiftiImportWizard;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * File > Import > BrainAlign > NIfTI volumes: the copy operation (byte for byte, refusing bad files before copying,
 * undone when cancelled) and the wizard page (header preview against nibabel's readings, problems on the page).
 */
public class ImportWizardTest {

    private static IProject project;

    @TempDir
    Path temp;

    @BeforeAll
    public static void createProject() throws Exception {
        project = Workbench.freshProject("import-test");
    }

    @Test
    public void copiesFilesByteForByteIntoANewFolder() throws Exception {
        IFolder target = project.getFolder("subjects").getFolder("copy").getFolder("nested");
        List<Path> sources = List.of(SharedData.nifti("anatomical.nii"), SharedData.nifti("example4d.nii.gz"));
        List<IFile> files = new NiftiImportOperation(sources, target, false).run(null);
        assertEquals(2, files.size());
        for (int i = 0; i < 2; i++) {
            assertTrue(files.get(i).exists());
            assertEquals(-1L, Files.mismatch(sources.get(i), files.get(i).getLocation().toPath()));
        }
        // a second import of the same files is refused unless overwriting is chosen
        IOException again = assertThrows(IOException.class,
                () -> new NiftiImportOperation(sources, target, false).run(null));
        assertTrue(again.getMessage().contains("already exists"), again.getMessage());
        assertEquals(2, new NiftiImportOperation(sources, target, true).run(null).size());
    }

    @Test
    public void anAtlasKeepsItsLabelFileAndSoItsRegionNames() throws Exception {
        IFolder target = project.getFolder("atlases");
        Path aal = SharedData.nifti("aal.nii.gz");
        List<IFile> files = new NiftiImportOperation(List.of(aal), target, false).run(null);
        assertEquals(List.of("aal.nii.gz", "aal.nii.txt"), files.stream().map(IFile::getName).toList());
        Path copy = files.get(0).getLocation().toPath();
        assertEquals(-1L, Files.mismatch(aal.resolveSibling("aal.nii.txt"), copy.resolveSibling("aal.nii.txt")));
        // the copy names its regions as the original does (AAL's label 43 is the left calcarine cortex)
        assertEquals("Calcarine_L", AtlasFile.table(copy, null).name(43).orElseThrow());
        assertEquals(AtlasFile.table(aal, null).asMap(), AtlasFile.table(copy, null).asMap());

        // a label file chosen on its own, beside its volume, is copied once; on its own it is not read as an image
        IFolder again = project.getFolder("atlases-chosen");
        List<IFile> chosen = new NiftiImportOperation(List.of(aal, aal.resolveSibling("aal.nii.txt")), again, false)
                .run(null);
        assertEquals(List.of("aal.nii.gz", "aal.nii.txt"), chosen.stream().map(IFile::getName).toList());
        WizardDialog dialog = open(new NiftiImportWizard());
        try {
            NiftiImportPage page = ((NiftiImportWizard) dialog.getCurrentPage().getWizard()).page();
            page.addFiles(List.of(aal.resolveSibling("aal.nii.txt")));
            page.setFolder("/" + project.getName() + "/labels");
            assertNull(page.getErrorMessage());
            assertTrue(page.previewText().startsWith("Label file"), page.previewText());
        } finally {
            dialog.close();
        }
    }

    @Test
    public void aBadFileStopsTheImportBeforeAnythingIsCopied() throws Exception {
        Path bad = temp.resolve("notes.nii");
        Files.writeString(bad, "these are notes, not an image");
        IFolder target = project.getFolder("subjects").getFolder("bad");
        DataFormatException e = assertThrows(DataFormatException.class, () -> new NiftiImportOperation(
                List.of(SharedData.nifti("anatomical.nii"), bad), target, false).run(null));
        assertTrue(e.getMessage().startsWith("File " + bad), e.getMessage());
        assertFalse(target.exists());
    }

    @Test
    public void cancellingRemovesWhatWasCopied() throws Exception {
        IFolder target = project.getFolder("subjects").getFolder("cancelled");
        List<Path> sources = List.of(SharedData.nifti("anatomical.nii"), SharedData.nifti("aal.nii.gz"));
        NullProgressMonitor cancelAfterFirst = new NullProgressMonitor() {

            @Override
            public boolean isCanceled() {
                // the user presses Cancel once the first file is in place
                return target.getLocation() != null && Files.exists(target.getLocation().toPath().resolve(
                        "anatomical.nii"));
            }
        };
        assertThrows(OperationCanceledException.class,
                () -> new NiftiImportOperation(sources, target, false).run(cancelAfterFirst));
        try (Stream<Path> left = Files.list(target.getLocation().toPath())) {
            assertEquals(List.of(), left.toList(), "no copied file and no temporary file may remain");
        }
    }

    @Test
    public void pagePreviewsTheHeaderAsNibabelReadsIt() throws Exception {
        JsonObject ref = SharedData.nibabel("anatomical.nii");
        WizardDialog dialog = open(new NiftiImportWizard());
        try {
            NiftiImportWizard wizard = (NiftiImportWizard) dialog.getCurrentPage().getWizard();
            NiftiImportPage page = wizard.page();
            assertFalse(page.isPageComplete());
            assertNull(page.getErrorMessage());
            page.addFiles(List.of(SharedData.nifti("anatomical.nii")));
            List<String> lines = page.previewText().lines().toList();
            JsonArray shape = ref.getAsJsonArray("shape");
            assertEquals("Shape: " + shape.get(0) + "\u00d7" + shape.get(1) + "\u00d7" + shape.get(2), lines.get(0));
            assertEquals("Datatype: int16", lines.get(1)); // nibabel: on-disk dtype >i2
            assertEquals("Orientation: LAS", lines.get(2));
            JsonArray pixdim = ref.getAsJsonArray("pixdim");
            assertEquals("Voxel size: " + pixdim.get(0).getAsInt() + "\u00d7" + pixdim.get(1).getAsInt() + "\u00d7"
                    + pixdim.get(2).getAsInt() + " mm", lines.get(3));
            assertEquals("Affine (sform, qform code " + ref.get("qform_code") + ", sform code "
                    + ref.get("sform_code") + "):", lines.get(4));
            Affine a = SharedData.affine(ref);
            for (int r = 0; r < 3; r++) {
                assertEquals(String.format(Locale.ROOT, "  [%9.4f %9.4f %9.4f %10.4f]", a.get(r, 0), a.get(r, 1),
                        a.get(r, 2), a.get(r, 3)), lines.get(5 + r));
            }

            page.setFolder("/import-test/subjects/wizard");
            assertTrue(page.isPageComplete(), String.valueOf(page.getErrorMessage()));
            assertTrue(wizard.performFinish());
            assertEquals(1, wizard.imported().size());
            assertEquals(-1L, Files.mismatch(SharedData.nifti("anatomical.nii"),
                    wizard.imported().get(0).getLocation().toPath()));
        } finally {
            dialog.close();
        }
    }

    @Test
    public void pageShowsProblemsAsTheyAreFound() throws Exception {
        WizardDialog dialog = open(new NiftiImportWizard());
        try {
            NiftiImportPage page = ((NiftiImportWizard) dialog.getCurrentPage().getWizard()).page();
            page.addFiles(List.of(SharedData.nifti("aal.nii.gz")));
            page.setFolder("/no-such-project/x");
            assertEquals("Project no-such-project does not exist; create it first (File > New > BrainAlign project).",
                    page.getErrorMessage());
            assertFalse(page.isPageComplete());

            new NiftiImportOperation(List.of(SharedData.nifti("aal.nii.gz")),
                    project.getFolder("subjects").getFolder("twice"), false).run(null);
            page.setFolder("/import-test/subjects/twice");
            assertEquals("File aal.nii.gz already exists in /import-test/subjects/twice; tick Overwrite or choose"
                    + " another folder.", page.getErrorMessage());
            page.setOverwrite(true);
            assertNull(page.getErrorMessage());

            Path truncated = temp.resolve("truncated.nii.gz");
            byte[] whole = Files.readAllBytes(SharedData.nifti("aal.nii.gz"));
            Files.write(truncated, java.util.Arrays.copyOf(whole, 100));
            page.addFiles(List.of(truncated));
            String error = page.getErrorMessage();
            assertTrue(error != null && error.startsWith("File " + truncated), error);
            assertFalse(error.contains("\n"), "one sentence: " + error);
            assertFalse(page.isPageComplete());
        } finally {
            dialog.close();
        }
    }

    static WizardDialog open(org.eclipse.jface.wizard.Wizard wizard) {
        if (wizard instanceof org.eclipse.ui.IWorkbenchWizard w) {
            w.init(PlatformUI.getWorkbench(), org.eclipse.jface.viewers.StructuredSelection.EMPTY);
        }
        Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
        WizardDialog dialog = new WizardDialog(shell, wizard);
        dialog.setBlockOnOpen(false);
        dialog.open();
        Workbench.settle();
        return dialog;
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
