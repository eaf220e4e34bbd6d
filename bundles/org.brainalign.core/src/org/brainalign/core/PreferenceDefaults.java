package org.brainalign.core;

import java.util.Map;

/**
 * Defaults of the settings the command line and the workbench share, computed the same way in both. The workbench
 * stores a user's changes in its preference store; the command line takes options and environment variables.
 */
public final class PreferenceDefaults {

    /** Environment variable that overrides the cache folder. */
    public static final String CACHE_ENV = "BRAINALIGN_CACHE";

    private PreferenceDefaults() {
    }

    /**
     * The folder for caches (feature stores by default, downloaded nothing): {@code $BRAINALIGN_CACHE}, else
     * {@code $XDG_CACHE_HOME/brainalign}, else {@code ~/.cache/brainalign}.
     *
     * @param env the environment, usually {@code System.getenv()}
     * @param userHome the user's home folder
     * @return the folder, as text
     */
    public static String cacheFolder(Map<String, String> env, String userHome) {
        String explicit = env.get(CACHE_ENV);
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return xdg + "/brainalign";
        }
        return userHome + "/.cache/brainalign";
    }

    /** @return the cache folder of this process */
    public static String cacheFolder() {
        return cacheFolder(System.getenv(), System.getProperty("user.home"));
    }
}
