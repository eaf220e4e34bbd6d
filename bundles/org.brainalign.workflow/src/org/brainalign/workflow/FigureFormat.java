package org.brainalign.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.brainalign.charts.Figure;
import org.brainalign.io.AtomicFile;

/**
 * A figure format is one of the forms a figure is kept in: a PNG image, an SVG document, or the CSV table of the
 * numbers it shows. This is the one writer of figures: the command line, the workbench's chart export, run folders
 * and reports all take a figure's bytes from here, so a figure saved anywhere is the same file; the file appears
 * under its name only when complete.
 */
public enum FigureFormat {

    /** Portable Network Graphics, a raster image at the figure's preferred size. */
    PNG(".png", "image/png", "a PNG image", "PNG image"),
    /** Scalable Vector Graphics 1.1, an XML document. */
    SVG(".svg", "image/svg+xml", "an SVG document", "SVG drawing"),
    /** The numbers the picture shows. */
    CSV(".csv", "text/csv", "a CSV table", "CSV table");

    private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

    private final String extension;
    private final String mediaType;
    private final String description;
    private final String label;

    FigureFormat(String extension, String mediaType, String description, String label) {
        this.extension = extension;
        this.mediaType = mediaType;
        this.description = description;
        this.label = label;
    }

    /**
     * @param fileName a file name
     * @return the format its extension names, if any
     */
    public static Optional<FigureFormat> ofFileName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        for (FigureFormat f : values()) {
            if (lower.endsWith(f.extension)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * @param file a file name
     * @return the format its extension names
     * @throws IOException if it ends in none of .png, .svg, .csv
     */
    public static FigureFormat of(Path file) throws IOException {
        return ofFileName(file.getFileName().toString()).orElseThrow(() -> new IOException("File " + file
                + " ends in none of .png, .svg and .csv, so it is unclear what to write."));
    }

    /** @return the file extension, with its dot */
    public String extension() {
        return extension;
    }

    /** @return the media type, for data URIs */
    public String mediaType() {
        return mediaType;
    }

    /** @return the format in words, e.g. "a PNG image" */
    public String description() {
        return description;
    }

    /** @return the format's name for dialogs, e.g. "PNG image" */
    public String label() {
        return label;
    }

    /** @return whether this is a picture (PNG or SVG) rather than the numbers */
    public boolean isPicture() {
        return this != CSV;
    }

    /**
     * @param figure a figure
     * @return the figure in this format
     */
    public byte[] bytes(Figure figure) {
        return switch (this) {
            case PNG -> figure.png();
            case SVG -> figure.svg().getBytes(StandardCharsets.UTF_8);
            case CSV -> figure.csv().getBytes(StandardCharsets.UTF_8);
        };
    }

    /**
     * @param bytes a file's content
     * @return whether it starts as this format requires: the PNG signature, or an XML document whose root is svg; any
     *         text for CSV
     */
    public boolean matches(byte[] bytes) {
        if (this == CSV) {
            return true;
        }
        if (this == PNG) {
            if (bytes.length < PNG_SIGNATURE.length) {
                return false;
            }
            for (int i = 0; i < PNG_SIGNATURE.length; i++) {
                if (bytes[i] != PNG_SIGNATURE[i]) {
                    return false;
                }
            }
            return true;
        }
        String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.UTF_8).stripLeading();
        if (head.startsWith("\uFEFF")) {
            head = head.substring(1);
        }
        return head.startsWith("<svg") || (head.startsWith("<?xml") || head.startsWith("<!")) && head.contains("<svg");
    }

    /**
     * Writes a figure in the format its file name says.
     *
     * @param figure the figure
     * @param target a file ending in .png, .svg or .csv
     * @return the file written
     * @throws IOException if the name is of none of these or the file cannot be written
     */
    public static Path write(Figure figure, Path target) throws IOException {
        byte[] bytes = of(target).bytes(figure);
        AtomicFile.write(target, out -> out.write(bytes));
        return target;
    }

    /**
     * Writes a figure outside a run folder: NAME.png, NAME.svg and NAME.csv (the numbers it shows) in a folder.
     *
     * @param dir the folder
     * @param name the base name
     * @param figure the figure
     * @return the three files written
     * @throws IOException if a file cannot be written
     */
    public static List<Path> writeAll(Path dir, String name, Figure figure) throws IOException {
        List<Path> written = new ArrayList<>();
        for (FigureFormat f : values()) {
            written.add(write(figure, dir.resolve(name + f.extension)));
        }
        return written;
    }
}
