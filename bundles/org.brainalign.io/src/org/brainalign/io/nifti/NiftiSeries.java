package org.brainalign.io.nifti;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.brainalign.io.DataFormatException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * A NIfTI series is a 4-D (or higher) NIfTI file read as a stream, one 3-D volume at a time, so that a series of
 * gigabytes (an NSD session of 750 betas) never has to fit in memory: only one volume's bytes are held, and
 * {@link #extract} keeps only the voxels of a mask. It works on gzipped files in a single pass. Close it after use.
 */
public final class NiftiSeries implements Closeable {

    private final NiftiHeader header;
    private final InputStream in;
    private final Path dataFile;
    private final int volumeLength;
    private byte[] volumeBytes;
    private ByteBuffer volume;
    private final int voxels;
    private final int volumes;
    private int next;

    private NiftiSeries(NiftiSource.Opened o) {
        this.header = o.header();
        this.in = o.data();
        this.dataFile = o.dataFile();
        this.voxels = header.voxelsPerVolume();
        this.volumes = header.volumeCount();
        this.volumeLength = Math.multiplyExact(voxels, header.dataType().bytes());
    }

    /**
     * Opens a NIfTI file for reading volume by volume.
     *
     * @param file a .nii(.gz), .hdr(.gz) or .img(.gz) file
     * @return the series, positioned before its first volume
     * @throws DataFormatException if the file is not a readable NIfTI image
     * @throws IOException if it cannot be read
     */
    public static NiftiSeries open(Path file) throws IOException {
        NiftiSource.Opened o = NiftiSource.open(file);
        try {
            if (!o.compressed()) {
                long available = java.nio.file.Files.size(o.dataFile()) - o.header().dataOffset();
                if (available < o.header().dataBytes()) {
                    throw NiftiImage.shortData(o.dataFile(), o.header(), Math.max(0, available));
                }
            }
            return new NiftiSeries(o);
        } catch (IOException | RuntimeException e) {
            o.data().close();
            throw e;
        }
    }

    /**
     * Reads the masked voxels of every volume of a file in one pass.
     *
     * @param file the NIfTI file
     * @param voxelIndices linear voxel indices within one volume (first dimension fastest)
     * @param monitor progress, in volumes; may be null
     * @return volumes x voxels, scaled values
     * @throws IOException if the file cannot be read
     */
    public static float[][] extract(Path file, int[] voxelIndices, IProgressMonitor monitor) throws IOException {
        try (NiftiSeries s = open(file)) {
            return s.extract(voxelIndices, monitor);
        }
    }

    /** @return the header */
    public NiftiHeader header() {
        return header;
    }

    /** @return the number of 3-D volumes */
    public int volumeCount() {
        return volumes;
    }

    /** @return the number of voxels in one volume */
    public int voxelsPerVolume() {
        return voxels;
    }

    /** @return the number of the volume the next read returns */
    public int position() {
        return next;
    }

    /** @return whether volumes remain */
    public boolean hasNext() {
        return next < volumes;
    }

    private void readNextBytes() throws IOException {
        if (next >= volumes) {
            throw new IllegalStateException("all " + volumes + " volumes have been read");
        }
        if (volumeBytes == null) {
            // the first volume is read into a buffer that grows as data arrive, so a gzip whose header claims
            // gigabytes it does not hold is found out without allocating them
            byte[] first = in.readNBytes(volumeLength);
            if (first.length < volumeLength) {
                throw NiftiImage.shortData(dataFile, header, first.length);
            }
            volumeBytes = first;
            volume = ByteBuffer.wrap(volumeBytes).order(header.byteOrder());
        } else {
            int got = in.readNBytes(volumeBytes, 0, volumeLength);
            if (got < volumeLength) {
                throw NiftiImage.shortData(dataFile, header, (long) next * volumeLength + got);
            }
        }
        next++;
        if (next == volumes) {
            NiftiSource.verifyEnd(in);
        }
    }

    /**
     * Skips the next volume.
     *
     * @throws IOException if the file ends early
     */
    public void skip() throws IOException {
        readNextBytes();
    }

    /**
     * Reads the next volume whole.
     *
     * @param out receives the scaled values, first dimension fastest; length at least voxelsPerVolume()
     * @throws IOException if the file ends early or is damaged
     */
    public void next(float[] out) throws IOException {
        readNextBytes();
        NiftiDataType t = header.dataType();
        int b = t.bytes();
        boolean scaled = header.isScaled();
        double slope = header.slope();
        double inter = header.intercept();
        for (int i = 0; i < voxels; i++) {
            double v = t.read(volume, i * b);
            out[i] = (float) (scaled ? v * slope + inter : v);
        }
    }

    /**
     * Reads the next volume whole in double precision (for statistics that must match nibabel's float64 values).
     *
     * @param out receives the scaled values, first dimension fastest; length at least voxelsPerVolume()
     * @throws IOException if the file ends early or is damaged
     */
    public void next(double[] out) throws IOException {
        readNextBytes();
        NiftiDataType t = header.dataType();
        int b = t.bytes();
        boolean scaled = header.isScaled();
        double slope = header.slope();
        double inter = header.intercept();
        for (int i = 0; i < voxels; i++) {
            double v = t.read(volume, i * b);
            out[i] = scaled ? v * slope + inter : v;
        }
    }

    /**
     * Reads some voxels of the next volume.
     *
     * @param voxelIndices linear indices within a volume
     * @param out receives their scaled values, in the same order
     * @throws IOException if the file ends early or is damaged
     */
    public void next(int[] voxelIndices, float[] out) throws IOException {
        readNextBytes();
        gather(voxelIndices, out);
    }

    private void gather(int[] idx, float[] out) {
        NiftiDataType t = header.dataType();
        boolean scaled = header.isScaled();
        double dslope = header.slope();
        double inter = header.intercept();
        // the common cases get their own loops: this runs once per voxel per volume of a whole session
        if (t == NiftiDataType.INT16 && !scaled) {
            for (int n = 0; n < idx.length; n++) {
                out[n] = volume.getShort(idx[n] << 1);
            }
        } else if (t == NiftiDataType.FLOAT32 && !scaled) {
            for (int n = 0; n < idx.length; n++) {
                out[n] = volume.getFloat(idx[n] << 2);
            }
        } else if (scaled) {
            int b = t.bytes();
            for (int n = 0; n < idx.length; n++) {
                out[n] = (float) (t.read(volume, idx[n] * b) * dslope + inter);
            }
        } else {
            int b = t.bytes();
            for (int n = 0; n < idx.length; n++) {
                out[n] = (float) t.read(volume, idx[n] * b);
            }
        }
    }

    /**
     * Reads the given voxels of all remaining volumes.
     *
     * @param voxelIndices linear indices within a volume (first dimension fastest)
     * @param monitor progress in volumes; cancelling stops between volumes; may be null
     * @return remaining volumes x voxels, scaled values
     * @throws IOException if the file ends early or is damaged
     * @throws org.eclipse.core.runtime.OperationCanceledException if cancelled
     */
    public float[][] extract(int[] voxelIndices, IProgressMonitor monitor) throws IOException {
        for (int v : voxelIndices) {
            if (v < 0 || v >= voxels) {
                throw new IllegalArgumentException("voxel index " + v + " is outside a volume of " + voxels);
            }
        }
        int remaining = volumes - next;
        SubMonitor sub = SubMonitor.convert(monitor, "Reading " + dataFile.getFileName(), remaining);
        // rows are allocated as volumes arrive, so a gzip whose header claims more volumes than it holds fails on
        // its real length instead of allocating the claim
        java.util.List<float[]> rows = new java.util.ArrayList<>(Math.min(remaining, 1024));
        for (int t = 0; t < remaining; t++) {
            sub.split(1);
            float[] row = new float[voxelIndices.length];
            next(voxelIndices, row);
            rows.add(row);
        }
        return rows.toArray(new float[0][]);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
