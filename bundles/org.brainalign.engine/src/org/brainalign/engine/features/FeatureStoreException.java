package org.brainalign.engine.features;

import java.io.IOException;

/**
 * A feature store that cannot be used as asked: incomplete, damaged, or made from another backbone, checkpoint,
 * preprocessing or image set. The message names the store and says what to do.
 */
public class FeatureStoreException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message one sentence naming the store and the problem */
    public FeatureStoreException(String message) {
        super(message);
    }
}
