package org.brainalign.workflow.slices;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.brainalign.core.data.LabelTable;
import org.brainalign.core.VolumeGrid;
import org.brainalign.io.DataFormatException;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiSeries;
import org.brainalign.io.roi.AtlasFile;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * A viewed volume is one 3-D volume of an image held for display: its grid, its scaled values in the file's order
 * (first axis fastest), the {@link Reorientation} that shows it in world orientation and, for an atlas, the names of
 * its labels. Of a 4-D series only the volume being looked at is read.
 */
public final class ViewedVolume {

    /** Atlas volumes with more distinct labels than this are treated as images, not label maps. */
    private static final int MAX_LABELS = 4096;

    private final String name;
    private final VolumeGrid grid;
    private final float[] values;
    private final LabelTable labels;
    private final Reorientation reorientation;
    private final String description;
    private final int volumeCount;
    private float min = Float.NaN;
    private float max = Float.NaN;
    private WindowLevel autoWindow;

    /**
     * @param name what to call the volume (usually its file name)
     * @param grid its grid
     * @param values one value per voxel, first axis fastest; kept, not copied
     * @param labels names of its labels when it is an atlas, else an empty table
     * @param description one line on the file (datatype, shape), for the viewer's information bar
     * @param volumeCount the number of volumes in the file it came from
     */
    public ViewedVolume(String name, VolumeGrid grid, float[] values, LabelTable labels, String description,
            int volumeCount) {
        if (values.length != grid.voxelCount()) {
            throw new IllegalArgumentException(values.length + " values for the grid " + grid);
        }
        this.name = name;
        this.grid = grid;
        this.values = values;
        this.labels = labels == null ? new LabelTable(Map.of()) : labels;
        this.reorientation = Reorientation.of(grid);
        this.description = description;
        this.volumeCount = volumeCount;
    }

    /**
     * Reads one 3-D volume of a NIfTI file, and the label names that go with it when it holds whole numbers
     * ({@link AtlasFile#table}: a label file beside it, or a built-in NSD table).
     *
     * @param file a .nii, .nii.gz or .hdr/.img file
     * @param volume the volume to read, 0 for a 3-D image
     * @param monitor progress in volumes read or skipped; may be null
     * @return the volume
     * @throws DataFormatException if the file is not a readable NIfTI image, the volume does not exist, or a label
     *         file beside it is unreadable
     * @throws IOException if the file cannot be read
     */
    public static ViewedVolume read(Path file, int volume, IProgressMonitor monitor) throws IOException {
        try (NiftiSeries series = NiftiSeries.open(file)) {
            NiftiHeader h = series.header();
            if (volume < 0 || volume >= series.volumeCount()) {
                throw DataFormatException.of(file, "has " + series.volumeCount() + " volumes, so there is no volume "
                        + volume);
            }
            SubMonitor sub = SubMonitor.convert(monitor, "Reading " + file.getFileName(), volume + 1);
            for (int t = 0; t < volume; t++) {
                sub.split(1);
                series.skip();
            }
            sub.split(1);
            float[] v = new float[series.voxelsPerVolume()];
            series.next(v);
            boolean whole = h.dataType().isInteger() && !h.isScaled();
            LabelTable table = whole ? AtlasFile.table(file, null) : null;
            String text = h.dataType().numpyName() + " " + Arrays.toString(h.shape()).replace(", ", "\u00d7")
                    + (series.volumeCount() > 1 ? ", volume " + volume : "") + ", " + h.affineSource() + " "
                    + h.orientation();
            return new ViewedVolume(file.getFileName().toString(), h.grid(), v, table, text, series.volumeCount());
        }
    }

    /** @return the volume's name */
    public String name() {
        return name;
    }

    /** @return its grid */
    public VolumeGrid grid() {
        return grid;
    }

    /** @return how it maps to world orientation */
    public Reorientation reorientation() {
        return reorientation;
    }

    /** @return the label names (empty unless it is an atlas) */
    public LabelTable labels() {
        return labels;
    }

    /** @return whether it is an atlas with named labels */
    public boolean isAtlas() {
        return labels.size() > 0 && labels.size() <= MAX_LABELS;
    }

    /** @return one line on the file */
    public String description() {
        return description;
    }

    /** @return the number of volumes in the file it came from */
    public int volumeCount() {
        return volumeCount;
    }

    /**
     * @param index a linear index in the file's order
     * @return the value there
     */
    public float value(int index) {
        return values[index];
    }

    /**
     * @param ijk file voxel indices
     * @return the value there
     */
    public float value(int[] ijk) {
        return values[grid.index(ijk[0], ijk[1], ijk[2])];
    }

    /** @return the smallest finite value (NaN if there is none) */
    public float min() {
        range();
        return min;
    }

    /** @return the largest finite value (NaN if there is none) */
    public float max() {
        range();
        return max;
    }

    private void range() {
        if (!Float.isNaN(min) || !Float.isNaN(max)) {
            return;
        }
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        min = lo > hi ? Float.NaN : lo;
        max = lo > hi ? Float.NaN : hi;
    }

    /**
     * The window a new viewer opens with: the full range for an atlas; else from the 1st to the 99th percentile of
     * the finite non-zero values, which ignores the empty background and a few extreme voxels.
     *
     * @return the window
     */
    public WindowLevel autoWindow() {
        if (autoWindow == null) {
            autoWindow = computeAutoWindow();
        }
        return autoWindow;
    }

    private WindowLevel computeAutoWindow() {
        if (Float.isNaN(min())) {
            return new WindowLevel(0, 1);
        }
        if (isAtlas()) {
            return new WindowLevel(min(), max());
        }
        // a sample of up to a million voxels gives percentiles to well within one grey level
        int step = Math.max(1, values.length / 1_000_000);
        float[] sample = new float[(values.length + step - 1) / step];
        int n = 0;
        for (int i = 0; i < values.length; i += step) {
            float v = values[i];
            if (Float.isFinite(v) && v != 0) {
                sample[n++] = v;
            }
        }
        if (n == 0) {
            return new WindowLevel(Math.min(0, min()), Math.max(0, max()));
        }
        Arrays.sort(sample, 0, n);
        double lo = sample[(int) Math.floor(0.01 * (n - 1))];
        double hi = sample[(int) Math.ceil(0.99 * (n - 1))];
        return hi > lo ? new WindowLevel(lo, hi) : new WindowLevel(min(), Math.max(min(), max()));
    }

    @Override
    public String toString() {
        return name + " (" + description + ")";
    }
}
