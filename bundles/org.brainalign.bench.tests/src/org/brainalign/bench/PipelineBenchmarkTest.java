package org.brainalign.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.brainalign.core.data.Responses;
import org.brainalign.engine.features.FeatureStore;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.subject.NsdVolumeSubject;
import org.brainalign.io.subject.Subject;
import org.brainalign.workflow.command.ContributedCommand;
import org.brainalign.workflow.command.UsageException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/**
 * {@code bench pipeline} on a tiny subject (500 voxels of a 24 x 28 x 24 grid, 60 images, 2 sessions of 750 trials):
 * every stage runs and prints its figures, and what the NSD reader imports equals what the written int16 betas say,
 * computed here straight from the gzip files, and follows the planted signal.
 */
public class PipelineBenchmarkTest {

    private static final String[] STAGES = { "stimuli", "extract", "betas", "gunzip", "import", "fit", "predict",
            "analyse" };
    private static final int VOXELS = 500;
    private static final int IMAGES = 60;
    private static final int[] GRID = { 24, 28, 24 };

    @TempDir
    Path dir;

    private String out;
    private String err;

    /** Runs {@code brainalign bench ARGS} as the command line does: the bench service, a usage error on err. */
    private int run(String... args) throws Exception {
        assertEquals("bench", args[0]);
        BundleContext context = FrameworkUtil.getBundle(BenchCommand.class).getBundleContext();
        ServiceReference<ContributedCommand> bench = context
                .getServiceReferences(ContributedCommand.class, "(component.name=org.brainalign.bench.command)")
                .iterator().next();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(e, true, StandardCharsets.UTF_8);
        int code;
        try {
            code = context.getService(bench).run(List.of(args).subList(1, args.length),
                    new PrintStream(o, true, StandardCharsets.UTF_8), errStream, new NullProgressMonitor());
        } catch (UsageException u) {
            errStream.println(u.getMessage());
            code = ContributedCommand.USAGE;
        }
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    public void aTinySubjectRunsThroughEveryStageAndImportsWhatWasWritten() throws Exception {
        Path folder = dir.resolve("pipeline");
        assertEquals(0, run("bench", "pipeline", "--voxels", "" + VOXELS, "--images", "" + IMAGES, "--sessions",
                "2", "--grid", "24x28x24", "--out", folder.toString()), err + out);
        Pattern line = Pattern
                .compile(
                        "stage (\\S+) +(\\d+\\.\\d+) s \\(CPU \\d+\\.\\d+ s\\)  (\\d+(\\.\\d+)?) ([a-zA-Z]+/s)[^;]*; peak heap (\\d+)"
                                + " MB, peak RSS (\\d+) MB, heap held after (\\d+) MB; read (\\d+\\.\\d) MB, written (\\d+\\.\\d) MB");
        Map<String, String> units = new HashMap<>();
        for (String l : out.split("\n")) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                units.put(m.group(1), m.group(5));
                assertTrue(Integer.parseInt(m.group(6)) > 0 && Integer.parseInt(m.group(7)) > 0, l);
            }
        }
        assertEquals(Map.of("stimuli", "images/s", "extract", "images/s", "betas", "trials/s", "gunzip", "MB/s",
                "import", "trials/s", "fit", "steps/s", "predict", "images/s", "analyse", "voxels/s"), units, out);
        assertEquals(STAGES.length, units.size(), out);
        assertTrue(out.contains("ratio import / gunzip: "), out);
        assertTrue(out.contains("a full fit of 60 images at 500 voxels: 7 steps per epoch x 50 epochs"), out);
        assertFalse(out.contains("NaN") || out.contains("Infinity"), out);
        assertArrayEquals(new long[] { IMAGES, VOXELS }, java.util.Arrays.stream(Npy.header(folder.resolve(
                "predictions.npy")).shape()).asLongStream().toArray(), out);

        Path root = folder.resolve("subject");
        Subject subject = NsdVolumeSubject.at(root, "subj01").setTrials(root.resolve("trials.csv")).setStimuli(root
                .resolve("stimuli")).load(null);
        PipelineSubject.Anatomy anatomy = PipelineSubject.Anatomy.of(GRID, VOXELS);
        assertArrayEquals(anatomy.mask(), subject.voxels().indices());
        Responses responses = subject.responses();
        assertEquals(IMAGES, responses.imageCount());

        int[] picked = { 0, 137, 314, VOXELS - 1 };
        double[][] expected = averagedFromFiles(root, anatomy, picked, responses.imageIds());
        for (int p = 0; p < picked.length; p++) {
            for (int i = 0; i < IMAGES; i++) {
                // the reader sums float z-scores over 25 trials; here all is double
                assertEquals(expected[p][i], responses.get(i, picked[p]), 1e-4, "voxel " + picked[p] + ", image "
                        + responses.imageIds().get(i));
            }
        }

        // the averages of 25 trials follow the planted signal (noise variance at most twice the signal's, / 25)
        try (FeatureStore store = FeatureStore.open(folder.resolve("features"))) {
            PipelineSubject.Readout readout = new PipelineSubject.Readout(store, anatomy, 1);
            List<String> names = store.imageNames();
            float[][] planted = new float[IMAGES][VOXELS];
            for (int i = 0; i < IMAGES; i++) {
                readout.signal(names.indexOf(responses.imageIds().get(i) + ".png"), planted[i]);
            }
            for (int v : picked) {
                double[] a = new double[IMAGES];
                double[] b = new double[IMAGES];
                for (int i = 0; i < IMAGES; i++) {
                    a[i] = planted[i][v];
                    b[i] = responses.get(i, v);
                }
                assertTrue(correlation(a, b) > 0.9, "voxel " + v + ": r " + correlation(a, b));
            }
        }

        // a second run reuses what the first generated
        assertEquals(0, run("bench", "pipeline", "--voxels", "" + VOXELS, "--images", "" + IMAGES, "--sessions",
                "2", "--grid", "24x28x24", "--out", folder.toString(), "--steps", "2"), err + out);
        assertTrue(out.contains("reusing the subject") && !out.contains("stage betas"), out);
        assertTrue(out.contains("(2 steps of 8 images"), out);
    }

    @Test
    public void wrongOptionsAreUsageErrors() throws Exception {
        assertEquals(2, run("bench", "pipeline", "--voxels", "500"));
        assertTrue(err.contains("--sessions N is required"), err);
        assertEquals(2, run("bench", "pipeline", "--sessions", "2", "--grid", "24x28"));
        assertTrue(err.contains("--grid takes three sides"), err);
        assertEquals(2, run("bench", "pipeline", "--sessions", "2", "--grid", "8x8x8", "--voxels", "5000"));
        assertTrue(err.contains("fewer than the 5000 asked for"), err);
    }

    /**
     * The reader's job done independently: int16 straight from each gzip file, / 300, z-scored per voxel over the
     * session's trials (population deviation), averaged per image over all trials.
     */
    private static double[][] averagedFromFiles(Path root, PipelineSubject.Anatomy anatomy, int[] picked,
            List<String> imageIds) throws IOException {
        List<String> lines = Files.readAllLines(root.resolve("trials.csv"));
        assertEquals("session,trial,image_id", lines.get(0));
        double[][] sums = new double[picked.length][imageIds.size()];
        int[] counts = new int[imageIds.size()];
        int voxelsPerVolume = anatomy.grid().voxelCount();
        for (int session = 1; session <= 2; session++) {
            Path file = NsdVolumeSubject.at(root, "subj01").betasDir().resolve("betas_session0" + session + ".nii.gz");
            byte[] bytes;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                bytes = in.readAllBytes();
            }
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(348, b.getInt(0));
            assertEquals(4, b.getShort(40)); // dim[0]
            assertEquals(750, b.getShort(48)); // dim[4]
            assertEquals(4, b.getShort(70)); // datatype int16
            int offset = (int) b.getFloat(108);
            double[][] z = new double[picked.length][750];
            for (int p = 0; p < picked.length; p++) {
                int index = anatomy.mask()[picked[p]];
                double mean = 0;
                for (int t = 0; t < 750; t++) {
                    z[p][t] = b.getShort(offset + 2 * (t * voxelsPerVolume + index)) / 300.0;
                    mean += z[p][t];
                }
                mean /= 750;
                double sq = 0;
                for (int t = 0; t < 750; t++) {
                    sq += (z[p][t] - mean) * (z[p][t] - mean);
                }
                double sd = Math.sqrt(sq / 750);
                for (int t = 0; t < 750; t++) {
                    z[p][t] = (z[p][t] - mean) / sd;
                }
            }
            for (String l : lines.subList(1, lines.size())) {
                String[] cells = l.split(",");
                if (Integer.parseInt(cells[0]) != session) {
                    continue;
                }
                int t = Integer.parseInt(cells[1]) - 1;
                int row = imageIds.indexOf(cells[2]);
                counts[row]++;
                for (int p = 0; p < picked.length; p++) {
                    sums[p][row] += z[p][t];
                }
            }
        }
        for (int row = 0; row < counts.length; row++) {
            assertEquals(25, counts[row], imageIds.get(row)); // 1,500 trials over 60 images
            for (int p = 0; p < picked.length; p++) {
                sums[p][row] /= counts[row];
            }
        }
        return sums;
    }

    private static double correlation(double[] a, double[] b) {
        double ma = java.util.Arrays.stream(a).average().orElse(0);
        double mb = java.util.Arrays.stream(b).average().orElse(0);
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }
}
