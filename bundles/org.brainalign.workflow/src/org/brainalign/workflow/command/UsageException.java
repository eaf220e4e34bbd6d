package org.brainalign.workflow.command;

/** The user typed something the command line does not understand; the message says what, in one sentence. */
public class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong with the command line
     */
    public UsageException(String message) {
        super(message);
    }
}
