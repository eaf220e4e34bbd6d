package org.brainalign.testing;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.brainalign.io.npy.Npy;
import org.brainalign.io.npy.NpyArray;

/**
 * Synthetic subjects in the Algonauts 2023 layout for tests: the challenge's files holding given responses, with a
 * small stand-in for fsaverage whose sphere files are written byte by byte in FreeSurfer's triangle format.
 */
public final class SyntheticAlgonautsSubject {

    /**
     * One hemisphere.
     *
     * @param positions the stand-in sphere's vertices, x, y, z each (the surface has as many vertices)
     * @param flagged the challenge's vertices among them, ascending
     * @param responses images x flagged vertices
     * @param prfLabels the prf-visualrois label of each flagged vertex, or null to write no ROI class
     */
    public record Hemisphere(double[][] positions, int[] flagged, float[][] responses, int[] prfLabels) {
    }

    private SyntheticAlgonautsSubject() {
    }

    /**
     * Writes a subject folder and the two spheres.
     *
     * @param subject the subject folder to write, e.g. .../subj01
     * @param surfaces the folder to write lh.sphere and rh.sphere into
     * @param lh the left hemisphere
     * @param rh the right hemisphere
     * @param nsdIds the NSD number of each response row's image: row r's image is train-(r+1)_nsd-(number).png
     * @param pictures the file to copy as each row's image, or null for one-byte stand-ins
     * @throws IOException if writing fails
     */
    public static void write(Path subject, Path surfaces, Hemisphere lh, Hemisphere rh, int[] nsdIds,
            List<Path> pictures) throws IOException {
        Path fmri = Files.createDirectories(subject.resolve("training_split/training_fmri"));
        Path images = Files.createDirectories(subject.resolve("training_split/training_images"));
        Path masks = Files.createDirectories(subject.resolve("roi_masks"));
        Files.createDirectories(surfaces);
        Hemisphere[] hemis = { lh, rh };
        String[] names = { "lh", "rh" };
        for (int h = 0; h < 2; h++) {
            Hemisphere hemi = hemis[h];
            int n = hemi.flagged().length;
            float[] v = new float[nsdIds.length * n];
            for (int i = 0; i < nsdIds.length; i++) {
                System.arraycopy(hemi.responses()[i], 0, v, i * n, n);
            }
            Npy.write(fmri.resolve(names[h] + "_training_fmri.npy"), NpyArray.ofFloats(v, nsdIds.length, n));
            boolean[] flags = new boolean[hemi.positions().length];
            for (int f : hemi.flagged()) {
                flags[f] = true;
            }
            Npy.write(masks.resolve(names[h] + ".all-vertices_fsaverage_space.npy"),
                    NpyArray.ofBooleans(flags, flags.length));
            if (hemi.prfLabels() != null) {
                Npy.write(masks.resolve(names[h] + ".prf-visualrois_challenge_space.npy"),
                        NpyArray.ofInts(hemi.prfLabels(), n));
            }
            writeSphere(surfaces.resolve(names[h] + ".sphere"), hemi.positions());
        }
        // the challenge's mapping files are pickles: present, and never to be read
        Files.write(masks.resolve("mapping_prf-visualrois.npy"), new byte[] { (byte) 0x80, 4, '}', '.' });
        for (int i = 0; i < nsdIds.length; i++) {
            Path image = images.resolve(String.format("train-%04d_nsd-%05d.png", i + 1, nsdIds[i]));
            if (pictures == null) {
                Files.write(image, new byte[] { 1 });
            } else {
                Files.copy(pictures.get(i), image);
            }
        }
    }

    /** FreeSurfer triangle surface: FF FF FE, "created by" line + blank line, counts, big-endian xyz, faces. */
    private static void writeSphere(Path file, double[][] positions) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(raw)) {
            out.write(new byte[] { (byte) 0xFF, (byte) 0xFF, (byte) 0xFE });
            out.write("created by test on today\n\n".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(positions.length);
            out.writeInt(2);
            for (double[] p : positions) {
                for (double c : p) {
                    out.writeFloat((float) c);
                }
            }
            for (int f = 0; f < 6; f++) {
                out.writeInt(f);
            }
        }
    }
}
