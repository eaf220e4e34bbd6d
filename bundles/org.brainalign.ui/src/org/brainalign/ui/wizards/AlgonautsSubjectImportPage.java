package org.brainalign.ui.wizards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.brainalign.io.npy.Npy;
import org.brainalign.io.subject.AlgonautsSubject;
import org.eclipse.core.resources.IProject;
import org.eclipse.swt.widgets.Composite;

/**
 * The Algonauts subject page: an Algonauts 2023 subject folder (subjXX, surface space) and the folder of the
 * fsaverage sphere surfaces (lh.sphere, rh.sphere) that give the vertices their coordinates. The page checks the
 * folder's layout and the fMRI arrays' headers as it is filled in; Finish reads the arrays ({@link AlgonautsSubject}).
 */
public final class AlgonautsSubjectImportPage extends SubjectImportPage {

    private PathField subject;
    private PathField surfaces;

    AlgonautsSubjectImportPage() {
        super("algonautsSubject", "Import an Algonauts 2023 subject (surface space)",
                "Record an Algonauts 2023 subject (training fMRI on fsaverage vertices, ROI masks) in a BrainAlign"
                        + " project.");
    }

    @Override
    protected void createSourceFields(Composite c) {
        subject = new PathField(c, "Subject folder:", true, null, this::update);
        surfaces = new PathField(c, "fsaverage surfaces:", true, null, this::update);
    }

    /**
     * Fills in the page, as if typed.
     *
     * @param subjectDir the subjXX folder
     * @param surfaceDir the folder holding lh.sphere and rh.sphere, or null
     */
    public void fill(Path subjectDir, Path surfaceDir) {
        subject.set(subjectDir.toString());
        surfaces.set(surfaceDir == null ? "" : surfaceDir.toString());
        update();
    }

    @Override
    protected String subjectId() {
        Path s = subject == null ? null : subject.path();
        return s == null || s.getFileName() == null ? null : s.getFileName().toString();
    }

    @Override
    protected String checkSource() {
        Path dir = subject.path();
        if (dir == null) {
            return "?Choose the subject folder (subjXX) of the Algonauts 2023 data.";
        }
        if (!Files.isDirectory(dir)) {
            return "Folder " + dir + " does not exist.";
        }
        Path fmri = dir.resolve("training_split").resolve("training_fmri");
        int rows = -1;
        for (String hemi : new String[] { "lh", "rh" }) {
            Path f = fmri.resolve(hemi + "_training_fmri.npy");
            if (!Files.isRegularFile(f)) {
                return "File " + f + " does not exist; an Algonauts subject folder holds"
                        + " training_split/training_fmri/{lh,rh}_training_fmri.npy.";
            }
            try {
                int[] shape = Npy.header(f).shape();
                if (shape.length != 2 || rows >= 0 && shape[0] != rows) {
                    return "File " + f + " has shape " + Arrays.toString(shape) + ", but images x vertices with the"
                            + " same images in both hemispheres is needed.";
                }
                rows = shape[0];
            } catch (IOException e) {
                return e.getMessage();
            }
        }
        for (String hemi : new String[] { "lh", "rh" }) {
            Path map = dir.resolve("roi_masks").resolve(hemi + ".all-vertices_fsaverage_space.npy");
            if (!Files.isRegularFile(map)) {
                return "File " + map + " does not exist; an Algonauts subject folder holds"
                        + " roi_masks/{lh,rh}.all-vertices_fsaverage_space.npy.";
            }
        }
        Path images = dir.resolve("training_split").resolve("training_images");
        if (!Files.isDirectory(images)) {
            return "Folder " + images + " does not exist; an Algonauts subject folder holds the training images"
                    + " there.";
        }
        Path s = surfaces.path();
        if (s == null) {
            return "?Choose the folder with the fsaverage spheres lh.sphere and rh.sphere (FreeSurfer's"
                    + " subjects/fsaverage/surf): BrainAlign never invents vertex coordinates.";
        }
        for (String hemi : new String[] { "lh", "rh" }) {
            if (!Files.isRegularFile(s.resolve(hemi + ".sphere"))) {
                return "Folder " + s + " has no " + hemi + ".sphere; choose the fsaverage surf folder of a FreeSurfer"
                        + " installation.";
            }
        }
        return null;
    }

    @Override
    protected SubjectImportOperation operation(IProject target, String folderName) {
        Path dir = subject.path();
        Path s = surfaces.path();
        List<Path> roiFiles = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir.resolve("roi_masks"))) {
            list.filter(p -> p.getFileName().toString().matches("[lr]h\\..*_(challenge|fsaverage)_space\\.npy"))
                    .sorted().forEach(roiFiles::add);
        } catch (IOException e) {
            // the import reads the same folder and reports what is wrong with it
        }
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("subjectDir", dir);
        source.put("surfaces", s);
        return new SubjectImportOperation("algonauts", monitor -> AlgonautsSubject.load(dir, s, monitor),
                SubjectImportOperation.source(source), roiFiles, target, folderName);
    }
}
