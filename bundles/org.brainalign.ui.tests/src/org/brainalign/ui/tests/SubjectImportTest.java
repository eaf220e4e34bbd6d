package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.brainalign.io.nifti.NiftiDataType;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiWriter;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.npy.NpyArray;
import org.brainalign.io.subject.SubjectDescription;
import org.brainalign.ui.wizards.AlgonautsSubjectImportPage;
import org.brainalign.ui.wizards.AlgonautsSubjectImportWizard;
import org.brainalign.ui.wizards.NsdSubjectImportPage;
import org.brainalign.ui.wizards.NsdSubjectImportWizard;
import org.brainalign.ui.workspace.ProjectLayout;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.jface.wizard.WizardDialog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * File > Import > BrainAlign > NSD subject and Algonauts subject: each page reports layout problems on the page as
 * they are typed; the NSD import reads a small subject made in NSD's exact layout and records it in the project,
 * with counts checked against the layout's own numbers.
 */
public class SubjectImportTest {

    private static final int[] SHAPE = { 4, 3, 2 };
    private static final VolumeGrid GRID = new VolumeGrid(SHAPE,
            Affine.ofRowMajor(-1.8, 0, 0, 70, 0, 1.8, 0, -100, 0, 0, 1.8, -60));
    /** nsdgeneral: -1 outside cortex, 0 unlabelled, 1 inside the mask. */
    private static final int[] NSDGENERAL = { -1, 0, 1, 1, 1, 0, 1, 1, -1, 1, 1, 0, 0, 1, 1, 1, 0, -1, -1, 0, 1, 0, 0,
            1 };
    private static final int[] PRF = { 0, 0, 1, 2, 3, 0, 1, 7, 0, 4, 0, 0, 0, 5, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0 };
    /** The image shown in trials 1 .. 10 (5 per session). */
    private static final String[] IMAGES = { "A", "B", "C", "A", "D", "E", "C", "B", "E", "C" };

    private static IProject project;

    @TempDir
    Path root;

    private Path trials;
    private Path stimuli;

    @BeforeAll
    public static void createProject() throws Exception {
        project = Workbench.freshProject("subject-test");
    }

    /** Lays out subj01 as NSD does: ROI volumes, two sessions of int16 betas, a trial table and the stimuli. */
    @BeforeEach
    public void layOutNsd() throws Exception {
        Path roi = Files.createDirectories(root.resolve("nsddata/ppdata/subj01/func1pt8mm/roi"));
        NiftiHeader labels = NiftiHeader.forGrid(GRID, NiftiDataType.INT16, 1);
        NiftiWriter.write(roi.resolve("nsdgeneral.nii.gz"), labels, NSDGENERAL);
        NiftiWriter.write(roi.resolve("prf-visualrois.nii.gz"), labels, PRF);
        Path betas = Files.createDirectories(
                root.resolve("nsddata_betas/ppdata/subj01/func1pt8mm/betas_fithrf_GLMdenoise_RR"));
        Random random = new Random(7);
        for (int s = 1; s <= 2; s++) {
            int[] values = new int[24 * 5];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextInt(2000) - 1000;
            }
            NiftiWriter.write(betas.resolve("betas_session0" + s + ".nii.gz"),
                    NiftiHeader.forGrid(GRID, NiftiDataType.INT16, 5), values);
        }
        StringBuilder csv = new StringBuilder("trial,image_id\n");
        for (int t = 0; t < IMAGES.length; t++) {
            csv.append(t + 1).append(',').append(IMAGES[t]).append('\n');
        }
        trials = root.resolve("trials.csv");
        Files.writeString(trials, csv, StandardCharsets.UTF_8);
        stimuli = Files.createDirectories(root.resolve("stimuli"));
        for (String id : new String[] { "A", "B", "C", "D", "E" }) {
            // the importer checks that each stimulus exists; it does not decode it
            Files.write(stimuli.resolve(id + ".png"), new byte[] { (byte) 0x89, 'P', 'N', 'G' });
        }
    }

    @Test
    public void nsdPageReportsLayoutProblemsAsTheyAreTyped() throws Exception {
        WizardDialog dialog = ImportWizardTest.open(new NsdSubjectImportWizard());
        try {
            NsdSubjectImportPage page = (NsdSubjectImportPage) dialog.getCurrentPage();
            assertNull(page.getErrorMessage());
            assertFalse(page.isPageComplete());

            page.fill(stimuli, "subj01", trials, stimuli, null, "");
            assertEquals("Folder " + stimuli + " has no nsddata/ppdata: choose NSD's root folder.",
                    page.getErrorMessage());

            // a mask on another grid (the same shape, shifted by a voxel)
            Path shifted = root.resolve("shifted.nii.gz");
            NiftiWriter.write(shifted, NiftiHeader.forGrid(new VolumeGrid(SHAPE,
                    Affine.ofRowMajor(-1.8, 0, 0, 71.8, 0, 1.8, 0, -100, 0, 0, 1.8, -60)), NiftiDataType.INT16, 1),
                    NSDGENERAL);
            page.fill(root, "subj01", trials, stimuli, shifted, "");
            assertTrue(page.getErrorMessage().startsWith("File " + shifted + " does not line up with the betas"),
                    page.getErrorMessage());

            page.fill(root, "subj01", trials, stimuli, null, "1, 3");
            assertEquals("Session 3 has no betas file in " + root.resolve(
                    "nsddata_betas/ppdata/subj01/func1pt8mm/betas_fithrf_GLMdenoise_RR") + ".", page.getErrorMessage());

            Path noHeader = root.resolve("no-header.csv");
            Files.writeString(noHeader, "1,A\n2,B\n");
            page.fill(root, "subj01", noHeader, stimuli, null, "");
            assertTrue(page.getErrorMessage().startsWith("File " + noHeader), page.getErrorMessage());

            page.fill(root, "subj01", trials, root.resolve("missing"), null, "");
            assertEquals("Folder " + root.resolve("missing") + " does not exist.", page.getErrorMessage());

            page.fill(root, "subj01", trials, stimuli, null, "1-2");
            assertNull(page.getErrorMessage());
            assertTrue(page.isPageComplete());
        } finally {
            dialog.close();
        }
    }

    @Test
    public void nsdSubjectIsReadAndRecordedInTheProject() throws Exception {
        WizardDialog dialog = ImportWizardTest.open(new NsdSubjectImportWizard());
        NsdSubjectImportWizard wizard = (NsdSubjectImportWizard) dialog.getCurrentPage().getWizard();
        try {
            NsdSubjectImportPage page = (NsdSubjectImportPage) wizard.page();
            page.fill(root, "subj01", trials, stimuli, null, "");
            page.setTarget(project.getName(), "subj01-full");
            assertTrue(page.isPageComplete(), String.valueOf(page.getErrorMessage()));
            assertTrue(wizard.performFinish(), String.valueOf(page.getErrorMessage()));
        } finally {
            dialog.close();
        }
        IFolder folder = wizard.imported();
        assertEquals(project.getFolder(ProjectLayout.SUBJECTS).getFolder("subj01-full"), folder);
        JsonObject json = JsonParser.parseString(Files.readString(
                folder.getFile(SubjectDescription.FILE).getLocation().toPath())).getAsJsonObject();
        int inside = 0;
        int v1 = 0;
        for (int v = 0; v < NSDGENERAL.length; v++) {
            if (NSDGENERAL[v] > 0) {
                inside++;
                v1 += PRF[v] == 1 || PRF[v] == 2 ? 1 : 0;
            }
        }
        assertEquals("nsd-volume", json.get("kind").getAsString());
        assertEquals(5, json.get("images").getAsInt(), "distinct images A..E");
        assertEquals(inside, json.get("voxels").getAsInt());
        assertEquals(v1, json.getAsJsonObject("rois").get("V1").getAsInt());
        assertEquals(root.toAbsolutePath().toString(), json.getAsJsonObject("source").get("nsdRoot").getAsString());
        assertEquals("LAS", json.getAsJsonObject("grid").get("orientation").getAsString());
        for (String copied : new String[] { "nsdgeneral.nii.gz", "prf-visualrois.nii.gz" }) {
            assertEquals(-1L, Files.mismatch(root.resolve("nsddata/ppdata/subj01/func1pt8mm/roi").resolve(copied),
                    folder.getFolder("rois").getFile(copied).getLocation().toPath()));
        }
    }

    @Test
    public void aProblemFoundWhileReadingStaysOnThePageAndLeavesNothing() throws Exception {
        // image F has no stimulus: only reading the table against the folder finds it
        Files.writeString(trials, Files.readString(trials) + "11,F\n");
        Files.delete(stimuli.resolve("E.png"));
        WizardDialog dialog = ImportWizardTest.open(new NsdSubjectImportWizard());
        NsdSubjectImportWizard wizard = (NsdSubjectImportWizard) dialog.getCurrentPage().getWizard();
        try {
            NsdSubjectImportPage page = (NsdSubjectImportPage) wizard.page();
            page.fill(root, "subj01", trials, stimuli, null, "");
            page.setTarget(project.getName(), "subj01-broken");
            assertTrue(page.isPageComplete());
            assertFalse(wizard.performFinish());
            String error = page.getErrorMessage();
            assertTrue(error != null && error.startsWith("File " + trials), error);
        } finally {
            dialog.close();
        }
        assertFalse(project.getFolder(ProjectLayout.SUBJECTS).getFolder("subj01-broken").exists());
        assertFalse(Files.exists(project.getLocation().toPath().resolve("subjects/subj01-broken")));
    }

    @Test
    public void algonautsPageAsksForWhatIsMissing() throws Exception {
        WizardDialog dialog = ImportWizardTest.open(new AlgonautsSubjectImportWizard());
        try {
            AlgonautsSubjectImportPage page = (AlgonautsSubjectImportPage) dialog.getCurrentPage();
            Path subj = Files.createDirectories(root.resolve("algonauts/subj01"));
            page.fill(subj, null);
            assertEquals("File " + subj.resolve("training_split/training_fmri/lh_training_fmri.npy")
                    + " does not exist; an Algonauts subject folder holds"
                    + " training_split/training_fmri/{lh,rh}_training_fmri.npy.", page.getErrorMessage());

            Path fmri = Files.createDirectories(subj.resolve("training_split/training_fmri"));
            Npy.write(fmri.resolve("lh_training_fmri.npy"), NpyArray.ofFloats(new float[6], 3, 2));
            Npy.write(fmri.resolve("rh_training_fmri.npy"), NpyArray.ofFloats(new float[8], 4, 2));
            page.fill(subj, null);
            assertTrue(page.getErrorMessage().contains("has shape [4, 2]"), page.getErrorMessage());

            Npy.write(fmri.resolve("rh_training_fmri.npy"), NpyArray.ofFloats(new float[9], 3, 3));
            Path masks = Files.createDirectories(subj.resolve("roi_masks"));
            for (String hemi : new String[] { "lh", "rh" }) {
                Npy.write(masks.resolve(hemi + ".all-vertices_fsaverage_space.npy"), NpyArray.ofInts(new int[5], 5));
            }
            Files.createDirectories(subj.resolve("training_split/training_images"));
            page.fill(subj, null);
            assertNull(page.getErrorMessage(), "an empty field is a prompt, not an error");
            assertTrue(page.getMessage().contains("lh.sphere and rh.sphere"), page.getMessage());
            assertFalse(page.isPageComplete());

            Path surf = Files.createDirectories(root.resolve("fsaverage/surf"));
            page.fill(subj, surf);
            assertEquals("Folder " + surf + " has no lh.sphere; choose the fsaverage surf folder of a FreeSurfer"
                    + " installation.", page.getErrorMessage());
        } finally {
            dialog.close();
        }
    }
}
