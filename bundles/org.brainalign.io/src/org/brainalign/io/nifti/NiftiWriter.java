package org.brainalign.io.nifti;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.brainalign.io.AtomicFile;
import org.brainalign.io.DataFormatException;

/**
 * A NIfTI writer writes a single-file NIfTI image (.nii, or gzipped when the name ends in .nii.gz) volume by volume,
 * under a temporary name that is renamed to the final one by {@link #commit()}: a failed or cancelled write leaves
 * nothing under the final name. Values are converted to the header's datatype (float32 maps, int16 or uint8 label
 * maps...); a value the type cannot hold exactly is an error, never silently rounded.
 */
public final class NiftiWriter implements Closeable {

    /** gzip level 1, as nibabel uses: compresses NIfTI data nearly as well as 6 in a fraction of the time. */
    public static final int DEFAULT_GZIP_LEVEL = 1;

    private final NiftiHeader header;
    private final AtomicFile file;
    private final OutputStream out;
    private final NiftiDataType type;
    private final int voxels;
    private final ByteBuffer buffer;
    private int written;

    private NiftiWriter(Path target, NiftiHeader header, int gzipLevel) throws IOException {
        String name = target.getFileName().toString().toLowerCase();
        boolean gz = name.endsWith(".nii.gz");
        if (!gz && !name.endsWith(".nii")) {
            throw DataFormatException.of(target,
                    "is not a NIfTI output name: BrainAlign writes single-file images ending in .nii or .nii.gz");
        }
        this.header = header;
        this.type = header.dataType();
        this.voxels = header.voxelsPerVolume();
        this.buffer = ByteBuffer.allocate(Math.multiplyExact(voxels, type.bytes())).order(header.byteOrder());
        this.file = AtomicFile.create(target);
        try {
            this.out = gz ? new LeveledGzip(file.stream(), gzipLevel) : file.stream();
            out.write(header.encode());
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Starts writing an image.
     *
     * @param target the final file name, ending in .nii or .nii.gz
     * @param header the header to write (from {@link NiftiHeader#forGrid} or {@link NiftiHeader#derived})
     * @return the writer; write {@code header.volumeCount()} volumes, then commit
     * @throws IOException if the temporary file cannot be created or the name is not a NIfTI name
     */
    public static NiftiWriter create(Path target, NiftiHeader header) throws IOException {
        return new NiftiWriter(target, header, DEFAULT_GZIP_LEVEL);
    }

    /**
     * Starts writing an image with a chosen gzip level.
     *
     * @param target the final file name
     * @param header the header
     * @param gzipLevel 1 (fastest) to 9 (smallest); ignored for .nii
     * @return the writer
     * @throws IOException if the temporary file cannot be created
     */
    public static NiftiWriter create(Path target, NiftiHeader header, int gzipLevel) throws IOException {
        return new NiftiWriter(target, header, gzipLevel);
    }

    /**
     * Writes a whole image at once.
     *
     * @param target the final file name, ending in .nii or .nii.gz
     * @param header the header
     * @param values all values, first dimension fastest
     * @throws IOException if writing fails
     */
    public static void write(Path target, NiftiHeader header, float[] values) throws IOException {
        checkLength(header, values.length);
        try (NiftiWriter w = create(target, header)) {
            int n = header.voxelsPerVolume();
            float[] v = new float[n];
            for (int t = 0; t < header.volumeCount(); t++) {
                System.arraycopy(values, t * n, v, 0, n);
                w.writeVolume(v);
            }
            w.commit();
        }
    }

    /**
     * Writes a whole image of integer values (a label map, a mask).
     *
     * @param target the final file name
     * @param header the header (an integer datatype wide enough for the labels)
     * @param values all values, first dimension fastest
     * @throws IOException if writing fails
     */
    public static void write(Path target, NiftiHeader header, int[] values) throws IOException {
        checkLength(header, values.length);
        try (NiftiWriter w = create(target, header)) {
            int n = header.voxelsPerVolume();
            for (int t = 0; t < header.volumeCount(); t++) {
                w.buffer.clear();
                for (int i = 0; i < n; i++) {
                    w.type.write(w.buffer, i * w.type.bytes(), values[t * n + i]);
                }
                w.flushVolume();
            }
            w.commit();
        }
    }

    private static void checkLength(NiftiHeader header, int length) {
        if (length != header.valueCount()) {
            throw new IllegalArgumentException(
                    length + " values do not fill an image of " + header.valueCount() + " values");
        }
    }

    /**
     * Writes the next volume.
     *
     * @param values one volume's values, first dimension fastest
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if a value cannot be stored in the datatype
     */
    public void writeVolume(float[] values) throws IOException {
        if (values.length != voxels) {
            throw new IllegalArgumentException(values.length + " values for a volume of " + voxels + " voxels");
        }
        int b = type.bytes();
        if (type == NiftiDataType.FLOAT32) {
            buffer.asFloatBuffer().put(values);
        } else {
            for (int i = 0; i < voxels; i++) {
                type.write(buffer, i * b, values[i]);
            }
        }
        flushVolume();
    }

    /**
     * Writes the next volume of int16 values as they are (the fast path for large int16 series).
     *
     * @param values one volume's values
     * @throws IOException if writing fails
     */
    public void writeVolume(short[] values) throws IOException {
        if (type != NiftiDataType.INT16 || values.length != voxels) {
            throw new IllegalArgumentException("short values need an int16 image with " + voxels + " voxels");
        }
        buffer.asShortBuffer().put(values);
        flushVolume();
    }

    private void flushVolume() throws IOException {
        if (written >= header.volumeCount()) {
            throw new IllegalStateException("all " + header.volumeCount() + " volumes are already written");
        }
        out.write(buffer.array(), 0, buffer.capacity());
        written++;
    }

    /**
     * Finishes the file and gives it its final name.
     *
     * @throws IOException if writing fails
     * @throws IllegalStateException if fewer volumes were written than the header announces
     */
    public void commit() throws IOException {
        if (written != header.volumeCount()) {
            throw new IllegalStateException(
                    "only " + written + " of " + header.volumeCount() + " volumes were written");
        }
        if (out instanceof LeveledGzip g) {
            g.finish();
        }
        out.flush();
        file.commit();
    }

    /** Discards the temporary file unless committed. */
    @Override
    public void close() throws IOException {
        file.close();
    }

    /** A gzip stream with a chosen compression level. */
    private static final class LeveledGzip extends GZIPOutputStream {

        LeveledGzip(OutputStream out, int level) throws IOException {
            super(out, 1 << 16);
            def.setLevel(level);
        }

        @Override
        public void close() throws IOException {
            finish(); // the underlying stream belongs to the AtomicFile
        }
    }
}
