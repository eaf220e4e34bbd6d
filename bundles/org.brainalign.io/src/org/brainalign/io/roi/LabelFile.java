package org.brainalign.io.roi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.brainalign.io.InputFile;
import org.brainalign.core.data.LabelTable;
import org.brainalign.io.DataFormatException;

/**
 * A label file names the labels of an atlas volume. Two formats are read:
 * <ul>
 * <li>text, one label per line: {@code index name [code]}, separated by spaces or tabs, as in AAL's aal.nii.txt
 * ("43 Calcarine_L 5001"); a name may contain spaces when no code follows; blank lines and lines starting with #
 * are skipped;</li>
 * <li>FSL atlas XML ({@code .xml}): {@code <label index="i" ...>Name</label>} elements, where FSL numbers labels from 0
 * and the label image holds index + 1, so label i + 1 gets the name;</li>
 * <li>a colour lookup table ({@code .lut}), one label per line, either FreeSurfer's {@code index name R G B A}
 * (0-255 integers; the name has no spaces) or FSLeyes' {@code index r g b name} (0-1 fractions; the name may have
 * spaces). The colours are not used: the names are.</li>
 * </ul>
 */
public final class LabelFile {

    private static final Pattern XML_LABEL = Pattern
            .compile("<label\\b[^>]*?\\bindex\\s*=\\s*[\"'](-?\\d+)[\"'][^>]*>(.*?)</label\\s*>", Pattern.DOTALL);

    private LabelFile() {
    }

    /**
     * Reads a label file, choosing the format by its extension (.xml: FSL XML; anything else: text).
     *
     * @param file the label file
     * @return the table
     * @throws DataFormatException if a line or element cannot be read (the message names the file and line)
     * @throws IOException if the file cannot be read
     */
    public static LabelTable read(Path file) throws IOException {
        InputFile.check(file);
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".xml")) {
            return parseXml(text, file);
        }
        return name.endsWith(".lut") ? parseLut(text, file) : parseText(text, file);
    }

    static LabelTable parseText(String text, Path file) throws DataFormatException {
        Map<Integer, String> names = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] tokens = line.split("\\s+");
            if (tokens.length < 2 || !tokens[0].matches("-?\\d+")) {
                throw DataFormatException.of(file, "line " + (n + 1) + " is not 'index name [code]': '" + line + "'");
            }
            int end = tokens.length;
            if (end >= 3 && tokens[end - 1].matches("-?\\d+")) {
                end--; // a trailing integer is the atlas's own code, not part of the name
            }
            String name = String.join(" ", Arrays.copyOfRange(tokens, 1, end));
            put(names, Integer.parseInt(tokens[0]), name, file, "line " + (n + 1));
        }
        return table(names, file);
    }

    static LabelTable parseLut(String text, Path file) throws DataFormatException {
        Map<Integer, String> names = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] t = line.split("\\s+");
            String name;
            if (t.length == 6 && t[0].matches("-?\\d+") && Arrays.stream(t, 2, 6).allMatch(v -> v.matches("\\d+"))) {
                name = t[1]; // FreeSurfer: index name R G B A
            } else if (t.length >= 5 && t[0].matches("-?\\d+")
                    && Arrays.stream(t, 1, 4).allMatch(v -> v.matches("\\d*\\.?\\d+([eE][-+]?\\d+)?"))) {
                name = String.join(" ", Arrays.copyOfRange(t, 4, t.length)); // FSLeyes: index r g b name
            } else {
                throw DataFormatException.of(file, "line " + (n + 1)
                        + " is neither FreeSurfer's 'index name R G B A' nor FSLeyes' 'index r g b name': '" + line
                        + "'");
            }
            put(names, Integer.parseInt(t[0]), name, file, "line " + (n + 1));
        }
        return table(names, file);
    }

    static LabelTable parseXml(String text, Path file) throws DataFormatException {
        Map<Integer, String> names = new LinkedHashMap<>();
        Matcher m = XML_LABEL.matcher(text);
        while (m.find()) {
            int index = Integer.parseInt(m.group(1));
            String name = unescape(m.group(2).strip());
            put(names, index + 1, name, file, "label index " + index);
        }
        if (names.isEmpty()) {
            throw DataFormatException.of(file, "holds no <label index=...> elements of an FSL atlas");
        }
        return table(names, file);
    }

    private static void put(Map<Integer, String> names, int label, String name, Path file, String where)
            throws DataFormatException {
        if (name.isEmpty()) {
            throw DataFormatException.of(file, "gives no name at " + where);
        }
        if (names.containsKey(label)) {
            throw DataFormatException.of(file, "names label " + label + " twice (" + where + ")");
        }
        names.put(label, name);
    }

    private static LabelTable table(Map<Integer, String> names, Path file) throws DataFormatException {
        try {
            return new LabelTable(names);
        } catch (IllegalArgumentException e) {
            throw DataFormatException.of(file, "is not a usable label table: " + e.getMessage());
        }
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }
}
