package org.brainalign.workflow.slices;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.brainalign.core.data.LabelTable;
import org.brainalign.core.VolumeGrid;

/**
 * A volume view is the state of a slice viewer independent of any widget: the opened volume, the overlays over it
 * and an optional underlay under it (the subject's anatomy or a template, read by world position), the crosshair (one
 * voxel, linked across the axial, coronal and sagittal slices), and the orientation
 * convention. Moving the crosshair, scrolling a slice or changing an overlay notifies the listeners, which redraw.
 */
public final class VolumeView {

    private final List<Overlay> overlays = new CopyOnWriteArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Map<SlicePlane, Slice> slices = new EnumMap<>(SlicePlane.class);
    private final Reorientation reorientation;
    private final int[] crosshair;
    private Overlay underlay;
    private boolean radiological;

    /**
     * Opens a view with the crosshair at the volume's centre voxel (each file index at size // 2, as nibabel's
     * readers report the centre).
     *
     * @param volume the opened volume
     * @param colormap its colormap
     * @param radiological whether to use the radiological convention
     */
    public VolumeView(ViewedVolume volume, Colormap colormap, boolean radiological) {
        this.overlays.add(Overlay.base(volume, colormap));
        this.reorientation = volume.reorientation();
        this.radiological = radiological;
        int[] shape = volume.grid().shape();
        this.crosshair = reorientation.toCanonical(new int[] { shape[0] / 2, shape[1] / 2, shape[2] / 2 });
    }

    /** @param listener called after every change */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /** @param listener a listener added before */
    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    /** Tells the listeners that something shown has changed (call after changing an overlay's settings). */
    public void changed() {
        listeners.forEach(Runnable::run);
    }

    /** @return the opened volume's overlay (always the first) */
    public Overlay base() {
        return overlays.get(0);
    }

    /** @return the opened volume */
    public ViewedVolume volume() {
        return base().volume();
    }

    /** @return the overlays, the opened volume first (unmodifiable) */
    public List<Overlay> overlays() {
        return List.copyOf(overlays);
    }

    /**
     * @param overlay an overlay to draw on top of the others
     */
    public void addOverlay(Overlay overlay) {
        overlays.add(overlay);
        changed();
    }

    /**
     * Puts an overlay back where it was (undoing its removal).
     *
     * @param index its place among the overlays, 1 .. the number of overlays
     * @param overlay the overlay
     */
    public void insertOverlay(int index, Overlay overlay) {
        overlays.add(Math.max(1, Math.min(index, overlays.size())), overlay);
        changed();
    }

    /** @return the underlay drawn under the opened volume, or null */
    public Overlay underlay() {
        return underlay;
    }

    /** @param underlay the underlay to draw under the opened volume (replacing any), or null for none */
    public void setUnderlay(Overlay underlay) {
        this.underlay = underlay;
        changed();
    }

    /** @return what is drawn, bottom first: the underlay (if any), the opened volume, the overlays over it */
    public List<Overlay> layers() {
        List<Overlay> all = new ArrayList<>();
        Overlay u = underlay;
        if (u != null) {
            all.add(u);
        }
        all.addAll(overlays);
        return all;
    }

    /**
     * @return the colour bars of the maps shown, bottom first: every visible layer but atlases (their labels are
     *         named in the readout) and the underlay (anatomy needs no scale)
     */
    public List<ColourBar> colourBars() {
        List<ColourBar> bars = new ArrayList<>();
        for (Overlay o : overlays) {
            if (o.visible() && o.opacity() > 0) {
                ColourBar.of(o).ifPresent(bars::add);
            }
        }
        return bars;
    }

    /**
     * @param overlay an overlay that is not the opened volume
     */
    public void removeOverlay(Overlay overlay) {
        if (overlay == base()) {
            throw new IllegalArgumentException("the opened volume cannot be removed from its viewer");
        }
        overlays.remove(overlay);
        changed();
    }

    /** @return the reorientation of the opened volume */
    public Reorientation reorientation() {
        return reorientation;
    }

    /** @return whether the radiological convention is in use */
    public boolean radiological() {
        return radiological;
    }

    /** @param radiological whether to use the radiological convention */
    public void setRadiological(boolean radiological) {
        if (this.radiological != radiological) {
            this.radiological = radiological;
            slices.clear();
            changed();
        }
    }

    /** @return the crosshair as a canonical voxel (R, A, S indices) */
    public int[] crosshair() {
        return crosshair.clone();
    }

    /** @return the crosshair in the opened file's voxel indices (i, j, k) */
    public int[] crosshairVoxel() {
        return reorientation.toFile(crosshair);
    }

    /**
     * Moves the crosshair to a canonical voxel, clamped to the volume.
     *
     * @param canonical the voxel (R, A, S indices)
     */
    public void setCrosshair(int[] canonical) {
        boolean moved = false;
        for (int a = 0; a < 3; a++) {
            int c = Math.min(reorientation.size(a) - 1, Math.max(0, canonical[a]));
            moved |= c != crosshair[a];
            crosshair[a] = c;
        }
        if (moved) {
            changed();
        }
    }

    /**
     * Moves the crosshair to a voxel of the opened file.
     *
     * @param ijk file voxel indices
     */
    public void setCrosshairVoxel(int[] ijk) {
        setCrosshair(reorientation.toCanonical(ijk));
    }

    /**
     * Moves the crosshair to the voxel nearest a world position.
     *
     * @param xyz world coordinates in mm
     */
    public void setCrosshairWorld(double[] xyz) {
        double[] c = reorientation.canonicalAffine().worldToVoxel(xyz[0], xyz[1], xyz[2]);
        setCrosshair(new int[] { (int) Math.round(c[0]), (int) Math.round(c[1]), (int) Math.round(c[2]) });
    }

    /**
     * Moves the crosshair to a pixel of a slice (a click).
     *
     * @param plane the slice's plane
     * @param column the pixel column
     * @param row the pixel row
     */
    public void setCrosshairAt(SlicePlane plane, int column, int row) {
        setCrosshair(slice(plane).canonical(column, row));
    }

    /**
     * Moves the crosshair within a slice, in screen directions (the arrow keys).
     *
     * @param plane the slice's plane
     * @param columns pixels to the right
     * @param rows pixels down
     */
    public void move(SlicePlane plane, int columns, int rows) {
        Slice s = slice(plane);
        int[] p = s.pixel(crosshair);
        setCrosshair(s.canonical(p[0] + columns, p[1] + rows));
    }

    /**
     * Moves to another slice of a plane (Page Up and Page Down): the crosshair steps along the plane's normal.
     *
     * @param plane the plane
     * @param steps slices towards R, A or S (negative: towards L, P or I)
     */
    public void scroll(SlicePlane plane, int steps) {
        int[] c = crosshair();
        c[plane.normal()] += steps;
        setCrosshair(c);
    }

    /**
     * @param plane a plane
     * @return the slice of that plane through the crosshair
     */
    public Slice slice(SlicePlane plane) {
        int position = crosshair[plane.normal()];
        Slice s = slices.get(plane);
        if (s == null || s.position() != position) {
            s = Slice.of(reorientation, plane, position, radiological);
            slices.put(plane, s);
        }
        return s;
    }

    /** @return what the viewer reports at the crosshair */
    public Readout readout() {
        int[] ijk = crosshairVoxel();
        double[] world = reorientation.canonicalAffine().voxelToWorld(crosshair[0], crosshair[1], crosshair[2]);
        VolumeGrid grid = volume().grid();
        List<Readout.Reading> readings = new ArrayList<>();
        for (Overlay o : layers()) {
            ViewedVolume v = o.volume();
            float value;
            if (v.grid().sameSpace(grid, 1e-4)) {
                value = v.value(ijk);
            } else {
                double[] f = v.grid().affine().worldToVoxel(world[0], world[1], world[2]);
                int[] n = { (int) Math.round(f[0]), (int) Math.round(f[1]), (int) Math.round(f[2]) };
                value = v.grid().contains(n[0], n[1], n[2]) ? v.value(n) : Float.NaN;
            }
            readings.add(new Readout.Reading(v.name(), value, labelName(v, value)));
        }
        if (underlay != null) {
            // the opened volume's reading comes first, as the readout expects
            readings.add(readings.remove(0));
        }
        return new Readout(ijk, world, readings.get(0).value(), readings);
    }

    private static String labelName(ViewedVolume v, float value) {
        if (!v.isAtlas() || Float.isNaN(value) || value != Math.rint(value)) {
            return null;
        }
        LabelTable t = v.labels();
        return t.name((int) value).orElse(null);
    }
}
