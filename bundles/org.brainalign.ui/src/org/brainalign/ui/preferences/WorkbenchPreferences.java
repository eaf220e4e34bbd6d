package org.brainalign.ui.preferences;

import java.util.Map;

import org.brainalign.core.BrainAlignPreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.preference.IPersistentPreferenceStore;
import org.eclipse.ui.preferences.ScopedPreferenceStore;

/**
 * The workbench's view of {@link BrainAlignPreferences}: one preference store on the instance scope, node
 * {@link BrainAlignPreferences#NODE}, whose defaults are the core's, so that the preference page, the viewer and the
 * command line agree on every value.
 */
public final class WorkbenchPreferences {

    private static ScopedPreferenceStore store;

    private WorkbenchPreferences() {
    }

    /** @return the store, created on first use with the core's defaults */
    public static synchronized IPersistentPreferenceStore store() {
        if (store == null) {
            ScopedPreferenceStore s = new ScopedPreferenceStore(InstanceScope.INSTANCE, BrainAlignPreferences.NODE);
            for (Map.Entry<String, String> d : BrainAlignPreferences.defaults().entrySet()) {
                s.setDefault(d.getKey(), d.getValue());
            }
            store = s;
        }
        return store;
    }

    /** @return the current values, typed */
    public static BrainAlignPreferences current() {
        IPersistentPreferenceStore s = store();
        return BrainAlignPreferences.of(s::getString);
    }
}
