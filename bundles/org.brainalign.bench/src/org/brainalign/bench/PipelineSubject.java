package org.brainalign.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;

import org.brainalign.core.Affine;
import org.brainalign.core.Permutations;
import org.brainalign.core.VolumeGrid;
import org.brainalign.engine.features.FeatureStore;
import org.brainalign.io.AtomicFile;
import org.brainalign.io.nifti.NiftiDataType;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiWriter;
import org.brainalign.io.subject.NsdVolumeSubject;
import org.brainalign.io.subject.SubjectDescription;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

/**
 * The pipeline benchmark's subject: a synthetic subject of NSD's size in NSD's volume layout, which the ordinary NSD
 * reader imports. An ellipsoidal brain on the grid (81 x 104 x 83 at 1.8 mm by default, NSD's func1pt8mm) holds
 * betas everywhere, so that the files compress like real ones; nsdgeneral picks the requested number of voxels from
 * the back of the brain forwards, and prf-visualrois divides them into seven bands from back to front. Each session
 * file holds 750 trials as gzipped int16 (percent signal change x 300) written at the fastest Deflater level
 * (1, as nibabel writes by default), the sessions in parallel. The trials show each image three times where the
 * sessions hold three trials per image (40 sessions for 10,000 images, as NSD); with fewer sessions only the first
 * sessions x 250 images are shown, three times each, and with more the images repeat more often.
 * <p>
 * A voxel's response to an image is planted from the features of the demo network: a weighted sum of four channels
 * of the global token of one layer (deeper layers further forward), standardised over all images, plus noise at a
 * per-voxel signal-to-noise ratio between 0.5 and 2 (noise and the values of the brain outside the mask are drawn
 * from fixed pools at random offsets, which is fast and still defeats the compressor's 32 KB window).
 */
final class PipelineSubject {

    /** The subject's folder name. */
    static final String SUBJECT = "subj01";
    /** Trials per session file, as NSD. */
    static final int TRIALS = 750;
    /** Trials per image where the sessions allow, as NSD. */
    static final int REPEATS = 3;
    /** NSD's func1pt8mm grid. */
    static final int[] NSD_SHAPE = { 81, 104, 83 };
    /** The gzip level of the betas: the fastest, which is also nibabel's default. */
    static final int GZIP_LEVEL = Deflater.BEST_SPEED;

    /** Percent signal change of one standard deviation of signal. */
    private static final double AMPLITUDE = 1.5;
    private static final int READOUT = 4;
    private static final int POOL_BITS = 22;
    private static final String RECORD_FORMAT = "brainalign pipeline subject 1";

    /**
     * Where things lie under the benchmark's output folder.
     *
     * @param folder the output folder
     */
    record Layout(Path folder) {

        /** @return the NSD root (nsddata/, nsddata_betas/, trials.csv, subject.json, stimuli/) */
        Path root() {
            return folder.resolve("subject");
        }

        Path stimuli() {
            return root().resolve("stimuli");
        }

        Path trials() {
            return root().resolve("trials.csv");
        }

        Path description() {
            return root().resolve(SubjectDescription.FILE);
        }

        Path network() {
            return folder.resolve("network");
        }

        Path store() {
            return folder.resolve("features");
        }

        /** @return the record of what was generated, written last: present only when generation finished */
        Path record() {
            return folder.resolve("generated.txt");
        }

        Path runs() {
            return folder.resolve("runs");
        }

        Path predictions() {
            return folder.resolve("predictions.npy");
        }

        /** @return the betas file of a session (1-based) */
        Path session(int session) {
            return NsdVolumeSubject.at(root(), SUBJECT).betasDir()
                    .resolve(String.format(Locale.ROOT, "betas_session%02d.nii.gz", session));
        }
    }

    /**
     * What to generate.
     *
     * @param shape the grid
     * @param voxels voxels of the mask
     * @param images images of the stimulus set (and the feature store)
     * @param sessions session files
     * @param seed the seed of everything
     */
    record Design(int[] shape, int voxels, int images, int sessions, long seed) {

        /** @return trials over all sessions */
        int trials() {
            return sessions * TRIALS;
        }

        /** @return the images the trials show: the first ones, as many as get three trials each, at most all */
        int shownImages() {
            return Math.min(images, trials() / REPEATS);
        }

        /** @return the line that says what was generated; a folder is reused only when it holds the same */
        String record() {
            return String.format(Locale.ROOT, "%s: grid %dx%dx%d, voxels %d, images %d, sessions %d, seed %d%n",
                    RECORD_FORMAT, shape[0], shape[1], shape[2], voxels, images, sessions, seed);
        }
    }

    /**
     * The brain and the mask on the grid.
     *
     * @param grid the grid
     * @param background brain voxels outside the mask, ascending
     * @param mask the mask's voxels, ascending (the order of the reader's voxels)
     * @param depth per mask voxel: 0 at the back of the mask to 1 at its front
     */
    record Anatomy(VolumeGrid grid, int[] background, int[] mask, double[] depth) {

        /**
         * @param shape the grid's shape
         * @param voxels how many voxels the mask picks
         * @return the anatomy
         * @throws IllegalArgumentException if the brain on this grid has fewer voxels than asked for
         */
        static Anatomy of(int[] shape, int voxels) {
            int nx = shape[0];
            int ny = shape[1];
            int nz = shape[2];
            // centred like NSD's grid: 81 x 104 x 83 gives its affine, x from +72 mm leftwards
            VolumeGrid grid = new VolumeGrid(shape.clone(), Affine.ofRowMajor(-1.8, 0, 0, 0.9 * (nx - 1), 0, 1.8, 0,
                    -0.9 * ny, 0, 0, 1.8, -0.9 * (nz - 1)));
            int n = grid.voxelCount();
            boolean[] brain = new boolean[n];
            boolean[] inMask = new boolean[n];
            int brainCount = 0;
            int picked = 0;
            int firstJ = -1;
            int lastJ = -1;
            // back to front (j), so that the mask is the back of the brain, as nsdgeneral is
            for (int j = 0; j < ny; j++) {
                for (int k = 0; k < nz; k++) {
                    for (int i = 0; i < nx; i++) {
                        double x = (i - (nx - 1) / 2.0) / (0.45 * nx);
                        double y = (j - (ny - 1) / 2.0) / (0.45 * ny);
                        double z = (k - (nz - 1) / 2.0) / (0.45 * nz);
                        if (x * x + y * y + z * z < 1) {
                            int v = grid.index(i, j, k);
                            brain[v] = true;
                            brainCount++;
                            if (picked < voxels) {
                                inMask[v] = true;
                                picked++;
                                firstJ = firstJ < 0 ? j : firstJ;
                                lastJ = j;
                            }
                        }
                    }
                }
            }
            if (picked < voxels) {
                throw new IllegalArgumentException("the brain on a " + nx + " x " + ny + " x " + nz + " grid has "
                        + brainCount + " voxels, fewer than the " + voxels + " asked for");
            }
            int[] mask = new int[voxels];
            int[] background = new int[brainCount - voxels];
            double[] depth = new double[voxels];
            for (int v = 0, m = 0, b = 0; v < n; v++) {
                if (inMask[v]) {
                    depth[m] = lastJ == firstJ ? 0 : (grid.ijk(v)[1] - firstJ) / (double) (lastJ - firstJ);
                    mask[m++] = v;
                } else if (brain[v]) {
                    background[b++] = v;
                }
            }
            return new Anatomy(grid, background, mask, depth);
        }
    }

    /**
     * The planted responses: per voxel a readout of four channels of one layer's global token, standardised over
     * every image of the store.
     */
    static final class Readout {

        private final int[] layer;
        private final int[] channel;
        private final float[] weight;
        private final float[] globals;
        private final int globalValues;
        private final int channels;
        private final double[] mean;
        private final double[] inverseSd;

        /**
         * @param store the demo network's features of the stimuli
         * @param anatomy the mask, whose depth chooses each voxel's layer
         * @param seed the seed of the channels and weights
         * @throws IOException if the store cannot be read
         */
        Readout(FeatureStore store, Anatomy anatomy, long seed) throws IOException {
            int voxels = anatomy.mask().length;
            int layers = store.layers();
            channels = store.channels();
            globalValues = layers * channels;
            int images = store.imageCount();
            globals = new float[images * globalValues];
            int batch = 64;
            float[] local = new float[batch * globalValues * store.grid() * store.grid()];
            float[] global = new float[batch * globalValues];
            for (int from = 0; from < images; from += batch) {
                int[] rows = new int[Math.min(batch, images - from)];
                java.util.Arrays.setAll(rows, r -> r);
                for (int r = 0; r < rows.length; r++) {
                    rows[r] += from;
                }
                store.read(rows, local, global);
                System.arraycopy(global, 0, globals, from * globalValues, rows.length * globalValues);
            }
            SplittableRandom random = new SplittableRandom(seed ^ 0x5EEDL);
            layer = new int[voxels];
            channel = new int[voxels * READOUT];
            weight = new float[voxels * READOUT];
            for (int v = 0; v < voxels; v++) {
                layer[v] = Math.min(layers - 1, (int) (anatomy.depth()[v] * layers));
                for (int k = 0; k < READOUT; k++) {
                    channel[v * READOUT + k] = random.nextInt(channels);
                    weight[v * READOUT + k] = (float) (random.nextDouble() * 2 - 1);
                }
            }
            mean = new double[voxels];
            inverseSd = new double[voxels];
            double[] sq = new double[voxels];
            float[] raw = new float[voxels];
            for (int i = 0; i < images; i++) {
                raw(i, raw);
                for (int v = 0; v < voxels; v++) {
                    mean[v] += raw[v];
                    sq[v] += (double) raw[v] * raw[v];
                }
            }
            for (int v = 0; v < voxels; v++) {
                mean[v] /= images;
                double variance = sq[v] / images - mean[v] * mean[v];
                inverseSd[v] = variance > 0 ? 1 / Math.sqrt(variance) : 0;
            }
        }

        private void raw(int image, float[] out) {
            int base = image * globalValues;
            for (int v = 0; v < out.length; v++) {
                int offset = base + layer[v] * channels;
                float s = 0;
                for (int k = 0; k < READOUT; k++) {
                    s += weight[v * READOUT + k] * globals[offset + channel[v * READOUT + k]];
                }
                out[v] = s;
            }
        }

        /**
         * @param image the image (store row)
         * @param out the standardised signal of every mask voxel
         */
        void signal(int image, float[] out) {
            raw(image, out);
            for (int v = 0; v < out.length; v++) {
                out[v] = (float) ((out[v] - mean[v]) * inverseSd[v]);
            }
        }
    }

    private PipelineSubject() {
    }

    /**
     * @param layout the folder
     * @param design the design
     * @return whether the folder holds a finished subject of this design
     * @throws IOException if the record cannot be read
     */
    static boolean generated(Layout layout, Design design) throws IOException {
        return Files.isRegularFile(layout.record())
                && Files.readString(layout.record(), StandardCharsets.UTF_8).equals(design.record());
    }

    /**
     * Records that the folder now holds a finished subject of this design.
     *
     * @param layout the folder
     * @param design the design
     * @throws IOException if the record cannot be written
     */
    static void record(Layout layout, Design design) throws IOException {
        AtomicFile.write(layout.record(), out -> out.write(design.record().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Writes the ROI volumes, the trial table, the subject description and every session's betas.
     *
     * @param layout where
     * @param design what
     * @param anatomy the brain and the mask
     * @param store the demo network's features of the stimuli, in stimulus order
     * @param threads how many session files to write at once
     * @param monitor progress in trials; cancellable between volumes
     * @return the bytes of the betas files
     * @throws IOException if a file cannot be written
     */
    static long write(Layout layout, Design design, Anatomy anatomy, FeatureStore store, int threads,
            IProgressMonitor monitor) throws IOException {
        SubMonitor sub = SubMonitor.convert(monitor, "Writing the subject's betas", design.trials() + 10);
        writeRois(layout, anatomy);
        Readout readout = new Readout(store, anatomy, design.seed());
        List<String> ids = store.imageNames().stream().map(name -> name.replaceFirst("\\.png$", "")).toList();
        int[] slots = new int[design.trials()];
        for (int s = 0; s < slots.length; s++) {
            slots[s] = s % design.shownImages();
        }
        Permutations.shuffle(slots, new SplittableRandom(design.seed() ^ 0x7121A15L));
        StringBuilder table = new StringBuilder("session,trial,image_id\n");
        for (int s = 0; s < slots.length; s++) {
            table.append(s / TRIALS + 1).append(',').append(s % TRIALS + 1).append(',').append(ids.get(slots[s]))
                    .append('\n');
        }
        AtomicFile.write(layout.trials(), out -> out.write(table.toString().getBytes(StandardCharsets.UTF_8)));
        SubjectDescription.nsd(layout.root(), SUBJECT, layout.trials(), layout.stimuli()).write(layout
                .description());
        sub.split(10);

        SplittableRandom pools = new SplittableRandom(design.seed() ^ 0xB0071L);
        short[] background = new short[1 << POOL_BITS];
        float[] noise = new float[1 << POOL_BITS];
        for (int p = 0; p < background.length; p++) {
            background[p] = (short) (pools.nextInt(1200) - 600);
            noise[p] = (float) pools.nextGaussian();
        }
        double[] noiseSd = new double[anatomy.mask().length];
        for (int v = 0; v < noiseSd.length; v++) {
            noiseSd[v] = 1 / Math.sqrt(0.5 + 1.5 * pools.nextDouble());
        }
        Files.createDirectories(layout.session(1).getParent());
        AtomicInteger done = new AtomicInteger();
        AtomicBoolean cancelled = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, design.sessions())));
        try {
            List<Future<?>> sessions = new ArrayList<>();
            for (int s = 1; s <= design.sessions(); s++) {
                int session = s;
                sessions.add(pool.submit(() -> {
                    writeSession(layout.session(session), design, anatomy, readout, slots, session, background,
                            noise, noiseSd, done, cancelled);
                    return null;
                }));
            }
            int reported = 0;
            for (Future<?> f : sessions) {
                while (true) {
                    try {
                        f.get(200, TimeUnit.MILLISECONDS);
                        break;
                    } catch (TimeoutException e) {
                        if (sub.isCanceled()) {
                            cancelled.set(true);
                        }
                        int now = done.get();
                        sub.split(now - reported);
                        sub.subTask(now + " of " + design.trials() + " trials written");
                        reported = now;
                    }
                }
            }
            sub.split(done.get() - reported);
        } catch (ExecutionException e) {
            cancelled.set(true);
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            cancelled.set(true);
            Thread.currentThread().interrupt();
            throw new OperationCanceledException();
        } catch (OperationCanceledException e) {
            cancelled.set(true);
            throw e;
        } finally {
            pool.shutdown();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long bytes = 0;
        for (int s = 1; s <= design.sessions(); s++) {
            bytes += Files.size(layout.session(s));
        }
        return bytes;
    }

    private static void writeSession(Path file, Design design, Anatomy anatomy, Readout readout, int[] slots,
            int session, short[] background, float[] noise, double[] noiseSd, AtomicInteger done,
            AtomicBoolean cancelled) throws IOException {
        SplittableRandom random = new SplittableRandom(design.seed() * 1_000_003L + session);
        int poolMask = background.length - 1;
        int[] brain = anatomy.background();
        int[] mask = anatomy.mask();
        short[] volume = new short[anatomy.grid().voxelCount()];
        float[] signal = new float[mask.length];
        try (NiftiWriter writer = NiftiWriter.create(file, NiftiHeader.forGrid(anatomy.grid(), NiftiDataType.INT16,
                TRIALS), GZIP_LEVEL)) {
            for (int t = 0; t < TRIALS; t++) {
                if (cancelled.get()) {
                    throw new OperationCanceledException();
                }
                int offset = random.nextInt(background.length);
                for (int q = 0; q < brain.length; q++) {
                    volume[brain[q]] = background[(offset + q) & poolMask];
                }
                readout.signal(slots[(session - 1) * TRIALS + t], signal);
                offset = random.nextInt(noise.length);
                for (int v = 0; v < mask.length; v++) {
                    double value = AMPLITUDE * (signal[v] + noiseSd[v] * noise[(offset + v) & poolMask]);
                    volume[mask[v]] = (short) Math.max(-32768, Math.min(32767, Math.round(value * 300)));
                }
                writer.writeVolume(volume);
                done.incrementAndGet();
            }
            writer.commit();
        }
    }

    /** NSD's label volumes: -1 outside the brain, 0 unlabelled brain, > 0 a label. */
    private static void writeRois(Layout layout, Anatomy anatomy) throws IOException {
        Path dir = NsdVolumeSubject.at(layout.root(), SUBJECT).roiDir();
        Files.createDirectories(dir);
        int n = anatomy.grid().voxelCount();
        int[] general = new int[n];
        int[] visual = new int[n];
        java.util.Arrays.fill(general, -1);
        java.util.Arrays.fill(visual, -1);
        for (int v : anatomy.background()) {
            general[v] = 0;
            visual[v] = 0;
        }
        int[] mask = anatomy.mask();
        for (int m = 0; m < mask.length; m++) {
            general[mask[m]] = 1;
            // seven bands back to front: V1v, V1d, V2v, V2d, V3v, V3d, hV4
            visual[mask[m]] = 1 + Math.min(6, (int) (anatomy.depth()[m] * 7));
        }
        NiftiHeader header = NiftiHeader.forGrid(anatomy.grid(), NiftiDataType.INT16, 1);
        NiftiWriter.write(dir.resolve("nsdgeneral.nii.gz"), header, general);
        NiftiWriter.write(dir.resolve("prf-visualrois.nii.gz"), header, visual);
    }
}
