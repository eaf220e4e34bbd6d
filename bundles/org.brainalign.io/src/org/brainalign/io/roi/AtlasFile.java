package org.brainalign.io.roi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

import org.brainalign.core.data.LabelTable;
import org.brainalign.core.data.NsdLabels;
import org.brainalign.core.data.RoiAtlas;
import org.brainalign.io.DataFormatException;
import org.brainalign.io.nifti.NiftiImage;

/**
 * An atlas file is a NIfTI label volume (one integer label per voxel) with the names of its labels, which come from,
 * in this order: a label file the user names; a label file beside the volume with the same stem
 * ({@code aal.nii.txt}, {@code aal.txt}, {@code aal.xml} or {@code aal.lut} for {@code aal.nii.gz}); the built-in NSD
 * table when the
 * volume is named after an NSD atlas ({@code prf-visualrois.nii.gz}, ...); else no names.
 */
public final class AtlasFile {

    private static final List<String> LABEL_SUFFIXES = List.of(".nii.txt", ".txt", ".xml", ".lut");

    private AtlasFile() {
    }

    /**
     * Reads an atlas volume and its label names.
     *
     * @param volume the label volume (.nii, .nii.gz, .hdr/.img)
     * @param labelFile a label file, or null to look for one as described above
     * @return the atlas, named after the volume's file name
     * @throws DataFormatException if the volume is not a label volume or the label file is unreadable
     * @throws IOException if a file cannot be read
     */
    public static RoiAtlas read(Path volume, Path labelFile) throws IOException {
        NiftiImage image = NiftiImage.read(volume);
        return new RoiAtlas(volume.getFileName().toString(), image.grid(), image.labels(), table(volume, labelFile));
    }

    /**
     * @param volume the label volume's path
     * @param labelFile a label file, or null
     * @return the label names that go with the volume (possibly empty)
     * @throws IOException if a label file is unreadable
     */
    public static LabelTable table(Path volume, Path labelFile) throws IOException {
        if (labelFile != null) {
            return LabelFile.read(labelFile);
        }
        List<Path> sidecars = labelFiles(volume);
        if (!sidecars.isEmpty()) {
            return LabelFile.read(sidecars.get(0));
        }
        String stem = stem(volume);
        if (NsdLabels.ATLASES.contains(stem)) {
            return NsdLabels.table(stem);
        }
        return new LabelTable(Map.of());
    }

    /**
     * The label files beside a volume that name its labels, in the order they are looked for: {@code aal.nii.txt},
     * {@code aal.txt}, FSL's {@code aal.xml}, a lookup table {@code aal.lut}. An import copies them with the volume,
     * so that the copy keeps its region names.
     *
     * @param volume a NIfTI path
     * @return those that exist (possibly none)
     */
    public static List<Path> labelFiles(Path volume) {
        String stem = stem(volume);
        List<Path> found = new ArrayList<>();
        for (String suffix : LABEL_SUFFIXES) {
            Path p = volume.resolveSibling(stem + suffix);
            if (Files.isRegularFile(p)) {
                found.add(p);
            }
        }
        return found;
    }

    /**
     * @param file a file
     * @return whether it is named like a label file ({@link #labelFiles}), whatever volume it goes with
     */
    public static boolean isLabelFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return LABEL_SUFFIXES.stream().anyMatch(name::endsWith);
    }

    /**
     * @param volume a NIfTI path
     * @return its name without .nii, .nii.gz, .hdr(.gz) or .img(.gz)
     */
    public static String stem(Path volume) {
        String name = volume.getFileName().toString();
        return name.replaceFirst("(?i)\\.(nii|hdr|img)(\\.gz)?$", "");
    }

    /**
     * Turns a user's label list into label values: comma-separated numbers ("43,44"), names from the atlas's table
     * ("Calcarine_L,Calcarine_R"), or number ranges ("18-23").
     *
     * @param spec the list as typed
     * @param table the atlas's label names
     * @param source the atlas file, for messages
     * @return the label values, in the order given
     * @throws DataFormatException if a name is not in the table
     */
    public static int[] parseLabels(String spec, LabelTable table, Path source) throws DataFormatException {
        List<Integer> out = new ArrayList<>();
        for (String token : spec.split(",")) {
            String t = token.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.matches("-?\\d+")) {
                out.add(Integer.parseInt(t));
            } else if (t.matches("\\d+-\\d+")) {
                String[] ends = t.split("-");
                for (int v = Integer.parseInt(ends[0]); v <= Integer.parseInt(ends[1]); v++) {
                    out.add(v);
                }
            } else {
                OptionalInt v = table.label(t);
                if (v.isEmpty()) {
                    throw DataFormatException.of(source, "has no label named '" + t + "'");
                }
                out.add(v.getAsInt());
            }
        }
        if (out.isEmpty()) {
            throw DataFormatException.of(source, "was given an empty label list '" + spec + "'");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param atlas an atlas
     * @return label to voxel count for every label above 0 that occurs or is named, ascending
     */
    static Map<Integer, Integer> positiveCounts(RoiAtlas atlas) {
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        java.util.TreeMap<Integer, Integer> all = new java.util.TreeMap<>(atlas.counts());
        for (int l : atlas.table().labels()) {
            all.putIfAbsent(l, 0);
        }
        all.forEach((l, c) -> {
            if (l > 0) {
                counts.put(l, c);
            }
        });
        return counts;
    }
}
