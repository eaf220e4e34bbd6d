package org.brainalign.engine.factortopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.brainalign.core.data.Responses;
import org.brainalign.io.run.RunFolder;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input ends in one sentence saying what is wrong, with nothing written. */
public class EncoderInputTest {

    @TempDir
    Path folder;

    private static final PlantedTruth DATA = new PlantedTruth(2, 4, 30, 12, 0.2, 0.05, 23);

    private static TrainingConfig small() {
        return TrainingConfig.builder().optBottleneck(4).optHidden(6).optMaxEpochs(1).build();
    }

    private EncoderInputException refused(FeatureSource f, Responses r, double[][] c, TrainingConfig config)
            throws IOException {
        Path run = folder.resolve("run");
        RunFolder target = DATA.run(run);
        List<Path> before = files(run);
        EncoderInputException e = assertThrows(EncoderInputException.class, () -> EncoderTrainer.builder()
                .setFeatures(f).setResponses(r).setCoordinates(c).setRunFolder(target).optConfig(config).build()
                .fit(new NullProgressMonitor()));
        assertEquals(before, files(run), "nothing may be written: " + e.getMessage());
        assertTrue(e.getMessage().endsWith(".") && e.getMessage().split("\\. ").length == 1, e.getMessage());
        return e;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.sorted().toList();
        }
    }

    private static Responses withRows(Responses r, int rows) {
        List<String> ids = new ArrayList<>();
        float[][] v = new float[rows][];
        for (int i = 0; i < rows; i++) {
            ids.add("img" + i);
            v[i] = r.row(i % r.imageCount()).clone();
        }
        return new Responses(ids, v);
    }

    @Test
    public void featuresAndResponsesOfDifferentImageCounts() throws IOException {
        EncoderInputException e = refused(DATA.features, withRows(DATA.responses, 29), DATA.coordinates, small());
        assertEquals("Planted features have 30 images but the responses have 29.", e.getMessage());
    }

    @Test
    public void coordinatesOfTheWrongShape() throws IOException {
        double[][] c = DATA.coordinates.clone();
        c[4] = new double[] { 1, 2 };
        EncoderInputException e = refused(DATA.features, DATA.responses, c, small());
        assertEquals("Voxel coordinates must be N x 3, but row 4 has 2 values.", e.getMessage());
        double[][] fewer = java.util.Arrays.copyOf(DATA.coordinates, 11);
        e = refused(DATA.features, DATA.responses, fewer, small());
        assertEquals("11 voxel coordinates were given for 12 voxels of responses.", e.getMessage());
    }

    @Test
    public void nanResponsesStopOrDropTheVoxel() throws IOException {
        Responses r = withRows(DATA.responses, 30);
        r.values()[7][3] = Float.NaN;
        TrainingConfig stop = TrainingConfig.builder().optBottleneck(4).optHidden(6).optMaxEpochs(1)
                .optNanPolicy(TrainingConfig.NanPolicy.STOP).build();
        EncoderInputException e = refused(DATA.features, r, DATA.coordinates, stop);
        assertEquals("The responses of 1 voxel contain NaN (first: voxel 3 for image 7).", e.getMessage());
        FitResult fit = EncoderTrainer.builder().setFeatures(DATA.features).setResponses(r)
                .setCoordinates(DATA.coordinates).setRunFolder(DATA.run(folder.resolve("drop"))).optConfig(small())
                .build()
                .fit(new NullProgressMonitor());
        assertEquals(11, fit.encoder().shape().voxels());
        assertEquals(11, fit.voxels().length);
        assertEquals(4, fit.voxels()[3], "voxel 3 is left out, the others keep their order");
        assertEquals(1, fit.warnings().size());
        assertTrue(fit.warnings().get(0).startsWith("1 of 12 voxels were left out"), fit.warnings().get(0));
        assertTrue(Double.isFinite(fit.bestValidationLoss()));
    }

    @Test
    public void checkpointForOtherVoxelsOrLayersIsRefused() throws IOException {
        Path run = folder.resolve("run");
        EncoderTrainer.builder().setFeatures(DATA.features).setResponses(DATA.responses)
                .setCoordinates(DATA.coordinates).setRunFolder(DATA.run(run)).optConfig(small()).build()
                .fit(new NullProgressMonitor());
        long written = Files.getLastModifiedTime(run.resolve(RunFolder.CHECKPOINT)).toMillis();
        Responses fewer = DATA.responses.selectVoxels(new int[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 });
        double[][] c = java.util.Arrays.copyOf(DATA.coordinates, 11);
        EncoderInputException e = assertThrows(EncoderInputException.class,
                () -> EncoderTrainer.builder().setFeatures(DATA.features).setResponses(fewer).setCoordinates(c)
                        .setRunFolder(DATA.run(run)).optConfig(small()).build().fit(new NullProgressMonitor()));
        assertTrue(e.getMessage().matches("Checkpoint .*checkpoint\\.safetensors was made for 12 voxels and 2 layers "
                + "but the data have 11 voxels and 2 layers\\."), e.getMessage());
        assertEquals(written, Files.getLastModifiedTime(run.resolve(RunFolder.CHECKPOINT)).toMillis());

        int[] fewerImages = new int[25];
        java.util.Arrays.setAll(fewerImages, i -> i);
        e = assertThrows(EncoderInputException.class,
                () -> EncoderTrainer.builder().setFeatures(DATA.features).setResponses(DATA.responses)
                        .setCoordinates(DATA.coordinates).setRunFolder(DATA.run(run)).optConfig(small())
                        .optImages(fewerImages)
                        .build().fit(new NullProgressMonitor()));
        assertTrue(e.getMessage().endsWith("was made with other training or validation images than this run's."),
                e.getMessage());

        FittedEncoder encoder = FittedEncoder.load(run.resolve(RunFolder.ENCODER));
        e = assertThrows(EncoderInputException.class, () -> encoder.selectors(c));
        assertTrue(e.getMessage().matches("Encoder .*encoder\\.safetensors was fitted to 12 voxels but 11 "
                + "coordinates were given\\."), e.getMessage());
        PlantedTruth threeLayers = new PlantedTruth(3, 4, 10, 12, 0.2, 0.05, 24);
        e = assertThrows(EncoderInputException.class, () -> encoder.predict(threeLayers.features, new int[] { 0 },
                DATA.coordinates, 1, new NullProgressMonitor()));
        assertTrue(e.getMessage().startsWith("Planted features have 3 layers of 4 channels on a 8 x 8 grid but "
                + "encoder "), e.getMessage());
    }
}
