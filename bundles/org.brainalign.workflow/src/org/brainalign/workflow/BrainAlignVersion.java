package org.brainalign.workflow;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/** The version of the BrainAlign software: the workflow bundle's version when running in OSGi. */
public final class BrainAlignVersion {

    private BrainAlignVersion() {
    }

    /** @return e.g. "0.1.0.202611260530", or "development" outside an OSGi framework */
    public static String get() {
        Bundle bundle = FrameworkUtil.getBundle(BrainAlignVersion.class);
        return bundle == null ? "development" : bundle.getVersion().toString();
    }
}
