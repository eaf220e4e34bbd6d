package org.brainalign.io.subject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
     * Loads a subject.
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
        SubMonitor sub = SubMonitor.convert(monitor, "Loading " + subjectDir.getFileName(), 10);
        Path fmriDir = subjectDir.resolve("training_split").resolve("training_fmri");
        Path roiDir = subjectDir.resolve("roi_masks");
        Path[] fmri = { fmriDir.resolve("lh_training_fmri.npy"), fmriDir.resolve("rh_training_fmri.npy") };
        for (Path p : fmri) {
            if (!Files.isRegularFile(p)) {
                throw DataFormatException.of(p, "does not exist; an Algonauts subject folder holds"
                        + " training_split/training_fmri/{lh,rh}_training_fmri.npy");
            }
        }
        if (surfaceDir == null) {
            throw new DataFormatException("Algonauts subject " + subjectDir + " needs the fsaverage sphere surfaces"
                    + " (lh.sphere and rh.sphere, from FreeSurfer's subjects/fsaverage/surf) for vertex coordinates;"
                    + " give their folder, since BrainAlign never invents coordinates.");
        }
        Npy.Header[] headers = { Npy.header(fmri[0]), Npy.header(fmri[1]) };
        int images = headers[0].shape().length == 2 ? headers[0].shape()[0] : -1;
        for (int h = 0; h < 2; h++) {
            if (headers[h].shape().length != 2 || headers[h].shape()[0] != images) {
                throw DataFormatException.of(fmri[h], "has shape " + Arrays.toString(headers[h].shape())
                        + ", but images x vertices with " + images + " images (as in " + fmri[0].getFileName()
                        + ") is needed");
            }
        }
        int[] counts = { headers[0].shape()[1], headers[1].shape()[1] };

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

        List<Path> imageFiles = imageFiles(subjectDir.resolve("training_split").resolve("training_images"), images);
        List<String> imageIds = new ArrayList<>();
        for (Path p : imageFiles) {
            Matcher m = IMAGE.matcher(p.getFileName().toString());
            m.matches();
            imageIds.add("nsd-" + m.group(2));
        }

        float[][] values = new float[images][total];
        Npy.readMatrixInto(fmri[0], values, 0, sub.split(4));
        Npy.readMatrixInto(fmri[1], values, counts[0], sub.split(4));
        Responses responses = new Responses(imageIds, values);

        List<Roi> rois = rois(roiDir, counts, voxels);
        sub.worked(1);
        return new Subject(subjectDir.getFileName().toString(), responses, voxels, rois, imageFiles);
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
        return java.util.stream.IntStream.range(0, flags.length).filter(i -> flags[i] != 0).toArray();
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
                    java.util.stream.IntStream.range(0, all.length).toArray(), voxels.coordinates());
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
