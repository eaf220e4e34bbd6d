package org.brainalign.workflow.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.brainalign.io.DataFormatException;
import org.brainalign.workflow.FigureFormat;

/**
 * A report figure is a rendered chart with its caption: the bytes of a PNG image or an SVG document, as the chart
 * renderers produce them. The report embeds the bytes themselves, so it needs no file beside it.
 *
 * @param caption what the figure shows
 * @param format PNG or SVG
 * @param bytes the image file's content
 */
public record ReportFigure(String caption, FigureFormat format, byte[] bytes) {

    /**
     * @throws IllegalArgumentException if the bytes are not of the format
     */
    public ReportFigure {
        if (!format.isPicture() || !format.matches(bytes)) {
            throw new IllegalArgumentException("the figure '" + caption + "' is not " + format.description());
        }
        bytes = bytes.clone();
    }

    /**
     * @param caption what the figure shows
     * @param png a PNG file's bytes
     * @return the figure
     */
    public static ReportFigure png(String caption, byte[] png) {
        return new ReportFigure(caption, FigureFormat.PNG, png);
    }

    /**
     * @param caption what the figure shows
     * @param svg an SVG document
     * @return the figure
     */
    public static ReportFigure svg(String caption, String svg) {
        return new ReportFigure(caption, FigureFormat.SVG, svg.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Reads a chart file.
     *
     * @param caption what the figure shows
     * @param file a .png or .svg file
     * @return the figure
     * @throws IOException if the file cannot be read or is not what its name says
     */
    public static ReportFigure read(String caption, Path file) throws IOException {
        FigureFormat format = FigureFormat.ofFileName(file.getFileName().toString()).filter(FigureFormat::isPicture)
                .orElseThrow(() -> DataFormatException.of(file, "is not a chart: its name ends neither in .png nor"
                        + " in .svg"));
        byte[] bytes = Files.readAllBytes(file);
        if (!format.matches(bytes)) {
            throw DataFormatException.of(file, "is not " + format.description());
        }
        return new ReportFigure(caption, format, bytes);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
