package org.brainalign.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data format exception says that a file a user gave cannot be used: its message is one sentence naming the file
 * and what is wrong with it (a truncated gzip, a wrong magic, dimensions that do not match the data, a pickle...), fit
 * to be shown as it is.
 */
public class DataFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the whole sentence, naming the file and the problem
     */
    public DataFormatException(String message) {
        super(oneLine(message));
    }

    /**
     * @param message the whole sentence, naming the file and the problem
     * @param cause the low-level error behind it
     */
    public DataFormatException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /**
     * Messages quote what a file holds (a subject name, a trial line, a header): a newline or control character
     * there must not break the one line a user reads, so each is shown escaped.
     */
    private static String oneLine(String message) {
        if (message == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(message.length());
        for (char c : message.toCharArray()) {
            if (c == '\n') {
                b.append("\\n");
            } else if (Character.isISOControl(c)) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * @param file the file at fault
     * @param problem what is wrong with it, as the end of a sentence, e.g. "is truncated"
     * @return the exception, with the message "file: problem."
     */
    public static DataFormatException of(Path file, String problem) {
        return new DataFormatException(sentence(file, problem));
    }

    /**
     * @param file the file at fault
     * @param problem what is wrong with it
     * @param cause the low-level error behind it
     * @return the exception
     */
    public static DataFormatException of(Path file, String problem, Throwable cause) {
        return new DataFormatException(sentence(file, problem), cause);
    }

    private static String sentence(Path file, String problem) {
        String s = "File " + file + " " + problem;
        return s.endsWith(".") ? s : s + ".";
    }
}
