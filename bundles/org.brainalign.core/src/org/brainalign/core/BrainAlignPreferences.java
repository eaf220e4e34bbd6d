package org.brainalign.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.brainalign.core.data.LabelTable;
import org.brainalign.core.data.NsdLabels;
import org.brainalign.core.data.RoiDefinition;

/**
 * BrainAlign's preferences are the settings a user chooses once and both faces of the tool read: the compute device,
 * the number of threads, the cache and checkpoint folders, how the slice viewer colours and orients volumes, and the
 * ROI set analyses report by default. This class holds their keys, their defaults and typed getters over a lookup
 * (key to stored text, null when unset): the workbench passes its preference store (node {@link #NODE}, instance
 * scope), the command line its options. A value that is unset, blank or not one of the accepted ones falls back to
 * the default, so that a hand-edited preference file never stops a run.
 */
public final class BrainAlignPreferences {

    /** The preference node (the workbench stores values in the instance scope under this name). */
    public static final String NODE = "org.brainalign.core";

    /** Key of the compute device: "auto", "cpu" or "gpu". */
    public static final String COMPUTE_DEVICE = "computeDevice";
    /** Key of the number of worker threads; 0 means one per core. */
    public static final String THREADS = "threads";
    /** Key of the cache folder (feature stores). */
    public static final String CACHE_FOLDER = "cacheFolder";
    /** Key of the folder searched first for backbone checkpoints. */
    public static final String CHECKPOINT_FOLDER = "checkpointFolder";
    /** Key of the colormap new viewers use for a volume: one of {@link #COLORMAPS}. */
    public static final String COLORMAP = "colormap";
    /**
     * Key of the orientation convention of axial and coronal slices: {@link #RADIOLOGICAL} or {@link #NEUROLOGICAL}.
     */
    public static final String ORIENTATION_CONVENTION = "orientationConvention";
    /**
     * Key of the template drawn under maps whose subject has no anatomy of its own: a NIfTI file (any MNI T1, such as
     * FSL's MNI152 or MRIcron's ch2), or empty for none.
     */
    public static final String UNDERLAY_TEMPLATE = "underlayTemplate";
    /** Key of whether the viewers' crosshairs follow one another by world position: "true" or "false". */
    public static final String LINK_CROSSHAIRS = "linkCrosshairs";
    /** Key of the default ROI set: {@link #PAPER_ROIS} or the name of an NSD atlas. */
    public static final String ROI_SET = "roiSet";

    /** The accepted compute devices. */
    public static final List<String> DEVICES = List.of("auto", "cpu", "gpu");
    /** The viewer's colormaps, by name: grey, hot, coolwarm, and the layer map (coolwarm by layer, entropy-dimmed). */
    public static final List<String> COLORMAPS = List.of("grey", "hot", "coolwarm", "layers");
    /** Radiological convention: the subject's right is on the left of the screen, as if facing the subject. */
    public static final String RADIOLOGICAL = "radiological";
    /** Neurological convention: the subject's right is on the right of the screen, as if looking from behind. */
    public static final String NEUROLOGICAL = "neurological";
    /** The ROI set of the paper's analyses (V1 ... VWFA, {@link NsdLabels#paperGroups()}). */
    public static final String PAPER_ROIS = "paper";

    private final Function<String, String> lookup;
    private final Map<String, String> defaults;

    /**
     * @param lookup the stored value of a key, or null when the key is unset
     * @param defaults the defaults, usually {@link #defaults()}
     */
    public BrainAlignPreferences(Function<String, String> lookup, Map<String, String> defaults) {
        this.lookup = lookup;
        this.defaults = Map.copyOf(defaults);
    }

    /**
     * @param lookup the stored value of a key, or null when the key is unset
     * @return the preferences over that lookup, with this process's defaults
     */
    public static BrainAlignPreferences of(Function<String, String> lookup) {
        return new BrainAlignPreferences(lookup, defaults());
    }

    /** @return the preferences with every value at its default */
    public static BrainAlignPreferences defaultsOnly() {
        return of(key -> null);
    }

    /**
     * The default of every key, as the text a preference store holds.
     *
     * @param env the environment (for the cache folder, see {@link PreferenceDefaults#cacheFolder(Map, String)})
     * @param userHome the user's home folder
     * @return key to default, in the order the preference page shows them
     */
    public static Map<String, String> defaults(Map<String, String> env, String userHome) {
        String cache = PreferenceDefaults.cacheFolder(env, userHome);
        Map<String, String> d = new LinkedHashMap<>();
        d.put(COMPUTE_DEVICE, "auto");
        d.put(THREADS, "0");
        d.put(CACHE_FOLDER, cache);
        d.put(CHECKPOINT_FOLDER, cache + "/checkpoints");
        d.put(COLORMAP, "grey");
        // nilearn, which most of our users plot with, shows the subject's left on the left
        d.put(ORIENTATION_CONVENTION, NEUROLOGICAL);
        d.put(ROI_SET, PAPER_ROIS);
        d.put(UNDERLAY_TEMPLATE, "");
        d.put(LINK_CROSSHAIRS, "true");
        return d;
    }

    /** @return the defaults of this process (its environment and home folder) */
    public static Map<String, String> defaults() {
        return defaults(System.getenv(), System.getProperty("user.home"));
    }

    /** @return the ROI sets a user may choose: {@link #PAPER_ROIS} followed by the NSD atlas names */
    public static List<String> roiSets() {
        List<String> sets = new ArrayList<>();
        sets.add(PAPER_ROIS);
        sets.addAll(NsdLabels.ATLASES);
        return sets;
    }

    private String text(String key) {
        String v = lookup.apply(key);
        return v == null || v.isBlank() ? defaults.get(key) : v.strip();
    }

    private String choice(String key, List<String> accepted) {
        String v = text(key).toLowerCase(Locale.ROOT);
        return accepted.contains(v) ? v : defaults.get(key);
    }

    /** @return the compute device: "auto", "cpu" or "gpu" */
    public String computeDevice() {
        return choice(COMPUTE_DEVICE, DEVICES);
    }

    /** @return the number of threads to use, at least 1 (a stored 0 or negative means one per available core) */
    public int threads() {
        int n;
        try {
            n = Integer.parseInt(text(THREADS));
        } catch (NumberFormatException e) {
            n = 0;
        }
        return n > 0 ? n : Runtime.getRuntime().availableProcessors();
    }

    /** @return the cache folder, as text */
    public String cacheFolder() {
        return text(CACHE_FOLDER);
    }

    /** @return the default checkpoint folder, as text */
    public String checkpointFolder() {
        return text(CHECKPOINT_FOLDER);
    }

    /** @return the default colormap, one of {@link #COLORMAPS} */
    public String colormap() {
        return choice(COLORMAP, COLORMAPS);
    }

    /** @return {@link #RADIOLOGICAL} or {@link #NEUROLOGICAL} */
    public String orientationConvention() {
        return choice(ORIENTATION_CONVENTION, List.of(RADIOLOGICAL, NEUROLOGICAL));
    }

    /** @return whether slices are shown in radiological convention (the subject's right on the screen's left) */
    public boolean radiological() {
        return RADIOLOGICAL.equals(orientationConvention());
    }

    /** @return the template NIfTI file drawn under maps whose subject has no anatomy, as text; empty for none */
    public String underlayTemplate() {
        String v = lookup.apply(UNDERLAY_TEMPLATE);
        return v == null ? "" : v.strip();
    }

    /** @return whether the viewers' crosshairs follow one another by world position */
    public boolean linkCrosshairs() {
        return Boolean.parseBoolean(choice(LINK_CROSSHAIRS, List.of("true", "false")));
    }

    /** @return the default ROI set, one of {@link #roiSets()} */
    public String roiSet() {
        String v = text(ROI_SET);
        return roiSets().contains(v) ? v : defaults.get(ROI_SET);
    }

    /**
     * The ROIs of the default set: the paper's groups, or one ROI per named label of the chosen NSD atlas.
     *
     * @return the ROI definitions, in the set's order
     */
    public List<RoiDefinition> roiDefinitions() {
        String set = roiSet();
        if (PAPER_ROIS.equals(set)) {
            return NsdLabels.paperGroups();
        }
        LabelTable table = NsdLabels.table(set);
        List<RoiDefinition> rois = new ArrayList<>();
        table.asMap().forEach((label, name) -> rois.add(new RoiDefinition(name, set, new int[] { label })));
        return rois;
    }
}
