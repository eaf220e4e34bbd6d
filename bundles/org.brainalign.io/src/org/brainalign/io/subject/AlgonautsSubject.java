package org.brainalign.io.subject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.brainalign.core.data.LabelTable;
import org.brainalign.core.data.NsdLabels;
import org.brainalign.core.data.Responses;
import org.brainalign.core.data.Roi;
import org.brainalign.core.data.RoiAtlas;
import org.brainalign.core.data.RoiDefinition;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.io.DataFormatException;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.npy.NpyArray;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * An Algonauts 2023 subject folder (subjXX/), the layout the FactorTopy paper used:
 * <ul>
 * <li>training_split/training_fmri/{lh,rh}_training_fmri.npy: float32, images x vertices per hemisphere;</li>
 * <li>training_split/training_images/train-NNNN_nsd-NNNNN.png, NNNN the 1-based row of the fMRI arrays;</li>
 * <li>roi_masks/{lh,rh}.all-vertices_fsaverage_space.npy: one flag per fsaverage vertex (163,842 per hemisphere),
 * set for the challenge's vertices, which are those flagged vertices in ascending order;</li>
 * <li>roi_masks/{lh,rh}.&lt;class&gt;_challenge_space.npy: an NSD label per challenge vertex (classes
 * prf-visualrois, floc-bodies, floc-faces, floc-places, floc-words, streams), optional.</li>
 * </ul>
 * Vertex coordinates are the fsaverage sphere positions of the FreeSurfer surfaces lh.sphere and rh.sphere, which the
 * user must supply (a FreeSurfer installation's subjects/fsaverage/surf); without them loading stops with a message
 * saying so: coordinates are never invented. Columns are the left hemisphere's vertices, then the right's; in the
 * voxel set a left vertex v has index v and a right vertex v has index (left vertex count) + v. Both spheres are
 * centred at the origin, so a left and a right vertex can have the same coordinates.
 */
public final class AlgonautsSubject {

    private static final Pattern IMAGE = Pattern.compile("train-(\\d+)_nsd-(\\d+)\\.png");
    private static final String[] HEMIS = { "lh", "rh" };
    private static final List<String> CLASSES = List.of("prf-visualrois", "floc-bodies", "floc-faces",
            "floc-places", "floc-words", "streams");

    private AlgonautsSubject() {
    }

    /**
     * Loads a subject with every image.
     *
     * @param subjectDir the subjXX folder
     * @param surfaceDir the folder holding lh.sphere and rh.sphere (fsaverage), or null
     * @param monitor progress; may be null
     * @return the subject, with its training responses
     * @throws DataFormatException if a file is missing or inconsistent, or the surfaces are not given (the message
     *         says what is needed)
     * @throws IOException if a file cannot be read
     */
    public static Subject load(Path subjectDir, Path surfaceDir, IProgressMonitor monitor) throws IOException {
        return load(subjectDir, surfaceDir, null, monitor);
    }

    /**
     * Loads a subject with the responses of some images only: only their rows of the fMRI arrays are read, so that a
     * caller that scores every image a part at a time holds one part's responses.
     *
     * @param subjectDir the subjXX folder
     * @param surfaceDir the folder holding lh.sphere and rh.sphere (fsaverage), or null
     * @param images the ids of the images to keep, as {@link #imageIds} gives them (ids the subject lacks are
     *        ignored), or null for every image
     * @param monitor progress; may be null
     * @return the subject, with the training responses and image files of the kept images in the subject's row order
     * @throws DataFormatException if a file is missing or inconsistent, or the surfaces are not given (the message
     *         says what is needed)
     * @throws IOException if a file cannot be read
     */
    public static Subject load(Path subjectDir, Path surfaceDir, Collection<String> images, IProgressMonitor monitor)
            throws IOException {
        SubMonitor sub = SubMonitor.convert(monitor, "Loading " + subjectDir.getFileName(), 10);
        Training training = training(subjectDir);
        if (surfaceDir == null) {
            throw new DataFormatException("Algonauts subject " + subjectDir + " needs the fsaverage sphere surfaces"
                    + " (lh.sphere and rh.sphere, from FreeSurfer's subjects/fsaverage/surf) for vertex coordinates;"
                    + " give their folder, since BrainAlign never invents coordinates.");
        }
        Path roiDir = subjectDir.resolve("roi_masks");
        Path[] fmri = training.fmri();
        int[] counts = training.columns();

        // challenge vertex -> fsaverage vertex, per hemisphere
        int[][] fsVertex = new int[2][];
        FreeSurferSurface[] spheres = new FreeSurferSurface[2];
        for (int h = 0; h < 2; h++) {
            Path map = roiDir.resolve(HEMIS[h] + ".all-vertices_fsaverage_space.npy");
            int[] flags = readLabels(map);
            fsVertex[h] = flagged(flags);
            if (fsVertex[h].length != counts[h]) {
                throw DataFormatException.of(map, "flags " + fsVertex[h].length + " vertices, but "
                        + fmri[h].getFileName() + " has " + counts[h] + " columns");
            }
            Path sphere = surfaceDir.resolve(HEMIS[h] + ".sphere");
            spheres[h] = FreeSurferSurface.read(sphere);
            if (spheres[h].vertexCount() != flags.length) {
                throw DataFormatException.of(sphere, "has " + spheres[h].vertexCount() + " vertices, but "
                        + map.getFileName() + " describes a surface of " + flags.length + " (fsaverage: 163842)");
            }
        }
        sub.worked(1);

        int total = counts[0] + counts[1];
        int[] ids = new int[total];
        double[][] xyz = new double[total][];
        for (int h = 0, n = 0; h < 2; h++) {
            for (int v : fsVertex[h]) {
                ids[n] = (h == 0 ? 0 : spheres[0].vertexCount()) + v;
                xyz[n++] = spheres[h].vertex(v);
            }
        }
        VoxelSet voxels = VoxelSet.ofSurface("fsaverage sphere", ids, xyz);

        Set<String> keep = images == null ? null : new HashSet<>(images);
        int[] rows = IntStream.range(0, training.imageIds().size())
                .filter(r -> keep == null || keep.contains(training.imageIds().get(r))).toArray();
        List<String> imageIds = new ArrayList<>(rows.length);
        List<Path> imageFiles = new ArrayList<>(rows.length);
        for (int r : rows) {
            imageIds.add(training.imageIds().get(r));
            imageFiles.add(training.imageFiles().get(r));
        }
        float[][] values = new float[rows.length][total];
        Npy.readRowsInto(fmri[0], rows, values, 0, sub.split(4));
        Npy.readRowsInto(fmri[1], rows, values, counts[0], sub.split(4));
        Responses responses = new Responses(imageIds, values);

        List<Roi> rois = rois(roiDir, counts, voxels);
        sub.worked(1);
        return new Subject(subjectDir.getFileName().toString(), responses, voxels, rois, imageFiles);
    }

    /**
     * The images a subject has responses to, in row order, from the training images' names and the fMRI arrays'
     * headers alone (no response is read): a caller can then load them a part at a time with
     * {@link #load(Path, Path, Collection, IProgressMonitor)}.
     *
     * @param subjectDir the subjXX folder
     * @return the image ids ("nsd-NNNNN", from train-NNNN_nsd-NNNNN.png) of the response rows, in row order
     * @throws DataFormatException if the fMRI arrays or the training images are missing or do not fit each other
     * @throws IOException if a file cannot be read
     */
    public static List<String> imageIds(Path subjectDir) throws IOException {
        return training(subjectDir).imageIds();
    }

    /**
     * What the training split holds, from file names and headers.
     *
     * @param fmri the left and right hemisphere's arrays
     * @param columns the vertices of each
     * @param imageFiles the image of each row
     * @param imageIds the id of each row's image
     */
    private record Training(Path[] fmri, int[] columns, List<Path> imageFiles, List<String> imageIds) {
    }

    private static Training training(Path subjectDir) throws IOException {
        Path fmriDir = subjectDir.resolve("training_split").resolve("training_fmri");
        Path[] fmri = { fmriDir.resolve("lh_training_fmri.npy"), fmriDir.resolve("rh_training_fmri.npy") };
        for (Path p : fmri) {
            if (!Files.isRegularFile(p)) {
                throw DataFormatException.of(p, "does not exist; an Algonauts subject folder holds"
                        + " training_split/training_fmri/{lh,rh}_training_fmri.npy");
            }
        }
        Npy.Header[] headers = { Npy.header(fmri[0]), Npy.header(fmri[1]) };
        int rows = headers[0].shape().length == 2 ? headers[0].shape()[0] : -1;
        for (int h = 0; h < 2; h++) {
            if (headers[h].shape().length != 2 || headers[h].shape()[0] != rows) {
                throw DataFormatException.of(fmri[h], "has shape " + Arrays.toString(headers[h].shape())
                        + ", but images x vertices with " + rows + " images (as in " + fmri[0].getFileName()
                        + ") is needed");
            }
        }
        List<Path> imageFiles = imageFiles(subjectDir.resolve("training_split").resolve("training_images"), rows);
        List<String> imageIds = new ArrayList<>(imageFiles.size());
        Map<String, Path> seen = new HashMap<>();
        for (Path p : imageFiles) {
            Matcher m = IMAGE.matcher(p.getFileName().toString());
            m.matches();
            String id = "nsd-" + m.group(2);
            Path earlier = seen.put(id, p);
            if (earlier != null) {
                throw DataFormatException.of(p, "shows the same NSD image as " + earlier.getFileName()
                        + ", but each image has one row of the fMRI arrays");
            }
            imageIds.add(id);
        }
        return new Training(fmri, new int[] { headers[0].shape()[1], headers[1].shape()[1] }, imageFiles,
                imageIds);
    }

    private static int[] readLabels(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw DataFormatException.of(file, "does not exist; an Algonauts subject folder holds roi_masks/"
                    + file.getFileName());
        }
        NpyArray a = Npy.read(file);
        if (a.shape().length != 1) {
            throw DataFormatException.of(file, "has shape " + Arrays.toString(a.shape())
                    + ", but one value per vertex is needed");
        }
        try {
            return a.toIntArray();
        } catch (IllegalStateException e) {
            throw DataFormatException.of(file, "holds values that are not whole numbers (" + e.getMessage() + ")");
        }
    }

    private static int[] flagged(int[] flags) {
        return IntStream.range(0, flags.length).filter(i -> flags[i] != 0).toArray();
    }

    private static List<Path> imageFiles(Path dir, int rows) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw DataFormatException.of(dir, "does not exist; an Algonauts subject folder holds the training images"
                    + " there");
        }
        TreeMap<Integer, Path> byRow = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = IMAGE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    int row = Integer.parseInt(m.group(1));
                    if (byRow.put(row, p) != null) {
                        throw DataFormatException.of(p, "repeats the row number " + row + " of another image");
                    }
                }
            }
        }
        if (byRow.size() != rows || (!byRow.isEmpty() && (byRow.firstKey() != 1 || byRow.lastKey() != rows))) {
            throw DataFormatException.of(dir, "holds " + byRow.size() + " images named train-NNNN_nsd-NNNNN.png"
                    + " numbered " + (byRow.isEmpty() ? "-" : byRow.firstKey() + ".." + byRow.lastKey())
                    + ", but the fMRI arrays have " + rows + " rows, numbered 1.." + rows);
        }
        return new ArrayList<>(byRow.values());
    }

    /** The paper's groups, then every named label of every class, over both hemispheres. */
    private static List<Roi> rois(Path roiDir, int[] counts, VoxelSet voxels) throws IOException {
        List<Roi> groups = new ArrayList<>();
        List<Roi> labels = new ArrayList<>();
        for (String cls : CLASSES) {
            Path[] files = { roiDir.resolve("lh." + cls + "_challenge_space.npy"),
                    roiDir.resolve("rh." + cls + "_challenge_space.npy") };
            if (!Files.isRegularFile(files[0]) || !Files.isRegularFile(files[1])) {
                continue;
            }
            int[] all = new int[counts[0] + counts[1]];
            for (int h = 0; h < 2; h++) {
                int[] l = readLabels(files[h]);
                if (l.length != counts[h]) {
                    throw DataFormatException.of(files[h], "labels " + l.length + " vertices, but the hemisphere has "
                            + counts[h]);
                }
                System.arraycopy(l, 0, all, h == 0 ? 0 : counts[0], l.length);
            }
            // the atlas is indexed by position here, so it sees the voxel set through positions 0..N-1
            LabelTable table = NsdLabels.table(cls);
            RoiAtlas atlas = new RoiAtlas(cls, null, all, table);
            VoxelSet byPosition = VoxelSet.ofSurface(voxels.space(),
                    IntStream.range(0, all.length).toArray(), voxels.coordinates());
            for (RoiDefinition g : NsdLabels.paperGroups()) {
                if (g.atlas().equals(cls)) {
                    groups.add(atlas.roi(g, byPosition));
                }
            }
            for (Map.Entry<String, Roi> e : atlas.labelRois(byPosition).entrySet()) {
                labels.add(new Roi(cls + ":" + e.getKey(), e.getValue().members()));
            }
        }
        groups.addAll(labels);
        return groups;
    }
}
