package org.brainalign.ui.wizards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.brainalign.core.VolumeGrid;
import org.brainalign.core.data.NsdLabels;
import org.brainalign.io.subject.NsdVolumeSubject;
import org.brainalign.io.subject.TrialTable;
import org.brainalign.ui.workspace.NiftiSummary;
import org.eclipse.core.resources.IProject;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/**
 * The NSD subject page: NSD's root folder (holding nsddata/ and nsddata_betas/), the subject, the trial table, the
 * stimulus folder, and optionally a mask and the sessions to load. The page checks the layout as it is filled in,
 * reading only directory listings, the trial table and NIfTI headers; Finish reads the betas
 * ({@link NsdVolumeSubject}).
 */
public final class NsdSubjectImportPage extends SubjectImportPage {

    private static final Pattern SESSION = Pattern.compile("betas_session(\\d+)\\.nii(\\.gz)?");
    /** NIfTI affines are float32: grids written by different tools agree to this (mm), as the io reader allows. */
    private static final double GRID_TOLERANCE = 1e-3;

    private PathField root;
    private Combo subject;
    private PathField trials;
    private PathField stimuli;
    private PathField mask;
    private Text sessions;
    private Path checkedTrials;
    private long checkedTrialsStamp;
    private String trialProblem;

    NsdSubjectImportPage() {
        super("nsdSubject", "Import an NSD subject (volume space)",
                "Record a Natural Scenes Dataset subject (func1pt8mm betas, ROIs) in a BrainAlign project.");
    }

    @Override
    protected void createSourceFields(Composite c) {
        root = new PathField(c, "NSD folder:", true, null, this::rootChanged);
        new Label(c, SWT.NONE).setText("Subject:");
        subject = new Combo(c, SWT.READ_ONLY);
        subject.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        subject.addListener(SWT.Selection, e -> update());
        trials = new PathField(c, "Trial table (CSV):", false, new String[] { "*.csv", "*" }, this::update);
        stimuli = new PathField(c, "Stimulus folder:", true, null, this::update);
        mask = new PathField(c, "Mask (optional):", false, new String[] { "*.nii.gz;*.nii", "*" }, this::update);
        new Label(c, SWT.NONE).setText("Sessions (optional):");
        sessions = new Text(c, SWT.BORDER);
        sessions.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        sessions.setMessage("all; or e.g. 1-3, 5");
        sessions.addListener(SWT.Modify, e -> update());
    }

    /**
     * Fills in the page, as if typed.
     *
     * @param nsdRoot NSD's root folder
     * @param subjectId e.g. "subj01"
     * @param trialTable the trial table
     * @param stimulusFolder the stimulus folder
     * @param maskFile a mask, or null for nsdgeneral
     * @param sessionList e.g. "1-2", or "" for all
     */
    public void fill(Path nsdRoot, String subjectId, Path trialTable, Path stimulusFolder, Path maskFile,
            String sessionList) {
        root.set(nsdRoot.toString());
        subject.setText(subjectId);
        int i = subject.indexOf(subjectId);
        if (i >= 0) {
            subject.select(i);
        }
        trials.set(trialTable == null ? "" : trialTable.toString());
        stimuli.set(stimulusFolder == null ? "" : stimulusFolder.toString());
        mask.set(maskFile == null ? "" : maskFile.toString());
        sessions.setText(sessionList);
        update();
    }

    private void rootChanged() {
        String previous = subject.getText();
        subject.removeAll();
        Path r = root.path();
        Path ppdata = r == null ? null : r.resolve("nsddata").resolve("ppdata");
        if (ppdata != null && Files.isDirectory(ppdata)) {
            try (Stream<Path> list = Files.list(ppdata)) {
                list.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                        .filter(n -> n.matches("subj\\d+")).sorted().forEach(subject::add);
            } catch (IOException e) {
                // reported by checkSource, which lists the folder again
            }
        }
        int i = subject.indexOf(previous);
        subject.select(i >= 0 ? i : 0);
        update();
    }

    @Override
    protected String subjectId() {
        return subject == null || subject.getText().isEmpty() ? null : subject.getText();
    }

    private NsdVolumeSubject loader() {
        return NsdVolumeSubject.at(root.path(), subject.getText());
    }

    @Override
    protected String checkSource() {
        Path r = root.path();
        if (r == null) {
            return "?Choose NSD's root folder, the one holding nsddata/ and nsddata_betas/.";
        }
        if (!Files.isDirectory(r)) {
            return "Folder " + r + " does not exist.";
        }
        if (!Files.isDirectory(r.resolve("nsddata").resolve("ppdata"))) {
            return "Folder " + r + " has no nsddata/ppdata: choose NSD's root folder.";
        }
        if (subjectId() == null) {
            return "Folder " + r.resolve("nsddata").resolve("ppdata") + " holds no subjNN folder.";
        }
        NsdVolumeSubject loader = loader();
        if (!Files.isDirectory(loader.roiDir())) {
            return "Folder " + loader.roiDir() + " does not exist; NSD keeps a subject's ROIs in"
                    + " nsddata/ppdata/" + subjectId() + "/func1pt8mm/roi.";
        }
        Map<Integer, Path> found = sessionFiles(loader.betasDir());
        if (found == null) {
            return "Folder " + loader.betasDir() + " does not exist; NSD keeps betas in nsddata_betas/ppdata/"
                    + subjectId() + "/func1pt8mm/betas_fithrf_GLMdenoise_RR.";
        }
        if (found.isEmpty()) {
            return "Folder " + loader.betasDir() + " holds no betas_sessionNN.nii.gz file.";
        }
        String problem = checkMask(loader, found.values().iterator().next());
        if (problem != null) {
            return problem;
        }
        try {
            sessionNumbers(found);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        Path csv = trials.path();
        if (csv == null) {
            return "?Choose the trial table: a CSV file with the columns trial and image_id (and optionally session).";
        }
        problem = checkTrials(csv);
        if (problem != null) {
            return problem;
        }
        Path dir = stimuli.path();
        if (dir == null) {
            return "?Choose the folder of stimulus images (named by image id, .png or .jpg).";
        }
        if (!Files.isDirectory(dir)) {
            return "Folder " + dir + " does not exist.";
        }
        return null;
    }

    private String checkMask(NsdVolumeSubject loader, Path firstSession) {
        Path m = mask.path();
        Path file = m != null ? m : loader.roiDir().resolve("nsdgeneral.nii.gz");
        if (!Files.isRegularFile(file)) {
            return m != null
                    ? "File " + m + " does not exist."
                    : "File " + file + " does not exist; choose a mask volume on the betas' grid.";
        }
        try {
            VolumeGrid betas = NiftiSummary.header(firstSession).grid();
            VolumeGrid g = NiftiSummary.header(file).grid();
            if (!g.sameSpace(betas, GRID_TOLERANCE)) {
                return "File " + file + " does not line up with the betas " + firstSession.getFileName()
                        + ": its grid is "
                        + java.util.Arrays.toString(g.shape()) + " " + g.orientation() + ", the betas' is "
                        + java.util.Arrays.toString(betas.shape()) + " " + betas.orientation() + ".";
            }
        } catch (IOException e) {
            return e.getMessage();
        }
        return null;
    }

    private String checkTrials(Path csv) {
        long stamp;
        try {
            stamp = Files.getLastModifiedTime(csv).toMillis();
        } catch (IOException e) {
            return "File " + csv + " does not exist.";
        }
        // the table can hold 30,000 lines: read it again only when another file is chosen or it changed
        if (!csv.equals(checkedTrials) || stamp != checkedTrialsStamp) {
            checkedTrials = csv;
            checkedTrialsStamp = stamp;
            try {
                TrialTable.read(csv);
                trialProblem = null;
            } catch (IOException e) {
                trialProblem = e.getMessage();
            }
        }
        return trialProblem;
    }

    /** @return session number to betas file, or null when the folder does not exist */
    private static Map<Integer, Path> sessionFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        Map<Integer, Path> files = new java.util.TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                Matcher m = SESSION.matcher(p.getFileName().toString());
                if (m.matches()) {
                    files.put(Integer.parseInt(m.group(1)), p);
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return files;
    }

    /** @return the sessions typed, or null for all; throws with a sentence when one is not there */
    private int[] sessionNumbers(Map<Integer, Path> found) {
        String text = sessions.getText().strip();
        if (text.isEmpty()) {
            return null;
        }
        TreeSet<Integer> wanted = new TreeSet<>();
        for (String token : text.split(",")) {
            String t = token.strip();
            if (t.matches("\\d+")) {
                wanted.add(Integer.parseInt(t));
            } else if (t.matches("\\d+\\s*-\\s*\\d+")) {
                String[] ends = t.split("-");
                for (int s = Integer.parseInt(ends[0].strip()); s <= Integer.parseInt(ends[1].strip()); s++) {
                    wanted.add(s);
                }
            } else if (!t.isEmpty()) {
                throw new IllegalArgumentException("The session list '" + text + "' is not numbers and ranges such"
                        + " as 1-3, 5.");
            }
        }
        for (int s : wanted) {
            if (!found.containsKey(s)) {
                throw new IllegalArgumentException("Session " + s + " has no betas file in "
                        + loader().betasDir() + ".");
            }
        }
        return wanted.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    protected SubjectImportOperation operation(IProject target, String folderName) {
        NsdVolumeSubject loader = loader().setTrials(trials.path()).setStimuli(stimuli.path());
        if (mask.path() != null) {
            loader.optMask(mask.path());
        }
        int[] chosen = sessionNumbers(sessionFiles(loader.betasDir()));
        if (chosen != null) {
            loader.optSessions(chosen);
        }
        List<Path> roiFiles = new ArrayList<>();
        List<String> names = new ArrayList<>(NsdLabels.ATLASES);
        names.add("nsdgeneral");
        for (String n : names) {
            Path f = loader.roiDir().resolve(n + ".nii.gz");
            if (Files.isRegularFile(f)) {
                roiFiles.add(f);
            }
        }
        if (mask.path() != null) {
            roiFiles.add(mask.path());
        }
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("nsdRoot", root.path());
        source.put("subject", subjectId());
        source.put("trials", trials.path());
        source.put("stimuli", stimuli.path());
        source.put("mask", mask.path());
        source.put("sessions", chosen);
        return new SubjectImportOperation("nsd-volume", loader::load, SubjectImportOperation.source(source),
                roiFiles, target, folderName);
    }
}
