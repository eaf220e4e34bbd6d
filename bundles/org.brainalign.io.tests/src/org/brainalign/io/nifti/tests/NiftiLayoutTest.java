package org.brainalign.io.nifti.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.brainalign.core.Affine;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File layouts and header rules the shared files do not cover: .hdr/.img pairs (plain and gzipped), a qform code of 0
 * with a garbage quaternion, the qform used when only it is coded, and the on-disk values the README gives.
 */
class NiftiLayoutTest {

    @TempDir
    Path dir;

    /** Splits anatomical.nii (big-endian) into a pair by the standard's layout: magic "ni1", data at offset 0. */
    private void makePair(String hdrName, String imgName) throws IOException {
        HeaderBytes h = HeaderBytes.of(SharedData.nifti("anatomical.nii"));
        byte[] all = h.bytes();
        byte[] header = java.util.Arrays.copyOf(all, 348);
        HeaderBytes edited = HeaderBytes.of(writeTemp(header));
        edited.putText(344, "ni1\0").putFloat(108, 0f);
        HeaderBytes.write(dir.resolve(hdrName), edited.bytes(), 0, 348);
        HeaderBytes.write(dir.resolve(imgName), all, 352, all.length - 352);
    }

    private Path writeTemp(byte[] b) throws IOException {
        Path p = dir.resolve("scratch.bin");
        java.nio.file.Files.write(p, b);
        return p;
    }

    @Test
    void pairsReadLikeTheSingleFile() throws IOException {
        NiftiImage single = NiftiImage.read(SharedData.nifti("anatomical.nii"));
        makePair("a.hdr", "a.img");
        makePair("b.hdr.gz", "b.img.gz");
        for (Path p : new Path[] { dir.resolve("a.hdr"), dir.resolve("a.img"), dir.resolve("b.hdr.gz"),
                dir.resolve("b.img.gz") }) {
            NiftiImage pair = NiftiImage.read(p);
            assertTrue(pair.header().isPair());
            assertEquals(0, pair.header().voxOffset());
            assertArrayEquals(single.toDoubleArray(), pair.toDoubleArray(), 0.0, p.toString());
            assertEquals(single.grid(), pair.grid());
        }
    }

    @Test
    void aGarbageQuaternionIsIgnoredWhenTheQformCodeIsZero() throws IOException {
        // standard.nii.gz: qform 0, sform 2. Zero the sform code too and fill the quaternion with nonsense.
        HeaderBytes h = HeaderBytes.of(SharedData.nifti("standard.nii.gz"));
        h.putShort(252, 0).putShort(254, 0).putFloat(256, 5f).putFloat(260, -7f).putFloat(264, 9f);
        Path p = dir.resolve("garbage.nii");
        h.write(p);
        NiftiHeader header = NiftiImage.read(p).header();
        // shape 4 x 5 x 7, pixdim 1, 3, 2: x flipped, origin at the centre ((n - 1) / 2 voxels)
        Affine expected = Affine.ofRowMajor(-1, 0, 0, 1.5, 0, 3, 0, -6, 0, 0, 2, -6);
        assertEquals(expected, header.affine());
        assertEquals("pixdim", header.affineSource());
        assertEquals("LAS", header.orientation());
    }

    @Test
    void theQformIsUsedWhenOnlyItIsCoded() throws IOException {
        // quaternion (b, c, d) = (0, 0, 1): 180 degrees about z; pixdim 1, 3, 2; qfac -1 flips k
        HeaderBytes h = HeaderBytes.of(SharedData.nifti("standard.nii.gz"));
        h.putShort(252, 1).putShort(254, 0).putFloat(256, 0f).putFloat(260, 0f).putFloat(264, 1f);
        h.putFloat(268, 10f).putFloat(272, 20f).putFloat(276, 30f).putFloat(76, -1f);
        Path p = dir.resolve("q.nii.gz");
        h.write(p);
        NiftiHeader header = NiftiImage.read(p).header();
        Affine expected = Affine.ofRowMajor(-1, 0, 0, 10, 0, -3, 0, 20, 0, 0, -2, 30);
        assertTrue(header.affine().approxEquals(expected, 1e-12), header.affine().toString());
        assertEquals("qform", header.affineSource());
        assertEquals("LPI", header.orientation());
    }

    @Test
    void onDiskScalingAndOffsetsAreThoseTheReadmeGives() throws IOException {
        NiftiHeader functional = NiftiImage.read(SharedData.nifti("functional.nii")).header();
        // README: scl_slope 0.0754 / scl_inter 3100.76 (rounded there)
        assertEquals(0.0754, functional.sclSlope(), 5e-5);
        assertEquals(3100.76, functional.sclInter(), 5e-3);
        assertTrue(functional.isScaled());
        NiftiHeader ext = NiftiImage.read(SharedData.nifti("example4d.nii.gz")).header();
        assertEquals(416, ext.voxOffset(), "README: header extension, vox_offset 416");
        // the file's bytes hold two comment extensions (code 6) of 32 bytes each: 352 + 64 = 416
        assertEquals(2, ext.extensions().size());
        assertEquals(6, ext.extensions().get(0).code());
        assertEquals(32, ext.extensions().get(1).size());
    }
}
