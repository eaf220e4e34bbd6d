package org.brainalign.workflow.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.brainalign.core.VolumeGrid;
import org.brainalign.io.nifti.NiftiDataType;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiWriter;

/**
 * The demo subject's anatomy: a synthetic T1-weighted image on the demo's functional grid, shaped like a brain in MNI
 * space so that the demo's maps are seen in context (it is drawn, not scanned: no real subject is in the demo). An
 * ellipsoid brain (centre and half-widths of the MNI brain) whose surface is folded into gyri by sulci 16 mm
 * deep, with a 5 mm cortical ribbon of grey matter over white matter, cerebrospinal fluid in the sulci, the
 * interhemispheric fissure down to the corpus callosum, the lateral and third ventricles, grey nuclei (thalamus,
 * caudate, putamen), a cerebellum under the occipital lobe, and a dark skull under a bright scalp.
 * Intensities follow a T1 contrast: white matter 850, grey matter 560, fluid 120, skull 60, scalp 480, air 0. Each
 * voxel averages the tissues over its volume (partial volume, as a scanner's voxel does, so that edges are graded, not
 * stair steps), a slow bias field and a little noise inside the head (a fixed seed: the same image every time), so
 * that its
 * values spread as a scan's do and a percentile window shows white matter light grey rather than as one flat white
 * plateau; the air stays 0, a black background.
 */
public final class DemoAnatomy {

    /** T1 intensities by tissue. */
    static final float WHITE = 850, GREY = 560, FLUID = 120, SKULL = 60, SCALP = 480, AIR = 0;

    private static final double[] CENTRE = { 0, -18, 16 };
    private static final double[] HALF = { 70, 88, 64 };
    /** Depth of the sulci below the brain's surface, mm. */
    private static final double SULCUS_MM = 16;
    /** Depth of the cortical ribbon, mm. */
    private static final double RIBBON_MM = 5;
    /** Points per voxel axis averaged for the partial volume. */
    private static final int SUBSAMPLES = 3;
    /**
     * Standard deviation of the noise inside the head, in intensity units (white against grey matter, a
     * contrast-to-noise of about 15).
     */
    static final double NOISE_SD = 20;
    private static final long NOISE_SEED = 1;
    /** Largest relative change of intensity by the bias field, as a scanner's coil leaves in an uncorrected T1. */
    static final double BIAS = 0.08;

    private DemoAnatomy() {
    }

    /**
     * Writes the anatomy as float32 NIfTI with the grid's affine (sform and qform).
     *
     * @param file the file to write (atomically)
     * @param grid the subject's functional grid
     * @throws IOException if it cannot be written
     */
    public static void write(Path file, VolumeGrid grid) throws IOException {
        Files.createDirectories(file.getParent());
        NiftiWriter.write(file, NiftiHeader.forGrid(grid, NiftiDataType.FLOAT32, 1), t1(grid));
    }

    /**
     * @param grid a grid in MNI space
     * @return the T1 intensity of each voxel (the mean over the voxel of {@link #at}, plus noise where that is not
     *         air), first axis fastest
     */
    public static float[] t1(VolumeGrid grid) {
        float[] out = new float[grid.voxelCount()];
        Random noise = new Random(NOISE_SEED);
        int m = SUBSAMPLES;
        for (int n = 0; n < out.length; n++) {
            int[] ijk = grid.ijk(n);
            double sum = 0;
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) {
                    for (int c = 0; c < m; c++) {
                        // sample points at the centres of m^3 equal parts of the voxel
                        sum += at(grid.affine().voxelToWorld(ijk[0] + (a + 0.5) / m - 0.5, ijk[1] + (b + 0.5) / m - 0.5,
                                ijk[2] + (c + 0.5) / m - 0.5));
                    }
                }
            }
            double mean = sum / (m * m * m);
            double g = noise.nextGaussian();
            double[] w = grid.world(ijk[0], ijk[1], ijk[2]);
            out[n] = mean == AIR ? AIR : (float) Math.max(1, mean * bias(w) + NOISE_SD * g);
        }
        return out;
    }

    /**
     * @param w a world position in MNI mm
     * @return the T1 intensity there
     */
    static float at(double[] w) {
        double x = w[0];
        double y = w[1];
        double z = w[2];
        double mean = (HALF[0] + HALF[1] + HALF[2]) / 3;
        // depth below the unfolded surface of the brain ellipsoid, in mm (negative outside)
        double depth = (1 - radius(x, y, z, CENTRE, HALF)) * mean;
        // the sulci are the zero set of a smooth wavy field, a maze of clefts like the cortex's, cut SULCUS_MM deep
        // into the brain, lined with grey matter on both sides
        double folds = Math.sin(x / 6.0 + 0.8 * Math.sin(y / 9.0))
                * Math.sin(y / 7.0 + z / 9.0 + 0.7 * Math.sin(x / 8.0));
        double cerebellum = (1 - radius(x, y, z, new double[] { 0, -60, -32 }, new double[] { 48, 30, 20 })) * 25;
        if (depth > -4.5 || cerebellum > 0) {
            double side = Math.abs(x);
            // the interhemispheric fissure reaches down to the corpus callosum in the middle of the brain and to the
            // base in front of and behind it; the third ventricle lies between the thalami
            boolean fissure = side < 1.6 && z > -5 && (z > 22 || y > 25 || y < -45);
            boolean third = side < 1.6 && z > -2 && z < 14 && y > -30 && y < 0;
            boolean ventricle = radius(side, y, z, new double[] { 7, -12, 14 }, new double[] { 5, 22, 9 }) < 1;
            if (fissure || third || ventricle) {
                return FLUID;
            }
            // deep grey nuclei in the white matter: thalamus, head of the caudate, putamen
            if (radius(side, y, z, new double[] { 10, -18, 6 }, new double[] { 7, 11, 7 }) < 1
                    || radius(side, y, z, new double[] { 13, 12, 10 }, new double[] { 5, 9, 8 }) < 1
                    || radius(side, y, z, new double[] { 25, 2, 0 }, new double[] { 6, 13, 9 }) < 1) {
                return GREY;
            }
            if (depth > 0) {
                if (depth < SULCUS_MM && Math.abs(folds) < 0.12) {
                    return FLUID;
                }
                boolean cortex = depth < RIBBON_MM || depth < SULCUS_MM + RIBBON_MM / 2 && Math.abs(folds) < 0.6;
                return cortex ? GREY : WHITE;
            }
            if (cerebellum > 0) {
                // a folia pattern: grey and white layers a few mm apart
                return Math.sin(z * 1.3 + y * 0.4) > 0.2 || cerebellum < 3 ? GREY : WHITE;
            }
            return FLUID;
        }
        if (depth > -9.5) {
            return SKULL;
        }
        return depth > -14 ? SCALP : AIR;
    }

    /**
     * @param w a world position in mm
     * @return the receive coil's slow variation of intensity across the head, within 1 +- {@link #BIAS}
     */
    static double bias(double[] w) {
        return 1 + BIAS * Math.sin(w[0] / 47.0 + 0.4) * Math.cos(w[1] / 61.0 - 0.3) * Math.cos(w[2] / 53.0);
    }

    private static double radius(double x, double y, double z, double[] c, double[] h) {
        double a = (x - c[0]) / h[0];
        double b = (y - c[1]) / h[1];
        double d = (z - c[2]) / h[2];
        return Math.sqrt(a * a + b * b + d * d);
    }
}
