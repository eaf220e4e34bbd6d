package org.brainalign.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.brainalign.io.InputFile;

/** The images a command works on: every image file of a folder, by name, or the lines of a list file. */
public final class ImageList {

    private ImageList() {
    }

    /**
     * @param source a folder (its .png, .jpg and .jpeg files, sorted by name) or a text file with one image path a line
     *        (relative paths are relative to the list's folder; blank lines and lines starting with # are skipped)
     * @return the image files, in order
     * @throws IOException if the source cannot be read or holds no image
     */
    public static List<Path> of(Path source) throws IOException {
        List<Path> images = new ArrayList<>();
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.list(source)) {
                files.filter(ImageList::isImage).sorted().forEach(images::add);
            }
        } else if (Files.isRegularFile(source)) {
            Path base = source.toAbsolutePath().getParent();
            for (String line : Files.readAllLines(source)) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    images.add(base.resolve(l));
                }
            }
        } else {
            throw new IOException(source + " is neither an image folder nor a list file");
        }
        if (images.isEmpty()) {
            throw new IOException(source + " holds no image (.png, .jpg or .jpeg)");
        }
        // a dangling link, a link loop, a folder or a pipe under an image's name is reported, not skipped
        for (Path image : images) {
            InputFile.check(image);
        }
        return images;
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }
}
