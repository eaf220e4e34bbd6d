package org.brainalign.io.run;

import java.util.Arrays;
import java.util.Optional;

/**
 * The charts of one run, in the order reports show them; each is saved as charts/NAME.png and .svg with the numbers
 * it shows in tables/chart-NAME.csv. The names are the ones {@code brainalign render --chart} takes.
 */
public enum RunChart {

    /** The distribution of preferred layers per ROI. */
    LAYER_PREFERENCE("layer-preference"),
    /** Mean layer depth against the ROI's place in the visual hierarchy. */
    ALIGNMENT("alignment"),
    /** The preferred layer painted on the brain. */
    BRAIN("brain"),
    /** The brain score of every voxel. */
    R2_HISTOGRAM("r2-histogram"),
    /** Training and validation loss per epoch. */
    TRAINING_CURVE("training-curve");

    private final String id;

    RunChart(String id) {
        this.id = id;
    }

    /** @return the chart's name, e.g. "layer-preference": the stem of its files */
    public String id() {
        return id;
    }

    /**
     * @param id a chart's name
     * @return the chart of that name, if any
     */
    public static Optional<RunChart> of(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
    }

    /** @return every chart's name, comma-separated, for messages */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(RunChart::id).toList());
    }
}
