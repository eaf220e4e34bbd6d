package org.brainalign.io.nifti;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.brainalign.io.InputFile;
import org.brainalign.io.DataFormatException;

/**
 * Where a NIfTI image's header and data lie: one .nii file or a .hdr/.img pair, each possibly gzipped (recognised
 * by the gzip magic bytes, whatever the name says). Opening one yields the parsed header and a stream positioned at
 * the first data byte.
 */
final class NiftiSource {

    private static final int BUFFER = 1 << 16;

    /** An opened image: its header and a stream at the start of its data. */
    record Opened(NiftiHeader header, InputStream data, Path dataFile, boolean compressed) {
    }

    private NiftiSource() {
    }

    static Opened open(Path file) throws IOException {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase();
        if (lower.endsWith(".img") || lower.endsWith(".img.gz")) {
            Path hdr = sibling(file, lower.endsWith(".gz") ? 7 : 4, ".hdr");
            if (hdr == null) {
                throw DataFormatException.of(file, "has no matching .hdr header file beside it");
            }
            return openPair(hdr, file);
        }
        if (lower.endsWith(".hdr") || lower.endsWith(".hdr.gz")) {
            Path img = sibling(file, lower.endsWith(".gz") ? 7 : 4, ".img");
            if (img == null) {
                throw DataFormatException.of(file, "is a NIfTI header whose .img data file is missing");
            }
            return openPair(file, img);
        }
        InputStream in = openStream(file);
        try {
            NiftiHeader h = readHeader(in, file);
            if (h.isPair()) {
                throw DataFormatException.of(file, "holds the header of a .hdr/.img pair (magic ni"
                        + h.version() + "), not a single-file image; open it under a .hdr name");
            }
            int headerSize = h.version() == 1 ? NiftiHeader.NIFTI1_SIZE : NiftiHeader.NIFTI2_SIZE;
            long gap = h.dataOffset() - headerSize;
            byte[] between = in.readNBytes((int) Math.min(gap, 1 << 24));
            if (between.length < Math.min(gap, 1 << 24)) {
                throw DataFormatException.of(file, "ends before its data begin (vox_offset " + h.voxOffset() + ")");
            }
            if (gap > between.length) {
                try {
                    in.skipNBytes(gap - between.length);
                } catch (EOFException e) {
                    throw DataFormatException.of(file, "ends before its data begin (vox_offset " + h.voxOffset() + ")");
                }
            }
            h = h.withExtensions(extensions(between));
            return new Opened(h, in, file, isGzip(file));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static Opened openPair(Path hdrFile, Path imgFile) throws IOException {
        NiftiHeader h;
        try (InputStream in = openStream(hdrFile)) {
            h = readHeader(in, hdrFile);
        }
        if (!h.isPair()) {
            throw DataFormatException.of(hdrFile, "has the magic of a single-file image (n+" + h.version()
                    + "), not of a .hdr/.img pair (ni" + h.version() + ")");
        }
        InputStream in = openStream(imgFile);
        try {
            in.skipNBytes(h.dataOffset());
        } catch (EOFException e) {
            in.close();
            throw DataFormatException.of(imgFile, "ends before its data begin (vox_offset " + h.voxOffset() + ")");
        }
        return new Opened(h, in, imgFile, isGzip(imgFile));
    }

    private static Path sibling(Path file, int suffixLength, String newSuffix) {
        String name = file.getFileName().toString();
        String stem = name.substring(0, name.length() - suffixLength);
        boolean upper = Character.isUpperCase(name.charAt(name.length() - suffixLength + 1));
        String suffix = upper ? newSuffix.toUpperCase() : newSuffix;
        for (String candidate : new String[] { stem + suffix, stem + suffix + ".gz", stem + suffix + ".GZ" }) {
            Path p = file.resolveSibling(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static NiftiHeader readHeader(InputStream in, Path file) throws IOException {
        byte[] first = in.readNBytes(4);
        int size = first.length == 4 ? NiftiHeader.announcedSize(first) : -1;
        if (size < 0) {
            // let the parser word the error (too short, or wrong size field)
            return NiftiHeader.parse(first, file);
        }
        byte[] rest = in.readNBytes(size - 4);
        byte[] all = new byte[4 + rest.length];
        System.arraycopy(first, 0, all, 0, 4);
        System.arraycopy(rest, 0, all, 4, rest.length);
        return NiftiHeader.parse(all, file);
    }

    /** Reads the extension chain (flag, then esize/ecode blocks) from the bytes between header and data. */
    private static List<NiftiExtension> extensions(byte[] between) {
        List<NiftiExtension> list = new ArrayList<>();
        if (between.length < 4 || between[0] == 0) {
            return list;
        }
        ByteBuffer le = ByteBuffer.wrap(between).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        ByteBuffer be = ByteBuffer.wrap(between).order(java.nio.ByteOrder.BIG_ENDIAN);
        int pos = 4;
        while (pos + 8 <= between.length) {
            int size = le.getInt(pos);
            ByteBuffer b = le;
            if (size < 8 || size % 16 != 0 || pos + size > between.length) {
                size = be.getInt(pos);
                b = be;
            }
            if (size < 8 || pos + size > between.length) {
                break; // not an extension: the rest is padding
            }
            list.add(new NiftiExtension(b.getInt(pos + 4), size));
            pos += size;
        }
        return list;
    }

    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(InputFile.check(file))) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /**
     * Opens a file for reading, decompressing it if it starts with the gzip magic; damaged or truncated gzip data
     * surface as a {@link DataFormatException} naming the file.
     */
    static InputStream openStream(Path file) throws IOException {
        InputStream raw;
        try {
            raw = Files.newInputStream(InputFile.check(file));
        } catch (NoSuchFileException e) {
            throw DataFormatException.of(file, "does not exist");
        }
        BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new Guarded(new GZIPInputStream(buffered, BUFFER), file, true);
            } catch (EOFException | ZipException e) {
                buffered.close();
                throw DataFormatException.of(file, "is not a valid gzip file (" + e.getMessage() + ")", e);
            }
        }
        return new Guarded(buffered, file, false);
    }

    /**
     * Checks a gzipped stream's trailer once its data are read: GZIPInputStream computes the CRC-32 as it inflates
     * but compares it (and the length) with the trailer only on reaching the end, which a reader that takes exactly
     * the bytes it needs never does. Reads the little that remains (the trailer, or padding after the data).
     *
     * @param data a stream from {@link #openStream} or {@link #open}
     * @throws DataFormatException if the CRC-32 or the length differs, naming the file
     * @throws IOException if reading fails
     */
    static void verifyEnd(InputStream data) throws IOException {
        if (data instanceof Guarded g && g.compressed) {
            byte[] sink = new byte[8192];
            while (g.read(sink, 0, sink.length) >= 0) {
                // data beyond the image (nibabel ignores them too) only need to pass the checks
            }
        }
    }

    /** Turns the low-level errors of a damaged gzip stream into one sentence that names the file. */
    private static final class Guarded extends FilterInputStream {

        private final Path file;
        private final boolean compressed;

        Guarded(InputStream in, Path file, boolean compressed) {
            super(in);
            this.file = file;
            this.compressed = compressed;
        }

        private DataFormatException damaged(IOException e) {
            if (e instanceof DataFormatException d) {
                return d;
            }
            if (e instanceof ZipException && String.valueOf(e.getMessage()).contains("trailer")) {
                return DataFormatException.of(file, "is damaged: its gzip check fails (the CRC-32 or length of its"
                        + " data differs from the one recorded when it was written)", e);
            }
            return DataFormatException.of(file, "is truncated or damaged: its gzip data end early or are corrupt ("
                    + e.getMessage() + ")", e);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (EOFException | ZipException e) {
                throw damaged(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (EOFException | ZipException e) {
                throw damaged(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (EOFException | ZipException e) {
                throw damaged(e);
            }
        }
    }
}
