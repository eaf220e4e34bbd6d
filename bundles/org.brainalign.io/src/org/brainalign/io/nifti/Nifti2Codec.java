package org.brainalign.io.nifti;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.brainalign.io.DataFormatException;

/**
 * The NIfTI-2 layout: 540 bytes of 64-bit sizes and doubles, the magic "n+2" or "ni2" at byte 4 followed by
 * \r\n\032\n, which catches files mangled by text-mode transfers. Field offsets follow nifti2.h.
 */
final class Nifti2Codec extends NiftiCodec {

    Nifti2Codec() {
        super(2, NiftiHeader.NIFTI2_SIZE);
    }

    @Override
    void decode(ByteBuffer b, Path file, NiftiHeader h) throws DataFormatException {
        byte[] m = bytes(b, 4, 8);
        String magic = new String(m, 0, 4, StandardCharsets.ISO_8859_1);
        boolean tailOk = m[4] == '\r' && m[5] == '\n' && m[6] == 0x1A && m[7] == '\n';
        if (magic.equals("n+2\0") && tailOk) {
            h.pair = false;
        } else if (magic.equals("ni2\0") && tailOk) {
            h.pair = true;
        } else {
            throw DataFormatException.of(file, "has the wrong magic '" + printable(magic)
                    + "' for a NIfTI-2 header (expected 'n+2' or 'ni2' followed by \\r\\n\\032\\n)");
        }
        h.datatypeCode = b.getShort(12);
        h.bitpix = b.getShort(14);
        for (int i = 0; i < 8; i++) {
            h.dim[i] = b.getLong(16 + 8 * i);
            h.pixdim[i] = b.getDouble(104 + 8 * i);
        }
        for (int i = 0; i < 3; i++) {
            h.intentParams[i] = b.getDouble(80 + 8 * i);
        }
        h.voxOffset = b.getLong(168);
        if (h.voxOffset < 0) {
            throw DataFormatException.of(file, "has a negative vox_offset " + h.voxOffset + " in its NIfTI header");
        }
        h.sclSlope = b.getDouble(176);
        h.sclInter = b.getDouble(184);
        h.calMax = b.getDouble(192);
        h.calMin = b.getDouble(200);
        h.sliceDuration = b.getDouble(208);
        h.toffset = b.getDouble(216);
        h.sliceStart = b.getLong(224);
        h.sliceEnd = b.getLong(232);
        h.descrip = text(b, 240, 80);
        h.auxFile = text(b, 320, 24);
        h.qformCode = b.getInt(344);
        h.sformCode = b.getInt(348);
        for (int i = 0; i < 3; i++) {
            h.quatern[i] = b.getDouble(352 + 8 * i);
            h.qoffset[i] = b.getDouble(376 + 8 * i);
        }
        for (int i = 0; i < 12; i++) {
            h.srow[i] = b.getDouble(400 + 8 * i);
        }
        h.sliceCode = b.getInt(496);
        h.xyztUnits = b.getInt(500);
        h.intentCode = b.getInt(504);
        h.intentName = text(b, 508, 16);
        h.dimInfo = b.get(524) & 0xFF;
    }

    @Override
    void encode(NiftiHeader h, ByteBuffer b) {
        putText(b, 4, 4, "n+2");
        b.put(8, (byte) '\r').put(9, (byte) '\n').put(10, (byte) 0x1A).put(11, (byte) '\n');
        b.putShort(12, (short) h.datatypeCode);
        b.putShort(14, (short) h.bitpix);
        for (int i = 0; i < 8; i++) {
            b.putLong(16 + 8 * i, h.dim[i]);
            b.putDouble(104 + 8 * i, h.pixdim[i]);
        }
        for (int i = 0; i < 3; i++) {
            b.putDouble(80 + 8 * i, h.intentParams[i]);
        }
        b.putLong(168, h.voxOffset);
        b.putDouble(176, h.sclSlope);
        b.putDouble(184, h.sclInter);
        b.putDouble(192, h.calMax);
        b.putDouble(200, h.calMin);
        b.putDouble(208, h.sliceDuration);
        b.putDouble(216, h.toffset);
        b.putLong(224, h.sliceStart);
        b.putLong(232, h.sliceEnd);
        putText(b, 240, 80, h.descrip);
        putText(b, 320, 24, h.auxFile);
        b.putInt(344, h.qformCode);
        b.putInt(348, h.sformCode);
        for (int i = 0; i < 3; i++) {
            b.putDouble(352 + 8 * i, h.quatern[i]);
            b.putDouble(376 + 8 * i, h.qoffset[i]);
        }
        for (int i = 0; i < 12; i++) {
            b.putDouble(400 + 8 * i, h.srow[i]);
        }
        b.putInt(496, h.sliceCode);
        b.putInt(500, h.xyztUnits);
        b.putInt(504, h.intentCode);
        putText(b, 508, 16, h.intentName);
        b.put(524, (byte) h.dimInfo);
    }
}
