package org.brainalign.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.brainalign.engine.factortopy.FeatureSource;
import org.brainalign.io.DataFormatException;
import org.brainalign.io.npy.NpzRows;

/**
 * The features of an .npz as {@code features export} writes it (local (B, L, C, G, G) and global (B, L, C)), read
 * image by image as they are asked for: the heap holds a batch, never the file's arrays, however many images it has.
 */
final class NpzFeatures implements FeatureSource, Closeable {

    private final Path file;
    private final NpzRows local;
    private final NpzRows global;
    private final int[] shape;

    /**
     * @param file the archive
     * @throws DataFormatException if it lacks the arrays or their shapes disagree (naming the file)
     * @throws IOException if it cannot be read
     */
    NpzFeatures(Path file) throws IOException {
        this.file = file;
        NpzRows l = null;
        NpzRows g = null;
        try {
            l = new NpzRows(file, "local");
            g = new NpzRows(file, "global");
        } catch (DataFormatException e) {
            close(l, g);
            if (e.getMessage().contains("lacks the array")) {
                throw DataFormatException.of(file, "lacks the arrays local and global that `features export` writes");
            }
            throw e;
        }
        local = l;
        global = g;
        int[] ls = l.shape(), gs = g.shape();
        if (ls.length != 5 || gs.length != 3 || ls[0] != gs[0] || ls[1] != gs[1] || ls[2] != gs[2] || ls[3] != ls[4]
                || ls[1] < 1 || ls[2] < 1 || ls[3] < 1) {
            close();
            throw DataFormatException.of(file, "holds local " + Arrays.toString(ls) + " and global " + Arrays
                    .toString(gs) + "; expected (B, L, C, G, G) and (B, L, C)");
        }
        shape = ls;
    }

    private static void close(NpzRows a, NpzRows b) throws IOException {
        try (NpzRows x = a; NpzRows y = b) {
            // closes both
        }
    }

    @Override
    public int imageCount() {
        return shape[0];
    }

    @Override
    public int layers() {
        return shape[1];
    }

    @Override
    public int channels() {
        return shape[2];
    }

    @Override
    public int grid() {
        return shape[3];
    }

    @Override
    public void read(int[] images, float[] localOut, float[] globalOut) throws IOException {
        int perLocal = local.rowValues(), perGlobal = global.rowValues();
        for (int i = 0; i < images.length; i++) {
            local.read(images[i], localOut, i * perLocal);
            global.read(images[i], globalOut, i * perGlobal);
            if (!finite(localOut, i * perLocal, perLocal) || !finite(globalOut, i * perGlobal, perGlobal)) {
                throw DataFormatException.of(file, "holds NaN or infinity among the features of image " + images[i]
                        + ", so its predictions would be NaN");
            }
        }
    }

    private static boolean finite(float[] values, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (!Float.isFinite(values[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String description() {
        return "the features in " + file;
    }

    @Override
    public void close() throws IOException {
        close(local, global);
    }
}
