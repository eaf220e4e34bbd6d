package org.brainalign.ui.viewer;

import java.util.List;
import java.util.Locale;

import org.brainalign.workflow.slices.Colormap;
import org.brainalign.workflow.slices.Overlay;
import org.brainalign.workflow.slices.Resampling;
import org.brainalign.workflow.slices.VolumeView;
import org.brainalign.workflow.slices.WindowLevel;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Scale;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;

/**
 * The overlay panel lists the volumes of a viewer (the underlay first, then the opened one, overlays above it;
 * unchecked ones are hidden) and edits the selected one's colormap, window, opacity, threshold (one- or two-sided),
 * outline mode and resampling, in numbers, each change undoable; a right-button drag on a slice changes the same
 * window. It shows which volume of a 4-D file is drawn, and holds the viewer's commands: add an overlay or an
 * underlay, remove one, export the view, and the orientation convention of this viewer (the volume and the convention
 * are undoable too).
 */
public final class OverlayPanel extends Composite {

    private final VolumeView view;
    private final VolumeEditor editor;
    private final Table table;
    private final Combo colormap;
    private final Text low;
    private final Text high;
    private final Scale opacity;
    private final Text threshold;
    private final Button twoSided;
    private final Button outline;
    private final Button smooth;
    private final Spinner volume;
    private final Button remove;
    private final Button radiological;
    private final Label problem;
    private Overlay selected;
    private final Runnable listener = this::refresh;

    OverlayPanel(Composite parent, VolumeEditor editor) {
        super(parent, SWT.NONE);
        this.view = editor.view();
        this.editor = editor;
        this.selected = view.base();
        setLayout(new GridLayout(4, false));

        table = new Table(this, SWT.CHECK | SWT.SINGLE | SWT.BORDER | SWT.FULL_SELECTION);
        GridData td = new GridData(SWT.FILL, SWT.FILL, true, false, 4, 1);
        td.heightHint = 72;
        table.setLayoutData(td);
        table.addListener(SWT.Selection, e -> {
            if (e.item instanceof TableItem item && item.getData() instanceof Overlay o) {
                if (e.detail == SWT.CHECK) {
                    boolean checked = item.getChecked();
                    editor.change(o, checked ? "Show" : "Hide", x -> x.setVisible(checked));
                }
                selected = o;
                showSelected();
            }
        });

        label("Colormap:");
        colormap = new Combo(this, SWT.READ_ONLY);
        for (Colormap c : Colormap.values()) {
            colormap.add(c.id());
        }
        colormap.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        colormap.addListener(SWT.Selection, e -> {
            Colormap c = Colormap.values()[colormap.getSelectionIndex()];
            editor.change(selected(), "Colormap", o -> o.setColormap(c));
        });

        label("Window:");
        low = number();
        high = number();
        Button auto = new Button(this, SWT.PUSH);
        auto.setText("Auto");
        auto.setToolTipText("From the 1st to the 99th percentile of the non-zero values (an atlas: its full range)");
        auto.addListener(SWT.Selection, e -> editor.change(selected(), "Window",
                o -> o.setWindow(o.volume().autoWindow())));
        for (Text t : new Text[] { low, high }) {
            t.addListener(SWT.DefaultSelection, e -> applyWindow());
            t.addListener(SWT.FocusOut, e -> applyWindow());
        }

        label("Opacity:");
        opacity = new Scale(this, SWT.HORIZONTAL);
        opacity.setMinimum(0);
        opacity.setMaximum(100);
        opacity.setPageIncrement(10);
        opacity.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        opacity.addListener(SWT.Selection, e -> {
            double a = opacity.getSelection() / 100.0;
            editor.change(selected(), "Opacity", o -> o.setOpacity(a));
        });

        label("Threshold:");
        threshold = number();
        threshold.setToolTipText("Voxels at or below this value are not drawn (empty: draw all)");
        threshold.addListener(SWT.DefaultSelection, e -> applyThreshold());
        threshold.addListener(SWT.FocusOut, e -> applyThreshold());
        twoSided = new Button(this, SWT.CHECK);
        twoSided.setText("Two-sided");
        twoSided.setToolTipText("Apply the threshold to the magnitude: values below minus the threshold (negative r,"
                + " R\u00b2 below zero) are drawn too");
        twoSided.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
        twoSided.addListener(SWT.Selection, e -> {
            boolean on = twoSided.getSelection();
            editor.change(selected(), "Two-sided threshold", o -> o.setTwoSided(on));
        });

        new Label(this, SWT.NONE);
        outline = new Button(this, SWT.CHECK);
        outline.setText("Outline");
        outline.setToolTipText("Draw only the edges between regions (ROI outlines)");
        outline.addListener(SWT.Selection, e -> {
            boolean on = outline.getSelection();
            editor.change(selected(), "Outline", o -> o.setOutline(on));
        });
        smooth = new Button(this, SWT.CHECK);
        smooth.setText("Smooth");
        smooth.setToolTipText("Resample by trilinear interpolation when the volume lies on another grid than the"
                + " opened one (else the nearest voxel)");
        smooth.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
        smooth.addListener(SWT.Selection, e -> {
            Resampling r = smooth.getSelection() ? Resampling.TRILINEAR : Resampling.NEAREST;
            editor.change(selected(), "Resampling", o -> o.setResampling(r));
        });

        int volumes = view.volume().volumeCount();
        label("Volume:");
        volume = new Spinner(this, SWT.BORDER);
        volume.setValues(0, 0, Math.max(0, volumes - 1), 0, 1, 10);
        volume.setToolTipText("The volume of the 4-D file shown (0 .. " + (volumes - 1) + ")");
        volume.setEnabled(volumes > 1);
        volume.addListener(SWT.Selection, e -> editor.showVolume(volume.getSelection()));
        Label count = new Label(this, SWT.NONE);
        count.setText(volumes == 1 ? "(one volume)" : "(" + volumes + " volumes, from 0)");
        count.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));

        Composite buttons = new Composite(this, SWT.NONE);
        buttons.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 4, 1));
        buttons.setLayout(new GridLayout(2, true));
        Button add = new Button(buttons, SWT.PUSH);
        add.setText("Add overlay...");
        add.addListener(SWT.Selection, e -> editor.chooseOverlay());
        Button under = new Button(buttons, SWT.PUSH);
        under.setText("Add underlay...");
        under.setToolTipText("Draw an anatomical image (the subject's T1 or mean EPI, or a template) under the opened"
                + " volume, matched by world position");
        under.addListener(SWT.Selection, e -> editor.chooseUnderlay());
        remove = new Button(buttons, SWT.PUSH);
        remove.setText("Remove");
        remove.addListener(SWT.Selection, e -> removeSelected());
        Button export = new Button(buttons, SWT.PUSH);
        export.setText("Export PNG...");
        export.addListener(SWT.Selection, e -> editor.chooseExport());
        radiological = new Button(buttons, SWT.CHECK);
        radiological.setText("Radiological");
        radiological.setToolTipText("Show the subject's right on the left of axial and coronal slices");
        radiological.addListener(SWT.Selection, e -> {
            boolean on = radiological.getSelection();
            editor.edit(on ? "Radiological convention" : "Neurological convention", () -> view.setRadiological(on),
                    () -> view.setRadiological(!on));
        });

        problem = new Label(this, SWT.WRAP);
        problem.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 4, 1));
        problem.setForeground(getDisplay().getSystemColor(SWT.COLOR_RED));

        view.addListener(listener);
        addDisposeListener(e -> view.removeListener(listener));
        refresh();
    }

    private void label(String text) {
        new Label(this, SWT.NONE).setText(text);
    }

    private Text number() {
        Text t = new Text(this, SWT.BORDER);
        GridData gd = new GridData(SWT.FILL, SWT.CENTER, true, false);
        gd.widthHint = 60;
        t.setLayoutData(gd);
        return t;
    }

    /** @return the overlay the controls edit (the opened volume unless another is selected) */
    public Overlay selected() {
        return view.layers().contains(selected) ? selected : view.base();
    }

    /** Removes the selected overlay or underlay (the opened volume stays), as an undoable edit. */
    public void removeSelected() {
        Overlay o = selected();
        if (o == view.base()) {
            return;
        }
        if (o == view.underlay()) {
            editor.edit("Remove underlay " + o.volume().name(), () -> view.setUnderlay(null),
                    () -> view.setUnderlay(o));
        } else {
            int index = view.overlays().indexOf(o);
            editor.edit("Remove overlay " + o.volume().name(), () -> view.removeOverlay(o),
                    () -> view.insertOverlay(index, o));
        }
        selected = view.base();
        refresh();
    }

    /**
     * Sets the selected overlay's threshold to two-sided or one-sided, as if clicked.
     *
     * @param on whether the threshold applies to the magnitude
     */
    public void setTwoSided(boolean on) {
        twoSided.setSelection(on);
        twoSided.notifyListeners(SWT.Selection, new Event());
    }

    /**
     * Sets this viewer's orientation convention, as if the Radiological check box were clicked.
     *
     * @param on whether to show the subject's right on the left
     */
    public void setRadiological(boolean on) {
        radiological.setSelection(on);
        radiological.notifyListeners(SWT.Selection, new Event());
    }

    /**
     * Shows another volume of a 4-D file, as if the volume spinner were set.
     *
     * @param index the volume
     */
    public void selectVolume(int index) {
        volume.setSelection(index);
        volume.notifyListeners(SWT.Selection, new Event());
    }

    /**
     * Selects an overlay for editing.
     *
     * @param overlay one of the view's overlays
     */
    public void select(Overlay overlay) {
        selected = overlay;
        refresh();
    }

    /** @return the message about the last value that could not be used, or "" */
    public String problem() {
        return problem.getText();
    }

    /**
     * Sets the selected overlay's window from the numeric fields, as if typed.
     *
     * @param lowText the low end
     * @param highText the high end
     */
    public void typeWindow(String lowText, String highText) {
        low.setText(lowText);
        high.setText(highText);
        applyWindow();
    }

    /**
     * Sets the selected overlay's threshold, as if typed.
     *
     * @param text the threshold ("" for none)
     */
    public void typeThreshold(String text) {
        threshold.setText(text);
        applyThreshold();
    }

    private void applyWindow() {
        try {
            WindowLevel w = new WindowLevel(parse(low.getText()), parse(high.getText()));
            editor.change(selected(), "Window", o -> o.setWindow(w));
            problem.setText("");
        } catch (IllegalArgumentException e) {
            problem.setText("The window needs two numbers, low <= high: " + e.getMessage());
        }
        layout(true);
    }

    private void applyThreshold() {
        String text = threshold.getText().strip();
        try {
            double t = text.isEmpty() ? Double.NEGATIVE_INFINITY : parse(text);
            editor.change(selected(), "Threshold", o -> o.setThreshold(t));
            problem.setText("");
        } catch (IllegalArgumentException e) {
            problem.setText(e.getMessage());
        }
        layout(true);
    }

    private static double parse(String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not a number");
        }
    }

    private void refresh() {
        if (isDisposed()) {
            return;
        }
        List<Overlay> overlays = view.layers();
        table.removeAll();
        for (Overlay o : overlays) {
            TableItem item = new TableItem(table, SWT.NONE);
            String role = o == view.base() ? " (opened)" : o == view.underlay() ? " (underlay)" : "";
            item.setText(o.volume().name() + role);
            item.setChecked(o.visible());
            item.setData(o);
            if (o == selected()) {
                table.setSelection(item);
            }
        }
        radiological.setSelection(view.radiological());
        // an undone or redone step of the volume slider shows here too
        volume.setSelection(editor.shownVolume());
        showSelected();
    }

    private void showSelected() {
        Overlay o = selected();
        colormap.select(o.colormap().ordinal());
        low.setText(format(o.window().low()));
        high.setText(format(o.window().high()));
        opacity.setSelection((int) Math.round(o.opacity() * 100));
        threshold.setText(Double.isInfinite(o.threshold()) ? "" : format(o.threshold()));
        twoSided.setSelection(o.twoSided());
        outline.setSelection(o.outline());
        smooth.setSelection(o.resampling() == Resampling.TRILINEAR);
        remove.setEnabled(o != view.base());
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e12
                ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.6g", v);
    }
}
