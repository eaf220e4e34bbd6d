package org.brainalign.workflow.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.brainalign.charts.Figure;
import org.brainalign.charts.ScoreHistogram;
import org.brainalign.workflow.FigureFormat;
import org.brainalign.workflow.report.ReportFigure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one figure writer: every format writes the figure's own rendering, and bytes are checked against names. */
public class FigureFormatTest {

    @TempDir
    Path tmp;

    private final Figure figure = ScoreHistogram.create("scores", "R squared", new double[] { 0.1, 0.2, 0.2, 0.4 });

    @Test
    public void eachFormatWritesTheFiguresOwnRendering() throws IOException {
        List<Path> written = FigureFormat.writeAll(tmp, "scores", figure);
        assertEquals(List.of(tmp.resolve("scores.png"), tmp.resolve("scores.svg"), tmp.resolve("scores.csv")),
                written);
        assertTrue(FigureFormat.PNG.matches(Files.readAllBytes(written.get(0))));
        assertEquals(figure.svg(), Files.readString(written.get(1)));
        assertEquals(figure.csv(), Files.readString(written.get(2)));
        assertArrayEquals(figure.csv().getBytes(StandardCharsets.UTF_8), FigureFormat.CSV.bytes(figure));
        assertEquals(tmp.resolve("other.svg"), FigureFormat.write(figure, tmp.resolve("other.svg")));
        assertEquals(figure.svg(), Files.readString(tmp.resolve("other.svg")));
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary files left");
        }
    }

    @Test
    public void namesAndBytesMustAgree() {
        IOException e = assertThrows(IOException.class, () -> FigureFormat.write(figure, tmp.resolve("x.gif")));
        assertTrue(e.getMessage().contains("x.gif"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("x.gif")));
        assertEquals(FigureFormat.SVG, FigureFormat.ofFileName("A.SVG").orElseThrow());
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0 };
        byte[] svg = "<?xml version=\"1.0\"?>\n<svg width=\"1\" height=\"1\"/>".getBytes(StandardCharsets.UTF_8);
        assertTrue(FigureFormat.PNG.matches(png));
        assertFalse(FigureFormat.PNG.matches(svg));
        assertTrue(FigureFormat.SVG.matches(svg));
        assertFalse(FigureFormat.SVG.matches(png));
        assertThrows(IllegalArgumentException.class, () -> new ReportFigure("x", FigureFormat.PNG, svg));
        assertThrows(IllegalArgumentException.class, () -> new ReportFigure("x", FigureFormat.CSV, svg),
                "a report shows pictures, not tables as figures");
    }
}
