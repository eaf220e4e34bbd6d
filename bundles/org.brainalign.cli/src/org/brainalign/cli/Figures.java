package org.brainalign.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.brainalign.charts.Figure;
import org.brainalign.io.AtomicFile;

/** Writes a figure outside a run folder: NAME.png, NAME.svg and NAME.csv (the numbers it shows) in a folder. */
final class Figures {

    private Figures() {
    }

    /**
     * @param dir the folder
     * @param name the base name
     * @param figure the figure
     * @return the three files written
     * @throws IOException if a file cannot be written
     */
    static List<Path> write(Path dir, String name, Figure figure) throws IOException {
        Path png = dir.resolve(name + ".png"), svg = dir.resolve(name + ".svg"), csv = dir.resolve(name + ".csv");
        byte[] pngBytes = figure.png();
        AtomicFile.write(png, out -> out.write(pngBytes));
        byte[] svgBytes = figure.svg().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(svg, out -> out.write(svgBytes));
        byte[] csvBytes = figure.csv().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(csv, out -> out.write(csvBytes));
        return List.of(png, svg, csv);
    }
}
