package org.brainalign.core.analysis.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.brainalign.core.analysis.Hierarchy;
import org.junit.jupiter.api.Test;

/** Stage positions: the standard hierarchy, user orderings and their text form. */
public class HierarchyTest {

    @Test
    public void standardStagesAreEvenlySpaced() {
        Hierarchy h = Hierarchy.standard();
        assertEquals(0, h.position("V2").getAsDouble());
        assertEquals(0.5, h.position("OPA").getAsDouble());
        assertEquals(1, h.position("VWFA").getAsDouble());
        assertEquals(0.5, h.position("V4").getAsDouble(), "V4 is hV4's alias");
        assertTrue(h.position("RSC").isEmpty());
        assertEquals(List.of("early", "mid", "late"), h.stages().stream().map(Hierarchy.Stage::name).toList());
        // every default ROI is placed
        for (String roi : Hierarchy.DEFAULT_ROIS) {
            assertTrue(h.position(roi).isPresent(), roi);
        }
    }

    @Test
    public void stagesAndPositionsParse() {
        Hierarchy stages = Hierarchy.parse(" V1 ; V2,V3 ; hV4 ; FFA ");
        assertEquals(0, stages.position("V1").getAsDouble());
        assertEquals(1 / 3.0, stages.position("V3").getAsDouble(), 1e-15);
        assertEquals(1, stages.position("FFA").getAsDouble());
        Hierarchy explicit = Hierarchy.parse("V1=0, FFA=0.8,PPA=1");
        assertEquals(0.8, explicit.position("FFA").getAsDouble());
        assertEquals(explicit, Hierarchy.parse(explicit.format()));
        assertEquals(Hierarchy.standard(), Hierarchy.parse("V1,V2,V3;hV4,OFA,OPA;EBA,FBA,FFA,PPA,VWFA"));
        assertEquals(0, Hierarchy.ofStages(List.of(List.of("V1"))).position("V1").getAsDouble());
    }

    @Test
    public void badOrderingsAreRefusedInOneSentence() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Hierarchy.parse("V1=0,FFA=1.5")).getMessage()
                .contains("[0, 1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Hierarchy.parse("V1=0,FFA=late"))
                .getMessage().contains("'late' of FFA is not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Hierarchy.parse("V1;V1")).getMessage()
                .contains("placed twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Hierarchy.parse("V1;;FFA")).getMessage()
                .contains("stage with no ROI"));
        assertThrows(IllegalArgumentException.class, () -> Hierarchy.parse("  "));
        assertThrows(IllegalArgumentException.class, () -> Hierarchy.ofPositions(Map.of("V1", Double.NaN)));
    }
}
