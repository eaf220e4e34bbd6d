package org.brainalign.core.data.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.brainalign.core.data.LabelTable;
import org.brainalign.core.data.Responses;
import org.brainalign.core.data.Roi;
import org.brainalign.core.data.RoiAtlas;
import org.brainalign.core.data.RoiDefinition;
import org.brainalign.core.data.VoxelSet;
import org.junit.jupiter.api.Test;

/** The data types other bundles consume, on cases small enough to work out by hand. */
class DataTypesTest {

    /** 3 x 2 x 2 voxels of 2 mm, origin at (-10, 20, 30). */
    private static final VolumeGrid GRID = new VolumeGrid(new int[] { 3, 2, 2 },
            Affine.ofRowMajor(2, 0, 0, -10, 0, 2, 0, 20, 0, 0, 2, 30));

    @Test
    void voxelSetOfAMask() {
        boolean[] mask = new boolean[12];
        mask[1] = true; // (1, 0, 0)
        mask[5] = true; // (2, 1, 0)
        mask[10] = true; // (1, 1, 1)
        VoxelSet v = VoxelSet.ofMask(GRID, mask);
        assertEquals(3, v.size());
        assertArrayEquals(new int[] { 1, 5, 10 }, v.indices());
        assertArrayEquals(new double[][] { { -8, 20, 30 }, { -6, 22, 30 }, { -8, 22, 32 } }, v.coordinates());
        assertEquals(2, v.positionOf(10));
        assertEquals(-1, v.positionOf(4));
        VoxelSet sub = v.subset(new int[] { 2, 0 });
        assertArrayEquals(new int[] { 10, 1 }, sub.indices());
        assertArrayEquals(new double[] { -8, 22, 32 }, sub.coordinate(0));
        assertTrue(sub.isVolume());
        assertThrows(IllegalArgumentException.class, () -> VoxelSet.ofVolume(GRID, new int[] { 3, 3 }));
        assertThrows(IllegalArgumentException.class, () -> VoxelSet.ofVolume(GRID, new int[] { 12 }));
    }

    @Test
    void surfaceVoxelSet() {
        VoxelSet s = VoxelSet.ofSurface("fsaverage sphere", new int[] { 7, 3 }, new double[][] { { 1, 2, 3 },
                { 4, 5, 6 } });
        assertFalse(s.isVolume());
        assertTrue(s.grid().isEmpty());
        assertEquals(1, s.positionOf(3));
        assertArrayEquals(new double[] { 4, 5, 6 }, s.coordinate(1));
    }

    @Test
    void roisAreSortedUniqueAndUnite() {
        Roi a = new Roi("V1v", new int[] { 5, 1, 5, 3 });
        assertArrayEquals(new int[] { 1, 3, 5 }, a.members());
        Roi v1 = a.union("V1", new Roi("V1d", new int[] { 2, 3 }));
        assertArrayEquals(new int[] { 1, 2, 3, 5 }, v1.members());
        assertTrue(v1.contains(2));
        assertFalse(v1.contains(4));
        assertThrows(IllegalArgumentException.class, () -> new Roi(" ", new int[0]));
    }

    @Test
    void atlasMasksAndRois() {
        int[] labels = { 0, 1, 2, 2, -1, 1, 0, 0, 3, 0, 1, 0 };
        Map<Integer, String> names = new LinkedHashMap<>();
        names.put(1, "V1v");
        names.put(2, "V1d");
        names.put(3, "V2v");
        RoiAtlas atlas = new RoiAtlas("toy", GRID, labels, new LabelTable(names));
        assertEquals(Map.of(-1, 1, 0, 5, 1, 3, 2, 2, 3, 1), atlas.counts());
        boolean[] m = atlas.mask(1, 2);
        assertTrue(m[1] && m[2] && m[3] && m[5] && m[10] && !m[0] && !m[8]);
        VoxelSet v = VoxelSet.ofMask(GRID, atlas.mask(1, 2, 3));
        Roi v1 = atlas.roi(new RoiDefinition("V1", "toy", new int[] { 1, 2 }), v);
        // v holds voxels 1, 2, 3, 5, 8, 10: V1 is every one of them but voxel 8
        assertArrayEquals(new int[] { 0, 1, 2, 3, 5 }, v1.members());
        assertEquals(List.of("V1v", "V1d", "V2v"), List.copyOf(atlas.labelRois(v).keySet()));
        VolumeGrid shifted = new VolumeGrid(new int[] { 3, 2, 2 }, Affine.ofRowMajor(2, 0, 0, -9, 0, 2, 0, 20, 0, 0,
                2, 30));
        RoiAtlas other = new RoiAtlas("off", shifted, labels, new LabelTable(names));
        assertThrows(IllegalArgumentException.class,
                () -> other.roi(new RoiDefinition("V1", "off", new int[] { 1 }), v));
    }

    @Test
    void labelTables() {
        LabelTable t = LabelTable.ofSequence("OFA", "FFA-1", "", "mTL-faces");
        assertEquals("FFA-1", t.name(2).orElseThrow());
        assertTrue(t.name(3).isEmpty());
        assertEquals(4, t.label("mTL-faces").getAsInt());
        assertArrayEquals(new int[] { 1, 2, 4 }, t.labels());
        assertThrows(IllegalArgumentException.class, () -> LabelTable.ofSequence("A", "A"));
    }

    @Test
    void responsesSelect() {
        Responses r = new Responses(List.of("a", "b"), new float[][] { { 1, 2, 3 }, { 4, 5, 6 } });
        assertEquals(2, r.imageCount());
        assertEquals(3, r.voxelCount());
        assertArrayEquals(new float[] { 3, 6 }, r.column(2));
        Responses s = r.selectVoxels(new int[] { 2, 0 }).selectImages(new int[] { 1 });
        assertEquals(List.of("b"), s.imageIds());
        assertArrayEquals(new float[] { 6, 4 }, s.row(0));
        assertThrows(IllegalArgumentException.class, () -> new Responses(List.of("a", "a"), new float[2][1]));
        assertThrows(IllegalArgumentException.class, () -> new Responses(List.of("a"), new float[2][1]));
    }
}
