package org.brainalign.engine.factortopy;

import java.io.IOException;

/**
 * A feature source gives the cached backbone features of numbered images, the input of the encoder: per image and
 * layer, C x G x G local tokens (the patch grid resized to G x G, G = 8) and one global token of C values (the CLS
 * token, or the spatial mean for a backbone without one). Image i of a feature source is row i of the responses it is
 * fitted with.
 */
public interface FeatureSource {

    /** @return the number of images */
    int imageCount();

    /** @return L, the number of layers */
    int layers();

    /** @return C, the width of every token */
    int channels();

    /** @return G, the side of the local token grid */
    int grid();

    /**
     * Reads the features of some images into caller-owned arrays.
     *
     * @param images image numbers, each 0 .. imageCount() - 1
     * @param local receives images.length x L x C x G x G values: image, then layer, then channel, then grid row
     *        (along the image's height), then grid column; it may be longer
     * @param global receives images.length x L x C values; it may be longer
     * @throws IOException if the features cannot be read
     */
    void read(int[] images, float[] local, float[] global) throws IOException;

    /** @return what the features are, for messages, e.g. the file they come from */
    default String description() {
        return "the features";
    }
}
