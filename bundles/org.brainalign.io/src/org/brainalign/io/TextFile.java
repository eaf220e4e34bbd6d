package org.brainalign.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * A text file a user gave (subject.json, trials.csv, config.json, a safetensors header...), read so that every problem
 * is one sentence naming the file: text that is not UTF-8, and JSON that does not parse, said with the line and
 * column where it breaks, without the parser's own wording, advice or links.
 */
public final class TextFile {

    private static final Pattern POSITION = Pattern.compile("line (\\d+) column (\\d+)");

    private TextFile() {
    }

    /**
     * Reads and parses a JSON file.
     *
     * @param file the file
     * @return the parsed document
     * @throws DataFormatException naming the file, if it is not a regular file, not UTF-8 or not JSON
     * @throws IOException if it cannot be read
     */
    public static JsonElement json(Path file) throws IOException {
        return parseJson(utf8(file), file);
    }

    /**
     * Reads a text file that must be UTF-8.
     *
     * @param file the file
     * @return its text
     * @throws DataFormatException naming the file, if it is not a regular file or not UTF-8
     * @throws IOException if it cannot be read
     */
    public static String utf8(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(InputFile.check(file));
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw DataFormatException.of(file, "is not UTF-8 text (save it as UTF-8)");
        }
    }

    /**
     * Parses JSON text that came from a file.
     *
     * @param text the text
     * @param file the file, for the message
     * @return the parsed document
     * @throws DataFormatException naming the file, if the text is not JSON
     */
    public static JsonElement parseJson(String text, Path file) throws DataFormatException {
        try {
            return JsonParser.parseString(text);
        } catch (JsonParseException | IllegalStateException e) {
            throw DataFormatException.of(file, "is not valid JSON" + where(e), e);
        }
    }

    /**
     * @param e a parser's exception
     * @return " (it breaks at line L, column C)", or "" when the parser did not say where
     */
    public static String where(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = POSITION.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return " (it breaks at line " + m.group(1) + ", column " + m.group(2) + ")";
            }
        }
        return "";
    }
}
