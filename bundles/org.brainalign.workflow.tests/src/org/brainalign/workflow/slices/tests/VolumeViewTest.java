package org.brainalign.workflow.slices.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.brainalign.core.Affine;
import org.brainalign.core.data.LabelTable;
import org.brainalign.core.VolumeGrid;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.testing.SharedData;
import org.brainalign.workflow.slices.Colormap;
import org.brainalign.workflow.slices.Overlay;
import org.brainalign.workflow.slices.Readout;
import org.brainalign.workflow.slices.SlicePlane;
import org.brainalign.workflow.slices.ViewedVolume;
import org.brainalign.workflow.slices.VolumeView;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

/** The viewer's state: crosshair, coordinates, values and labels, against nibabel's readings and the AAL table. */
public class VolumeViewTest {

    /** World positions come from float32 affines: 1e-4 mm. */
    private static final double MM = 1e-4;

    @Test
    public void centreVoxelValueAndWorldPositionMatchNibabel() throws IOException {
        for (String name : new String[] { "anatomical.nii", "resampled_anat_moved.nii", "functional.nii",
                "example4d.nii.gz", "aal.nii.gz" }) {
            JsonObject ref = SharedData.nibabel(name);
            int[] centre = SharedData.centre(ref);
            // 4-D files: nibabel's centre is at volume dim4 // 2
            int volume = ref.getAsJsonArray("shape").size() > 3
                    ? ref.getAsJsonArray("center_index").get(3).getAsInt()
                    : 0;
            ViewedVolume v = ViewedVolume.read(SharedData.nifti(name), volume, null);
            VolumeView view = new VolumeView(v, Colormap.GREY, false);
            Readout r = view.readout();
            assertArrayEquals(centre, r.voxel(), name);
            // stored values are float32 here; nibabel's are float64 of the same scaled value
            double expected = ref.get("center_value_scaled").getAsDouble();
            assertEquals(expected, r.value(), Math.abs(expected) * 1e-6, name);
            double[] world = SharedData.affine(ref).voxelToWorld(centre[0], centre[1], centre[2]);
            assertArrayEquals(world, r.world(), MM, name);
        }
    }

    @Test
    public void aalLabelUnderTheCrosshairIsNamedFromItsTextFile() throws IOException {
        NiftiImage image = NiftiImage.read(SharedData.nifti("aal.nii.gz"));
        // the first voxel labelled 43, found by scanning the file independently of the viewer
        int index = 0;
        while (image.get(index) != 43) {
            index++;
        }
        int[] ijk = image.grid().ijk(index);
        String name = null;
        for (String line : Files.readAllLines(SharedData.nifti("aal.nii.txt"), StandardCharsets.ISO_8859_1)) {
            String[] t = line.trim().split("\\s+");
            if (t[0].equals("43")) {
                name = t[1];
            }
        }
        assertEquals("Calcarine_L", name);
        ViewedVolume v = ViewedVolume.read(SharedData.nifti("aal.nii.gz"), 0, null);
        assertTrue(v.isAtlas());
        VolumeView view = new VolumeView(v, Colormap.GREY, true);
        assertEquals(Colormap.LABELS, view.base().colormap());
        double[] world = SharedData.affine(SharedData.nibabel("aal.nii.gz")).voxelToWorld(ijk[0], ijk[1], ijk[2]);
        view.setCrosshairWorld(world);
        Readout r = view.readout();
        assertArrayEquals(ijk, r.voxel());
        assertEquals(43, r.value());
        assertEquals(List.of("aal.nii.gz: " + name), r.labels());
        assertTrue(r.world()[0] < 0, "Calcarine_L lies left of the midline");
    }

    @Test
    public void overlayOnTheSameGridIsReadAtTheCrosshair() {
        VolumeGrid grid = new VolumeGrid(new int[] { 3, 3, 3 }, Affine.identity());
        float[] base = new float[27];
        float[] labels = new float[27];
        labels[grid.index(2, 1, 0)] = 7;
        ViewedVolume b = new ViewedVolume("base", grid, base, null, "", 1);
        ViewedVolume a = new ViewedVolume("atlas", grid, labels, new LabelTable(Map.of(7, "V1")), "", 1);
        VolumeView view = new VolumeView(b, Colormap.GREY, false);
        view.addOverlay(Overlay.over(a));
        view.setCrosshairVoxel(new int[] { 2, 1, 0 });
        assertEquals(List.of("atlas: V1"), view.readout().labels());
        view.setCrosshairVoxel(new int[] { 1, 1, 0 });
        assertEquals(List.of(), view.readout().labels());
        assertNull(view.readout().overlays().get(1).label());
        assertThrows(IllegalArgumentException.class, () -> view.removeOverlay(view.base()));
    }

    @Test
    public void keysMoveTheCrosshairInScreenDirectionsAndScrollSlices() throws IOException {
        ViewedVolume v = ViewedVolume.read(SharedData.nifti("anatomical.nii"), 0, null);
        VolumeView view = new VolumeView(v, Colormap.GREY, false);
        AtomicInteger changes = new AtomicInteger();
        view.addListener(changes::incrementAndGet);
        int[] start = view.crosshairVoxel();
        // neurological axial: right on screen is towards R, which for this LAS file is a smaller i
        view.move(SlicePlane.AXIAL, 1, 0);
        assertArrayEquals(new int[] { start[0] - 1, start[1], start[2] }, view.crosshairVoxel());
        // down on screen is towards P: smaller j
        view.move(SlicePlane.AXIAL, 0, 1);
        assertArrayEquals(new int[] { start[0] - 1, start[1] - 1, start[2] }, view.crosshairVoxel());
        view.setRadiological(true);
        view.move(SlicePlane.AXIAL, 1, 0);
        assertArrayEquals(new int[] { start[0], start[1] - 1, start[2] }, view.crosshairVoxel());
        // Page Up on the axial slice: one slice towards S
        view.scroll(SlicePlane.AXIAL, 1);
        assertEquals(start[2] + 1, view.crosshairVoxel()[2]);
        view.scroll(SlicePlane.AXIAL, 1000);
        assertEquals(24, view.crosshairVoxel()[2]);
        assertEquals(6, changes.get(), "moves, the convention and the scrolls each notify once");
        // a click on a sagittal slice: column 0 is the most anterior voxel, row 0 the most superior
        view.setCrosshairAt(SlicePlane.SAGITTAL, 0, 0);
        assertEquals(40, view.crosshairVoxel()[1]);
        assertEquals(24, view.crosshairVoxel()[2]);
    }
}
