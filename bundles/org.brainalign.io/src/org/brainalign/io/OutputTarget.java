package org.brainalign.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;

/**
 * An output target is the file or folder a command was told to write, checked once before anything is read or written
 * by the policy every command shares: a command never writes over one of its own inputs (compared by real path, so
 * symbolic links and {@code ..} do not hide it), not even with --force; an existing output file, or a folder that is
 * not empty, is replaced only when the user gave --force.
 */
public final class OutputTarget {

    private OutputTarget() {
    }

    /**
     * Checks a file the command will write.
     *
     * @param target the output file
     * @param force whether the user allowed replacing an existing file (--force)
     * @param inputs the files and folders the command reads; a folder stands for everything in it
     * @throws OutputRefusedException if the target is an input, lies inside an input folder and exists, is a folder,
     *         or exists without --force
     * @throws IOException if a path cannot be resolved
     */
    public static void checkFile(Path target, boolean force, Collection<Path> inputs) throws IOException {
        Path real = real(target);
        if (Files.isDirectory(target)) {
            throw new OutputRefusedException("Output " + target + " is a folder; give the path of a file to write");
        }
        for (Path input : inputs) {
            Path in = real(input);
            if (real.equals(in) || (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && real.startsWith(in))) {
                throw new OutputRefusedException("Output " + target + " is " + (real.equals(in) ? "" : "inside ")
                        + "the input " + input + ", which a command never writes over; choose another output path");
            }
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !force) {
            throw new OutputRefusedException(
                    "Output file " + target + " already exists; pass --force to replace it, or choose another path");
        }
    }

    /**
     * Checks a folder the command will write files into.
     *
     * @param target the output folder
     * @param force whether the user allowed writing into a folder that is not empty (--force)
     * @param inputs the files and folders the command reads
     * @throws OutputRefusedException if the folder is or holds an input, lies inside an input folder, is a file, or
     *         is not empty without --force
     * @throws IOException if the folder cannot be listed
     */
    public static void checkFolder(Path target, boolean force, Collection<Path> inputs) throws IOException {
        Path real = real(target);
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new OutputRefusedException("Output folder " + target + " is a file; give a new or empty folder");
        }
        for (Path input : inputs) {
            Path in = real(input);
            if (real.startsWith(in) || in.startsWith(real)) {
                throw new OutputRefusedException("Output folder " + target + (in.startsWith(real)
                        ? " holds the input "
                        : " lies inside the input ") + input
                        + ", which a command never writes over; choose another output folder");
            }
        }
        if (!force && !isEmptyFolder(target)) {
            throw new OutputRefusedException("Output folder " + target
                    + " is not empty; pass --force to write into it, or choose a new or empty folder");
        }
    }

    /**
     * @param folder a folder, or a path that does not exist
     * @return whether it does not exist or holds nothing but a writer's lock file
     * @throws IOException if it cannot be listed
     */
    public static boolean isEmptyFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return !Files.exists(folder, LinkOption.NOFOLLOW_LINKS);
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path p : entries) {
                if (!p.getFileName().toString().equals(FolderLock.FILE)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The real path of a file that may not exist yet: its nearest existing ancestor resolved through links, with the
     * rest appended.
     */
    private static Path real(Path path) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
    }
}
