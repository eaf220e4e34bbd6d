package org.brainalign.io.torch;

/**
 * A storage a tensor refers to: the key of its bytes in the checkpoint, its element type, and the window of elements
 * it covers (the whole stored block, except for the views of the legacy format).
 *
 * @param key the storage's key in the container ({@code data/KEY} in a zip, the key list of the legacy format)
 * @param dtype its element type
 * @param elementOffset the first element of the window within the stored block
 * @param numel the number of elements in the window
 */
public record TorchStorage(String key, TorchDtype dtype, long elementOffset, long numel) {
}
