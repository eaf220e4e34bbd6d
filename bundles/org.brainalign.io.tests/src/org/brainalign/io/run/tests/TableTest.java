package org.brainalign.io.run.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.brainalign.io.run.Table;
import org.junit.jupiter.api.Test;

/** CSV as RFC 4180 and pandas read it. */
public class TableTest {

    @Test
    public void csvQuotesWhatNeedsQuotingAndWritesNumbersInFull() {
        Table t = new Table("t", List.of("name", "n", "value", "float"));
        t.add("V1", 3, 0.1 + 0.2, 0.1f);
        t.add("a,b", 0, Double.NaN, null);
        t.add("say \"hi\"\nthere", -2, 1e-7, Float.NaN);
        assertEquals("name,n,value,float\n" + "V1,3,0.30000000000000004,0.1\n" + "\"a,b\",0,NaN,\n"
                + "\"say \"\"hi\"\"\nthere\",-2,1.0E-7,NaN\n", t.toCsv());
        assertEquals(0.1f, t.cell(0, "float"));
        Table s = t.select(List.of("float", "name", "missing"));
        assertEquals(List.of("float", "name"), s.columns());
        assertEquals("V1", s.rows().get(0).get(1));
    }

    @Test
    public void rowsMustFitTheColumns() {
        Table t = new Table("t", List.of("a", "b"));
        assertThrows(IllegalArgumentException.class, () -> t.add(1));
        assertThrows(IllegalArgumentException.class, () -> t.add(1, new Object()));
    }
}
