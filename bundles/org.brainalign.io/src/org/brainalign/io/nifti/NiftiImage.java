package org.brainalign.io.nifti;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.brainalign.core.VolumeGrid;
import org.brainalign.io.DataFormatException;
import org.brainalign.io.ValueStatistics;

/**
 * A NIfTI image is a NIfTI file read whole into memory: its {@link NiftiHeader} and its values in the on-disk type
 * (so an int16 image takes two bytes per voxel). Values are addressed by linear index, the first dimension fastest,
 * as NIfTI stores them; {@link #get(long)} applies the header's scaling. For 4-D series too large to hold, use
 * {@link NiftiSeries}.
 */
public final class NiftiImage {

    private final Path file;
    private final NiftiHeader header;
    private final ByteBuffer data;
    private final NiftiDataType type;
    private final int bytes;

    private NiftiImage(Path file, NiftiHeader header, ByteBuffer data) {
        this.file = file;
        this.header = header;
        this.data = data;
        this.type = header.dataType();
        this.bytes = type.bytes();
    }

    /**
     * Reads a NIfTI-1 or NIfTI-2 image: .nii, .nii.gz, or a .hdr/.img pair (either gzipped).
     *
     * @param file the .nii(.gz), .hdr(.gz) or .img(.gz) file
     * @return the image
     * @throws DataFormatException if the file is not a readable NIfTI image (the message names the file and the
     *         problem)
     * @throws IOException if the file cannot be read
     */
    public static NiftiImage read(Path file) throws IOException {
        NiftiSource.Opened o = NiftiSource.open(file);
        try (InputStream in = o.data()) {
            NiftiHeader h = o.header();
            long need = h.dataBytes();
            if (!o.compressed()) {
                // refuse before allocating when the file is visibly too short
                long available = Files.size(o.dataFile()) - h.dataOffset();
                if (available < need) {
                    throw shortData(o.dataFile(), h, Math.max(0, available));
                }
            }
            if (need > Integer.MAX_VALUE - 16) {
                throw DataFormatException.of(o.dataFile(), "holds " + need
                        + " bytes of data, too many to read whole; read it volume by volume (NiftiSeries)");
            }
            // readNBytes grows its buffer as data arrive, so a header that lies about the size cannot make us
            // allocate more than the file really holds
            byte[] raw = in.readNBytes((int) need);
            if (raw.length < need) {
                throw shortData(o.dataFile(), h, raw.length);
            }
            NiftiSource.verifyEnd(in);
            return new NiftiImage(file, h, ByteBuffer.wrap(raw).order(h.byteOrder()));
        }
    }

    static DataFormatException shortData(Path file, NiftiHeader h, long got) {
        return DataFormatException.of(file, "holds " + got + " bytes of data, but its header's dimensions "
                + Arrays.toString(h.shape()) + " of " + h.dataType().numpyName() + " need " + h.dataBytes()
                + " bytes: the dimensions do not match the data (or the file is truncated)");
    }

    /**
     * Wraps values in memory as an image (for writing, or for tests).
     *
     * @param header the header describing the values
     * @param raw the values in the header's datatype and byte order
     * @return the image
     */
    static NiftiImage of(NiftiHeader header, ByteBuffer raw) {
        return new NiftiImage(null, header, raw.order(header.byteOrder()));
    }

    /** @return the file it was read from (null for an image built in memory) */
    public Path file() {
        return file;
    }

    /** @return the header */
    public NiftiHeader header() {
        return header;
    }

    /** @return the data shape */
    public int[] shape() {
        return header.shape();
    }

    /** @return the grid of the first three dimensions, with the affine in use */
    public VolumeGrid grid() {
        return header.grid();
    }

    /** @return the number of values */
    public long valueCount() {
        return header.valueCount();
    }

    /**
     * @param index linear index, first dimension fastest
     * @return the stored value, unscaled
     */
    public double raw(long index) {
        return type.read(data, Math.toIntExact(index * bytes));
    }

    /**
     * @param index linear index, first dimension fastest
     * @return the value with the header's scaling applied (raw * scl_slope + scl_inter when scaling is in effect)
     */
    public double get(long index) {
        double v = type.read(data, Math.toIntExact(index * bytes));
        return header.isScaled() ? v * header.slope() + header.intercept() : v;
    }

    /**
     * @param position one index per dimension
     * @return the scaled value there
     */
    public double get(int... position) {
        int[] shape = shape();
        if (position.length != shape.length) {
            throw new IllegalArgumentException(
                    "an image of shape " + Arrays.toString(shape) + " needs " + shape.length + " indices");
        }
        long index = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (position[d] < 0 || position[d] >= shape[d]) {
                throw new IndexOutOfBoundsException(
                        Arrays.toString(position) + " is outside the shape " + Arrays.toString(shape));
            }
            index = index * shape[d] + position[d];
        }
        return get(index);
    }

    /** @return all scaled values, first dimension fastest */
    public double[] toDoubleArray() {
        double[] v = new double[Math.toIntExact(valueCount())];
        for (int i = 0; i < v.length; i++) {
            v[i] = get(i);
        }
        return v;
    }

    /**
     * @param volume a volume number, 0 .. volumeCount - 1 (0 for a 3-D image)
     * @return that volume's scaled values as float32, first dimension fastest
     */
    public float[] volume(int volume) {
        int n = header.voxelsPerVolume();
        if (volume < 0 || volume >= header.volumeCount()) {
            throw new IndexOutOfBoundsException("volume " + volume + " of " + header.volumeCount());
        }
        float[] v = new float[n];
        long base = (long) volume * n;
        for (int i = 0; i < n; i++) {
            v[i] = (float) get(base + i);
        }
        return v;
    }

    /**
     * The values of a label volume (an atlas, a mask): the scaled values of the first volume, which must be whole
     * numbers.
     *
     * @return one label per voxel, first dimension fastest
     * @throws DataFormatException if a value is not a whole number in the int range
     */
    public int[] labels() throws DataFormatException {
        int[] l = new int[header.voxelsPerVolume()];
        for (int i = 0; i < l.length; i++) {
            double v = get(i);
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                throw DataFormatException.of(file, "is not a label volume: voxel " + i + " holds " + v
                        + ", which is not a whole number");
            }
            l[i] = (int) v;
        }
        return l;
    }

    /** @return statistics of all scaled values */
    public ValueStatistics statistics() {
        ValueStatistics.Accumulator a = new ValueStatistics.Accumulator();
        long n = valueCount();
        for (long i = 0; i < n; i++) {
            a.add(get(i));
        }
        return a.result();
    }

    @Override
    public String toString() {
        return (file != null ? file.getFileName() + ": " : "") + header;
    }
}
