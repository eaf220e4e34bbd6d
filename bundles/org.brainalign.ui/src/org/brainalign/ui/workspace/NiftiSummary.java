package org.brainalign.ui.workspace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.brainalign.core.Affine;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiSeries;

/**
 * A NIfTI summary is what the workbench says about a NIfTI file without reading its data: shape, datatype,
 * orientation code and voxel size in one line for labels, and in more lines (the affine in use and which transform
 * it comes from) for the import wizard's preview.
 */
public final class NiftiSummary {

    private NiftiSummary() {
    }

    /**
     * Reads only the header of a NIfTI file (for a gzipped file, only the first bytes are decompressed).
     *
     * @param file a .nii, .nii.gz or .hdr/.img file
     * @return its header
     * @throws org.brainalign.io.DataFormatException if it is not a readable NIfTI file (one sentence naming it)
     * @throws IOException if it cannot be read
     */
    public static NiftiHeader header(Path file) throws IOException {
        try (NiftiSeries s = NiftiSeries.open(file)) {
            return s.header();
        }
    }

    /**
     * @param h a header
     * @return e.g. "181×217×181 uint8, RAS, 1×1×1 mm"
     */
    public static String line(NiftiHeader h) {
        return shape(h) + " " + h.dataType().numpyName() + ", " + h.orientation() + ", " + voxelSize(h);
    }

    /**
     * @param h a header
     * @return the preview's lines: shape, datatype, orientation, voxel size, affine source and the affine's rows
     */
    public static List<String> lines(NiftiHeader h) {
        List<String> lines = new ArrayList<>();
        lines.add("Shape: " + shape(h) + (h.volumeCount() > 1 ? " (" + h.volumeCount() + " volumes)" : ""));
        lines.add("Datatype: " + h.dataType().numpyName() + (h.isScaled()
                ? String.format(Locale.ROOT, ", scaled by %.6g + %.6g", h.slope(), h.intercept())
                : ""));
        lines.add("Orientation: " + h.orientation());
        lines.add("Voxel size: " + voxelSize(h));
        lines.add("Affine (" + h.affineSource() + ", qform code " + h.qformCode() + ", sform code " + h.sformCode()
                + "):");
        Affine a = h.affine();
        for (int r = 0; r < 3; r++) {
            lines.add(String.format(Locale.ROOT, "  [%9.4f %9.4f %9.4f %10.4f]", a.get(r, 0), a.get(r, 1),
                    a.get(r, 2), a.get(r, 3)));
        }
        return lines;
    }

    private static String shape(NiftiHeader h) {
        StringBuilder b = new StringBuilder();
        for (int s : h.shape()) {
            b.append(b.length() == 0 ? "" : "\u00d7").append(s);
        }
        return b.toString();
    }

    private static String voxelSize(NiftiHeader h) {
        double[] z = h.affine().voxelSizes();
        StringBuilder b = new StringBuilder();
        for (double v : z) {
            b.append(b.length() == 0 ? "" : "\u00d7").append(number(v));
        }
        return b + " " + (h.spaceUnit().equals("unknown") ? "mm" : h.spaceUnit());
    }

    private static String number(double v) {
        double r = Math.round(v * 1000) / 1000.0;
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    }
}
