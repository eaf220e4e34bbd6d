package org.brainalign.workflow.demo;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.brainalign.core.VolumeGrid;
import org.brainalign.engine.features.FeatureStore;
import org.brainalign.io.AtomicFile;
import org.brainalign.io.nifti.NiftiDataType;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiWriter;
import org.brainalign.io.subject.NsdVolumeSubject;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * Writes the demo subject in the NSD volume layout: ROI label volumes, a synthetic T1 ({@link DemoAnatomy}), int16
 * betas per session (percent signal change
 * x 300), ncsnr, a trial table and the planted truth. A voxel's response to an image is the planted FactorTopy readout
 * of the network's own features: a random linear readout (one weight per channel) of the token at the planted layer,
 * bilinearly sampled at the planted (x, y) with grid_sample's rules and mixed with the global token by the planted
 * scale; each voxel's signal is standardised over images, and every trial adds independent Gaussian noise at the
 * voxel's signal-to-noise ratio. This sampler is written independently of the engine's FactorTopy code on purpose:
 * the demo then checks that the engine recovers what a separate implementation planted.
 */
public final class DemoSubjectWriter {

    /** The subject's folder name. */
    public static final String SUBJECT = "subj01";
    /** Percent signal change of one standard deviation of signal. */
    private static final double AMPLITUDE = 1.5;

    private DemoSubjectWriter() {
    }

    /**
     * Writes the subject.
     *
     * @param root the NSD root to create (nsddata/ and nsddata_betas/ go inside, with trials.csv and planted.csv)
     * @param features the network's features of the stimuli, image i = ids.get(i)
     * @param ids the stimulus ids
     * @param voxels the planted voxels
     * @param sessions how many sessions; each shows every image once, in its own random order
     * @param seed the seed of readouts, orders and noise
     * @param monitor progress in trials
     * @throws IOException if a file cannot be written
     */
    public static void write(Path root, FeatureStore features, List<String> ids, List<DemoBrain.Voxel> voxels,
            int sessions, long seed, IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Writing the demo subject", 10 + sessions * ids.size());
        NsdVolumeSubject layout = NsdVolumeSubject.at(root, SUBJECT);
        VolumeGrid grid = DemoBrain.grid();
        writeRois(layout.roiDir(), grid, voxels);
        DemoAnatomy.write(layout.functionalDir().resolve(NsdVolumeSubject.T1), grid);
        Random random = new Random(seed);
        float[][] signal = signal(features, voxels, random);
        progress.split(10);
        double[] noiseSd = new double[voxels.size()];
        float[] ncsnr = new float[grid.voxelCount()];
        for (int v = 0; v < voxels.size(); v++) {
            double snr = 0.5 + 1.5 * random.nextDouble(); // signal variance over noise variance, per trial
            noiseSd[v] = 1 / Math.sqrt(snr);
            ncsnr[voxels.get(v).index()] = (float) Math.sqrt(snr);
        }
        Files.createDirectories(layout.betasDir());
        NiftiWriter.write(layout.betasDir().resolve("ncsnr.nii.gz"), NiftiHeader.forGrid(grid, NiftiDataType.FLOAT32,
                1), ncsnr);
        List<String> table = new ArrayList<>();
        table.add("session,trial,image_id");
        for (int s = 1; s <= sessions; s++) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            Path file = layout.betasDir().resolve(String.format("betas_session%02d.nii.gz", s));
            try (NiftiWriter writer = NiftiWriter.create(file,
                    NiftiHeader.forGrid(grid, NiftiDataType.INT16, order.size()))) {
                short[] volume = new short[grid.voxelCount()];
                for (int t = 0; t < order.size(); t++) {
                    int image = order.get(t);
                    for (int v = 0; v < voxels.size(); v++) {
                        double value = AMPLITUDE * (signal[image][v] + noiseSd[v] * random.nextGaussian());
                        volume[voxels.get(v).index()] = (short) Math.max(-32768,
                                Math.min(32767, Math.round(value * 300)));
                    }
                    writer.writeVolume(volume);
                    table.add(s + "," + (t + 1) + "," + ids.get(image));
                    progress.split(1);
                }
                writer.commit();
            }
        }
        AtomicFile.write(root.resolve("trials.csv"),
                out -> out.write((String.join("\n", table) + "\n").getBytes(StandardCharsets.UTF_8)));
        writePlanted(root.resolve("planted.csv"), grid, voxels);
    }

    /**
     * The noiseless signal, standardised per voxel over images.
     *
     * @return images x voxels
     */
    static float[][] signal(FeatureStore features, List<DemoBrain.Voxel> voxels, Random random) throws IOException {
        int images = features.imageCount(), layers = features.layers(), channels = features.channels();
        int g = features.grid();
        double[][] readout = new double[voxels.size()][channels];
        for (double[] w : readout) {
            for (int c = 0; c < channels; c++) {
                w[c] = random.nextGaussian();
            }
        }
        float[][] signal = new float[images][voxels.size()];
        float[] local = new float[layers * channels * g * g];
        float[] global = new float[layers * channels];
        for (int i = 0; i < images; i++) {
            features.read(new int[] { i }, local, global);
            for (int v = 0; v < voxels.size(); v++) {
                DemoBrain.Voxel voxel = voxels.get(v);
                double sum = 0;
                for (int c = 0; c < channels; c++) {
                    int plane = (voxel.layer() * channels + c) * g * g;
                    double sampled = sample(local, plane, g, voxel.x(), voxel.y());
                    double token = (1 - voxel.scale()) * sampled
                            + voxel.scale() * global[voxel.layer() * channels + c];
                    sum += readout[v][c] * token;
                }
                signal[i][v] = (float) (sum / channels);
            }
        }
        for (int v = 0; v < voxels.size(); v++) {
            double mean = 0, sq = 0;
            for (int i = 0; i < images; i++) {
                mean += signal[i][v];
            }
            mean /= images;
            for (int i = 0; i < images; i++) {
                sq += (signal[i][v] - mean) * (signal[i][v] - mean);
            }
            double sd = Math.sqrt(sq / images);
            for (int i = 0; i < images; i++) {
                signal[i][v] = (float) ((signal[i][v] - mean) / sd);
            }
        }
        return signal;
    }

    /**
     * Bilinear sample of a g x g plane (row = height) at (x, y) in (-1, 1) with grid_sample's rules: align_corners
     * false, so pixel centres sit at -1 + (2k + 1) / g, and neighbours outside the plane count as zero.
     */
    static double sample(float[] values, int offset, int g, double x, double y) {
        double ix = ((x + 1) * g - 1) / 2, iy = ((y + 1) * g - 1) / 2;
        int x0 = (int) Math.floor(ix), y0 = (int) Math.floor(iy);
        double fx = ix - x0, fy = iy - y0;
        return (1 - fy) * ((1 - fx) * at(values, offset, g, y0, x0) + fx * at(values, offset, g, y0, x0 + 1))
                + fy * ((1 - fx) * at(values, offset, g, y0 + 1, x0) + fx * at(values, offset, g, y0 + 1, x0 + 1));
    }

    private static double at(float[] values, int offset, int g, int row, int col) {
        return row < 0 || col < 0 || row >= g || col >= g ? 0 : values[offset + row * g + col];
    }

    /** NSD's label volumes: -1 outside cortex (here: outside every area), 0 unlabelled cortex, > 0 a label. */
    private static void writeRois(Path dir, VolumeGrid grid, List<DemoBrain.Voxel> voxels) throws IOException {
        Files.createDirectories(dir);
        int n = grid.voxelCount();
        int[] general = new int[n], visual = new int[n], faces = new int[n], bodies = new int[n], places = new int[n];
        for (int[] volume : new int[][] { general, visual, faces, bodies, places }) {
            java.util.Arrays.fill(volume, -1);
        }
        for (DemoBrain.Voxel v : voxels) {
            int i = v.index();
            general[i] = 1;
            visual[i] = faces[i] = bodies[i] = places[i] = 0;
            DemoBrain.Area area = DemoBrain.AREAS.get(v.area());
            double[] world = grid.world(grid.ijk(i)[0], grid.ijk(i)[1], grid.ijk(i)[2]);
            boolean dorsal = world[2] >= area.centre()[2];
            boolean anterior = world[1] >= area.centre()[1];
            switch (area.name()) {
                case "V1" -> visual[i] = dorsal ? 2 : 1;
                case "V2" -> visual[i] = dorsal ? 4 : 3;
                case "V3" -> visual[i] = dorsal ? 6 : 5;
                case "hV4" -> visual[i] = 7;
                case "OFA" -> faces[i] = 1;
                case "FFA" -> faces[i] = anterior ? 3 : 2;
                case "EBA" -> bodies[i] = 1;
                case "OPA" -> places[i] = 1;
                case "PPA" -> places[i] = 2;
                default -> throw new IllegalStateException("no NSD label for " + area.name());
            }
        }
        NiftiHeader header = NiftiHeader.forGrid(grid, NiftiDataType.INT16, 1);
        NiftiWriter.write(dir.resolve("nsdgeneral.nii.gz"), header, general);
        NiftiWriter.write(dir.resolve("prf-visualrois.nii.gz"), header, visual);
        NiftiWriter.write(dir.resolve("floc-faces.nii.gz"), header, faces);
        NiftiWriter.write(dir.resolve("floc-bodies.nii.gz"), header, bodies);
        NiftiWriter.write(dir.resolve("floc-places.nii.gz"), header, places);
    }

    private static void writePlanted(Path file, VolumeGrid grid, List<DemoBrain.Voxel> voxels) throws IOException {
        AtomicFile.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write("index,i,j,k,area,depth,layer,x,y,scale\n");
            for (DemoBrain.Voxel v : voxels) {
                int[] ijk = grid.ijk(v.index());
                w.write(String.format(Locale.ROOT, "%d,%d,%d,%d,%s,%.6f,%d,%.6f,%.6f,%.6f%n", v.index(), ijk[0],
                        ijk[1], ijk[2], DemoBrain.AREAS.get(v.area()).name(), v.depth(), v.layer(), v.x(), v.y(),
                        v.scale()));
            }
            w.flush();
        });
    }
}
