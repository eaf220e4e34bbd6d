package org.brainalign.sweep;

import java.util.Locale;

/**
 * One cell of a sweep: one subject fitted from one backbone's features with one seed. Its id names its run folder.
 *
 * @param index the cell's place in the plan, from 0
 * @param subject the subject's name in the plan
 * @param backbone the backbone's name in the plan
 * @param seed the fit's seed
 */
public record SweepCell(int index, String subject, String backbone, long seed) {

    /** @return the run folder's name, e.g. "subj01__clip-b16__seed0" */
    public String id() {
        return String.format(Locale.ROOT, "%s__%s__seed%d", subject, backbone, seed);
    }
}
