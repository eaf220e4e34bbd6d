package org.brainalign.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The default pass of evaluate on every image, from the heap (the passes themselves: WorkflowCommandsTest). */
public class EvaluationPassesTest {

    @Test
    public void aPassTakesAQuarterOfTheHeapInWholeBatches() {
        // 6 GiB (Java's default on 24 GB), 37,984 voxels: 6 GiB / 4 / (8 x 37,984 bytes) = 5,300.3, batches of 8
        assertEquals(5296, EvaluationPasses.imagesPerPass(6L << 30, 37_984));
        // 1 GiB, 1,000 voxels: 268,435,456 / 8,000 = 33,554.4 -> 33,552
        assertEquals(33_552, EvaluationPasses.imagesPerPass(1L << 30, 1_000));
        // never less than one batch, whatever the heap
        assertEquals(8, EvaluationPasses.imagesPerPass(1 << 20, 1_000_000));
        assertEquals(8, EvaluationPasses.imagesPerPass(0, 0));
    }
}
