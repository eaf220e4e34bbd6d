package org.brainalign.core.analysis.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.brainalign.core.analysis.Alignment;
import org.brainalign.core.analysis.Hierarchy;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.data.Roi;
import org.junit.jupiter.api.Test;

/** The alignment line against exact lines, scipy's regression, and hand-made ROIs. */
public class AlignmentTest {

    @Test
    public void pointsOnALineRecoverItsSlopeAndIntercept() {
        Random random = new Random(11);
        double slope = 0.61;
        double b0 = 0.13;
        double[] t = new double[500];
        double[] d = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = random.nextInt(5) / 4.0;
            d[i] = b0 + slope * t[i];
        }
        Alignment a = Alignment.leastSquares(t, d);
        // each depth carries one rounding (~1e-17); centred sums keep the fit within a few ulps of 1
        assertEquals(slope, a.slope(), 1e-12);
        assertEquals(b0, a.b0(), 1e-12);
        assertEquals(b0 + slope, a.b1(), 1e-12);
        assertEquals(1, a.rSquared(), 1e-12);
        assertEquals(500, a.n());
        assertEquals(b0 + slope * 0.3, a.at(0.3), 1e-12);
    }

    @Test
    public void noisyPointsMatchScipy() {
        // scipy.stats.linregress (scipy 1.17): slope 0.6387096774193549, intercept 0.14516129032258057,
        // rvalue^2 0.9558920342330481
        double[] t = { 0, 0, 0, .5, .5, 1, 1, 1, 1 };
        double[] d = { .1, .2, .15, .4, .5, .7, .9, .8, .75 };
        Alignment a = Alignment.leastSquares(t, d);
        assertEquals(0.6387096774193549, a.slope(), 1e-14);
        assertEquals(0.14516129032258057, a.b0(), 1e-14);
        assertEquals(0.9558920342330481, a.rSquared(), 1e-14);
    }

    @Test
    public void voxelsOfPlacedRoisAreFitted() {
        // L = 5 one-hot: depths 0.25 (V1), 0.5 (hV4, 0.5), 0.75 (FFA): depth = 0.25 + 0.5 t exactly
        SelectorMaps maps = Fixtures.maps(Fixtures.oneHot(5, 1, 1, 2, 3, 3, 3, 0), null);
        List<Roi> rois = List.of(new Roi("V1", new int[] { 0, 1 }), new Roi("hV4", new int[] { 2 }),
                new Roi("FFA", new int[] { 3, 4, 5 }), new Roi("RSC", new int[] { 6 }));
        Alignment a = Alignment.fit(maps, rois, Hierarchy.standard());
        assertEquals(0.5, a.slope(), 1e-15);
        assertEquals(0.25, a.b0(), 1e-15);
        assertEquals(0.75, a.b1(), 1e-15);
        assertEquals(6, a.n(), "RSC is not on the hierarchy");
        assertEquals(3, a.points().size());
        assertEquals(new Alignment.RoiPoint("FFA", 1, 3, 0.75), a.points().get(2));
    }

    @Test
    public void aVoxelInTwoPlacedRoisCountsTwice() {
        SelectorMaps maps = Fixtures.maps(Fixtures.oneHot(2, 0, 1), null);
        Alignment a = Alignment.fit(maps,
                List.of(new Roi("V1", new int[] { 0, 1 }), new Roi("FFA", new int[] { 1 })), Hierarchy.standard());
        // points (0,0), (0,1), (1,1): slope 0.5, b0 0.5, residuals -0.5, 0.5, 0: R^2 = 1 - 0.5 / (2/3)
        assertEquals(3, a.n());
        assertEquals(0.5, a.slope(), 1e-15);
        assertEquals(0.5, a.b0(), 1e-15);
        assertEquals(0.25, a.rSquared(), 1e-15);
    }

    @Test
    public void oneStageLeavesTheLineUndefined() {
        SelectorMaps maps = Fixtures.maps(Fixtures.oneHot(3, 0, 2), null);
        Alignment a = Alignment.fit(maps, List.of(new Roi("V1", new int[] { 0, 1 })), Hierarchy.standard());
        assertFalse(a.isDefined());
        assertTrue(Double.isNaN(a.b0()) && Double.isNaN(a.b1()) && Double.isNaN(a.rSquared()));
        assertEquals(2, a.n());
        Alignment none = Alignment.leastSquares(new double[0], new double[0]);
        assertEquals(0, none.n());
        assertFalse(none.isDefined());
    }
}
