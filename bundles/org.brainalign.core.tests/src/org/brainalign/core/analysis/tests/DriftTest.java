package org.brainalign.core.analysis.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.brainalign.core.analysis.Drift;
import org.brainalign.core.analysis.Hierarchy;
import org.brainalign.core.analysis.RoiSummary;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.data.Roi;
import org.junit.jupiter.api.Test;

/** Drift between fits: Jensen-Shannon closed forms, a fit against itself, and a planted change. */
public class DriftTest {

    private final List<Roi> rois = List.of(new Roi("V1", new int[] { 0, 1 }), new Roi("FFA", new int[] { 2, 3 }));

    @Test
    public void jensenShannonClosedForms() {
        assertEquals(0, Drift.jensenShannon(new double[] { 0.2, 0.3, 0.5 }, new double[] { 0.2, 0.3, 0.5 }));
        assertEquals(Math.log(2), Drift.jensenShannon(new double[] { 1, 0, 0 }, new double[] { 0, 0.5, 0.5 }),
                1e-15);
        // scipy.spatial.distance.jensenshannon (natural log) squared, scipy 1.17
        assertEquals(0.21576155433883568, Drift.jensenShannon(new double[] { 1, 0 }, new double[] { 0.5, 0.5 }),
                1e-15);
        assertEquals(0.2306454879041134,
                Drift.jensenShannon(new double[] { 0.7, 0.2, 0.1 }, new double[] { 0.1, 0.3, 0.6 }), 1e-15);
    }

    @Test
    public void aFitAgainstItselfHasNoDrift() {
        SelectorMaps m = SelectorMaps.of(
                new float[][] { { 0.7f, 0.2f, 0.1f }, { 0.1f, 0.3f, 0.6f }, { 0.3f, 0.3f, 0.4f }, { 0, 0, 1 } },
                Fixtures.fill(4, 0), Fixtures.fill(4, 0), Fixtures.fill(4, 0), new float[] { 0.1f, 0.2f, 0.3f, 0.4f },
                null);
        Drift d = Drift.between("a", m, "a again", m, rois, Hierarchy.standard());
        assertEquals(3, d.rois().size());
        for (Drift.RoiDrift r : d.rois()) {
            assertEquals(0, r.depthShift(), r.roi());
            assertEquals(0, r.changedShare(), r.roi());
            assertEquals(0, r.meanJensenShannon(), r.roi());
            assertEquals(0, r.scoreChange(), r.roi());
        }
        assertEquals(0, d.slopeChange());
        assertEquals(0, d.b0Change());
        assertEquals(0, d.b1Change());
        assertEquals(0, d.scoreChange());
    }

    @Test
    public void aPlantedShiftIsMeasured() {
        // FFA's voxels move from layer 1 to layer 3 of L = 4 (one-hot): depth +2/3, all changed, JS = ln 2
        SelectorMaps before = Fixtures.maps(Fixtures.oneHot(4, 0, 0, 1, 1),
                new float[] { 0.5f, 0.5f, 0.25f, 0.25f });
        SelectorMaps after = Fixtures.maps(Fixtures.oneHot(4, 0, 0, 3, 3), new float[] { 0.5f, 0.5f, 0.5f, 0.5f });
        Drift d = Drift.between("pretrained", before, "fine-tuned", after, rois, Hierarchy.standard());
        Drift.RoiDrift v1 = d.rois().get(0);
        assertEquals(0, v1.depthShift());
        assertEquals(0, v1.meanJensenShannon());
        Drift.RoiDrift ffa = d.rois().get(1);
        assertEquals("FFA", ffa.roi());
        assertEquals(1 / 3.0, ffa.meanDepthBefore(), 1e-15);
        assertEquals(2 / 3.0, ffa.depthShift(), 1e-15);
        assertEquals(1, ffa.changedShare());
        assertEquals(Math.log(2), ffa.meanJensenShannon(), 1e-15);
        assertEquals(0.25, ffa.scoreChange(), 1e-15);
        Drift.RoiDrift all = d.rois().get(2);
        assertEquals(RoiSummary.ALL, all.roi());
        assertEquals(0.5, all.changedShare());
        assertEquals(Math.log(2) / 2, all.meanJensenShannon(), 1e-15);
        // alignment: V1 depth 0 at t 0, FFA 1/3 -> 1 at t 1: slope 1/3 -> 1, b0 stays 0
        assertEquals(2 / 3.0, d.slopeChange(), 1e-15);
        assertEquals(0, d.b0Change(), 1e-15);
        assertEquals(2 / 3.0, d.b1Change(), 1e-15);
        assertEquals(0.125, d.scoreChange(), 1e-15);
        assertEquals("fine-tuned", d.after().label());
    }

    @Test
    public void fitsOfDifferentShapeAreRefused() {
        SelectorMaps three = Fixtures.maps(Fixtures.oneHot(3, 0, 1, 2, 2), null);
        SelectorMaps four = Fixtures.maps(Fixtures.oneHot(4, 0, 1, 2, 2), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Drift.between("clip", three, "clip-ft", four, rois, Hierarchy.standard()));
        assertTrue(e.getMessage().contains("clip has 3 layers and clip-ft 4"), e.getMessage());
        SelectorMaps fewer = Fixtures.maps(Fixtures.oneHot(3, 0, 1), null);
        e = assertThrows(IllegalArgumentException.class,
                () -> Drift.between("a", three, "b", fewer, rois, Hierarchy.standard()));
        assertTrue(e.getMessage().contains("same voxels"), e.getMessage());
    }
}
