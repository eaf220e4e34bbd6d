package org.brainalign.engine.features;

import java.io.IOException;

/** An image file that cannot be decoded; the message names the file and the reason. */
public class ImageReadException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message one sentence naming the image and the problem */
    public ImageReadException(String message) {
        super(message);
    }

    /**
     * @param message one sentence naming the image and the problem
     * @param cause the decoder's reason
     */
    public ImageReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
