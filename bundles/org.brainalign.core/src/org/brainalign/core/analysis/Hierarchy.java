package org.brainalign.core.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A hierarchy places ROIs along the visual hierarchy: each ROI gets a stage position t in [0, 1], 0 the earliest
 * stage and 1 the latest. Alignment fits expected layer depth against t. The {@link #standard() standard} hierarchy
 * has three evenly spaced stages: early (V1, V2, V3) at t = 0, mid (hV4, OFA, OPA) at t = 0.5 and late (EBA, FBA,
 * FFA, PPA, VWFA) at t = 1. The names V4 and hV4 stand for each other (the NSD file calls the area hV4, the paper's
 * groups V4), unless the hierarchy names both. Instances are immutable.
 */
public final class Hierarchy {

    /** The ROIs summarised when a user names none, in the paper's order. */
    public static final List<String> DEFAULT_ROIS = List.of("V1", "V2", "V3", "hV4", "EBA", "FBA", "OFA", "FFA", "OPA",
            "PPA", "VWFA");

    /**
     * One stage of the hierarchy.
     *
     * @param name the stage's name, e.g. "early"
     * @param t its position in [0, 1]
     * @param rois the ROIs at this stage
     */
    public record Stage(String name, double t, List<String> rois) {

        /** Copies the ROI list. */
        public Stage {
            rois = List.copyOf(rois);
        }
    }

    private static final Map<String, String> ALIASES = Map.of("V4", "hV4", "hV4", "V4");

    private final List<Stage> stages;
    private final Map<String, Double> positions;

    private Hierarchy(List<Stage> stages) {
        LinkedHashMap<String, Double> p = new LinkedHashMap<>();
        for (Stage s : stages) {
            if (!(s.t() >= 0 && s.t() <= 1)) {
                throw new IllegalArgumentException(
                        "the stage position of " + s.rois() + " is " + s.t() + "; positions must lie in [0, 1]");
            }
            for (String roi : s.rois()) {
                if (roi.isBlank()) {
                    throw new IllegalArgumentException("a hierarchy stage names an ROI with an empty name");
                }
                if (p.put(roi, s.t()) != null) {
                    throw new IllegalArgumentException("the ROI " + roi + " is placed twice in the hierarchy");
                }
            }
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("a hierarchy needs at least one ROI");
        }
        this.stages = List.copyOf(stages);
        this.positions = Collections.unmodifiableMap(p);
    }

    /**
     * @return the standard hierarchy: early (V1, V2, V3) 0, mid (hV4, OFA, OPA) 0.5, late (EBA, FBA, FFA, PPA, VWFA) 1
     */
    public static Hierarchy standard() {
        return new Hierarchy(List.of(new Stage("early", 0, List.of("V1", "V2", "V3")),
                new Stage("mid", 0.5, List.of("hV4", "OFA", "OPA")),
                new Stage("late", 1, List.of("EBA", "FBA", "FFA", "PPA", "VWFA"))));
    }

    /**
     * A hierarchy of stages evenly spaced from 0 to 1 (a single stage sits at 0).
     *
     * @param stages the ROI names of each stage, earliest first
     * @return the hierarchy; stage i of S is named "stage i+1" and sits at i / (S - 1)
     */
    public static Hierarchy ofStages(List<List<String>> stages) {
        List<Stage> s = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            s.add(new Stage("stage " + (i + 1), stages.size() == 1 ? 0 : i / (double) (stages.size() - 1),
                    stages.get(i)));
        }
        return new Hierarchy(s);
    }

    /**
     * A hierarchy with a position of the user's choosing for each ROI.
     *
     * @param positions ROI name to t in [0, 1], in the order wanted
     * @return the hierarchy, one stage per ROI (named after it)
     */
    public static Hierarchy ofPositions(Map<String, Double> positions) {
        List<Stage> s = new ArrayList<>();
        for (Map.Entry<String, Double> e : positions.entrySet()) {
            s.add(new Stage(e.getKey(), e.getValue(), List.of(e.getKey())));
        }
        return new Hierarchy(s);
    }

    /**
     * Reads a hierarchy written as text, in one of two forms: stages separated by ';' with their ROIs separated by
     * ',' ("V1,V2,V3;hV4,OFA,OPA;EBA,FBA,FFA,PPA,VWFA", evenly spaced), or explicit positions
     * ("V1=0,V2=0.2,hV4=0.5,FFA=1").
     *
     * @param text the hierarchy
     * @return the hierarchy
     * @throws IllegalArgumentException with one sentence saying what is wrong with the text
     */
    public static Hierarchy parse(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException(
                    "the hierarchy is empty; write e.g. 'V1,V2;hV4;FFA,PPA' or 'V1=0,FFA=1'");
        }
        if (trimmed.contains("=")) {
            LinkedHashMap<String, Double> p = new LinkedHashMap<>();
            for (String item : trimmed.split(",")) {
                String[] kv = item.split("=", -1);
                if (kv.length != 2 || kv[0].isBlank()) {
                    throw new IllegalArgumentException("the hierarchy item '" + item.strip()
                            + "' is not of the form ROI=position (e.g. V1=0)");
                }
                try {
                    if (p.put(kv[0].strip(), Double.parseDouble(kv[1].strip())) != null) {
                        throw new IllegalArgumentException("the ROI " + kv[0].strip() + " is placed twice");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "the position '" + kv[1].strip() + "' of " + kv[0].strip() + " is not a number", e);
                }
            }
            return ofPositions(p);
        }
        List<List<String>> stages = new ArrayList<>();
        for (String stage : trimmed.split(";", -1)) {
            List<String> rois = new ArrayList<>();
            for (String roi : stage.split(",")) {
                if (!roi.isBlank()) {
                    rois.add(roi.strip());
                }
            }
            if (rois.isEmpty()) {
                throw new IllegalArgumentException("the hierarchy '" + trimmed + "' has a stage with no ROI");
            }
            stages.add(rois);
        }
        return ofStages(stages);
    }

    /** @return the stages, earliest first */
    public List<Stage> stages() {
        return stages;
    }

    /** @return ROI name to stage position, in stage order */
    public Map<String, Double> positions() {
        return positions;
    }

    /**
     * The stage position of an ROI, by its name or its alias (V4 / hV4).
     *
     * @param roiName the ROI's name
     * @return its t, or empty if the hierarchy does not place it
     */
    public OptionalDouble position(String roiName) {
        Double t = positions.get(roiName);
        if (t == null && ALIASES.containsKey(roiName)) {
            t = positions.get(ALIASES.get(roiName));
        }
        return t == null ? OptionalDouble.empty() : OptionalDouble.of(t);
    }

    /**
     * Whether an ROI name matches a wanted name, directly or through the V4 / hV4 alias.
     *
     * @param roiName an ROI's name
     * @param wanted a wanted name
     * @return true if they name the same area
     */
    public static boolean sameArea(String roiName, String wanted) {
        return roiName.equals(wanted) || wanted.equals(ALIASES.get(roiName));
    }

    /** @return the hierarchy as {@link #parse} reads it back, with explicit positions */
    public String format() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Double> e : positions.entrySet()) {
            b.append(b.isEmpty() ? "" : ",").append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hierarchy h && positions.equals(h.positions);
    }

    @Override
    public int hashCode() {
        return positions.hashCode();
    }

    @Override
    public String toString() {
        return "Hierarchy[" + format() + "]";
    }
}
