package org.brainalign.io.run.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.data.Roi;
import org.brainalign.core.data.RoiDefinition;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.io.nifti.NiftiDataType;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.io.nifti.NiftiSeries;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.npy.NpyArray;
import org.brainalign.io.run.MapWriter;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunFolderException;
import org.brainalign.io.run.RunInfo;
import org.brainalign.io.run.RunInput;
import org.brainalign.io.run.SelectorMap;
import org.brainalign.testing.SharedData;
import org.brainalign.testing.SyntheticRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run folders: a synthetic run written and read back, maps checked voxel by voxel, and every refusal. */
public class RunFolderTest {

    @TempDir
    Path tmp;

    /** A small oblique-free LAS grid whose affine is exact in float32, so maps must carry it bit for bit. */
    private final VolumeGrid grid = new VolumeGrid(new int[] { 6, 5, 4 },
            Affine.ofRowMajor(-2, 0, 0, 90, 0, 2.5, 0, -126, 0, 0, 3, -72));

    @Test
    public void aSyntheticRunRoundTrips() throws IOException {
        VoxelSet voxels = SyntheticRun.voxels(grid, 37, 3);
        SelectorMaps maps = SyntheticRun.selectors(37, 4, 5);
        Path input = Files.writeString(tmp.resolve("betas.txt"), "abc");
        RunInfo info = RunInfo.builder("clip subj01").setSoftwareVersion("0.1.0.test").setSeed(42)
                .addInput(RunInput.of("betas", input, null))
                .setBackbone(Map.of("family", "clip", "layers", 4))
                .setConfig(Map.of("lr", 1e-3, "batch", 8, "early_stopping", true))
                .setSplit(Map.of("train", 30, "validation", 7)).putMetric("val_r2_mean", 0.125)
                .putMetric("val_loss", Double.NaN).putTiming("fit", 12.5).build();
        Path folder = tmp.resolve("run-a");
        RunFolder run = RunFolder.create(folder, info, voxels, null);
        List<Roi> rois = List.of(new Roi("V1", new int[] { 0, 5, 9 }), new Roi("FFA", new int[] { 1, 2 }));
        run.writeRois(rois, List.of(new RoiDefinition("V1", "prf-visualrois", new int[] { 1, 2 })));
        run.writeSelectors(maps);
        assertFalse(run.hasEncoder());
        assertEquals(folder.resolve("encoder.safetensors"), run.encoderFile());

        RunFolder back = RunFolder.open(folder);
        RunInfo i = back.info();
        assertEquals(info.id(), i.id());
        assertEquals("clip subj01", i.label());
        assertEquals(info.created(), i.created());
        assertEquals(42L, i.seed().orElseThrow());
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                i.inputs().get(0).sha256(), "SHA-256 of 'abc' (FIPS 180-2 test vector)");
        assertEquals(3, i.inputs().get(0).bytes());
        assertEquals(4L, i.backbone().get("layers"), "whole numbers come back whole");
        assertEquals(1e-3, i.config().get("lr"));
        assertEquals(true, i.config().get("early_stopping"));
        assertEquals(0.125, i.metrics().get("val_r2_mean"));
        assertTrue(i.metrics().containsKey("val_loss") && i.metrics().get("val_loss") == null, "NaN is stored as null");
        assertEquals(12.5, i.timings().get("fit"));
        assertTrue(Files.readString(folder.resolve("run.json")).contains("\"format\": \"brainalign-run/1\""));

        assertEquals(37, back.voxelCount());
        assertEquals(grid, back.grid().orElseThrow());
        VoxelSet v = back.voxels();
        assertArrayEquals(voxels.indices(), v.indices());
        assertArrayEquals(voxels.coordinate(36), v.coordinate(36), 0);
        assertEquals(rois, back.rois());

        SelectorMaps m = back.selectors();
        assertArrayEquals(maps.layerWeightRows(), m.layerWeightRows());
        assertArrayEquals(maps.xs(), m.xs());
        assertArrayEquals(maps.ys(), m.ys());
        assertArrayEquals(maps.scales(), m.scales());
        assertArrayEquals(maps.r2s(), m.r2s());
        assertArrayEquals(maps.pearsons(), m.pearsons());

        MapWriter.write(back, back.selectors(), null);
        for (SelectorMap map : SelectorMap.values()) {
            NiftiImage image = NiftiImage.read(back.mapFile(map));
            assertArrayEquals(grid.shape(), image.shape(), map.stem());
            // the grid's affine is exact in float32, so the map's sform and qform must equal it exactly
            assertEquals(grid.affine(), image.header().sform(), map.stem());
            assertTrue(image.header().qform().approxEquals(grid.affine(), 1e-6), map.stem());
            assertEquals(map.isInteger() ? NiftiDataType.INT16 : NiftiDataType.FLOAT32, image.header().dataType());
            int inside = 0;
            for (int index = 0; index < grid.voxelCount(); index++) {
                int n = v.positionOf(index);
                double value = image.get(index);
                if (n < 0) {
                    assertTrue(map.isInteger() ? value == 0 : Double.isNaN(value), map.stem() + " outside " + index);
                    continue;
                }
                inside++;
                double expected = switch (map) {
                    case PREFERRED_LAYER -> maps.preferredLayer(n) + 1;
                    case EXPECTED_DEPTH -> (float) maps.depth(n);
                    case ENTROPY -> (float) maps.entropy(n);
                    case X -> maps.xs()[n];
                    case Y -> maps.ys()[n];
                    case SCALE -> maps.scales()[n];
                    case R2 -> maps.r2s()[n];
                    case PEARSON_R -> maps.pearsons()[n];
                };
                assertEquals(expected, value, 0, map.stem() + " at voxel " + n);
            }
            assertEquals(37, inside);
        }
        assertNoTemporaryFiles(folder);
    }

    @Test
    public void mapsCarryTheSubjectsSformAndQform() throws IOException {
        // example_nifti2: NIfTI-2 with code-1 sform and qform that differ (oblique); nibabel 5.0 reads them as below
        NiftiHeader source;
        try (NiftiSeries s = NiftiSeries.open(SharedData.nifti("example_nifti2.nii.gz"))) {
            source = s.header();
        }
        VoxelSet voxels = SyntheticRun.voxels(source.grid(), 50, 9);
        RunFolder run = SyntheticRun.create(tmp.resolve("oblique"), "oblique", voxels, source,
                SyntheticRun.selectors(50, 3, 1), List.of());
        MapWriter.write(run, run.selectors(), null);
        NiftiHeader h = NiftiImage.read(run.mapFile(SelectorMap.ENTROPY)).header();
        assertEquals(1, h.sformCode());
        assertEquals(1, h.qformCode());
        double[][] nibabelQform = { { -2.0, 1e-05, 0.000139, 117.855103 }, { -1e-05, 1.973711, -0.355528, -35.722942 },
                { 0.000126, 0.323208, 2.171082, -7.248798 }, { 0, 0, 0, 1 } };
        double[][] nibabelSform = { { -2.0, 0.0, 0.0, 117.855103 }, { -0.0, 1.973711, -0.355528, -35.722942 },
                { 0.0, 0.323208, 2.171082, -7.248798 }, { 0, 0, 0, 1 } };
        // nibabel's values are printed to 6 decimals: 1e-6 plus float32 rounding of 117.855103 (4e-6)
        assertTrue(h.qform().approxEquals(Affine.of(nibabelQform), 1e-5), h.qform().toString());
        assertTrue(h.sform().approxEquals(Affine.of(nibabelSform), 1e-5), h.sform().toString());
        assertFalse(h.qform().approxEquals(h.sform(), 1e-5), "the qform is the source's, not a copy of the sform");

        // standard.nii.gz: qform_code 0, sform_code 2
        NiftiHeader standard = NiftiImage.read(SharedData.nifti("standard.nii.gz")).header();
        RunFolder run2 = SyntheticRun.create(tmp.resolve("standard"), "standard",
                SyntheticRun.voxels(standard.grid(), 20, 2), standard, SyntheticRun.selectors(20, 2, 2), List.of());
        MapWriter.write(run2, run2.selectors(), null);
        NiftiHeader h2 = NiftiImage.read(run2.mapFile(SelectorMap.PREFERRED_LAYER)).header();
        assertEquals(0, h2.qformCode());
        assertEquals(2, h2.sformCode());
        assertEquals(Affine.of(new double[][] { { 1, 0, 0, 0 }, { 0, 3, 0, 0 }, { 0, 0, 2, 0 } }), h2.affine());
    }

    @Test
    public void aSurfaceRunWritesPerVertexArrays() throws IOException {
        double[][] coordinates = { { 0, 0, 100 }, { 100, 0, 0 }, { 0, 100, 0 }, { -100, 0, 0 } };
        VoxelSet vertices = VoxelSet.ofSurface("fsaverage sphere", new int[] { 17, 3, 160000, 42 }, coordinates);
        SelectorMaps maps = SyntheticRun.selectors(4, 5, 4);
        RunFolder run = SyntheticRun.create(tmp.resolve("surface"), "surface", vertices, null, maps, List.of());
        MapWriter.write(run, run.selectors(), null);
        RunFolder back = RunFolder.open(run.folder());
        assertTrue(back.grid().isEmpty());
        assertEquals("fsaverage sphere", back.space());
        assertArrayEquals(new int[] { 17, 3, 160000, 42 }, back.voxels().indices());
        assertArrayEquals(coordinates[2], back.voxels().coordinate(2), 0);
        assertTrue(back.mapFile(SelectorMap.SCALE).toString().endsWith("maps/scale.npy"));
        assertArrayEquals(maps.scales(), Npy.read(back.mapFile(SelectorMap.SCALE)).toFloatArray());
        int[] layers = Npy.read(back.mapFile(SelectorMap.PREFERRED_LAYER)).toIntArray();
        for (int n = 0; n < 4; n++) {
            assertEquals(maps.preferredLayer(n) + 1, layers[n]);
        }
    }

    @Test
    public void aRenamedRunKeepsItsIdAndEverythingElse() throws IOException {
        RunFolder run = SyntheticRun.create(tmp.resolve("renamed"), "demo", SyntheticRun.voxels(grid, 3, 1), null,
                SyntheticRun.selectors(3, 4, 5), List.of());
        RunInfo before = run.info();
        run.updateInfo(before.toBuilder().setLabel("demo, second subject").build());
        RunFolder reopened = RunFolder.open(run.folder());
        assertEquals("demo, second subject", reopened.label());
        assertEquals(before.id(), reopened.info().id());
        assertEquals(before.created(), reopened.info().created());
        // read back, whole numbers are Longs: compare as written
        assertEquals(before.metrics().toString(), reopened.info().metrics().toString());
        assertEquals(before.backbone().toString(), reopened.info().backbone().toString());
        assertEquals(3, reopened.selectors().voxelCount());
        assertThrows(IllegalArgumentException.class, () -> before.toBuilder().setLabel("  "),
                "a blank label is refused");
    }

    @Test
    public void anotherRunIsNeverOverwritten() throws IOException {
        VoxelSet voxels = SyntheticRun.voxels(grid, 5, 1);
        Path folder = tmp.resolve("taken");
        RunFolder first = SyntheticRun.create(folder, "first", voxels, null, SyntheticRun.selectors(5, 2, 1),
                List.of());
        String before = Files.readString(folder.resolve("run.json"));
        RunFolderException e = assertThrows(RunFolderException.class,
                () -> RunFolder.create(folder, RunInfo.builder("second").build(), voxels, null));
        assertTrue(
                e.getMessage().contains(folder.toString()) && e.getMessage().contains("already holds the run 'first'")
                        && e.getMessage().contains("never overwrites"),
                e.getMessage());
        e = assertThrows(RunFolderException.class, () -> RunFolder.create(folder, first.info(), voxels, null));
        assertTrue(e.getMessage().contains("already holds this run"), e.getMessage());
        assertEquals(before, Files.readString(folder.resolve("run.json")));
        e = assertThrows(RunFolderException.class, () -> first.writeSelectors(SyntheticRun.selectors(5, 2, 2)));
        assertTrue(e.getMessage().contains("already holds selectors"), e.getMessage());

        Path other = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(other.resolve("holiday.jpg"), "not a run");
        e = assertThrows(RunFolderException.class,
                () -> RunFolder.create(other, RunInfo.builder("x").build(), voxels, null));
        assertTrue(e.getMessage().contains("not empty and holds no run"), e.getMessage());
        assertEquals(List.of(other.resolve("holiday.jpg")), Files.list(other).toList());
    }

    @Test
    public void foreignAndOlderFoldersAreRefusedInOneSentence() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        RunFolderException e = assertThrows(RunFolderException.class, () -> RunFolder.open(empty));
        assertEquals("Folder " + empty + " is not a BrainAlign run folder: it has no run.json.", e.getMessage());
        assertTrue(assertThrows(RunFolderException.class, () -> RunFolder.open(tmp.resolve("nowhere"))).getMessage()
                .contains("does not exist"));

        Path old = Files.createDirectories(tmp.resolve("old"));
        Files.writeString(old.resolve("run.json"), "{\"format\": \"brainalign-run/0\", \"id\": \"x\"}");
        e = assertThrows(RunFolderException.class, () -> RunFolder.open(old));
        assertTrue(e.getMessage().startsWith("Folder " + old + " holds a BrainAlign run of format brainalign-run/0")
                && e.getMessage().contains("reads only brainalign-run/1"), e.getMessage());

        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("run.json"), "{\"model\": \"resnet\"}");
        e = assertThrows(RunFolderException.class, () -> RunFolder.open(foreign));
        assertTrue(e.getMessage().contains("without a format field"), e.getMessage());

        Files.writeString(foreign.resolve("run.json"), "{\"format\": ");
        e = assertThrows(RunFolderException.class, () -> RunFolder.open(foreign));
        assertTrue(e.getMessage().contains("is not valid JSON"), e.getMessage());
    }

    @Test
    public void damagedSelectorsAreRefusedNamingTheFile() throws IOException {
        VoxelSet voxels = SyntheticRun.voxels(grid, 3, 1);
        RunFolder run = RunFolder.create(tmp.resolve("damaged"), RunInfo.builder("d").build(), voxels, null);
        RunFolderException e = assertThrows(RunFolderException.class, run::selectors);
        assertTrue(e.getMessage().contains("has no selectors yet"), e.getMessage());
        run.writeSelectors(SyntheticRun.selectors(3, 2, 1));
        Path weights = run.folder().resolve("selectors/layer_weights.npy");
        Npy.write(weights, NpyArray.ofFloats(new float[] { 0.5f, 0.5f, 0.9f, 0.9f, 1, 0 }, 3, 2));
        e = assertThrows(RunFolderException.class, run::selectors);
        assertTrue(e.getMessage().contains("selectors") && e.getMessage().contains("voxel 1 sum to"), e.getMessage());
        Npy.write(weights, NpyArray.ofFloats(new float[] { 1, 0, 1, 0 }, 2, 2));
        IOException shape = assertThrows(IOException.class, run::selectors);
        assertTrue(shape.getMessage().contains(weights.toString()), shape.getMessage());
        Npy.write(weights, NpyArray.ofFloats(new float[] { 1, 0, 1, 0, 0, 1 }, 3, 2));
        assertEquals(3, run.selectors().voxelCount());
        Files.delete(run.folder().resolve("selectors/r.npy"));
        assertTrue(assertThrows(RunFolderException.class, run::selectors).getMessage().contains("is missing"));
    }

    @Test
    public void inputsAreHashedFileByFileAndAsFolders() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("stimuli/sub"));
        Files.writeString(tmp.resolve("stimuli/a.txt"), "abc", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("b.txt"), "");
        // `sha256sum a.txt sub/b.txt | sha256sum` in the folder
        RunInput in = RunInput.of("stimuli", tmp.resolve("stimuli"), null);
        assertEquals("7fa174ec633d9dd026791655bcede544783962588e3b79ef7ff0b3347b298d1d", in.sha256());
        assertEquals(3, in.bytes());
        assertTrue(in.isUnchanged(null));
        Files.writeString(dir.resolve("b.txt"), "changed");
        assertFalse(in.isUnchanged(null));
        IOException e = assertThrows(IOException.class, () -> RunInput.of("betas", tmp.resolve("missing.nii"), null));
        assertTrue(e.getMessage().contains("missing.nii") && e.getMessage().contains("does not exist"));
    }

    @Test
    public void chartsAreNamedAndListed() throws IOException {
        RunFolder run = RunFolder.create(tmp.resolve("charts"), RunInfo.builder("c").build(),
                SyntheticRun.voxels(grid, 2, 1), null);
        assertEquals(List.of(), run.charts(), "no charts/ yet");
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0 };
        assertEquals(run.folder().resolve("charts/layers.png"), run.chartFile("layers.png"));
        Files.createDirectories(run.folder().resolve("charts"));
        Files.write(run.chartFile("layers.png"), png);
        Files.writeString(run.chartFile("alignment.svg"), "<svg/>");
        Files.writeString(run.folder().resolve("charts/.alignment.svg.part-1"), "<sv");
        assertEquals(List.of("alignment.svg", "layers.png"),
                run.charts().stream().map(p -> p.getFileName().toString()).toList());
        assertThrows(IllegalArgumentException.class, () -> run.chartFile("../x.png"));
        assertThrows(IllegalArgumentException.class, () -> run.chartFile(".x.png"));
    }

    private static void assertNoTemporaryFiles(Path folder) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            List<Path> partial = all.filter(p -> p.getFileName().toString().contains(".part-")).toList();
            assertEquals(List.of(), partial);
        }
    }
}
