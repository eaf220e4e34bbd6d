package org.brainalign.io.nifti.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import org.brainalign.io.nifti.NiftiDataType;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.io.nifti.NiftiSeries;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every readable datatype and the scaling rule, on files assembled here byte by byte: the header of
 * standard.nii.gz (4 x 5 x 7, little-endian) with its datatype and bitpix changed, followed by values encoded with
 * java.nio in both byte orders, not by the code under test.
 */
class NiftiDatatypeTest {

    private static final int N = 140;

    @TempDir
    Path dir;

    /** The value of voxel i for each type: covers negative numbers and the top of unsigned ranges. */
    private static double expected(NiftiDataType t, int i) {
        return switch (t) {
            case UINT8 -> 255 - i;
            case INT8 -> i - 70;
            case INT16 -> (i - 70) * 300;
            case UINT16 -> 65535 - i * 400;
            case INT32 -> (i - 70) * 15_000_000;
            case UINT32 -> 4_294_967_295L - i * 20_000_000L;
            case INT64 -> (i - 70) * 1_000_000_000_000L;
            case UINT64 -> i * 1_000_000_000_000L;
            case FLOAT32 -> (float) ((i - 70) / 3.0);
            case FLOAT64 -> (i - 70) / 3.0;
            case RGB24 -> (i << 16) | ((255 - i) << 8) | (i * 7 % 256);
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    private static void encode(ByteBuffer b, NiftiDataType t, int i) {
        double v = expected(t, i);
        switch (t) {
            case UINT8, INT8 -> b.put((byte) (long) v);
            case INT16, UINT16 -> b.putShort((short) (long) v);
            case INT32, UINT32 -> b.putInt((int) (long) v);
            case INT64, UINT64 -> b.putLong((long) v);
            case FLOAT32 -> b.putFloat((float) v);
            case FLOAT64 -> b.putDouble(v);
            case RGB24 -> b.put((byte) (i)).put((byte) (255 - i)).put((byte) (i * 7 % 256));
            default -> throw new IllegalArgumentException(t.toString());
        }
    }

    private Path file(NiftiDataType t, boolean bigEndian, float slope, float inter) throws IOException {
        HeaderBytes h = HeaderBytes.of(SharedData.nifti("standard.nii.gz"));
        byte[] header = java.util.Arrays.copyOf(h.bytes(), 352);
        ByteBuffer hb = ByteBuffer.wrap(header).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        if (bigEndian) { // re-encode the fields the reader needs in big-endian order
            ByteBuffer le = ByteBuffer.wrap(h.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            hb.putInt(0, 348);
            for (int d = 0; d < 8; d++) {
                hb.putShort(40 + 2 * d, le.getShort(40 + 2 * d));
                hb.putFloat(76 + 4 * d, le.getFloat(76 + 4 * d));
            }
            hb.putFloat(108, 352f);
            for (int k = 0; k < 12; k++) {
                hb.putFloat(280 + 4 * k, le.getFloat(280 + 4 * k));
            }
            hb.putShort(254, le.getShort(254));
        }
        hb.putShort(70, (short) t.code()).putShort(72, (short) t.bitpix());
        hb.putFloat(112, slope).putFloat(116, inter);
        ByteBuffer data = ByteBuffer.allocate(352 + N * t.bytes()).order(hb.order());
        data.put(header);
        for (int i = 0; i < N; i++) {
            encode(data, t, i);
        }
        Path p = dir.resolve(t.numpyName() + (bigEndian ? "_be" : "_le") + ".nii");
        java.nio.file.Files.write(p, data.array());
        return p;
    }

    @Test
    void everyReadableTypeInBothByteOrders() throws IOException {
        for (NiftiDataType t : new NiftiDataType[] { NiftiDataType.UINT8, NiftiDataType.INT8, NiftiDataType.INT16,
                NiftiDataType.UINT16, NiftiDataType.INT32, NiftiDataType.UINT32, NiftiDataType.INT64,
                NiftiDataType.UINT64, NiftiDataType.FLOAT32, NiftiDataType.FLOAT64, NiftiDataType.RGB24 }) {
            for (boolean big : new boolean[] { false, true }) {
                Path p = file(t, big, 1f, 0f);
                NiftiImage image = NiftiImage.read(p);
                assertEquals(t, image.header().dataType());
                for (int i = 0; i < N; i++) {
                    assertEquals(expected(t, i), image.get(i), 0.0, p.getFileName() + " voxel " + i);
                }
                try (NiftiSeries s = NiftiSeries.open(p)) {
                    double[] v = new double[N];
                    s.next(v);
                    assertEquals(expected(t, 77), v[77], 0.0, "streamed " + p.getFileName());
                }
            }
        }
    }

    @Test
    void scalingAppliesUnlessTheSlopeIsZeroOrNaN() throws IOException {
        NiftiImage scaled = NiftiImage.read(file(NiftiDataType.INT16, false, 0.5f, -3f));
        assertEquals(expected(NiftiDataType.INT16, 9) * 0.5 - 3, scaled.get(9), 0.0);
        NiftiImage zero = NiftiImage.read(file(NiftiDataType.INT16, true, 0f, 100f));
        assertEquals(expected(NiftiDataType.INT16, 9), zero.get(9), 0.0);
        NiftiImage nan = NiftiImage.read(file(NiftiDataType.INT16, false, Float.NaN, 100f));
        assertEquals(expected(NiftiDataType.INT16, 9), nan.get(9), 0.0);
        float[] masked = new float[1];
        try (NiftiSeries s = NiftiSeries.open(file(NiftiDataType.UINT8, false, 2f, 1f))) {
            s.next(new int[] { 10 }, masked);
        }
        assertEquals(expected(NiftiDataType.UINT8, 10) * 2 + 1, masked[0]);
    }
}
