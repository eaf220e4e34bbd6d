package org.brainalign.engine.features;

/**
 * A decoded image as planes of floats in [0, 1]: one plane (grey) or three (red, green, blue), each height x width,
 * row-major. Alpha is dropped, as PIL's {@code convert("RGB")} does; 16-bit samples are divided by 65535, 8-bit ones by
 * 255, with no rounding.
 *
 * @param width pixels per row
 * @param height rows
 * @param channels 1 or 3
 * @param planes channels x height x width values in [0, 1]
 */
public record DecodedImage(int width, int height, int channels, float[] planes) {

    /**
     * Converts to a channel count: grey to RGB by repeating the plane, RGB to grey by ITU-R 601-2 luma
     * (L = 0.299 R + 0.587 G + 0.114 B, PIL's {@code convert("L")} without its rounding to 8 bits).
     *
     * @param wanted 1 or 3
     * @return the image with that many planes
     */
    public DecodedImage withChannels(int wanted) {
        if (wanted == channels) {
            return this;
        }
        int n = width * height;
        if (wanted == 3 && channels == 1) {
            float[] rgb = new float[3 * n];
            for (int c = 0; c < 3; c++) {
                System.arraycopy(planes, 0, rgb, c * n, n);
            }
            return new DecodedImage(width, height, 3, rgb);
        }
        if (wanted == 1 && channels == 3) {
            float[] grey = new float[n];
            for (int i = 0; i < n; i++) {
                grey[i] = (float) ((planes[i] * 299.0 + planes[n + i] * 587.0 + planes[2 * n + i] * 114.0) / 1000.0);
            }
            return new DecodedImage(width, height, 1, grey);
        }
        throw new IllegalArgumentException("cannot convert " + channels + " channel(s) to " + wanted);
    }
}
