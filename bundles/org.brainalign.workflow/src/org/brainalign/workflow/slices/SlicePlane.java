package org.brainalign.workflow.slices;

/**
 * A slice plane is one of the three views of a volume in world orientation, named by the anatomical plane it cuts:
 * axial (seen from above or below, anterior at the top), coronal (from the front or back, superior at the top) and
 * sagittal (from the side, superior at the top, anterior on the left). The radiological and neurological conventions
 * decide which side of the screen the subject's right is on in axial and coronal slices.
 */
public enum SlicePlane {

    /** Cuts across the S axis: R-L across the screen, A at the top. */
    AXIAL("Axial", 2, 0, 1),
    /** Cuts across the A axis: R-L across the screen, S at the top. */
    CORONAL("Coronal", 1, 0, 2),
    /** Cuts across the R axis: A on the left, S at the top. */
    SAGITTAL("Sagittal", 0, 1, 2);

    private static final String[] NEGATIVE = { "L", "P", "I" };
    private static final String[] POSITIVE = { "R", "A", "S" };

    private final String label;
    private final int normal;
    private final int horizontal;
    private final int vertical;

    SlicePlane(String label, int normal, int horizontal, int vertical) {
        this.label = label;
        this.normal = normal;
        this.horizontal = horizontal;
        this.vertical = vertical;
    }

    /** @return the plane's name, e.g. "Axial" */
    public String label() {
        return label;
    }

    /** @return the canonical axis the plane cuts across (the slice number runs along it) */
    public int normal() {
        return normal;
    }

    /** @return the canonical axis shown across the screen */
    public int horizontal() {
        return horizontal;
    }

    /** @return the canonical axis shown up the screen (it always grows upwards) */
    public int vertical() {
        return vertical;
    }

    /**
     * @param radiological whether the radiological convention is in use
     * @return whether the horizontal axis grows towards the left of the screen
     */
    public boolean horizontalReversed(boolean radiological) {
        // sagittal slices face left (anterior on the left) in either convention
        return this == SAGITTAL || radiological;
    }

    /**
     * The orientation letters at the four edges of the slice on screen.
     *
     * @param radiological whether the radiological convention is in use
     * @return the letters at the left, right, top and bottom edges, e.g. {"R", "L", "A", "P"} for a radiological
     *         axial slice
     */
    public String[] letters(boolean radiological) {
        boolean reversed = horizontalReversed(radiological);
        return new String[] { reversed ? POSITIVE[horizontal] : NEGATIVE[horizontal],
                reversed ? NEGATIVE[horizontal] : POSITIVE[horizontal], POSITIVE[vertical], NEGATIVE[vertical] };
    }
}
