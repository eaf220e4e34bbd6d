package org.brainalign.ui.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.Test;

/**
 * The readout of an exported view is wrapped to the picture's width: every line fits (unless it is one word wider
 * than the picture), no word is lost or split, and a readout that fits stays one line.
 */
public class ReadoutWrapTest {

    private static final String READOUT = "Voxel [81, 45, 78] World (-9.00, -80.00, 7.00) mm Value 43 calcarine.nii.gz 1"
            + " aal.nii.gz: Calcarine_L uint8 [181\u00d7217\u00d7181], sform RAS";

    @Test
    public void linesFitTheWidthAndKeepEveryWord() {
        Display display = Display.getDefault();
        Image image = new Image(display, 8, 8);
        GC gc = new GC(image);
        try {
            int whole = gc.textExtent(READOUT).x;
            for (int width : new int[] { whole / 3, whole / 2, whole - 1 }) {
                List<String> lines = VolumeEditor.wrap(gc, READOUT, width);
                assertTrue(lines.size() >= 2, width + ": " + lines);
                for (String line : lines) {
                    assertTrue(gc.textExtent(line).x <= width, width + ": '" + line + "' is wider");
                }
                assertEquals(READOUT, String.join(" ", lines));
            }
            assertEquals(List.of(READOUT), VolumeEditor.wrap(gc, READOUT, whole));
            // a word wider than the picture stays whole, on a line of its own
            assertEquals(List.of("Voxel", "[81,", "45,", "78]"), VolumeEditor.wrap(gc, "Voxel [81, 45, 78]", 1));
        } finally {
            gc.dispose();
            image.dispose();
        }
    }
}
