package org.brainalign.io.roi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.brainalign.core.data.RoiAtlas;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.io.DataFormatException;
import org.brainalign.io.nifti.NiftiDataType;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.io.nifti.NiftiWriter;

/**
 * The logic of the {@code brainalign roi} commands: {@code roi list ATLAS [--labels FILE]} lists the labels of an
 * atlas volume with their names and voxel counts; {@code roi mask ATLAS --labels 43,44 --out V1.nii.gz} writes the
 * mask of some labels as a uint8 NIfTI (1 inside, 0 outside) on the atlas's grid, with the atlas's affines and codes.
 */
public final class RoiCommands {

    /**
     * One line of {@code roi list}.
     *
     * @param label the label value
     * @param name its name ("" if the table has none)
     * @param voxels the number of voxels carrying it
     */
    public record LabelCount(int label, String name, int voxels) {
    }

    /**
     * What {@code roi mask} wrote.
     *
     * @param file the mask file
     * @param labels the labels it covers
     * @param voxels the voxels inside, with their world coordinates
     */
    public record MaskResult(Path file, int[] labels, VoxelSet voxels) {
    }

    private RoiCommands() {
    }

    /**
     * Lists an atlas's labels.
     *
     * @param atlas the label volume
     * @param labelFile a label file, or null to find one (see {@link AtlasFile})
     * @return every label above 0 that occurs in the volume or is named, ascending
     * @throws IOException if a file is unreadable
     */
    public static List<LabelCount> list(Path atlas, Path labelFile) throws IOException {
        RoiAtlas a = AtlasFile.read(atlas, labelFile);
        List<LabelCount> rows = new ArrayList<>();
        for (Map.Entry<Integer, Integer> e : AtlasFile.positiveCounts(a).entrySet()) {
            rows.add(new LabelCount(e.getKey(), a.table().name(e.getKey()).orElse(""), e.getValue()));
        }
        return rows;
    }

    /**
     * @param rows the output of {@link #list}
     * @return a plain-text table: label, name, voxels
     */
    public static String format(List<LabelCount> rows) {
        int width = Math.max(4, rows.stream().mapToInt(r -> r.name().length()).max().orElse(4));
        StringBuilder b = new StringBuilder(String.format("%6s  %-" + width + "s  %8s%n", "label", "name", "voxels"));
        for (LabelCount r : rows) {
            b.append(String.format("%6d  %-" + width + "s  %8d%n", r.label(), r.name(), r.voxels()));
        }
        return b.toString();
    }

    /**
     * Writes the mask of some labels.
     *
     * @param atlas the label volume
     * @param labelFile a label file (used only to resolve names), or null
     * @param labels the labels inside the mask
     * @param out the mask file to write (.nii or .nii.gz)
     * @return what was written
     * @throws DataFormatException if the atlas is unreadable or a label does not occur in it (nothing is written)
     * @throws IOException if writing fails
     */
    public static MaskResult mask(Path atlas, Path labelFile, int[] labels, Path out) throws IOException {
        NiftiImage image = NiftiImage.read(atlas);
        RoiAtlas a = new RoiAtlas(atlas.getFileName().toString(), image.grid(), image.labels(),
                AtlasFile.table(atlas, labelFile));
        Map<Integer, Integer> counts = a.counts();
        for (int l : labels) {
            if (!counts.containsKey(l)) {
                throw DataFormatException.of(atlas, "has no voxel labelled " + l);
            }
        }
        boolean[] inside = a.mask(labels);
        int[] values = new int[inside.length];
        for (int v = 0; v < inside.length; v++) {
            values[v] = inside[v] ? 1 : 0;
        }
        NiftiHeader h = NiftiHeader.derived(image.header(), image.header().spatialShape(), NiftiDataType.UINT8)
                .withDescription("BrainAlign mask of " + atlas.getFileName());
        NiftiWriter.write(out, h, values);
        return new MaskResult(out, labels.clone(), VoxelSet.ofMask(image.grid(), inside));
    }
}
