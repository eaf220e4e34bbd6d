package org.brainalign.ui.guide;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * The guide is the user guide shipped in the bundle (guide/guide.md), in a small part of Markdown: a title line
 * ("# "), sections ("## "), paragraphs separated by blank lines, list items ("- "), {@code `code`} and
 * {@code **bold**} spans. It is parsed into sections for the guide view.
 */
public final class Guide {

    /** Where the guide lies in the bundle. */
    public static final String RESOURCE = "guide/guide.md";

    /**
     * One section of the guide.
     *
     * @param title its heading
     * @param body its text, lines as written
     */
    public record Section(String title, String body) {

        /**
         * The body reflowed for a view that wraps its own lines: the guide's source is wrapped at a fixed width,
         * and showing its line breaks would break sentences wherever the source did. Each paragraph and each list
         * item (with its indented continuation lines) becomes one line; a blank line stays between paragraphs.
         *
         * @return the lines to show
         */
        public List<String> reflowed() {
            List<String> lines = new ArrayList<>();
            boolean open = false; // whether the last line shown takes the next source line as its continuation
            for (String line : body.split("\n", -1)) {
                if (line.isBlank()) {
                    lines.add("");
                    open = false;
                } else if (line.startsWith("- ") || line.startsWith("#") || !open) {
                    lines.add(line.startsWith("- ") ? line : line.strip());
                    open = true;
                } else {
                    lines.set(lines.size() - 1, lines.get(lines.size() - 1) + " " + line.strip());
                }
            }
            return lines;
        }
    }

    private final String title;
    private final List<Section> sections;

    private Guide(String title, List<Section> sections) {
        this.title = title;
        this.sections = List.copyOf(sections);
    }

    /**
     * @return the guide shipped in the bundle
     * @throws IOException if the bundle lacks it
     */
    public static Guide bundled() throws IOException {
        // the bundle's own entry: found in a jar and in a development workspace, where it is not on the class path
        Bundle bundle = FrameworkUtil.getBundle(Guide.class);
        URL url = bundle != null ? bundle.getEntry(RESOURCE) : Guide.class.getResource("/" + RESOURCE);
        if (url == null) {
            throw new IOException("The guide " + RESOURCE + " is missing from the org.brainalign.ui bundle.");
        }
        try (InputStream in = url.openStream()) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * @param text the guide's text
     * @return the guide: text before the first section goes into an untitled first section
     */
    public static Guide parse(String text) {
        String guideTitle = "";
        List<Section> list = new ArrayList<>();
        String current = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\r?\n", -1)) {
            if (line.startsWith("## ")) {
                if (current != null || !body.toString().isBlank()) {
                    list.add(new Section(current == null ? "" : current, body.toString().strip()));
                }
                current = line.substring(3).strip();
                body.setLength(0);
            } else if (line.startsWith("# ") && guideTitle.isEmpty()) {
                guideTitle = line.substring(2).strip();
            } else {
                body.append(line).append('\n');
            }
        }
        if (current != null || !body.toString().isBlank()) {
            list.add(new Section(current == null ? "" : current, body.toString().strip()));
        }
        return new Guide(guideTitle, list);
    }

    /** @return the guide's title */
    public String title() {
        return title;
    }

    /** @return its sections, in order */
    public List<Section> sections() {
        return sections;
    }
}
