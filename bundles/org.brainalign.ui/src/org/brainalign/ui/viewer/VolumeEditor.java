package org.brainalign.ui.viewer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.brainalign.core.BrainAlignPreferences;
import org.brainalign.io.AtomicFile;
import org.brainalign.ui.preferences.WorkbenchPreferences;
import org.brainalign.ui.runs.RunInfoChanges;
import org.brainalign.ui.runs.SubjectAnatomy;
import org.brainalign.ui.workspace.RunSummary;
import org.brainalign.workflow.slices.Colormap;
import org.brainalign.workflow.slices.ColourBar;
import org.brainalign.workflow.slices.Overlay;
import org.brainalign.workflow.slices.Readout;
import org.brainalign.workflow.slices.RunMapStyle;
import org.brainalign.workflow.slices.RunMaps;
import org.brainalign.workflow.slices.SlicePlane;
import org.brainalign.workflow.slices.ViewedVolume;
import org.brainalign.workflow.slices.VolumeView;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.commands.operations.IUndoContext;
import org.eclipse.core.commands.operations.ObjectUndoContext;
import org.eclipse.core.commands.operations.OperationHistoryFactory;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.ListenerList;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.util.IPropertyChangeListener;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.ISelectionChangedListener;
import org.eclipse.jface.viewers.ISelectionProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.SelectionChangedEvent;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Transform;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IEditorSite;
import org.eclipse.ui.IURIEditorInput;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.operations.UndoRedoActionGroup;
import org.eclipse.ui.part.EditorPart;

/**
 * The volume editor is BrainAlign's slice viewer: a NIfTI volume in axial, coronal and sagittal slices, shown in
 * world orientation whatever the file's axis order, with a linked crosshair, the voxel and world coordinates, value
 * and atlas label under it, an underlay of anatomy (a run map opens over its subject's anatomy or the preferred
 * template), overlays (atlases as filled regions or outlines, run maps) with opacity and one- or two-sided
 * thresholds, window/level and colormaps with their colour bars, a volume slider for 4-D series, and export of the
 * view as PNG. Volumes are read in jobs. Changes to what is shown go through the workbench's operation history
 * (Edit > Undo, Redo). The crosshair is the editor's selection ({@link CrosshairPosition}), for views that follow it,
 * and other viewers follow it by world position when the preference links them. It never changes the file (it is an
 * editor only so that double-clicking a file opens it).
 */
public class VolumeEditor extends EditorPart {

    /** The editor's id. */
    public static final String ID = "org.brainalign.ui.viewer.VolumeEditor";
    /** The widest a colour bar is drawn in an exported PNG, in pixels. */
    private static final int BAR_WIDTH = 480;

    private Path file;
    private Composite stack;
    private StackLayout stackLayout;
    private Label message;
    private Composite viewer;
    private VolumeView view;
    private OverlayPanel panel;
    private Label readoutLabel;
    private Canvas colourBars;
    private Overlay dragged;
    private Overlay.Settings draggedFrom;
    private final IUndoContext undoContext = new ObjectUndoContext(this, "Volume viewer");
    private final Map<SlicePlane, SliceCanvas> canvases = new EnumMap<>(SlicePlane.class);
    private Job loading;
    private String error;
    private final CrosshairSelection selection = new CrosshairSelection();
    private RunInfoChanges runInfo;
    private String toolTip;
    private int volumeIndex;
    private int volumeAsked;
    private final Runnable readoutUpdater = this::updateReadout;
    private final IPropertyChangeListener preferenceListener = e -> {
        if (BrainAlignPreferences.ORIENTATION_CONVENTION.equals(e.getProperty()) && view != null) {
            Display.getDefault().asyncExec(() -> {
                if (view != null && stack != null && !stack.isDisposed()) {
                    view.setRadiological(WorkbenchPreferences.current().radiological());
                }
            });
        }
    };

    @Override
    public void init(IEditorSite site, IEditorInput input) throws PartInitException {
        setSite(site);
        setInput(input);
        file = pathOf(input).orElseThrow(() -> new PartInitException(
                "The volume viewer opens NIfTI files on disk, and " + input.getName() + " is not one."));
        retitle();
        // the tab names the run by its label, which a rename in the run's properties changes in run.json
        Optional<Path> run = RunMaps.runOf(file).map(p -> p.toAbsolutePath().normalize());
        if (run.isPresent()) {
            runInfo = RunInfoChanges.listen(folders -> {
                if (folders.contains(run.get())) {
                    retitle();
                }
            });
        }
        site.setSelectionProvider(selection);
    }

    /** Names the tab and its tool tip after the file and, for a run's map, the run's current label. */
    private void retitle() {
        setPartName(RunSummary.title(file));
        toolTip = RunMaps.runOf(file).isPresent() ? RunSummary.toolTip(file) : null;
        setTitleToolTip(toolTip);
    }

    @Override
    public String getTitleToolTip() {
        // an editor's tool tip is its input's unless it has its own: a run's map names the run
        return toolTip != null ? toolTip : super.getTitleToolTip();
    }

    /**
     * @param input an editor input
     * @return the local file it stands for: a workspace file's location or a file: URI
     */
    static Optional<Path> pathOf(IEditorInput input) {
        IFile f = input.getAdapter(IFile.class);
        if (f != null) {
            IPath location = f.getLocation();
            return location == null ? Optional.empty() : Optional.of(location.toPath());
        }
        if (input instanceof IURIEditorInput u && "file".equals(u.getURI().getScheme())) {
            return Optional.of(Path.of(u.getURI()));
        }
        return Optional.empty();
    }

    @Override
    public void createPartControl(Composite parent) {
        stack = new Composite(parent, SWT.NONE);
        stackLayout = new StackLayout();
        stack.setLayout(stackLayout);
        message = new Label(stack, SWT.WRAP);
        message.setText("Opening " + file.getFileName() + " ...");
        stackLayout.topControl = message;
        WorkbenchPreferences.store().addPropertyChangeListener(preferenceListener);
        loading = Job.create("Opening " + file.getFileName(), this::load);
        loading.setUser(false);
        loading.schedule();
    }

    private IStatus load(IProgressMonitor monitor) {
        SubMonitor sub = SubMonitor.convert(monitor, 3);
        try {
            ViewedVolume volume = ViewedVolume.read(file, 0, sub.split(1));
            BrainAlignPreferences prefs = WorkbenchPreferences.current();
            VolumeView v = new VolumeView(volume, Colormap.of(prefs.colormap(), Colormap.GREY), prefs.radiological());
            Optional<Path> entropy = RunMapStyle.style(v.base(), file);
            if (entropy.isPresent()) {
                v.base().setDimming(ViewedVolume.read(entropy.get(), 0, sub.split(1)));
            }
            Optional<Path> anatomy = SubjectAnatomy.underlayFor(file);
            if (anatomy.isPresent()) {
                try {
                    v.setUnderlay(Overlay.under(ViewedVolume.read(anatomy.get(), 0, sub.split(1))));
                } catch (IOException e) {
                    // the map is still worth seeing on black; the sentence names the anatomy's file
                    ILog.of(getClass()).warn(e.getMessage());
                }
            }
            Display.getDefault().asyncExec(() -> show(v));
            return Status.OK_STATUS;
        } catch (OperationCanceledException e) {
            return Status.CANCEL_STATUS;
        } catch (IOException | RuntimeException e) {
            String text;
            if (e instanceof IOException) {
                // a user's bad file: the sentence says it all
                text = e.getMessage();
                ILog.of(getClass()).warn(text);
            } else {
                text = "File " + file + " cannot be shown: " + e.getMessage();
                ILog.of(getClass()).error(text, e);
            }
            Display.getDefault().asyncExec(() -> showError(text));
            return Status.OK_STATUS;
        }
    }

    private void show(VolumeView v) {
        if (stack == null || stack.isDisposed()) {
            return;
        }
        view = v;
        // two rows of two equal cells, which the user can resize; the panel scrolls rather than squeeze the slices
        // slices in two rows of two cells (the fourth holds the readout and colour bars) and, beside them, the
        // panel of layers and commands in its own column, so that its controls stay in view; both scroll if need be
        SashForm columns = new SashForm(stack, SWT.HORIZONTAL);
        viewer = columns;
        SashForm rows = new SashForm(columns, SWT.VERTICAL);
        SashForm top = new SashForm(rows, SWT.HORIZONTAL);
        SashForm bottom = new SashForm(rows, SWT.HORIZONTAL);
        for (SlicePlane plane : new SlicePlane[] { SlicePlane.AXIAL, SlicePlane.CORONAL, SlicePlane.SAGITTAL }) {
            SliceCanvas c = new SliceCanvas(plane == SlicePlane.SAGITTAL ? bottom : top, v, plane,
                    () -> panel.selected());
            canvases.put(plane, c);
            // a right-button drag of the window becomes one edit, from press to release
            c.addListener(SWT.MouseDown, e -> {
                if (e.button == 3) {
                    dragged = panel.selected();
                    draggedFrom = dragged.settings();
                }
            });
            c.addListener(SWT.MouseUp, e -> {
                if (e.button == 3 && dragged != null) {
                    changed(dragged, "Window", draggedFrom);
                    dragged = null;
                }
            });
        }
        Composite info = scrolled(bottom);
        readoutLabel = new Label(info, SWT.WRAP);
        readoutLabel.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        colourBars = new Canvas(info, SWT.DOUBLE_BUFFERED);
        colourBars.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        colourBars.addPaintListener(e -> {
            e.gc.setForeground(colourBars.getForeground());
            ColourBarDrawing.draw(e.gc, v.colourBars(), 0, 0, Math.max(1, colourBars.getClientArea().width - 8));
        });
        Composite side = scrolled(columns);
        panel = new OverlayPanel(side, this);
        panel.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        columns.setWeights(new int[] { 64, 36 });
        v.addListener(readoutUpdater);
        new UndoRedoActionGroup(getSite(), undoContext, true).fillActionBars(getEditorSite().getActionBars());
        getEditorSite().getActionBars().updateActionBars();
        updateReadout();
        stackLayout.topControl = viewer;
        stack.layout(true, true);
        canvases.get(SlicePlane.AXIAL).setFocus();
    }

    /**
     * @param parent where the scrolled area goes
     * @return a one-column composite inside a scrolled composite, which scrolls once the composite's content is
     *         taller than the area
     */
    private static Composite scrolled(Composite parent) {
        ScrolledComposite scroll = new ScrolledComposite(parent, SWT.V_SCROLL | SWT.H_SCROLL);
        Composite content = new Composite(scroll, SWT.NONE);
        content.setLayout(new GridLayout(1, false));
        scroll.setContent(content);
        scroll.setExpandHorizontal(true);
        scroll.setExpandVertical(true);
        scroll.addListener(SWT.Resize, e -> fitScrolled(content));
        return content;
    }

    /** @param content the content of a {@link #scrolled} area, after it changed size */
    private static void fitScrolled(Composite content) {
        content.layout(true);
        if (content.getParent() instanceof ScrolledComposite scroll) {
            scroll.setMinSize(content.computeSize(scroll.getClientArea().width, SWT.DEFAULT));
        }
    }

    private void showError(String text) {
        error = text;
        if (message != null && !message.isDisposed()) {
            message.setText(text);
            stackLayout.topControl = message;
            stack.layout(true, true);
        }
    }

    private void updateReadout() {
        if (readoutLabel == null || readoutLabel.isDisposed()) {
            return;
        }
        readoutLabel.setText(readoutText());
        GC gc = new GC(colourBars);
        int barsHeight = ColourBarDrawing.height(gc, view.colourBars().size());
        gc.dispose();
        ((GridData) colourBars.getLayoutData()).heightHint = barsHeight;
        colourBars.setVisible(barsHeight > 0);
        colourBars.redraw();
        selection.moved(new CrosshairPosition(file, view.crosshairVoxel(), view.readout().world()));
        fitScrolled(readoutLabel.getParent());
    }

    /** @return the job reading the volume (tests join it, then let the display run) */
    public Job loadingJob() {
        return loading;
    }

    /** @return whether the volume is read and shown */
    public boolean isLoaded() {
        return view != null && viewer != null && !viewer.isDisposed();
    }

    /** @return the sentence shown when the file cannot be read, or null */
    public String errorMessage() {
        return error;
    }

    /** @return the file shown */
    public Path file() {
        return file;
    }

    /** @return the view's state (null until loaded) */
    public VolumeView view() {
        return view;
    }

    /**
     * @param plane a plane
     * @return the canvas showing it (null until loaded)
     */
    public SliceCanvas canvas(SlicePlane plane) {
        return canvases.get(plane);
    }

    /** @return the text of the readout under the crosshair, as shown (empty until loaded) */
    public String readoutText() {
        if (view == null) {
            return "";
        }
        Readout r = view.readout();
        StringBuilder b = new StringBuilder();
        for (String line : r.lines()) {
            b.append(line).append('\n');
        }
        b.append(view.volume().description());
        return b.toString();
    }

    /** @return the context of this viewer's edits in the workbench's operation history */
    public IUndoContext undoContext() {
        return undoContext;
    }

    /**
     * Makes a change to what is shown as an undoable operation (Edit > Undo names it).
     *
     * @param label what the change is, e.g. "Remove overlay aal.nii.gz"
     * @param apply makes the change (now, and again on redo)
     * @param revert takes it back
     */
    void edit(String label, Runnable apply, Runnable revert) {
        try {
            OperationHistoryFactory.getOperationHistory().execute(new ViewerEdit(label, undoContext, apply, revert),
                    null, null);
        } catch (ExecutionException e) {
            // ViewerEdit never throws: an exception here is a programming error
            throw new IllegalStateException(e);
        }
    }

    /**
     * Changes an overlay's settings as one undoable operation; nothing is recorded when they end up as they were.
     *
     * @param overlay the overlay
     * @param label what the change is, e.g. "Threshold"
     * @param change changes the overlay's settings
     */
    void change(Overlay overlay, String label, Consumer<Overlay> change) {
        Overlay.Settings before = overlay.settings();
        change.accept(overlay);
        changed(overlay, label, before);
    }

    /**
     * Records a change already made to an overlay's settings (a window dragged with the right button) as one
     * undoable operation, so that undoing an earlier change does not silently take it back too.
     *
     * @param overlay the overlay
     * @param label what the change is
     * @param before its settings before the change
     */
    private void changed(Overlay overlay, String label, Overlay.Settings before) {
        Overlay.Settings after = overlay.settings();
        overlay.restore(before);
        if (!after.equals(before)) {
            edit(label, () -> {
                overlay.restore(after);
                view.changed();
            }, () -> {
                overlay.restore(before);
                view.changed();
            });
        }
    }

    /** @return the panel of overlay settings (null until loaded) */
    public OverlayPanel overlayPanel() {
        return panel;
    }

    /**
     * Reads a volume in a job and draws it over the others when done: an atlas as label colours, a run map styled
     * for its kind, anything else in hot; a file that cannot be read is reported in one sentence.
     *
     * @param overlayFile a NIfTI file
     * @return the job (already scheduled)
     */
    public Job addOverlay(Path overlayFile) {
        Job job = Job.create("Adding overlay " + overlayFile.getFileName(), monitor -> {
            SubMonitor sub = SubMonitor.convert(monitor, 2);
            try {
                ViewedVolume v = ViewedVolume.read(overlayFile, 0, sub.split(1));
                Overlay o = Overlay.over(v);
                Optional<Path> entropy = RunMapStyle.style(o, overlayFile);
                if (entropy.isPresent()) {
                    o.setDimming(ViewedVolume.read(entropy.get(), 0, sub.split(1)));
                }
                Display.getDefault().asyncExec(() -> {
                    if (view != null && panel != null && !panel.isDisposed()) {
                        edit("Add overlay " + o.volume().name(), () -> view.addOverlay(o), () -> view.removeOverlay(o));
                        panel.select(o);
                    }
                });
                return Status.OK_STATUS;
            } catch (IOException | RuntimeException e) {
                String text = e instanceof IOException
                        ? e.getMessage()
                        : "File " + overlayFile + " cannot be shown: " + e.getMessage();
                return Status.error(text, e);
            }
        });
        job.setUser(true);
        job.schedule();
        return job;
    }

    /**
     * Reads a volume in a job and draws it under the opened one when done (replacing any underlay), in grey and
     * smoothed, read by world position whatever its grid; a file that cannot be read is reported in one sentence.
     *
     * @param underlayFile a NIfTI file: the subject's anatomy, a mean EPI or a template
     * @return the job (already scheduled)
     */
    public Job addUnderlay(Path underlayFile) {
        Job job = Job.create("Adding underlay " + underlayFile.getFileName(), monitor -> {
            try {
                Overlay u = Overlay.under(ViewedVolume.read(underlayFile, 0, monitor));
                Display.getDefault().asyncExec(() -> {
                    if (view != null && panel != null && !panel.isDisposed()) {
                        Overlay before = view.underlay();
                        edit("Add underlay " + u.volume().name(), () -> view.setUnderlay(u),
                                () -> view.setUnderlay(before));
                    }
                });
                return Status.OK_STATUS;
            } catch (IOException | RuntimeException e) {
                String text = e instanceof IOException
                        ? e.getMessage()
                        : "File " + underlayFile + " cannot be shown: " + e.getMessage();
                return Status.error(text, e);
            }
        });
        job.setUser(true);
        job.schedule();
        return job;
    }

    /**
     * Shows another volume of a 4-D file: reads it in a job and puts it in place of the one shown, keeping every
     * setting, as an undoable edit (undo shows the volume before, kept in memory, without reading it again).
     *
     * @param index the volume, 0 .. the file's volume count - 1
     * @return the job (already scheduled)
     */
    public Job showVolume(int index) {
        // the volume asked for last wins, even if an earlier one takes longer to read
        int ticket = ++volumeAsked;
        Job job = Job.create("Reading volume " + index + " of " + file.getFileName(), monitor -> {
            try {
                ViewedVolume next = ViewedVolume.read(file, index, monitor);
                Display.getDefault().asyncExec(() -> {
                    if (view != null && !stack.isDisposed() && index != volumeIndex && ticket == volumeAsked) {
                        ViewedVolume before = view.base().volume();
                        int beforeIndex = volumeIndex;
                        edit("Volume " + index, () -> showVolume(index, next), () -> showVolume(beforeIndex, before));
                    }
                });
                return Status.OK_STATUS;
            } catch (OperationCanceledException e) {
                return Status.CANCEL_STATUS;
            } catch (IOException e) {
                return Status.error(e.getMessage(), e);
            }
        });
        job.schedule();
        return job;
    }

    private void showVolume(int index, ViewedVolume volume) {
        volumeIndex = index;
        view.base().setVolume(volume);
        view.changed();
    }

    /** @return the volume of the file shown, counted from 0 */
    public int shownVolume() {
        return volumeIndex;
    }

    /** Asks for a NIfTI file and adds it as an overlay. */
    void chooseOverlay() {
        String chosen = chooseVolume("Add overlay");
        if (chosen != null) {
            addOverlay(Path.of(chosen));
        }
    }

    /** Asks for a NIfTI file (starting at the preferred template's folder) and draws it under the opened volume. */
    void chooseUnderlay() {
        String chosen = chooseVolume("Add underlay");
        if (chosen != null) {
            addUnderlay(Path.of(chosen));
        }
    }

    private String chooseVolume(String title) {
        FileDialog d = new FileDialog(getSite().getShell(), SWT.OPEN);
        d.setText(title);
        d.setFilterExtensions(new String[] { "*.nii;*.nii.gz;*.hdr;*.hdr.gz", "*" });
        d.setFilterNames(new String[] { "NIfTI volumes", "All files" });
        d.setFilterPath(file.getParent().toString());
        return d.open();
    }

    /** Asks for a PNG file name and exports the current view there. */
    void chooseExport() {
        FileDialog d = new FileDialog(getSite().getShell(), SWT.SAVE);
        d.setText("Export view as PNG");
        d.setFilterExtensions(new String[] { "*.png" });
        d.setFilterPath(file.getParent().toString());
        d.setFileName(file.getFileName().toString().replaceFirst("(?i)\\.(nii|hdr|img)(\\.gz)?$", "") + "-view.png");
        d.setOverwrite(true);
        String chosen = d.open();
        if (chosen == null) {
            return;
        }
        try {
            exportPng(Path.of(chosen));
        } catch (IOException e) {
            MessageDialog.openError(getSite().getShell(), "Export view as PNG",
                    "The view could not be written to " + chosen + ": " + e.getMessage());
        }
    }

    /**
     * Draws the three slices side by side, as they are on screen (zoom, pan, crosshair, letters), with the readout
     * and the colour bars of the maps shown below them.
     *
     * @return the image data
     */
    public ImageData snapshot() {
        List<SliceCanvas> list = List.of(canvases.get(SlicePlane.AXIAL), canvases.get(SlicePlane.CORONAL),
                canvases.get(SlicePlane.SAGITTAL));
        Point cell = snapshotCell();
        int w = cell.x;
        int h = cell.y;
        Display display = stack.getDisplay();
        String text = readoutText().replace('\n', ' ').replaceAll(" +", " ");
        List<ColourBar> bars = view.colourBars();
        GC measure = new GC(stack);
        int barsHeight = ColourBarDrawing.height(measure, bars.size());
        // the readout is wrapped to the picture's width rather than cut off at its right edge
        List<String> lines = wrap(measure, text, 3 * w - 8);
        int lineHeight = measure.getFontMetrics().getHeight();
        measure.dispose();
        int readoutHeight = Math.max(24, lines.size() * lineHeight + 8);
        int height = h + readoutHeight + barsHeight + (bars.isEmpty() ? 0 : 8);
        Image image = new Image(display, 3 * w, height);
        GC gc = new GC(image);
        try {
            gc.setBackground(display.getSystemColor(SWT.COLOR_BLACK));
            gc.fillRectangle(0, 0, 3 * w, height);
            for (int i = 0; i < 3; i++) {
                Transform t = new Transform(display);
                t.translate(i * w, 0);
                gc.setTransform(t);
                gc.setClipping(0, 0, w, h);
                list.get(i).paint(gc, w, h);
                // the transform goes first: cairo keeps a clip reset under a transform in the transformed space
                gc.setTransform(null);
                t.dispose();
            }
            gc.setClipping(0, 0, 3 * w, height);
            gc.setForeground(display.getSystemColor(SWT.COLOR_WHITE));
            gc.setFont(stack.getFont());
            for (int i = 0; i < lines.size(); i++) {
                gc.drawText(lines.get(i), 4, h + 4 + i * lineHeight, true);
            }
            ColourBarDrawing.draw(gc, bars, 8, h + readoutHeight, Math.min(3 * w - 16, BAR_WIDTH));
            return image.getImageData();
        } finally {
            gc.dispose();
            image.dispose();
        }
    }

    /**
     * @param gc measures the text in the font it is drawn in
     * @param text words separated by single spaces
     * @param width the widest a line may be, in pixels
     * @return the text in lines no wider than the width (a single word wider than that stays whole)
     */
    static List<String> wrap(GC gc, String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split(" ")) {
            String longer = line.isEmpty() ? word : line + " " + word;
            if (!line.isEmpty() && gc.textExtent(longer).x > width) {
                lines.add(line.toString());
                line.setLength(0);
                line.append(word);
            } else {
                line.setLength(0);
                line.append(longer);
            }
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * @return the size of each slice's cell in {@link #snapshot()}: the largest canvas width and height, at least 64;
     *         the readout (wrapped to the width, at least 24 pixels) and the colour bars lie below
     */
    public Point snapshotCell() {
        int w = 64;
        int h = 64;
        for (SliceCanvas c : canvases.values()) {
            Point size = c.getSize();
            w = Math.max(w, size.x);
            h = Math.max(h, size.y);
        }
        return new Point(w, h);
    }

    /**
     * Exports the view (see {@link #snapshot()}) as a PNG file, written under a temporary name and renamed.
     *
     * @param target the PNG file
     * @throws IOException if it cannot be written
     */
    public void exportPng(Path target) throws IOException {
        if (!target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new IOException("File " + target + " does not end in .png.");
        }
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] { snapshot() };
        AtomicFile.write(target, out -> loader.save(out, SWT.IMAGE_PNG));
    }

    /** Offers the crosshair position to the workbench's selection service, telling listeners only when it moves. */
    private final class CrosshairSelection implements ISelectionProvider {

        private final ListenerList<ISelectionChangedListener> listeners = new ListenerList<>();
        private IStructuredSelection current = StructuredSelection.EMPTY;

        void moved(CrosshairPosition position) {
            if (position.equals(current.getFirstElement())) {
                return;
            }
            boolean first = current.isEmpty();
            current = new StructuredSelection(position);
            SelectionChangedEvent event = new SelectionChangedEvent(this, current);
            for (ISelectionChangedListener l : listeners) {
                l.selectionChanged(event);
            }
            if (!first) {
                // opening a viewer does not move the others to its centre; the user's moves do
                CrosshairLink.moved(VolumeEditor.this, position.world());
            }
        }

        @Override
        public void addSelectionChangedListener(ISelectionChangedListener listener) {
            listeners.add(listener);
        }

        @Override
        public ISelection getSelection() {
            return current;
        }

        @Override
        public void removeSelectionChangedListener(ISelectionChangedListener listener) {
            listeners.remove(listener);
        }

        @Override
        public void setSelection(ISelection selection) {
            if (view != null && selection instanceof IStructuredSelection s
                    && s.getFirstElement() instanceof CrosshairPosition p) {
                view.setCrosshairWorld(p.world());
            }
        }
    }

    @Override
    public void setFocus() {
        if (isLoaded()) {
            canvases.get(SlicePlane.AXIAL).setFocus();
        } else if (stack != null) {
            stack.setFocus();
        }
    }

    @Override
    public void dispose() {
        WorkbenchPreferences.store().removePropertyChangeListener(preferenceListener);
        if (runInfo != null) {
            runInfo.stop();
        }
        OperationHistoryFactory.getOperationHistory().dispose(undoContext, true, true, true);
        if (view != null) {
            view.removeListener(readoutUpdater);
        }
        if (loading != null) {
            loading.cancel();
        }
        super.dispose();
    }

    @Override
    public void doSave(IProgressMonitor monitor) {
        // the viewer never changes the file
    }

    @Override
    public void doSaveAs() {
        // the viewer never changes the file
    }

    @Override
    public boolean isDirty() {
        return false;
    }

    @Override
    public boolean isSaveAsAllowed() {
        return false;
    }
}
