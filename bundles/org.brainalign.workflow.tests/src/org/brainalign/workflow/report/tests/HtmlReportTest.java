package org.brainalign.workflow.report.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.brainalign.workflow.report.HtmlReport;
import org.brainalign.workflow.report.ReportFigure;
import org.junit.jupiter.api.Test;

/** Escaping and number display of reports. */
public class HtmlReportTest {

    @Test
    public void textIsEscapedAndXmlIllegalCharactersDropped() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;",
                HtmlReport.escape("<a href=\"x\">Tom & Jerry's</a>"));
        assertEquals("ab\tc\nd", HtmlReport.escape("a\u0000b\tc\nd\u0007"));
        assertEquals("\uD83E\uDDE0 brain", HtmlReport.escape("\uD83E\uDDE0 brain"), "a surrogate pair is kept");
        assertEquals("x", HtmlReport.escape("\uD83Ex"), "a lone surrogate is dropped");
        assertEquals("", HtmlReport.escape(null));
    }

    @Test
    public void numbersShowFourSignificantDigits() {
        assertEquals("0.1235", HtmlReport.display(0.123456));
        assertEquals("0.1", HtmlReport.display(0.1f));
        assertEquals("1235", HtmlReport.display(1234.5));
        assertEquals("-0.5", HtmlReport.display(-0.5));
        assertEquals("0", HtmlReport.display(-0.0));
        assertEquals("1.235e-05", HtmlReport.display(1.2345e-5));
        assertEquals("n/a", HtmlReport.display(Double.NaN));
        assertEquals("12", HtmlReport.display(12));
        assertEquals("", HtmlReport.display(null));
    }

    @Test
    public void figuresMustBeWhatTheySay() {
        assertThrows(IllegalArgumentException.class, () -> ReportFigure.png("x", "<svg/>".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> ReportFigure.svg("x", "not svg"));
    }
}
