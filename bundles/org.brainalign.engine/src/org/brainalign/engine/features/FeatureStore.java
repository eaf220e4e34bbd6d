package org.brainalign.engine.features;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.brainalign.io.AtomicFile;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

/**
 * A feature store holds the cacheable features of one backbone for one image set: for every image and every block,
 * the patch tokens resized to a {@code grid x grid} grid (8 x 8 for FactorTopy) and one global token, C channels
 * each, as float16. It is a folder with three files: {@code features.f16} (images x layers x (grid * grid + 1) x C
 * little-endian halves, image after image, within a layer the grid cells row by row and then the global token),
 * {@code completed} (one byte per image: 0 pending, 1 extracted, 2 skipped as unreadable) and
 * {@code manifest.json} (backbone, checkpoint hash, preprocessing, image names with their content hashes, shapes).
 * <p>
 * The store is read in batches, one image layer at a time, with positional reads through a file handle of the
 * reading thread's own: the page cache holds the store, the heap never does, and reading is safe from several
 * threads. (Memory maps, the obvious alternative, read the page cache at 1 to 3 GB/s on the virtual machines this was
 * measured on, against 8 to 9 GB/s for plain reads, and an interrupted thread would close a shared FileChannel.)
 * The {@link Extractor} writes stores; this class reads complete ones.
 */
public final class FeatureStore implements AutoCloseable {

    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.json";

    /** The features' file name. */
    public static final String DATA = "features.f16";

    /** The completion record's file name. */
    public static final String COMPLETION = "completed";

    /** Completion byte of an image whose features are written. */
    public static final byte DONE = 1;

    /** Completion byte of an image that could not be read and was skipped. */
    static final byte SKIPPED = 2;

    /** Little-endian halves read straight out of a byte array. */
    private static final VarHandle HALF = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final Path folder;
    private final Path data;
    private final StoreManifest manifest;
    private final long bytesPerImage;
    private final int layerValues;
    private final byte[] completion;
    private final Queue<RandomAccessFile> handles = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<LayerReader> readers = ThreadLocal.withInitial(this::newReader);
    private volatile boolean closed;

    /**
     * One reading thread's file handle and the bytes of one layer of an image. A layer (about 100 KB at width 768)
     * stays in the core's cache between the read and the transposition; a whole image (1.2 MB) would not.
     */
    private record LayerReader(RandomAccessFile file, byte[] bytes) {
    }

    private FeatureStore(Path folder, StoreManifest manifest, byte[] completion) throws IOException {
        this.folder = folder;
        this.data = folder.resolve(DATA);
        this.manifest = manifest;
        this.completion = completion;
        this.bytesPerImage = manifest.valuesPerImage() * 2L;
        this.layerValues = (manifest.grid() * manifest.grid() + 1) * manifest.channels();
        // the opening thread's handle now, so that an unreadable file fails here and not in the first read
        readers.set(new LayerReader(openHandle(data), new byte[2 * layerValues]));
    }

    private RandomAccessFile openHandle(Path file) throws IOException {
        RandomAccessFile handle = new RandomAccessFile(file.toFile(), "r");
        handles.add(handle);
        if (closed) {
            // close() ran meanwhile and did not see this handle
            handle.close();
            throw new IllegalStateException("the feature store " + folder + " is closed");
        }
        return handle;
    }

    private LayerReader newReader() {
        try {
            return new LayerReader(openHandle(data), new byte[2 * layerValues]);
        } catch (IOException e) {
            throw new UncheckedIOException(data + ": cannot be opened for reading: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a complete store for reading.
     *
     * @param folder the store folder
     * @return the store; close it when done
     * @throws FeatureStoreException if the folder is not a store, is incomplete or its files disagree, naming it
     * @throws IOException if a file cannot be read
     */
    public static FeatureStore open(Path folder) throws IOException {
        StoreManifest manifest = StoreManifest.read(folder.resolve(MANIFEST));
        Path data = folder.resolve(DATA);
        long expected = manifest.imageCount() * manifest.valuesPerImage() * 2L;
        if (!Files.isRegularFile(data) || Files.size(data) != expected) {
            throw new FeatureStoreException(data + ": should hold " + expected + " bytes for " + manifest.imageCount()
                    + " images but " + (Files.isRegularFile(data) ? "holds " + Files.size(data) : "is missing"));
        }
        byte[] completion = readCompletion(folder, manifest.imageCount());
        int pending = 0;
        for (byte b : completion) {
            if (b != DONE && b != SKIPPED) {
                pending++;
            }
        }
        if (pending > 0) {
            throw new FeatureStoreException(folder + ": the store is incomplete (" + pending + " of "
                    + manifest.imageCount() + " images still to extract); run the extraction again to finish it");
        }
        return new FeatureStore(folder, manifest, completion);
    }

    static byte[] readCompletion(Path folder, int images) throws IOException {
        Path file = folder.resolve(COMPLETION);
        if (!Files.isRegularFile(file) || Files.size(file) != images) {
            throw new FeatureStoreException(file + ": the completion record is missing or not one byte per image ("
                    + images + ")");
        }
        return Files.readAllBytes(file);
    }

    /** @return the store folder */
    public Path folder() {
        return folder;
    }

    /** @return the number of images, skipped ones included */
    public int imageCount() {
        return manifest.imageCount();
    }

    /** @return the number of blocks L */
    public int layers() {
        return manifest.layers();
    }

    /** @return the token width C */
    public int channels() {
        return manifest.channels();
    }

    /** @return the side of the resized local grid (8) */
    public int grid() {
        return manifest.grid();
    }

    /** @return the image names, in store order */
    public List<String> imageNames() {
        return manifest.names();
    }

    /** @return the backbone family id the features come from */
    public String family() {
        return manifest.family();
    }

    /** @return the SHA-256 of the checkpoint's weight files */
    public String checkpointHash() {
        return manifest.checkpointHash();
    }

    /** @return whether the global token is a class token (else the spatial mean of the patch tokens) */
    public boolean classToken() {
        return manifest.classToken();
    }

    /**
     * @param image an image index
     * @return whether the image was unreadable and has no features
     */
    public boolean isSkipped(int image) {
        return completion[image] == SKIPPED;
    }

    /** @return the indices of the images that have features, ascending */
    public int[] usableImages() {
        int[] out = new int[imageCount()];
        int n = 0;
        for (int i = 0; i < out.length; i++) {
            if (completion[i] == DONE) {
                out[n++] = i;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** @return the names of the images skipped as unreadable, each with the reason recorded at extraction */
    public Map<String, String> skippedImages() {
        return manifest.skipped();
    }

    /**
     * Reads the features of some images in the layout FactorTopy uses.
     *
     * @param images image indices (any order, repeats allowed)
     * @param local receives B x L x C x grid x grid values
     * @param global receives B x L x C values
     * @throws IllegalArgumentException if an index is out of range, names a skipped image, or an array is too small
     */
    public void read(int[] images, float[] local, float[] global) {
        int l = layers();
        int c = channels();
        int cells = grid() * grid();
        int cellValues = cells * c;
        check(images, local, (long) l * c * cells, "local");
        check(images, global, (long) l * c, "global");
        for (int b = 0; b < images.length; b++) {
            for (int layer = 0; layer < l; layer++) {
                byte[] bytes = readLayer(images[b], layer);
                transpose(bytes, cells, c, local, (b * l + layer) * cellValues);
                int globalBase = (b * l + layer) * c;
                for (int k = 0; k < c; k++) {
                    global[globalBase + k] = half(bytes, cellValues + k);
                }
            }
        }
    }

    /**
     * Writes a rows x columns matrix of halves as columns x rows floats. Each output row (one channel's grid cells)
     * is written in order while its column is gathered from the cached input; writing input rows in order instead
     * scatters every value to another cache line and runs at a third of the speed.
     */
    private static void transpose(byte[] in, int rows, int columns, float[] out, int outBase) {
        for (int k = 0; k < columns; k++) {
            int o = outBase + k * rows;
            for (int t = 0, i = k; t < rows; t++, i += columns) {
                out[o + t] = half(in, i);
            }
        }
    }

    /** @return the i-th little-endian half of the bytes, as a float */
    private static float half(byte[] bytes, int i) {
        return Float.float16ToFloat((short) HALF.get(bytes, 2 * i));
    }

    /**
     * Reads the features of some images as stored: per image and layer, the grid cells row by row then the global
     * token, each C values.
     *
     * @param images image indices
     * @param tokens receives B x L x (grid * grid + 1) x C values
     * @throws IllegalArgumentException if an index is out of range, names a skipped image, or the array is too small
     */
    public void readTokens(int[] images, float[] tokens) {
        int per = (int) manifest.valuesPerImage();
        check(images, tokens, per, "tokens");
        for (int b = 0; b < images.length; b++) {
            for (int layer = 0; layer < layers(); layer++) {
                byte[] bytes = readLayer(images[b], layer);
                int base = b * per + layer * layerValues;
                for (int i = 0; i < layerValues; i++) {
                    tokens[base + i] = half(bytes, i);
                }
            }
        }
    }

    /**
     * Reads one layer of an image into the calling thread's buffer.
     *
     * @return the buffer, holding (grid * grid + 1) x C little-endian halves
     * @throws UncheckedIOException naming the file if it cannot be read or has become shorter since it was opened
     * @throws IllegalStateException if the store is closed
     */
    private byte[] readLayer(int image, int layer) {
        if (closed) {
            throw new IllegalStateException("the feature store " + folder + " is closed");
        }
        LayerReader reader = readers.get();
        byte[] bytes = reader.bytes();
        long position = image * bytesPerImage + (long) layer * bytes.length;
        try {
            reader.file().seek(position);
            reader.file().readFully(bytes);
        } catch (EOFException e) {
            throw new UncheckedIOException(new FeatureStoreException(data + ": ends before the features of image "
                    + imageNames().get(image) + "; the file was changed after the store was opened"));
        } catch (IOException e) {
            throw new UncheckedIOException(data + ": cannot be read: " + e.getMessage(), e);
        }
        return bytes;
    }

    private void check(int[] images, float[] into, long perImage, String what) {
        if (into.length < images.length * perImage) {
            throw new IllegalArgumentException(what + " holds " + into.length + " values, " + images.length + " images "
                    + "need " + images.length * perImage);
        }
        for (int i : images) {
            if (i < 0 || i >= imageCount()) {
                throw new IllegalArgumentException("image index " + i + " is outside the store's " + imageCount());
            }
            if (completion[i] != DONE) {
                throw new IllegalArgumentException("image " + imageNames().get(i) + " was skipped (unreadable) and "
                        + "has no features in " + folder);
            }
        }
    }

    /**
     * Writes the usable images' features as a NumPy .npz: float32 {@code local} (B, L, C, grid, grid),
     * {@code global} (B, L, C) and {@code names} (B,) unicode strings. Streamed: the heap holds one image at a
     * time. Written under a temporary name and renamed when complete.
     *
     * @param file the .npz to write
     * @param monitor progress in images; cancellation stops it, leaving no file
     * @throws IOException if writing fails
     */
    public void exportNpz(Path file, IProgressMonitor monitor) throws IOException {
        int[] images = usableImages();
        int l = layers();
        int c = channels();
        int g = grid();
        SubMonitor progress = SubMonitor.convert(monitor, "Exporting " + images.length + " images to " + file,
                2 * images.length);
        List<String> names = new ArrayList<>();
        for (int i : images) {
            names.add(imageNames().get(i));
        }
        AtomicFile.write(file, raw -> {
            ZipOutputStream zip = new ZipOutputStream(raw);
            // floats barely compress; stored-in-deflate keeps numpy.load happy and the export fast
            zip.setLevel(Deflater.NO_COMPRESSION);
            float[] local = new float[l * c * g * g];
            float[] global = new float[l * c];
            zip.putNextEntry(new ZipEntry("local.npy"));
            OutputStream out = new BufferedOutputStream(new NonClosing(zip), 1 << 16);
            out.write(NpyHeader.of("<f4", images.length, l, c, g, g));
            for (int i : images) {
                checkCancel(progress);
                read(new int[] { i }, local, global);
                writeFloats(out, local);
                progress.worked(1);
            }
            out.flush();
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("global.npy"));
            out.write(NpyHeader.of("<f4", images.length, l, c));
            for (int i : images) {
                checkCancel(progress);
                read(new int[] { i }, local, global);
                writeFloats(out, global);
                progress.worked(1);
            }
            out.flush();
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("names.npy"));
            int width = Math.max(1, names.stream().mapToInt(s -> s.codePointCount(0, s.length())).max().orElse(1));
            out.write(NpyHeader.of("<U" + width, names.size()));
            for (String name : names) {
                ByteBuffer utf32 = ByteBuffer.allocate(4 * width).order(ByteOrder.LITTLE_ENDIAN);
                name.codePoints().forEach(utf32::putInt);
                out.write(utf32.array());
            }
            out.flush();
            zip.closeEntry();
            zip.finish();
        });
    }

    private static void checkCancel(IProgressMonitor monitor) {
        if (monitor.isCanceled()) {
            throw new OperationCanceledException();
        }
    }

    private static void writeFloats(OutputStream out, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        out.write(b.array());
    }

    /** Lets a buffered stream flush into the zip entry without closing the zip. */
    private static final class NonClosing extends java.io.FilterOutputStream {

        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** The header of a version 1.0 .npy array in C order. */
    static final class NpyHeader {

        private NpyHeader() {
        }

        static byte[] of(String descr, long... shape) {
            StringBuilder dims = new StringBuilder();
            for (long d : shape) {
                dims.append(d).append(", ");
            }
            String s = dims.length() == 0
                    ? "()"
                    : shape.length == 1
                            ? "(" + shape[0] + ",)"
                            : "(" + dims.substring(0, dims.length() - 2) + ")";
            String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + s + ", }";
            // magic (6) + version (2) + length (2) + dict + padding + newline, a multiple of 64
            int total = (10 + dict.length() + 1 + 63) / 64 * 64;
            StringBuilder header = new StringBuilder(dict);
            while (10 + header.length() + 1 < total) {
                header.append(' ');
            }
            header.append('\n');
            byte[] text = header.toString().getBytes(StandardCharsets.ISO_8859_1);
            ByteBuffer b = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
            b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
            b.putShort((short) text.length).put(text);
            return b.array();
        }
    }

    /**
     * Closes every reading thread's file handle; reading afterwards fails.
     *
     * @throws IOException if closing fails
     */
    @Override
    public void close() throws IOException {
        closed = true;
        IOException failure = null;
        for (RandomAccessFile handle; (handle = handles.poll()) != null;) {
            try {
                handle.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "FeatureStore[" + folder + ", " + imageCount() + " images, " + layers() + " layers x " + channels()
                + " channels, grid " + grid() + ", " + family() + "]";
    }
}
