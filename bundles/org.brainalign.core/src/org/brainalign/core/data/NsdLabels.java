package org.brainalign.core.data;

import java.util.List;

/**
 * The label tables of the Natural Scenes Dataset (NSD) ROI files, which the Algonauts 2023 challenge reuses with the
 * same codes, and the ROI groups the FactorTopy paper reports (V1 = V1v + V1d, ...). In these files 0 means
 * unlabelled and -1 outside cortex.
 */
public final class NsdLabels {

    /** The NSD atlases with built-in tables, by the file name they have on disk (without extension). */
    public static final List<String> ATLASES = List.of("prf-visualrois", "floc-bodies", "floc-faces", "floc-places",
            "floc-words", "streams", "Kastner2015");

    private NsdLabels() {
    }

    /**
     * @param atlas an NSD atlas name, one of {@link #ATLASES}
     * @return its label table
     * @throws IllegalArgumentException for another name
     */
    public static LabelTable table(String atlas) {
        return switch (atlas) {
            case "prf-visualrois" -> LabelTable.ofSequence("V1v", "V1d", "V2v", "V2d", "V3v", "V3d", "hV4");
            case "floc-bodies" -> LabelTable.ofSequence("EBA", "FBA-1", "FBA-2", "mTL-bodies");
            case "floc-faces" -> LabelTable.ofSequence("OFA", "FFA-1", "FFA-2", "mTL-faces", "aTL-faces");
            case "floc-places" -> LabelTable.ofSequence("OPA", "PPA", "RSC");
            case "floc-words" -> LabelTable.ofSequence("OWFA", "VWFA-1", "VWFA-2", "mfs-words", "mTL-words");
            case "streams" -> LabelTable.ofSequence("early", "midventral", "midlateral", "midparietal", "ventral",
                    "lateral", "parietal");
            case "Kastner2015" -> LabelTable.ofSequence("V1v", "V1d", "V2v", "V2d", "V3v", "V3d", "hV4", "VO1", "VO2",
                    "PHC1", "PHC2", "TO2", "TO1", "LO2", "LO1", "V3B", "V3A", "IPS0", "IPS1", "IPS2", "IPS3", "IPS4",
                    "IPS5", "SPL1", "FEF");
            default -> throw new IllegalArgumentException(
                    "no built-in label table for the atlas '" + atlas + "'; known: " + ATLASES);
        };
    }

    /**
     * The ROI groups of the paper's analyses, in the paper's order: V1, V2, V3, V4, EBA, FBA, OFA, FFA, OPA, PPA,
     * OWFA, VWFA.
     *
     * @return the group definitions, each naming its NSD atlas
     */
    public static List<RoiDefinition> paperGroups() {
        return List.of(new RoiDefinition("V1", "prf-visualrois", new int[] { 1, 2 }),
                new RoiDefinition("V2", "prf-visualrois", new int[] { 3, 4 }),
                new RoiDefinition("V3", "prf-visualrois", new int[] { 5, 6 }),
                new RoiDefinition("V4", "prf-visualrois", new int[] { 7 }),
                new RoiDefinition("EBA", "floc-bodies", new int[] { 1 }),
                new RoiDefinition("FBA", "floc-bodies", new int[] { 2, 3 }),
                new RoiDefinition("OFA", "floc-faces", new int[] { 1 }),
                new RoiDefinition("FFA", "floc-faces", new int[] { 2, 3 }),
                new RoiDefinition("OPA", "floc-places", new int[] { 1 }),
                new RoiDefinition("PPA", "floc-places", new int[] { 2 }),
                new RoiDefinition("OWFA", "floc-words", new int[] { 1 }),
                new RoiDefinition("VWFA", "floc-words", new int[] { 2, 3 }));
    }
}
