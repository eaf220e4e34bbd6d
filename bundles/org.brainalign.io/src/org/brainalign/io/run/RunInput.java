package org.brainalign.io.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.brainalign.io.DataFormatException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * A run input is a file or folder a fit read (betas, ROI volumes, a checkpoint, the stimuli), recorded in run.json
 * with a content hash so that a result can be traced to exactly the data that made it. The hash of a file is the
 * SHA-256 of its bytes. The hash of a folder is the SHA-256 of the text listing every regular file below it, one line
 * per file in the order of their relative paths (compared as strings, '/' as separator): the file's SHA-256 in hex,
 * two spaces, its relative path, a newline (what {@code sha256sum} prints for those files).
 *
 * @param role what the input is to the fit, e.g. "betas", "roi:prf-visualrois", "checkpoint", "stimuli"
 * @param path the absolute path it was read from
 * @param sha256 the content hash, 64 hex digits
 * @param bytes the size in bytes (of all files, for a folder)
 */
public record RunInput(String role, String path, String sha256, long bytes) {

    private static final int MB = 1 << 20;

    /**
     * Hashes a file or folder.
     *
     * @param role what the input is to the fit
     * @param file the file or folder
     * @param monitor progress in megabytes read; may be null
     * @return the input record
     * @throws IOException if the input does not exist or cannot be read
     */
    public static RunInput of(String role, Path file, IProgressMonitor monitor) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(abs)) {
                files = walk.filter(Files::isRegularFile)
                        .sorted((a, b) -> relative(abs, a).compareTo(relative(abs, b))).toList();
            }
            long total = 0;
            for (Path f : files) {
                total += Files.size(f);
            }
            SubMonitor sub = SubMonitor.convert(monitor, "Hashing " + abs.getFileName(), megabytes(total));
            MessageDigest listing = newDigest();
            for (Path f : files) {
                String line = hash(f, sub) + "  " + relative(abs, f) + "\n";
                listing.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return new RunInput(role, abs.toString(), HexFormat.of().formatHex(listing.digest()), total);
        }
        if (!Files.isRegularFile(abs)) {
            throw DataFormatException.of(abs, "does not exist, so it cannot be recorded as the run's " + role);
        }
        long size = Files.size(abs);
        SubMonitor sub = SubMonitor.convert(monitor, "Hashing " + abs.getFileName(), megabytes(size));
        return new RunInput(role, abs.toString(), hash(abs, sub), size);
    }

    private static String relative(Path root, Path f) {
        return root.relativize(f).toString().replace('\\', '/');
    }

    private static int megabytes(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, (bytes + MB - 1) / MB);
    }

    /** Hashes one file, reporting one unit per megabyte and stopping when cancelled. */
    private static String hash(Path file, SubMonitor monitor) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[MB];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.readNBytes(buffer, 0, MB)) > 0) {
                digest.update(buffer, 0, n);
                monitor.split(1);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Checks whether the input still holds the same content.
     *
     * @param monitor progress in megabytes read; may be null
     * @return true if the path exists and hashes to the recorded value
     * @throws IOException if it cannot be read
     */
    public boolean isUnchanged(IProgressMonitor monitor) throws IOException {
        Path p = Path.of(path);
        if (!Files.exists(p)) {
            return false;
        }
        return of(role, p, monitor).sha256.equals(sha256);
    }
}
