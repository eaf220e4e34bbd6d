package org.brainalign.io.nifti;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.brainalign.io.DataFormatException;

/**
 * The NIfTI-1 layout: 348 bytes of 16-bit sizes and 32-bit floats, the magic "n+1" (single file) or "ni1" (pair)
 * at byte 344. Field offsets follow nifti1.h.
 */
final class Nifti1Codec extends NiftiCodec {

    Nifti1Codec() {
        super(1, NiftiHeader.NIFTI1_SIZE);
    }

    @Override
    void decode(ByteBuffer b, Path file, NiftiHeader h) throws DataFormatException {
        String magic = new String(bytes(b, 344, 4), StandardCharsets.ISO_8859_1);
        if (magic.equals("n+1\0")) {
            h.pair = false;
        } else if (magic.equals("ni1\0")) {
            h.pair = true;
        } else {
            throw DataFormatException.of(file, "has the wrong magic '" + printable(magic)
                    + "' for a NIfTI-1 header (expected 'n+1' or 'ni1'); Analyze 7.5 files are not read");
        }
        h.dimInfo = b.get(39) & 0xFF;
        for (int i = 0; i < 8; i++) {
            h.dim[i] = b.getShort(40 + 2 * i);
            h.pixdim[i] = b.getFloat(76 + 4 * i);
        }
        for (int i = 0; i < 3; i++) {
            h.intentParams[i] = b.getFloat(56 + 4 * i);
        }
        h.intentCode = b.getShort(68);
        h.datatypeCode = b.getShort(70);
        h.bitpix = b.getShort(72);
        h.sliceStart = b.getShort(74);
        float vox = b.getFloat(108);
        if (!Float.isFinite(vox) || vox < 0 || vox != Math.rint(vox)) {
            throw DataFormatException.of(file, "has an unusable vox_offset " + vox + " in its NIfTI header");
        }
        h.voxOffset = (long) vox;
        h.sclSlope = b.getFloat(112);
        h.sclInter = b.getFloat(116);
        h.sliceEnd = b.getShort(120);
        h.sliceCode = b.get(122) & 0xFF;
        h.xyztUnits = b.get(123) & 0xFF;
        h.calMax = b.getFloat(124);
        h.calMin = b.getFloat(128);
        h.sliceDuration = b.getFloat(132);
        h.toffset = b.getFloat(136);
        h.descrip = text(b, 148, 80);
        h.auxFile = text(b, 228, 24);
        h.qformCode = b.getShort(252);
        h.sformCode = b.getShort(254);
        for (int i = 0; i < 3; i++) {
            h.quatern[i] = b.getFloat(256 + 4 * i);
            h.qoffset[i] = b.getFloat(268 + 4 * i);
        }
        for (int i = 0; i < 12; i++) {
            h.srow[i] = b.getFloat(280 + 4 * i);
        }
        h.intentName = text(b, 328, 16);
    }

    @Override
    void encode(NiftiHeader h, ByteBuffer b) {
        b.put(38, (byte) 'r');
        b.put(39, (byte) h.dimInfo);
        for (int i = 0; i < 8; i++) {
            b.putShort(40 + 2 * i, (short) h.dim[i]);
            b.putFloat(76 + 4 * i, (float) h.pixdim[i]);
        }
        for (int i = 0; i < 3; i++) {
            b.putFloat(56 + 4 * i, (float) h.intentParams[i]);
        }
        b.putShort(68, (short) h.intentCode);
        b.putShort(70, (short) h.datatypeCode);
        b.putShort(72, (short) h.bitpix);
        b.putShort(74, (short) h.sliceStart);
        b.putFloat(108, h.voxOffset);
        b.putFloat(112, (float) h.sclSlope);
        b.putFloat(116, (float) h.sclInter);
        b.putShort(120, (short) h.sliceEnd);
        b.put(122, (byte) h.sliceCode);
        b.put(123, (byte) h.xyztUnits);
        b.putFloat(124, (float) h.calMax);
        b.putFloat(128, (float) h.calMin);
        b.putFloat(132, (float) h.sliceDuration);
        b.putFloat(136, (float) h.toffset);
        putText(b, 148, 80, h.descrip);
        putText(b, 228, 24, h.auxFile);
        b.putShort(252, (short) h.qformCode);
        b.putShort(254, (short) h.sformCode);
        for (int i = 0; i < 3; i++) {
            b.putFloat(256 + 4 * i, (float) h.quatern[i]);
            b.putFloat(268 + 4 * i, (float) h.qoffset[i]);
        }
        for (int i = 0; i < 12; i++) {
            b.putFloat(280 + 4 * i, (float) h.srow[i]);
        }
        putText(b, 328, 16, h.intentName);
        putText(b, 344, 4, "n+1");
    }
}
