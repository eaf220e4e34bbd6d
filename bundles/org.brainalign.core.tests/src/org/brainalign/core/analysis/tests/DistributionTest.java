package org.brainalign.core.analysis.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.brainalign.core.analysis.Distribution;
import org.junit.jupiter.api.Test;

/** Distribution statistics against numpy's. */
public class DistributionTest {

    @Test
    public void matchesNumpy() {
        // numpy 2.4: percentile([3,1,4,1,5,9,2,6], [25,50,75]) = [1.75, 3.5, 5.25]; std = 2.5708704751503917
        Distribution d = Distribution.of(new double[] { 3, 1, Double.NaN, 4, 1, 5, 9, 2, 6, Double.POSITIVE_INFINITY });
        assertEquals(8, d.count());
        assertEquals(3.875, d.mean(), 1e-15);
        assertEquals(2.5708704751503917, d.sd(), 1e-14);
        assertEquals(1, d.min());
        assertEquals(1.75, d.q1(), 1e-15);
        assertEquals(3.5, d.median(), 1e-15);
        assertEquals(5.25, d.q3(), 1e-15);
        assertEquals(9, d.max());
        assertEquals(3.5, d.iqr(), 1e-15);
    }

    @Test
    public void positionsSelectValues() {
        Distribution d = Distribution.of(new double[] { 10, 20, 30, 40 }, new int[] { 3, 1 });
        assertEquals(2, d.count());
        assertEquals(30, d.mean());
        assertEquals(30, d.median());
        assertEquals(10, d.sd());
    }

    @Test
    public void noFiniteValueGivesNaN() {
        Distribution d = Distribution.of(new double[] { Double.NaN });
        assertEquals(0, d.count());
        assertTrue(Double.isNaN(d.mean()) && Double.isNaN(d.median()) && Double.isNaN(d.sd()));
        Distribution one = Distribution.of(new double[] { 7 });
        assertEquals(7, one.q1());
        assertEquals(7, one.q3());
        assertEquals(0, one.sd());
    }
}
