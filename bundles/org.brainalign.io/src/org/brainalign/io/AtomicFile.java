package org.brainalign.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An atomic file is an output written under a temporary name in its final folder and renamed to its final name only
 * once complete, so that a crash, a cancellation or bad input never leaves a half-written file under the final name.
 * Use it with try-with-resources and call {@link #commit()} when everything is written; closing without commit
 * deletes the temporary file.
 */
public final class AtomicFile implements AutoCloseable {

    /** A piece of code that writes a whole file to a stream. */
    @FunctionalInterface
    public interface Content {

        /**
         * @param out the stream to write to (do not close it)
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private final Path target;
    private final Path temporary;
    private final OutputStream out;
    private boolean committed;
    private boolean closed;

    private AtomicFile(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        Path dir = this.target.getParent();
        Files.createDirectories(dir);
        this.temporary = dir.resolve("." + this.target.getFileName() + ".part-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
        this.out = new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16);
    }

    /**
     * Starts writing a file.
     *
     * @param target the final path
     * @return the open atomic file
     * @throws IOException if the temporary file cannot be created
     */
    public static AtomicFile create(Path target) throws IOException {
        return new AtomicFile(target);
    }

    /**
     * Writes a whole file atomically.
     *
     * @param target the final path
     * @param content what to write
     * @throws IOException if writing fails (the target is then left as it was)
     */
    public static void write(Path target, Content content) throws IOException {
        try (AtomicFile f = create(target)) {
            content.writeTo(f.stream());
            f.commit();
        } catch (IOException e) {
            throw naming(target, e);
        }
    }

    /**
     * The operating system's write errors ("No space left on device") name no file; the user needs to know which
     * output failed. Our own exceptions already name theirs and pass unchanged.
     */
    private static IOException naming(Path target, IOException e) {
        if (e.getClass() != IOException.class || e.getMessage() == null || e.getMessage().contains(
                target.getFileName().toString())) {
            return e;
        }
        return new IOException("Cannot write " + target + ": " + e.getMessage(), e);
    }

    /** @return the stream to write the content to */
    public OutputStream stream() {
        return out;
    }

    /** @return the temporary path being written */
    public Path temporaryPath() {
        return temporary;
    }

    /**
     * Flushes, closes and renames the temporary file to the target, replacing an existing file.
     *
     * @throws IOException if the rename fails
     */
    public void commit() throws IOException {
        out.close();
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    /** Discards the temporary file unless {@link #commit()} was called. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!committed) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the file is being discarded anyway
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
    }
}
