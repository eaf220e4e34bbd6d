package org.brainalign.io.nifti.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.brainalign.io.nifti.NiftiDataType;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.io.nifti.NiftiSeries;
import org.brainalign.io.nifti.NiftiWriter;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing NIfTI files and reading them back: values and geometry must survive exactly. */
class NiftiWriterTest {

    @TempDir
    Path dir;

    /** An oblique affine: 2 x 2.5 x 3 mm voxels rotated 30 degrees about z, x flipped (LAS-like), shifted. */
    private static Affine oblique() {
        double c = Math.cos(Math.PI / 6);
        double s = Math.sin(Math.PI / 6);
        return Affine.ofRowMajor(-2 * c, -2.5 * s, 0, 40.5, -2 * s, 2.5 * c, 0, -60.25, 0, 0, 3, -20, 0, 0, 0, 1);
    }

    private static float f(double v) {
        return (float) v;
    }

    @Test
    void float32RoundTripIsExact() throws IOException {
        VolumeGrid grid = new VolumeGrid(new int[] { 7, 6, 5 }, oblique());
        float[] values = new float[grid.voxelCount() * 3];
        Random r = new Random(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) r.nextGaussian() * 1e3f;
        }
        values[5] = Float.NaN;
        Path out = dir.resolve("map.nii.gz");
        NiftiWriter.write(out, NiftiHeader.forGrid(grid, NiftiDataType.FLOAT32, 3), values);

        NiftiImage back = NiftiImage.read(out);
        assertArrayEquals(new int[] { 7, 6, 5, 3 }, back.shape());
        assertEquals(NiftiDataType.FLOAT32, back.header().dataType());
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits((float) back.get(i)));
        }
        // the sform is stored in float32: exactly the float-rounded affine
        Affine a = oblique();
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 4; col++) {
                assertEquals(f(a.get(row, col)), back.header().sform().get(row, col), 0.0);
            }
        }
        assertEquals(2, back.header().sformCode());
        assertEquals(2, back.header().qformCode());
        // this x-flipped rotation becomes a 180-degree quaternion (a = 0), which NIfTI-1 recovers from float32 b, c, d
        // as sqrt(1 - b^2 - c^2 - d^2): about sqrt(float32 epsilon) = 3.5e-4 of error, times the zooms
        assertTrue(back.header().qform().approxEquals(a, 3e-3), back.header().qform().toString());
        assertEquals(a.orientation(), back.header().orientation());
        assertEquals("mm", back.header().spaceUnit());
        // nothing but the result is left in the folder
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void theQformOfARotatedGridIsAccurate() throws IOException {
        double c = Math.cos(0.3);
        double s = Math.sin(0.3);
        Affine a = Affine.ofRowMajor(1.5 * c, 0, 2 * s, -10, 0, 1.8, 0, 12, -1.5 * s, 0, 2 * c, 7, 0, 0, 0, 1);
        Path out = dir.resolve("rot.nii");
        NiftiWriter.write(out, NiftiHeader.forGrid(new VolumeGrid(new int[] { 2, 2, 2 }, a), NiftiDataType.FLOAT32, 1),
                new float[8]);
        // away from 180 degrees the quaternion keeps float32 precision: 1e-6 relative, times zooms of about 2
        assertTrue(NiftiImage.read(out).header().qform().approxEquals(a, 1e-5));
    }

    @Test
    void derivedInt16KeepsTheSourceGeometry() throws IOException {
        NiftiImage src = NiftiImage.read(SharedData.nifti("functional.nii"));
        int[] shape = src.shape();
        int[] values = new int[(int) src.valueCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (int) src.raw(i);
        }
        Path out = dir.resolve("copy.nii");
        NiftiWriter.write(out, NiftiHeader.derived(src.header(), shape, NiftiDataType.INT16), values);
        NiftiImage back = NiftiImage.read(out);
        assertArrayEquals(shape, back.shape());
        assertEquals(NiftiDataType.INT16, back.header().dataType());
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], back.raw(i));
        }
        assertEquals(src.header().qformCode(), back.header().qformCode());
        assertEquals(src.header().sformCode(), back.header().sformCode());
        assertEquals(src.header().sform(), back.header().sform());
        assertEquals(src.header().qform(), back.header().qform());
        assertArrayEquals(src.header().pixdim(), back.header().pixdim());
        assertFalse(back.header().isScaled(), "scaling is reset: the values written are the values read");
    }

    @Test
    void uint8LabelMapOfTheAtlasRoundTrips() throws IOException {
        NiftiImage aal = NiftiImage.read(SharedData.nifti("aal.nii.gz"));
        int[] labels = aal.labels();
        Path out = dir.resolve("labels.nii.gz");
        NiftiWriter.write(out, NiftiHeader.derived(aal.header(), aal.header().spatialShape(), NiftiDataType.UINT8),
                labels);
        NiftiImage back = NiftiImage.read(out);
        assertArrayEquals(labels, back.labels());
        assertEquals(aal.grid(), back.grid());
        assertEquals(4, back.header().sformCode());
    }

    @Test
    void largeSizesAreWrittenAsNifti2() throws IOException {
        VolumeGrid grid = new VolumeGrid(new int[] { 40000, 2, 1 }, Affine.scaling(1, 2, 3));
        float[] values = new float[grid.voxelCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f;
        }
        Path out = dir.resolve("wide.nii");
        NiftiWriter.write(out, NiftiHeader.forGrid(grid, NiftiDataType.FLOAT32, 1), values);
        NiftiImage back = NiftiImage.read(out);
        assertEquals(2, back.header().version());
        assertEquals(544, back.header().voxOffset());
        assertArrayEquals(values, back.volume(0));
        assertEquals(grid.affine(), back.grid().affine());
    }

    @Test
    void aValueTheTypeCannotHoldLeavesNoFile() throws IOException {
        VolumeGrid grid = new VolumeGrid(new int[] { 2, 2, 2 }, Affine.identity());
        Path out = dir.resolve("labels.nii.gz");
        float[] values = { 0, 1, 2, 3, 300, 5, 6, 7 };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NiftiWriter.write(out, NiftiHeader.forGrid(grid, NiftiDataType.UINT8, 1), values));
        assertTrue(e.getMessage().contains("300"), e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "no file and no temporary file is left");
        }
    }

    @Test
    void streamingWriteThenMaskedExtraction() throws IOException {
        VolumeGrid grid = new VolumeGrid(new int[] { 9, 8, 7 }, Affine.scaling(2, 2, 2));
        int volumes = 11;
        Path out = dir.resolve("series.nii.gz");
        short[][] data = new short[volumes][grid.voxelCount()];
        Random r = new Random(7);
        try (NiftiWriter w = NiftiWriter.create(out, NiftiHeader.forGrid(grid, NiftiDataType.INT16, volumes))) {
            for (short[] v : data) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (short) (r.nextInt(65536) - 32768);
                }
                w.writeVolume(v);
            }
            assertFalse(Files.exists(out), "the final name appears only on commit");
            w.commit();
        }
        int[] mask = { 0, 17, 100, 503, grid.voxelCount() - 1 };
        float[][] m = NiftiSeries.extract(out, mask, null);
        assertEquals(volumes, m.length);
        for (int t = 0; t < volumes; t++) {
            for (int n = 0; n < mask.length; n++) {
                assertEquals(data[t][mask[n]], m[t][n]);
            }
        }
    }

    @Test
    void anUnfinishedWriteLeavesNothing() throws IOException {
        VolumeGrid grid = new VolumeGrid(new int[] { 3, 3, 3 }, Affine.identity());
        Path out = dir.resolve("partial.nii");
        try (NiftiWriter w = NiftiWriter.create(out, NiftiHeader.forGrid(grid, NiftiDataType.FLOAT32, 4))) {
            w.writeVolume(new float[27]);
            assertThrows(IllegalStateException.class, w::commit);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
