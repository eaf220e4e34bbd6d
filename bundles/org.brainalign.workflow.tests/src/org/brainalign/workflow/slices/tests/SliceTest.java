package org.brainalign.workflow.slices.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.testing.SharedData;
import org.brainalign.workflow.slices.Reorientation;
import org.brainalign.workflow.slices.Slice;
import org.brainalign.workflow.slices.SlicePlane;
import org.junit.jupiter.api.Test;

/**
 * Slices in world orientation: which file voxel each screen pixel shows, worked out by hand from the orientation
 * codes (anatomical.nii is LAS, aal.nii.gz RAS), and the letters at the edges.
 */
public class SliceTest {

    @Test
    public void lettersFollowTheConvention() {
        assertArrayEquals(new String[] { "L", "R", "A", "P" }, SlicePlane.AXIAL.letters(false));
        assertArrayEquals(new String[] { "R", "L", "A", "P" }, SlicePlane.AXIAL.letters(true));
        assertArrayEquals(new String[] { "L", "R", "S", "I" }, SlicePlane.CORONAL.letters(false));
        assertArrayEquals(new String[] { "R", "L", "S", "I" }, SlicePlane.CORONAL.letters(true));
        assertArrayEquals(new String[] { "A", "P", "S", "I" }, SlicePlane.SAGITTAL.letters(false));
        assertArrayEquals(new String[] { "A", "P", "S", "I" }, SlicePlane.SAGITTAL.letters(true));
    }

    @Test
    public void lasAxialSliceShowsLeftOnTheLeftInNeurologicalConvention() throws IOException {
        NiftiImage image = NiftiImage.read(SharedData.nifti("anatomical.nii"));
        Reorientation r = Reorientation.of(image.grid());
        int k = 12;
        Slice neuro = Slice.of(r, SlicePlane.AXIAL, k, false);
        Slice radio = Slice.of(r, SlicePlane.AXIAL, k, true);
        assertEquals(33, neuro.width());
        assertEquals(41, neuro.height());
        assertEquals(2.0, neuro.pixelWidth(), 1e-6);
        for (int row = 0; row < 41; row += 5) {
            for (int col = 0; col < 33; col += 4) {
                // i grows towards L: the screen's left (L in neurological) is i = 32; the top (A) is j = 40
                assertEquals(image.get(32 - col, 40 - row, k), value(image, neuro, col, row), 0);
                assertEquals(image.get(col, 40 - row, k), value(image, radio, col, row), 0);
            }
        }
    }

    @Test
    public void rasCoronalAndSagittalSlicesOfAal() throws IOException {
        NiftiImage image = NiftiImage.read(SharedData.nifti("aal.nii.gz"));
        Reorientation r = Reorientation.of(image.grid());
        Slice coronal = Slice.of(r, SlicePlane.CORONAL, 100, false);
        Slice sagittal = Slice.of(r, SlicePlane.SAGITTAL, 70, false);
        assertEquals(181, coronal.width());
        assertEquals(181, coronal.height());
        assertEquals(217, sagittal.width());
        for (int row = 0; row < 181; row += 7) {
            for (int col = 0; col < 181; col += 9) {
                // RAS: i grows towards R (the right of a neurological slice), k towards S (the top)
                assertEquals(image.get(col, 100, 180 - row), value(image, coronal, col, row), 0);
            }
            for (int col = 0; col < 217; col += 9) {
                // sagittal slices put A on the left: j = 216 at column 0
                assertEquals(image.get(70, 216 - col, 180 - row), value(image, sagittal, col, row), 0);
            }
        }
    }

    @Test
    public void pixelsAndCanonicalVoxelsCorrespond() throws IOException {
        NiftiImage image = NiftiImage.read(SharedData.nifti("anatomical.nii"));
        Reorientation r = Reorientation.of(image.grid());
        for (boolean radiological : new boolean[] { false, true }) {
            for (SlicePlane plane : SlicePlane.values()) {
                Slice s = Slice.of(r, plane, 7, radiological);
                for (int[] px : new int[][] { { 0, 0 }, { s.width() - 1, 3 }, { 5, s.height() - 1 } }) {
                    int[] c = s.canonical(px[0], px[1]);
                    assertEquals(7, c[plane.normal()]);
                    assertArrayEquals(px, s.pixel(c));
                    assertEquals(r.fileIndex(c), s.voxels()[px[1] * s.width() + px[0]]);
                }
            }
        }
    }

    @Test
    public void anotherGridIsSampledByWorldPosition() {
        // own grid: 1 mm RAS; other: 2 mm voxels, LAS, covering the same field
        VolumeGrid own = new VolumeGrid(new int[] { 8, 8, 8 }, Affine.identity());
        VolumeGrid other = new VolumeGrid(new int[] { 4, 4, 4 },
                Affine.ofRowMajor(-2, 0, 0, 7, 0, 2, 0, 0, 0, 0, 2, 0));
        Reorientation r = Reorientation.of(own);
        Slice s = Slice.of(r, SlicePlane.AXIAL, 2, false);
        int[] in = s.voxelsIn(own, r.canonicalAffine(), other);
        // pixel (col 6, row 7) is world (6, 0, 2): other voxel i = (7 - 6) / 2 = 0.5 -> rounds to 1 (half up), j 0, k 1
        assertEquals(other.index(1, 0, 1), in[7 * 8 + 6]);
        // world (0, 7, 2): i = 3.5 -> 4 is outside the other grid
        assertEquals(-1, in[0]);
        assertEquals(s.voxels(), s.voxelsIn(own, r.canonicalAffine(), own));
    }

    private static double value(NiftiImage image, Slice s, int col, int row) {
        return image.get(s.voxels()[row * s.width() + col]);
    }
}
