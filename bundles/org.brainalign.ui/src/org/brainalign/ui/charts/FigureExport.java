package org.brainalign.ui.charts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

import org.brainalign.charts.Figure;
import org.brainalign.io.AtomicFile;

/**
 * A figure export writes what a chart view shows to a file through the figure's own renderings ({@link Figure#png},
 * {@link Figure#svg}, {@link Figure#csv}), the same bytes the command line writes; the file appears under its name
 * only when complete.
 */
public final class FigureExport {

    /** The formats a figure is exported in. */
    public enum Format {

        /** The picture, at the figure's preferred size. */
        PNG("png", "PNG image"),
        /** The picture as SVG 1.1. */
        SVG("svg", "SVG drawing"),
        /** The numbers the picture shows. */
        CSV("csv", "CSV table");

        private final String extension;
        private final String description;

        Format(String extension, String description) {
            this.extension = extension;
            this.description = description;
        }

        /** @return the file extension, without the dot */
        public String extension() {
            return extension;
        }

        /** @return what the file holds, for dialogs */
        public String description() {
            return description;
        }

        /**
         * @param file a file name
         * @return the format its extension names
         * @throws IOException if it ends in none of .png, .svg, .csv
         */
        public static Format of(Path file) throws IOException {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            for (Format f : values()) {
                if (name.endsWith("." + f.extension)) {
                    return f;
                }
            }
            throw new IOException("File " + file + " ends in none of .png, .svg and .csv, so it is unclear what to"
                    + " write.");
        }
    }

    private FigureExport() {
    }

    /**
     * Writes a figure in the format its file name says.
     *
     * @param figure the figure
     * @param target a file ending in .png, .svg or .csv
     * @throws IOException if the name is of none of these or the file cannot be written
     */
    public static void write(Figure figure, Path target) throws IOException {
        Format format = Format.of(target);
        byte[] bytes = switch (format) {
            case PNG -> figure.png();
            case SVG -> figure.svg().getBytes(StandardCharsets.UTF_8);
            case CSV -> figure.csv().getBytes(StandardCharsets.UTF_8);
        };
        AtomicFile.write(target, out -> out.write(bytes));
    }
}
