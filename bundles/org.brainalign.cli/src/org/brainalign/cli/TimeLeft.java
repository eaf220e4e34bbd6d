package org.brainalign.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalDouble;

/**
 * The time left of a long piece of work, from the rate at which it advanced lately: the share done over the last
 * half minute or so, not since the start. Work is made of stages that advance at different rates (writing stimuli
 * is quick, fitting is slow); an estimate over the whole elapsed time keeps the quick stages' rate long after they
 * ended, so its time left grew while the slow stage advanced.
 */
final class TimeLeft {

    /** How far back the rate looks. */
    static final long WINDOW_NANOS = 30_000_000_000L;
    /** The rate needs at least this much time between its samples to mean anything. */
    static final long MIN_SPAN_NANOS = 2_000_000_000L;

    private record Sample(long nanos, double fraction) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    /**
     * Records how far the work has come.
     *
     * @param nanos the time, as System.nanoTime
     * @param fraction the share done, 0 to 1
     */
    void record(long nanos, double fraction) {
        if (!samples.isEmpty() && fraction < samples.peekLast().fraction()) {
            samples.clear(); // a new task started over: its rate is not the old one's
        }
        samples.addLast(new Sample(nanos, fraction));
        // keep one sample older than the window, so the rate always spans at least the window once it is full
        while (samples.size() > 2) {
            var it = samples.iterator();
            it.next();
            if (nanos - it.next().nanos() >= WINDOW_NANOS) {
                samples.removeFirst();
            } else {
                break;
            }
        }
    }

    /**
     * @return the seconds left at the recent rate, empty while there is no rate yet (too little time seen, or no
     *         progress in it) or the work is done
     */
    OptionalDouble seconds() {
        if (samples.size() < 2) {
            return OptionalDouble.empty();
        }
        Sample first = samples.peekFirst(), last = samples.peekLast();
        long span = last.nanos() - first.nanos();
        double advanced = last.fraction() - first.fraction();
        if (span < MIN_SPAN_NANOS || advanced <= 0 || last.fraction() >= 1) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((1 - last.fraction()) * span / 1e9 / advanced);
    }
}
