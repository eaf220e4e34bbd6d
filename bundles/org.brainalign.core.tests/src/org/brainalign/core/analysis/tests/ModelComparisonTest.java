package org.brainalign.core.analysis.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.brainalign.core.analysis.Hierarchy;
import org.brainalign.core.analysis.ModelComparison;
import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.core.data.Roi;
import org.junit.jupiter.api.Test;

/** A comparison table of fits with different layer counts and ROIs. */
public class ModelComparisonTest {

    @Test
    public void rowsPerFitAndRoiColumnsInOrderOfAppearance() {
        // fit a: L = 3, V1 depth 0, FFA depth 1; fit b: L = 5, V1 depth 0.25, PPA depth 0.75
        SelectorSummary a = SelectorSummary.of("a", Fixtures.maps(Fixtures.oneHot(3, 0, 2),
                new float[] { 0.2f, 0.4f }),
                List.of(new Roi("V1", new int[] { 0 }), new Roi("FFA", new int[] { 1 })), Hierarchy.standard());
        SelectorSummary b = SelectorSummary.of("b", Fixtures.maps(Fixtures.oneHot(5, 1, 3, 3), null),
                List.of(new Roi("V1", new int[] { 0 }), new Roi("PPA", new int[] { 1, 2 })), Hierarchy.standard());
        ModelComparison c = ModelComparison.of(List.of(a, b));
        assertEquals(List.of("V1", "FFA", "PPA"), c.roiNames());
        ModelComparison.Row ra = c.rows().get(0);
        assertEquals(3, ra.layers());
        assertEquals(1, ra.slope(), 1e-15);
        assertEquals(0, ra.b0(), 1e-15);
        assertEquals(1, ra.b1(), 1e-15);
        assertEquals(0.3, ra.meanScore(), 1e-7); // mean of float32 0.2 and 0.4
        assertTrue(Double.isNaN(ra.meanDepth("PPA")));
        ModelComparison.Row rb = c.rows().get(1);
        assertEquals(5, rb.layers());
        assertEquals(0.5, rb.slope(), 1e-15);
        assertEquals(0.25, rb.b0(), 1e-15);
        assertEquals(0.75, rb.meanDepth("PPA"), 1e-15);
        assertTrue(Double.isNaN(rb.meanScore()));
    }
}
