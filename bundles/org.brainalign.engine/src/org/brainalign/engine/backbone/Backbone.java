package org.brainalign.engine.backbone;

import org.brainalign.engine.ComputeDevice;

/**
 * A frozen vision network loaded and ready to run: it takes a batch of normalised square images and gives, for every
 * block, the block's output tokens (before any final norm). From those the engine keeps, per block, the local tokens
 * resized to a small grid and one global token (the class token, or the spatial mean of the patch tokens for a
 * network without one). Close it to free its native memory.
 */
public interface Backbone extends AutoCloseable {

    /** @return the id of the family that built it, e.g. "hf-vit" */
    String familyId();

    /** @return the number of blocks L */
    int layers();

    /** @return the token width C */
    int channels();

    /** @return the square input side in pixels */
    int inputSize();

    /** @return the image channels the network takes (1 or 3) */
    int inputChannels();

    /** @return the side of the patch-token grid at the input size */
    int gridSide();

    /** @return whether the global token is a class token (else the spatial mean of the patch tokens) */
    boolean hasClassToken();

    /** @return the input normalisation the checkpoint declares, or ImageNet's when it declares none */
    Normalization normalization();

    /** @return the device it runs on, with the reason it was chosen */
    ComputeDevice device();

    /**
     * Runs the network and returns every hidden state, for checks against a reference.
     *
     * @param pixels B x inputChannels x inputSize x inputSize normalised values, row-major
     * @param batch B
     * @return L + 1 arrays (the embedding output, then each block's output), each B x T x C with T all tokens
     *         (class token and registers first, then the patch grid row by row)
     */
    float[][] hiddenStates(float[] pixels, int batch);

    /**
     * Runs the network and returns the cacheable features of every block: the patch tokens resized to a
     * {@code grid x grid} grid (bilinear, align_corners false, no antialias) and the global token.
     *
     * @param pixels B x inputChannels x inputSize x inputSize normalised values, row-major
     * @param batch B
     * @param grid the side of the resized grid (8 for FactorTopy)
     * @return B x L x (grid * grid + 1) x C: per image and block, the grid cells row by row, then the global token
     */
    float[] features(float[] pixels, int batch, int grid);

    /** Frees the network's native memory. */
    @Override
    void close();
}
