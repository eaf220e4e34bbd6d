package org.brainalign.io.torch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.brainalign.io.DataFormatException;

/**
 * An output that must not replace anything: written under a temporary name beside its target and moved to the target
 * only when complete, and refused if the target exists (before writing and again at the move), so a conversion never
 * overwrites a user's file or its own input.
 */
final class NewFile {

    /** Writes the content of a file to an open channel. */
    @FunctionalInterface
    interface Content {

        /**
         * @param out the temporary file, open for writing
         * @throws IOException if writing fails
         */
        void writeTo(FileChannel out) throws IOException;
    }

    private NewFile() {
    }

    /**
     * @param target the file to create
     * @param content what to write into it
     * @throws IOException naming the target if it exists, or if writing fails (then nothing is left behind)
     */
    static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        if (Files.exists(absolute)) {
            throw DataFormatException.of(absolute, "already exists; choose another output name");
        }
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".part");
        boolean done = false;
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.writeTo(out);
                out.force(true);
            }
            try {
                // without REPLACE_EXISTING the move fails rather than replace a file that appeared meanwhile
                Files.move(temp, absolute);
            } catch (FileAlreadyExistsException e) {
                throw DataFormatException.of(absolute, "appeared while it was being written; it was left as it is", e);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    static void writeFully(FileChannel out, java.nio.ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }
}
