package org.brainalign.sweep;

import java.io.IOException;

/** A sweep cannot start or go on: the message is one sentence a user can act on, naming the file or value. */
public final class SweepException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message the sentence */
    public SweepException(String message) {
        super(message);
    }

    /**
     * @param message the sentence
     * @param cause what went wrong underneath
     */
    public SweepException(String message, Throwable cause) {
        super(message, cause);
    }
}
