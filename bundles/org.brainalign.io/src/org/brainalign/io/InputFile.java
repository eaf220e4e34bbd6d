package org.brainalign.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * An input file is a path a command reads as a file, checked before it is opened: opening a named pipe (FIFO) blocks
 * until someone writes to it, and a folder or a device fails later with a message naming neither the file nor the
 * problem. Every reader of a user's file calls {@link #check(Path)} first.
 */
public final class InputFile {

    private InputFile() {
    }

    /**
     * Checks that a path is a regular file (after following symbolic links).
     *
     * @param file the path
     * @return the same path
     * @throws DataFormatException naming the file, if it does not exist, is a dangling link, a folder, a FIFO, a
     *         device or a socket
     */
    public static Path check(Path file) throws DataFormatException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw DataFormatException.of(file, Files.isSymbolicLink(file)
                    ? "is a symbolic link to nothing (its target does not exist)"
                    : "does not exist");
        } catch (IOException e) {
            throw DataFormatException.of(file, "cannot be examined (" + reason(e) + ")");
        }
        if (a.isDirectory()) {
            throw DataFormatException.of(file, "is a folder, where a file was expected");
        }
        if (!a.isRegularFile()) {
            throw DataFormatException.of(file, "is " + kind(file) + ", not a regular file, so it is not read");
        }
        return file;
    }

    private static String kind(Path file) {
        try {
            Object type = Files.getAttribute(file, "unix:mode", new LinkOption[0]);
            if (type instanceof Integer mode) {
                switch (mode & 0xF000) {
                    case 0x1000 :
                        return "a named pipe (FIFO)";
                    case 0x2000 :
                        return "a character device";
                    case 0x6000 :
                        return "a block device";
                    case 0xC000 :
                        return "a socket";
                    default :
                        break;
                }
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // the kind is a detail of the message; the refusal stands without it
        }
        return "a special file (a pipe, device or socket)";
    }

    /** The operating system's reason, without the path that Java's exceptions repeat. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return "the file system refused";
    }
}
