package org.brainalign.io.safetensors;

import java.io.IOException;

/** A safetensors file (or its shard index) that is not what the format promises; the message names the file. */
public class SafetensorsFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message one sentence naming the file and the problem */
    public SafetensorsFormatException(String message) {
        super(message);
    }

    /**
     * @param message one sentence naming the file and the problem
     * @param cause the low-level reason
     */
    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
