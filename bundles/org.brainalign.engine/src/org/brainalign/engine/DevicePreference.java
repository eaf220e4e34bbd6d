package org.brainalign.engine;

import java.util.Locale;

/** Where the user wants the deep learning to run. */
public enum DevicePreference {

    /** A GPU when DJL can use one, else the CPU. */
    AUTO,
    /** Always the CPU. */
    CPU,
    /** A GPU; falls back to the CPU, saying why, when none can be used. */
    GPU;

    /**
     * @param text "auto", "cpu" or "gpu", any case
     * @return the preference
     * @throws IllegalArgumentException naming the accepted values
     */
    public static DevicePreference parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown device '" + text + "': use auto, cpu or gpu", e);
        }
    }
}
