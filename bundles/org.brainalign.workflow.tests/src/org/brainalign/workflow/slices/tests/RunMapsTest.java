package org.brainalign.workflow.slices.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunInfo;
import org.brainalign.io.run.SelectorMap;
import org.brainalign.testing.SyntheticRun;
import org.brainalign.workflow.slices.RunMaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which run and which map a file is, a map's file, and a run's layer count for the preferred layer's scale. */
public class RunMapsTest {

    private final VolumeGrid grid = new VolumeGrid(new int[] { 4, 4, 4 }, Affine.scaling(2, 2, 2));

    @TempDir
    Path tmp;

    @Test
    public void aMapIsKnownByItsFolderAndItsName() throws IOException {
        RunFolder run = SyntheticRun.create(tmp.resolve("run"), "run", SyntheticRun.voxels(grid, 9, 1), null,
                SyntheticRun.selectors(9, 5, 2), List.of());
        Path maps = Files.createDirectories(run.folder().resolve(RunFolder.MAPS));
        Path depth = Files.createFile(maps.resolve("expected_depth.nii.gz"));
        assertEquals(Optional.of(run.folder().toAbsolutePath()), RunMaps.runOf(depth));
        assertEquals(Optional.of(SelectorMap.EXPECTED_DEPTH), RunMaps.mapOf(depth));
        assertEquals(Optional.of(SelectorMap.R2), RunMaps.mapOf(maps.resolve("r2.NII")));
        assertEquals(Optional.empty(), RunMaps.mapOf(maps.resolve("depth.nii.gz")), "not a map's name");
        assertEquals("preferred_layer", RunMaps.stem(Path.of("preferred_layer.npy")));

        assertEquals(Optional.of(depth), RunMaps.mapFile(run.folder(), SelectorMap.EXPECTED_DEPTH));
        assertEquals(Optional.empty(), RunMaps.mapFile(run.folder(), SelectorMap.ENTROPY), "not written yet");

        Path stray = Files.createDirectories(tmp.resolve("elsewhere").resolve(RunFolder.MAPS));
        assertEquals(Optional.empty(), RunMaps.runOf(stray.resolve("r2.nii.gz")), "maps/ of a folder with no run.json");
        assertEquals(Optional.empty(), RunMaps.runOf(run.folder().resolve("r2.nii.gz")), "not in maps/");
    }

    @Test
    public void theLayerCountIsTheBackbonesElseTheWidthOfTheLayerWeights() throws IOException {
        RunFolder described = SyntheticRun.create(tmp.resolve("described"), "described", SyntheticRun.voxels(grid, 9,
                1), null, SyntheticRun.selectors(9, 5, 2), List.of());
        assertEquals(OptionalInt.of(5), RunMaps.layerCount(described));

        RunFolder silent = SyntheticRun.create(tmp.resolve("silent"), "silent", SyntheticRun.voxels(grid, 9, 1), null,
                SyntheticRun.selectors(9, 7, 2), List.of());
        RunInfo info = silent.info();
        silent.updateInfo(info.toBuilder().setBackbone(Map.of("family", "hf-vit")).build());
        assertNull(RunFolder.open(silent.folder()).info().backbone().get("layers"));
        assertEquals(OptionalInt.of(7), RunMaps.layerCount(RunFolder.open(silent.folder())),
                "selectors/layer_weights.npy is voxels x layers");
    }
}
