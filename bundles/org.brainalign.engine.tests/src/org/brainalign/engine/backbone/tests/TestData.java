package org.brainalign.engine.backbone.tests;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A minimal reader for the little-endian float32 C-order .npy files of the shared test data. */
final class TestData {

    private TestData() {
    }

    /** A float32 array read from .npy: its shape and data. */
    record Npy(int[] shape, float[] data) {
    }

    /**
     * Reads an .npy file of dtype '<f4' in C order (all the reference arrays are), refusing anything else.
     *
     * @param file the file
     * @return shape and data
     * @throws IOException if unreadable or of another dtype
     */
    static Npy readNpy(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLength = major == 1 ? b.getShort(8) & 0xffff : b.getInt(8);
        int start = major == 1 ? 10 : 12;
        String header = new String(bytes, start, headerLength, StandardCharsets.ISO_8859_1);
        if (!header.contains("'descr': '<f4'") || !header.contains("'fortran_order': False")) {
            throw new IOException(file + ": only little-endian float32 in C order is read here: " + header);
        }
        Matcher m = Pattern.compile("'shape': \\(([^)]*)\\)").matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": no shape in " + header);
        }
        String[] parts = m.group(1).split(",");
        int count = 0;
        int[] dims = new int[parts.length];
        for (String p : parts) {
            if (!p.isBlank()) {
                dims[count++] = Integer.parseInt(p.trim());
            }
        }
        int[] shape = java.util.Arrays.copyOf(dims, count);
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] data = new float[(int) n];
        b.position(start + headerLength);
        b.asFloatBuffer().get(data);
        return new Npy(shape, data);
    }

    /**
     * The error function, Abramowitz and Stegun 7.1.26 refined: absolute error below 1.5e-7, far inside the
     * tolerances it is used with.
     *
     * @param x argument
     * @return erf(x)
     */
    static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-x * x);
        return x >= 0 ? y : -y;
    }
}
