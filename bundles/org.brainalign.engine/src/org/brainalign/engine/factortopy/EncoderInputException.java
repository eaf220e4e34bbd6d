package org.brainalign.engine.factortopy;

import java.io.IOException;

/**
 * An encoder input exception says that the data given to fit, evaluate or apply an encoder cannot be used: its message
 * is one sentence naming what is wrong (features and responses of different image counts, NaN responses, coordinates
 * of the wrong shape, a checkpoint made for other voxels or layers), fit to be shown as it is. Nothing has been written
 * when it is thrown.
 */
public class EncoderInputException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the whole sentence
     */
    public EncoderInputException(String message) {
        super(sentence(message));
    }

    private static String sentence(String message) {
        String s = message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }
}
