package org.brainalign.io;

import java.io.IOException;

/**
 * An output refused exception says that a command will not write where it was told to (over its own input, over an
 * existing file without --force, into a folder another process is writing); its message is one sentence naming the
 * path and the way out.
 */
public class OutputRefusedException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the whole sentence
     */
    public OutputRefusedException(String message) {
        super(message);
    }
}
