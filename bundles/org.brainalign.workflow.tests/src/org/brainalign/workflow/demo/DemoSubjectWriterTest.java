package org.brainalign.workflow.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The demo's own bilinear sampler against closed-form values of grid_sample's rules (align_corners false: cell k's
 * centre sits at -1 + (2k + 1) / g; neighbours outside the grid count as zero). The sampler plants the truth the
 * engine must recover, so it is checked here on its own, not against the engine.
 */
public class DemoSubjectWriterTest {

    /** Arithmetic in doubles on float inputs of a few units: 1e-12 leaves room only for rounding. */
    private static final double EPS = 1e-12;

    private static final int G = 4;

    /** A g x g plane, row-major, stored after {@code offset} unrelated values that must never be read. */
    private static float[] plane(int offset, java.util.function.IntBinaryOperator value) {
        float[] v = new float[offset + G * G];
        java.util.Arrays.fill(v, 0, offset, 1000f);
        for (int row = 0; row < G; row++) {
            for (int col = 0; col < G; col++) {
                v[offset + row * G + col] = value.applyAsInt(row, col);
            }
        }
        return v;
    }

    private static double centre(int k) {
        return -1 + (2.0 * k + 1) / G;
    }

    @Test
    public void cellCentresReturnTheCell() {
        float[] v = plane(7, (row, col) -> 10 * row + col + 1);
        for (int row = 0; row < G; row++) {
            for (int col = 0; col < G; col++) {
                assertEquals(10 * row + col + 1, DemoSubjectWriter.sample(v, 7, G, centre(col), centre(row)), EPS,
                        "x selects the column, y the row");
            }
        }
    }

    @Test
    public void insideTheGridALinearPlaneIsReproducedExactly() {
        // bilinear interpolation is exact for a + b col + c row; in pixel units ix = ((x + 1) g - 1) / 2
        float[] v = plane(3, (row, col) -> 5 + 2 * col - 3 * row);
        double[][] points = { { -0.6, 0.1 }, { 0.37, -0.74 }, { 0.7, 0.7 }, { -0.75, -0.75 }, { 0.0, 0.0 } };
        for (double[] p : points) {
            double ix = ((p[0] + 1) * G - 1) / 2, iy = ((p[1] + 1) * G - 1) / 2;
            assertEquals(5 + 2 * ix - 3 * iy, DemoSubjectWriter.sample(v, 3, G, p[0], p[1]), EPS);
        }
    }

    @Test
    public void halfwayBetweenFourCellsIsTheirMean() {
        float[] v = plane(0, (row, col) -> (row * 7 + col * 3) % 5);
        double x = (centre(1) + centre(2)) / 2, y = (centre(2) + centre(3)) / 2;
        double mean = (v[2 * G + 1] + v[2 * G + 2] + v[3 * G + 1] + v[3 * G + 2]) / 4.0;
        assertEquals(mean, DemoSubjectWriter.sample(v, 0, G, x, y), EPS);
    }

    @Test
    public void neighboursOutsideTheGridCountAsZero() {
        float[] v = plane(5, (row, col) -> 1 + row + col);
        // the image's left edge x = -1 lies half a cell left of column 0's centre: half of column 0, half of zero
        assertEquals(0.5 * v[5 + 2 * G], DemoSubjectWriter.sample(v, 5, G, -1, centre(2)), EPS);
        // the right edge: half of the last column
        assertEquals(0.5 * v[5 + G + G - 1], DemoSubjectWriter.sample(v, 5, G, 1, centre(1)), EPS);
        // the top-left corner: a quarter of cell (0, 0)
        assertEquals(0.25 * v[5], DemoSubjectWriter.sample(v, 5, G, -1, -1), EPS);
        // a whole cell beyond the bottom edge: only zeros
        assertEquals(0, DemoSubjectWriter.sample(v, 5, G, centre(1), 1 + 1.0 / G), EPS);
        // a quarter of a cell past the right edge: three quarters of zero, one quarter of the last column
        double x = 1 + 0.5 / G;
        assertEquals(0.25 * v[5 + G - 1], DemoSubjectWriter.sample(v, 5, G, x, centre(0)), EPS);
    }
}
