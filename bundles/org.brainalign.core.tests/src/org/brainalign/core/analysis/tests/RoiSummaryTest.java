package org.brainalign.core.analysis.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.brainalign.core.analysis.Hierarchy;
import org.brainalign.core.analysis.RoiSummary;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.core.data.Roi;
import org.junit.jupiter.api.Test;

/** ROI summaries worked out by hand. */
public class RoiSummaryTest {

    private final SelectorMaps maps = SelectorMaps.of(Fixtures.oneHot(3, 0, 0, 1, 2, 2),
            new float[] { -0.5f, 0.5f, 0.25f, 0, 1 }, new float[] { 0.5f, 0.5f, -1, 0, 0 },
            new float[] { 0, 1, 0.5f, 0.25f, 0.75f }, new float[] { 0.1f, Float.NaN, 0.3f, 0.5f, -0.2f },
            new float[] { 0.2f, 0.3f, 0.4f, 0.5f, 0.6f });

    @Test
    public void summaryOfAnRoi() {
        RoiSummary s = RoiSummary.of(new Roi("V1", new int[] { 0, 1, 3 }), maps);
        assertEquals("V1", s.name());
        assertEquals(3, s.voxelCount());
        assertArrayEquals(new int[] { 2, 0, 1 }, s.layerHistogram());
        assertArrayEquals(new double[] { 2 / 3.0, 0, 1 / 3.0 }, s.layerFractions(), 1e-15);
        // depths 0, 0, 1: mean 1/3, population sd sqrt(2/9), quartiles by linear interpolation 0, 0, 0.5
        assertEquals(1 / 3.0, s.meanDepth(), 1e-15);
        assertEquals(Math.sqrt(2 / 9.0), s.depth().sd(), 1e-15);
        assertEquals(0.5, s.depth().q3(), 1e-15);
        assertEquals(0.5, s.depth().iqr(), 1e-15);
        assertEquals(0, s.entropy().max());
        assertEquals(0, s.meanX(), 1e-15);
        assertEquals(1 / 3.0, s.meanY(), 1e-15);
        assertEquals(1.25 / 3, s.meanScale(), 1e-15);
        // R^2 of voxel 1 is NaN: the score distribution covers the 2 scored voxels
        assertEquals(2, s.r2().count());
        assertEquals(((double) 0.1f + 0.5) / 2, s.meanScore(), 1e-15);
        assertEquals(3, s.pearson().count());
    }

    @Test
    public void summaryOfAllVoxelsAndOfAnEmptyRoi() {
        RoiSummary all = RoiSummary.ofAll(maps);
        assertEquals(RoiSummary.ALL, all.name());
        assertArrayEquals(new int[] { 2, 1, 2 }, all.layerHistogram());
        assertEquals((0 + 0 + 0.5 + 1 + 1) / 5, all.meanDepth(), 1e-15);
        RoiSummary empty = RoiSummary.of(new Roi("FFA", new int[0]), maps);
        assertEquals(0, empty.voxelCount());
        assertTrue(Double.isNaN(empty.meanDepth()) && Double.isNaN(empty.meanX()));
        assertArrayEquals(new double[] { 0, 0, 0 }, empty.layerFractions());
    }

    @Test
    public void anRoiOfAnotherVoxelSetIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RoiSummary.of(new Roi("V2", new int[] { 2, 9 }), maps));
        assertTrue(e.getMessage().contains("V2") && e.getMessage().contains("5 voxels"), e.getMessage());
    }

    @Test
    public void defaultRoisAreChosenByNameWithTheV4Alias() {
        List<Roi> available = List.of(new Roi("FFA", new int[] { 1 }), new Roi("V4", new int[] { 2 }),
                new Roi("V1", new int[] { 0 }), new Roi("RSC", new int[] { 3 }));
        List<Roi> chosen = SelectorSummary.choose(available, Hierarchy.DEFAULT_ROIS);
        assertEquals(List.of("V1", "V4", "FFA"), chosen.stream().map(Roi::name).toList());
    }
}
