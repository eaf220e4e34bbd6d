package org.brainalign.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The time left follows the recent rate of the work, so it shrinks while a slow stage advances at a steady rate. */
public class TimeLeftTest {

    private static final long S = 1_000_000_000L;

    @Test
    public void aSlowStageAfterAQuickOneShrinksTheTimeLeftSecondBySecond() {
        TimeLeft left = new TimeLeft();
        // a quick stage: 40 % in 10 s
        for (int t = 0; t <= 10; t++) {
            left.record(t * S, 0.04 * t);
        }
        // then a slow one: 0.2 % a second, so 60 % takes 300 s; from any time t in it, 0.6 - 0.002 (t - 10) is
        // left at that rate, that is 310 - t seconds once the window holds only the slow stage (t >= 40)
        double previous = Double.POSITIVE_INFINITY;
        for (int t = 11; t <= 200; t++) {
            left.record(t * S, 0.4 + 0.002 * (t - 10));
            double seconds = left.seconds().orElseThrow();
            if (t >= 10 + TimeLeft.WINDOW_NANOS / S) {
                assertEquals(310 - t, seconds, 1e-6, "at " + t + " s");
            }
            if (t > 10 + TimeLeft.WINDOW_NANOS / S) {
                assertTrue(seconds < previous, "the time left never grows at a steady rate, at " + t + " s");
            }
            previous = seconds;
        }
        // the elapsed time's rate said 70 * 0.48 / 0.52 = 64.6 s at 70 s and 100 * 0.42 / 0.58 = 72.4 s at 100 s
    }

    @Test
    public void noEstimateWithoutARate() {
        TimeLeft left = new TimeLeft();
        assertTrue(left.seconds().isEmpty());
        left.record(0, 0.1);
        left.record(S, 0.2);
        assertTrue(left.seconds().isEmpty(), "1 s is too short to tell");
        left.record(3 * S, 0.2 + 1e-12);
        assertEquals((1 - (0.2 + 1e-12)) * 3 / (0.1 + 1e-12), left.seconds().orElseThrow(), 1e-6);
        TimeLeft stalled = new TimeLeft();
        stalled.record(0, 0.5);
        stalled.record(5 * S, 0.5);
        assertTrue(stalled.seconds().isEmpty(), "no progress, no rate");
        stalled.record(6 * S, 1);
        assertTrue(stalled.seconds().isEmpty(), "done");
    }

    @Test
    public void aNewTaskStartsItsOwnRate() {
        TimeLeft left = new TimeLeft();
        left.record(0, 0.5);
        left.record(10 * S, 0.9);
        left.record(11 * S, 0.0);
        left.record(15 * S, 0.1);
        assertEquals(0.9 * 4 / 0.1, left.seconds().orElseThrow(), 1e-6);
    }
}
