package org.brainalign.io.run;

import org.brainalign.io.DataFormatException;

/**
 * A run folder exception says that a run folder cannot be used as asked: it holds another run, it is of a format this
 * version does not read, a file of it is missing or damaged, or two runs cannot be compared. Its message is one
 * sentence naming the folder (or file) and the problem.
 */
public class RunFolderException extends DataFormatException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the whole sentence, naming the folder and the problem
     */
    public RunFolderException(String message) {
        super(message.endsWith(".") ? message : message + ".");
    }

    /**
     * @param message the whole sentence
     * @param cause the low-level error behind it
     */
    public RunFolderException(String message, Throwable cause) {
        super(message.endsWith(".") ? message : message + ".", cause);
    }
}
