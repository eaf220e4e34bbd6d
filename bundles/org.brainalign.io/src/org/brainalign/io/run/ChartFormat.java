package org.brainalign.io.run;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A chart format is one of the two forms a rendered chart is kept in: a PNG image or an SVG document. The chart
 * renderers produce the bytes; run folders and reports store and embed them and check that the bytes are what their
 * name says.
 */
public enum ChartFormat {

    /** Portable Network Graphics, a raster image. */
    PNG(".png", "image/png", "a PNG image"),
    /** Scalable Vector Graphics, an XML document. */
    SVG(".svg", "image/svg+xml", "an SVG document");

    private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

    private final String extension;
    private final String mediaType;
    private final String description;

    ChartFormat(String extension, String mediaType, String description) {
        this.extension = extension;
        this.mediaType = mediaType;
        this.description = description;
    }

    /**
     * @param fileName a file name
     * @return the format its extension names, if any
     */
    public static Optional<ChartFormat> ofFileName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        for (ChartFormat f : values()) {
            if (lower.endsWith(f.extension)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
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

    /**
     * @param bytes a file's content
     * @return whether it starts as this format requires: the PNG signature, or an XML document whose root is svg
     */
    public boolean matches(byte[] bytes) {
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
}
