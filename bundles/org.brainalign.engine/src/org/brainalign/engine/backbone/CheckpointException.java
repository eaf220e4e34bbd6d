package org.brainalign.engine.backbone;

import java.io.IOException;

/**
 * A checkpoint that cannot be turned into a network: a missing or misnamed tensor, a shape that disagrees with
 * config.json, a configuration this family does not know. The message is one sentence naming the file and the
 * problem.
 */
public class CheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message one sentence naming the file (and tensor) and the problem */
    public CheckpointException(String message) {
        super(message);
    }

    /**
     * @param message one sentence naming the file and the problem
     * @param cause the low-level reason
     */
    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
