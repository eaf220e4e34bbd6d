package org.brainalign.io.nifti;

/**
 * A header extension is a block of extra metadata between a NIfTI header and its data (DICOM tags, AFNI attributes,
 * XML...). BrainAlign keeps its code and size only; its data are skipped by honouring vox_offset.
 *
 * @param code the extension code (e.g. 2 DICOM, 4 AFNI, 6 comment)
 * @param size the extension's size in bytes, its 8-byte preamble included
 */
public record NiftiExtension(int code, int size) {
}
