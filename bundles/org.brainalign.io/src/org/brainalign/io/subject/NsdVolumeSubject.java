package org.brainalign.io.subject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.brainalign.core.VolumeGrid;
import org.brainalign.core.data.NsdLabels;
import org.brainalign.core.data.Responses;
import org.brainalign.core.data.Roi;
import org.brainalign.core.data.RoiAtlas;
import org.brainalign.core.data.RoiDefinition;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.io.DataFormatException;
import org.brainalign.io.nifti.NiftiDataType;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.io.nifti.NiftiSeries;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * A Natural Scenes Dataset subject in volume space (func1pt8mm), as NSD lays it out under its root folder:
 * <ul>
 * <li>nsddata/ppdata/subjXX/func1pt8mm/roi/{nsdgeneral,prf-visualrois,floc-*,streams,Kastner2015}.nii.gz;</li>
 * <li>nsddata_betas/ppdata/subjXX/func1pt8mm/betas_fithrf_GLMdenoise_RR/betas_sessionNN.nii.gz: one beta volume
 * per trial (750 per session), int16 holding percent signal change x 300;</li>
 * <li>a {@link TrialTable} CSV (trial, image_id) and a folder of stimulus images named by image id.</li>
 * </ul>
 * Loading plans where every trial lies ({@link TrialPlan}), then reads each session's betas volume by volume keeping
 * only the voxels of the mask (nsdgeneral > 0, or a mask volume the user gives: voxels > 0), divides int16 betas by
 * 300, z-scores each voxel over all trials of its session (population standard deviation; a constant voxel becomes
 * 0), then averages the trials of each image over all loaded sessions ({@link SessionAverage}). Response rows follow
 * the images' first appearance in the trial table; images whose trials
 * all lie in sessions not loaded are left out. Every ROI volume and the mask must lie on the betas' grid.
 */
public final class NsdVolumeSubject {

    private static final Pattern SESSION = Pattern.compile("betas_session(\\d+)\\.nii(\\.gz)?");
    /** NIfTI stores affines in float32: grids saved by different tools differ by this much at most (mm). */
    private static final double GRID_TOLERANCE = 1e-3;
    private static final String[] IMAGE_EXTENSIONS = { ".png", ".jpg", ".jpeg", ".PNG", ".JPG", ".JPEG" };

    private final Path root;
    private final String subject;
    private Path trials;
    private Path stimuli;
    private Path mask;
    private int[] sessions;
    private java.util.Set<String> onlyImages;

    private NsdVolumeSubject(Path root, String subject) {
        this.root = root;
        this.subject = subject;
    }

    /**
     * Starts describing a subject to load.
     *
     * @param nsdRoot the folder holding nsddata/ and nsddata_betas/
     * @param subject the subject folder name, e.g. "subj01"
     * @return the loader; set the trial table and stimulus folder, then {@link #load}
     */
    public static NsdVolumeSubject at(Path nsdRoot, String subject) {
        return new NsdVolumeSubject(nsdRoot, subject);
    }

    /**
     * @param csv the trial table (required)
     * @return this loader
     */
    public NsdVolumeSubject setTrials(Path csv) {
        this.trials = csv;
        return this;
    }

    /**
     * @param dir the stimulus folder (required)
     * @return this loader
     */
    public NsdVolumeSubject setStimuli(Path dir) {
        this.stimuli = dir;
        return this;
    }

    /**
     * @param volume a mask volume on the betas' grid (voxels > 0 are kept); default roi/nsdgeneral.nii.gz
     * @return this loader
     */
    public NsdVolumeSubject optMask(Path volume) {
        this.mask = volume;
        return this;
    }

    /**
     * @param numbers the sessions to load (default: every betas_sessionNN file found)
     * @return this loader
     */
    public NsdVolumeSubject optSessions(int... numbers) {
        this.sessions = numbers.clone();
        return this;
    }

    /**
     * @param ids the only images whose responses to keep (default: every image of the trial table): a caller that
     *        scores a few images holds their responses only; every session's trials are still standardised together
     *        as without it, and a session that shows none of them is not read
     * @return this loader
     */
    public NsdVolumeSubject optImages(java.util.Collection<String> ids) {
        this.onlyImages = java.util.Set.copyOf(ids);
        return this;
    }

    /** The subject's T1-weighted anatomy resampled to the functional grid, as NSD ships it in func1pt8mm. */
    public static final String T1 = "T1_to_func1pt8mm.nii.gz";
    /** The subject's mean functional (EPI) image on the functional grid, as NSD ships it in func1pt8mm. */
    public static final String MEAN_EPI = "mean.nii.gz";

    /** @return the subject's functional-space folder (func1pt8mm: anatomy, mean EPI, roi/) */
    public Path functionalDir() {
        return root.resolve("nsddata").resolve("ppdata").resolve(subject).resolve("func1pt8mm");
    }

    /** @return the subject's ROI folder */
    public Path roiDir() {
        return functionalDir().resolve("roi");
    }

    /**
     * @return the images of the subject's anatomy on the functional grid that exist, best first: the T1 ({@value #T1}),
     *         then the mean EPI ({@value #MEAN_EPI}); the viewer draws maps over the first
     */
    public List<Path> anatomy() {
        return Stream.of(functionalDir().resolve(T1), functionalDir().resolve(MEAN_EPI)).filter(Files::isRegularFile)
                .toList();
    }

    /** @return the subject's betas folder */
    public Path betasDir() {
        return root.resolve("nsddata_betas").resolve("ppdata").resolve(subject).resolve("func1pt8mm")
                .resolve("betas_fithrf_GLMdenoise_RR");
    }

    /**
     * Loads the subject.
     *
     * @param monitor progress in volumes read; cancelling stops between volumes; may be null
     * @return the subject
     * @throws DataFormatException if a file is missing, malformed, or the grids do not line up (nothing is kept)
     * @throws IOException if a file cannot be read
     */
    public Subject load(IProgressMonitor monitor) throws IOException {
        if (trials == null || stimuli == null) {
            throw new IllegalStateException("set the trial table and the stimulus folder before loading");
        }
        TreeMap<Integer, Path> sessionFiles = sessionFiles();
        TrialTable table = TrialTable.read(trials);

        // the grid comes from the first session; the mask and every ROI volume must match it
        NiftiHeader first;
        try (NiftiSeries s = NiftiSeries.open(sessionFiles.firstEntry().getValue())) {
            first = s.header();
        }
        VolumeGrid grid = first.grid();
        Path maskFile = mask != null ? mask : roiDir().resolve("nsdgeneral.nii.gz");
        int[] maskLabels = labelsOnGrid(maskFile, grid, sessionFiles.firstEntry().getValue());
        boolean[] inside = new boolean[maskLabels.length];
        for (int v = 0; v < inside.length; v++) {
            inside[v] = maskLabels[v] > 0;
        }
        VoxelSet voxels = VoxelSet.ofMask(grid, inside);
        if (voxels.size() == 0) {
            throw DataFormatException.of(maskFile, "selects no voxel (no value above 0)");
        }
        int[] indices = voxels.indices();

        // where each table trial lies: session -> volume -> image row
        Map<Integer, Integer> volumes = new TreeMap<>();
        for (Map.Entry<Integer, Path> e : sessionFiles.entrySet()) {
            try (NiftiSeries s = NiftiSeries.open(e.getValue())) {
                volumes.put(e.getKey(), s.volumeCount());
                if (!s.header().grid().sameSpace(grid, GRID_TOLERANCE)) {
                    throw misaligned(e.getValue(), s.header().grid(), sessionFiles.firstEntry().getValue(), grid);
                }
            }
        }
        TrialPlan plan = plan(table, sessionFiles, volumes);
        List<Path> images = new ArrayList<>();
        for (String id : plan.imageIds()) {
            images.add(stimulus(id, table.file()));
        }

        List<Roi> rois = rois(grid, voxels, sessionFiles.firstEntry().getValue());

        int total = plan.bySession().keySet().stream().mapToInt(volumes::get).sum();
        SubMonitor sub = SubMonitor.convert(monitor, "Loading " + subject, total);
        SessionAverage average = new SessionAverage(plan.imageIds(), indices.length);
        for (Map.Entry<Integer, List<TrialPlan.Trial>> e : plan.bySession().entrySet()) {
            Path file = sessionFiles.get(e.getKey());
            float[][] betas;
            boolean divide;
            try (NiftiSeries s = NiftiSeries.open(file)) {
                divide = s.header().dataType() == NiftiDataType.INT16 && !s.header().isScaled();
                betas = s.extract(indices, sub.split(volumes.get(e.getKey())));
            }
            average.add(betas, divide ? 1 / 300f : 1f, e.getValue());
        }
        Responses responses = average.responses();
        return new Subject(subject, responses, voxels, rois, images);
    }

    /**
     * The images {@link #load} would give responses of, from the trial table and the betas files' headers alone (no
     * beta is read): a caller that scores every image can load them a part at a time with {@link #optImages}.
     *
     * @return the image ids of the response rows, in row order
     * @throws DataFormatException if the betas folder or the trial table is missing or does not fit the betas files
     * @throws IOException if a file cannot be read
     */
    public List<String> imageIds() throws IOException {
        if (trials == null) {
            throw new IllegalStateException("set the trial table before planning");
        }
        TreeMap<Integer, Path> sessionFiles = sessionFiles();
        TrialTable table = TrialTable.read(trials);
        Map<Integer, Integer> volumes = new TreeMap<>();
        for (Map.Entry<Integer, Path> e : sessionFiles.entrySet()) {
            try (NiftiSeries s = NiftiSeries.open(e.getValue())) {
                volumes.put(e.getKey(), s.volumeCount());
            }
        }
        return plan(table, sessionFiles, volumes).imageIds();
    }

    private TrialPlan plan(TrialTable table, TreeMap<Integer, Path> sessionFiles, Map<Integer, Integer> volumes)
            throws DataFormatException {
        List<Integer> wanted = sessions == null
                ? new ArrayList<>(sessionFiles.keySet())
                : java.util.Arrays.stream(sessions).boxed().toList();
        for (int s : wanted) {
            if (!sessionFiles.containsKey(s)) {
                throw DataFormatException.of(betasDir(), "has no betas file for session " + s);
            }
        }
        return TrialPlan.of(table, volumes, wanted, onlyImages, betasDir());
    }

    private TreeMap<Integer, Path> sessionFiles() throws IOException {
        Path dir = betasDir();
        if (!Files.isDirectory(dir)) {
            throw DataFormatException.of(dir, "does not exist; NSD keeps betas in"
                    + " nsddata_betas/ppdata/" + subject + "/func1pt8mm/betas_fithrf_GLMdenoise_RR");
        }
        TreeMap<Integer, Path> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                Matcher m = SESSION.matcher(p.getFileName().toString());
                if (m.matches()) {
                    files.put(Integer.parseInt(m.group(1)), p);
                }
            }
        }
        if (files.isEmpty()) {
            throw DataFormatException.of(dir, "holds no betas_sessionNN.nii.gz file");
        }
        return files;
    }

    private static int[] labelsOnGrid(Path volume, VolumeGrid grid, Path gridSource) throws IOException {
        NiftiImage image = NiftiImage.read(volume);
        if (!image.grid().sameSpace(grid, GRID_TOLERANCE)) {
            throw misaligned(volume, image.grid(), gridSource, grid);
        }
        return image.labels();
    }

    private static DataFormatException misaligned(Path file, VolumeGrid g, Path reference, VolumeGrid ref) {
        return DataFormatException.of(file, "does not line up with the betas " + reference.getFileName()
                + ": its grid is " + java.util.Arrays.toString(g.shape()) + " " + g.orientation() + " " + g.affine()
                + ", the betas' is " + java.util.Arrays.toString(ref.shape()) + " " + ref.orientation() + " "
                + ref.affine());
    }

    private Path stimulus(String id, Path csv) throws DataFormatException {
        for (String ext : IMAGE_EXTENSIONS) {
            Path p = stimuli.resolve(id + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw DataFormatException.of(csv, "names the image '" + id + "', but the stimulus folder " + stimuli
                + " has no " + id + ".png or .jpg");
    }

    /** The paper's groups, then each NSD atlas's labels as "atlas:label", for the ROI volumes present. */
    private List<Roi> rois(VolumeGrid grid, VoxelSet voxels, Path gridSource) throws IOException {
        List<Roi> groups = new ArrayList<>();
        List<Roi> labels = new ArrayList<>();
        for (String name : NsdLabels.ATLASES) {
            Path file = roiDir().resolve(name + ".nii.gz");
            if (!Files.isRegularFile(file)) {
                continue;
            }
            RoiAtlas atlas = new RoiAtlas(name, grid, labelsOnGrid(file, grid, gridSource), NsdLabels.table(name));
            for (RoiDefinition g : NsdLabels.paperGroups()) {
                if (g.atlas().equals(name)) {
                    groups.add(atlas.roi(g, voxels));
                }
            }
            for (Map.Entry<String, Roi> e : atlas.labelRois(voxels).entrySet()) {
                labels.add(new Roi(name + ":" + e.getKey(), e.getValue().members()));
            }
        }
        groups.addAll(labels);
        return groups;
    }
}
