package org.brainalign.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.core.BrainAlignPreferences;
import org.brainalign.core.data.NsdLabels;
import org.brainalign.core.data.RoiDefinition;
import org.junit.jupiter.api.Test;

/** The shared preference keys: defaults, typed getters, and fallback on values a hand-edited file may hold. */
public class BrainAlignPreferencesTest {

    @Test
    public void defaultsFollowTheEnvironment() {
        Map<String, String> d = BrainAlignPreferences.defaults(Map.of("XDG_CACHE_HOME", "/x/cache"), "/home/u");
        assertEquals("/x/cache/brainalign", d.get(BrainAlignPreferences.CACHE_FOLDER));
        assertEquals("/x/cache/brainalign/checkpoints", d.get(BrainAlignPreferences.CHECKPOINT_FOLDER));
        assertEquals("auto", d.get(BrainAlignPreferences.COMPUTE_DEVICE));
        BrainAlignPreferences p = new BrainAlignPreferences(k -> null, d);
        assertEquals("grey", p.colormap());
        assertFalse(p.radiological());
        assertEquals(Runtime.getRuntime().availableProcessors(), p.threads());
        assertEquals(NsdLabels.paperGroups(), p.roiDefinitions());
    }

    @Test
    public void storedValuesAreReadAndBadOnesFallBack() {
        Map<String, String> stored = new HashMap<>();
        BrainAlignPreferences p = new BrainAlignPreferences(stored::get, BrainAlignPreferences.defaults(Map.of(),
                "/h"));
        stored.put(BrainAlignPreferences.COMPUTE_DEVICE, " GPU ");
        stored.put(BrainAlignPreferences.THREADS, "3");
        stored.put(BrainAlignPreferences.ORIENTATION_CONVENTION, "radiological");
        stored.put(BrainAlignPreferences.COLORMAP, "layers");
        stored.put(BrainAlignPreferences.ROI_SET, "floc-places");
        assertEquals("gpu", p.computeDevice());
        assertEquals(3, p.threads());
        assertTrue(p.radiological());
        assertEquals("layers", p.colormap());
        List<RoiDefinition> places = p.roiDefinitions();
        assertEquals(List.of("OPA", "PPA", "RSC"), places.stream().map(RoiDefinition::name).toList());
        stored.put(BrainAlignPreferences.COMPUTE_DEVICE, "tpu");
        stored.put(BrainAlignPreferences.THREADS, "many");
        stored.put(BrainAlignPreferences.COLORMAP, "");
        stored.put(BrainAlignPreferences.ROI_SET, "nonsense");
        assertEquals("auto", p.computeDevice());
        assertEquals(Runtime.getRuntime().availableProcessors(), p.threads());
        assertEquals("grey", p.colormap());
        assertEquals(BrainAlignPreferences.PAPER_ROIS, p.roiSet());
    }
}
