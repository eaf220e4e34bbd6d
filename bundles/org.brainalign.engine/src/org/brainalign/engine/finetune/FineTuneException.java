package org.brainalign.engine.finetune;

import java.io.IOException;

/**
 * A fine-tuning that cannot start or continue because of something the user gave: an image folder without class
 * folders, an output folder holding something else, a saved state made with other settings. The message is one
 * sentence naming the file or folder and the problem.
 */
public class FineTuneException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message one sentence naming the file or folder and the problem */
    public FineTuneException(String message) {
        super(message);
    }

    /**
     * @param message one sentence naming the file or folder and the problem
     * @param cause the low-level reason
     */
    public FineTuneException(String message, Throwable cause) {
        super(message, cause);
    }
}
