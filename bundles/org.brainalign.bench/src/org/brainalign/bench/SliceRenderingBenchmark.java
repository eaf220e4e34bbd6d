package org.brainalign.bench;

import org.brainalign.workflow.slices.Colormap;
import org.brainalign.workflow.slices.Overlay;
import org.brainalign.workflow.slices.Slice;
import org.brainalign.workflow.slices.SlicePlane;
import org.brainalign.workflow.slices.SliceRendering;
import org.brainalign.workflow.slices.ViewedVolume;
import org.brainalign.workflow.slices.VolumeView;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The slice rendering benchmark measures what a redraw of the viewer costs without a display: laying out a slice
 * and rendering it (the opened volume and an atlas overlay in outlines), per plane, against a baseline measured in
 * the same run, reading the slice's values (the least any renderer must do). A viewer is smooth when a redraw of all
 * three planes stays well under a frame (16 ms).
 */
public final class SliceRenderingBenchmark {

    private SliceRenderingBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param volume a NIfTI volume (e.g. the 181 x 217 x 181 AAL atlas)
     * @param repeats how many times each plane is rendered through all its slices' middle (at least 1)
     * @param out where to print the figures
     * @throws IOException if the volume cannot be read
     */
    public static void run(Path volume, int repeats, PrintStream out) throws IOException {
        ViewedVolume v = ViewedVolume.read(volume, 0, null);
        VolumeView view = new VolumeView(v, Colormap.GREY, false);
        Overlay outline = Overlay.over(v);
        outline.setOutline(true);
        view.addOverlay(outline);
        out.println("Slice rendering: " + v + ", the volume and itself as an outline overlay");
        double total = 0;
        for (SlicePlane plane : SlicePlane.values()) {
            int slices = view.reorientation().size(plane.normal());
            // warm-up, so that the figures are not the JIT's
            measure(view, plane, slices, 2, true);
            measure(view, plane, slices, 2, false);
            double render = measure(view, plane, slices, repeats, true);
            double baseline = measure(view, plane, slices, repeats, false);
            total += render;
            Slice s = view.slice(plane);
            out.println(
                    String.format(Locale.ROOT, "  %-8s %4d x %-4d render %7.3f ms   read values %7.3f ms   ratio %5.1f",
                            plane.label(), s.width(), s.height(), render, baseline, render / baseline));
        }
        out.println(String.format(Locale.ROOT, "  all three planes: %.3f ms per redraw (a frame is 16.7 ms)", total));
    }

    /** @return milliseconds per slice */
    private static double measure(VolumeView view, SlicePlane plane, int slices, int repeats, boolean render) {
        long sink = 0;
        long start = System.nanoTime();
        int count = 0;
        for (int r = 0; r < repeats; r++) {
            for (int k = slices / 4; k < 3 * slices / 4; k++) {
                int[] c = view.crosshair();
                c[plane.normal()] = k;
                view.setCrosshair(c);
                if (render) {
                    sink += SliceRendering.render(view, plane)[0];
                } else {
                    sink += (long) view.slice(plane).values(view.volume())[0];
                }
                count++;
            }
        }
        double ms = (System.nanoTime() - start) / 1e6 / count;
        // the sink keeps the results alive, so that the JIT cannot drop the work being measured
        return sink == Long.MIN_VALUE ? -ms : ms;
    }

    /**
     * @param args the volume, and optionally the number of repeats (default 3)
     * @throws IOException if the volume cannot be read
     */
    public static void main(String[] args) throws IOException {
        run(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 3, System.out);
    }
}
