package org.brainalign.ui.viewer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.brainalign.core.BrainAlignPreferences;
import org.brainalign.io.AtomicFile;
import org.brainalign.ui.preferences.WorkbenchPreferences;
import org.brainalign.ui.viewer.model.Colormap;
import org.brainalign.ui.viewer.model.Overlay;
import org.brainalign.ui.viewer.model.Readout;
import org.brainalign.ui.viewer.model.RunMapStyle;
import org.brainalign.ui.viewer.model.SlicePlane;
import org.brainalign.ui.viewer.model.ViewedVolume;
import org.brainalign.ui.viewer.model.VolumeView;
import org.brainalign.ui.workspace.RunSummary;
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
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IEditorSite;
import org.eclipse.ui.IURIEditorInput;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.part.EditorPart;

/**
 * The volume editor is BrainAlign's slice viewer: a NIfTI volume in axial, coronal and sagittal slices, shown in
 * world orientation whatever the file's axis order, with a linked crosshair, the voxel and world coordinates, value
 * and atlas label under it, overlays (atlases as filled regions or outlines, run maps) with opacity and threshold,
 * window/level and colormaps, and export of the view as PNG. The volume is read in a job; of a 4-D series only the
 * first volume. The crosshair is the editor's selection ({@link CrosshairPosition}), for views that follow it. It never
 * changes the file (it is an editor only so that double-clicking a file opens it).
 */
public class VolumeEditor extends EditorPart {

    /** The editor's id. */
    public static final String ID = "org.brainalign.ui.viewer.VolumeEditor";

    private Path file;
    private Composite stack;
    private StackLayout stackLayout;
    private Label message;
    private Composite viewer;
    private VolumeView view;
    private OverlayPanel panel;
    private Label readoutLabel;
    private final Map<SlicePlane, SliceCanvas> canvases = new EnumMap<>(SlicePlane.class);
    private Job loading;
    private String error;
    private final CrosshairSelection selection = new CrosshairSelection();
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
        setPartName(RunSummary.title(file));
        setTitleToolTip(file.toString());
        site.setSelectionProvider(selection);
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
        SubMonitor sub = SubMonitor.convert(monitor, 2);
        try {
            ViewedVolume volume = ViewedVolume.read(file, 0, sub.split(1));
            BrainAlignPreferences prefs = WorkbenchPreferences.current();
            VolumeView v = new VolumeView(volume, Colormap.of(prefs.colormap(), Colormap.GREY), prefs.radiological());
            Optional<Path> entropy = RunMapStyle.style(v.base(), file);
            if (entropy.isPresent()) {
                v.base().setDimming(ViewedVolume.read(entropy.get(), 0, sub.split(1)));
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
        SashForm rows = new SashForm(stack, SWT.VERTICAL);
        viewer = rows;
        SashForm top = new SashForm(rows, SWT.HORIZONTAL);
        SashForm bottom = new SashForm(rows, SWT.HORIZONTAL);
        for (SlicePlane plane : new SlicePlane[] { SlicePlane.AXIAL, SlicePlane.CORONAL, SlicePlane.SAGITTAL }) {
            SliceCanvas c = new SliceCanvas(plane == SlicePlane.SAGITTAL ? bottom : top, v, plane,
                    () -> panel.selected());
            canvases.put(plane, c);
        }
        ScrolledComposite scroll = new ScrolledComposite(bottom, SWT.V_SCROLL | SWT.H_SCROLL);
        Composite side = new Composite(scroll, SWT.NONE);
        side.setLayout(new GridLayout(1, false));
        readoutLabel = new Label(side, SWT.WRAP);
        readoutLabel.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        panel = new OverlayPanel(side, this);
        panel.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        scroll.setContent(side);
        scroll.setExpandHorizontal(true);
        scroll.setExpandVertical(true);
        scroll.addListener(SWT.Resize, e -> scroll.setMinSize(side.computeSize(scroll.getClientArea().width,
                SWT.DEFAULT)));
        v.addListener(readoutUpdater);
        updateReadout();
        stackLayout.topControl = viewer;
        stack.layout(true, true);
        canvases.get(SlicePlane.AXIAL).setFocus();
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
        selection.moved(new CrosshairPosition(file, view.crosshairVoxel(), view.readout().world()));
        Composite side = readoutLabel.getParent();
        side.layout(true);
        if (side.getParent() instanceof ScrolledComposite scroll) {
            scroll.setMinSize(side.computeSize(scroll.getClientArea().width, SWT.DEFAULT));
        }
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
                        view.addOverlay(o);
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

    /** Asks for a NIfTI file and adds it as an overlay. */
    void chooseOverlay() {
        FileDialog d = new FileDialog(getSite().getShell(), SWT.OPEN);
        d.setText("Add overlay");
        d.setFilterExtensions(new String[] { "*.nii;*.nii.gz;*.hdr;*.hdr.gz", "*" });
        d.setFilterNames(new String[] { "NIfTI volumes", "All files" });
        d.setFilterPath(file.getParent().toString());
        String chosen = d.open();
        if (chosen != null) {
            addOverlay(Path.of(chosen));
        }
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
     * below them.
     *
     * @return the image data
     */
    public ImageData snapshot() {
        List<SliceCanvas> list = List.of(canvases.get(SlicePlane.AXIAL), canvases.get(SlicePlane.CORONAL),
                canvases.get(SlicePlane.SAGITTAL));
        int w = 0;
        int h = 0;
        for (SliceCanvas c : list) {
            Point size = c.getSize();
            w = Math.max(w, size.x);
            h = Math.max(h, size.y);
        }
        w = Math.max(w, 64);
        h = Math.max(h, 64);
        Display display = stack.getDisplay();
        String text = readoutText().replace('\n', ' ').replaceAll(" +", " ");
        Image image = new Image(display, 3 * w, h + 24);
        GC gc = new GC(image);
        try {
            gc.setBackground(display.getSystemColor(SWT.COLOR_BLACK));
            gc.fillRectangle(0, 0, 3 * w, h + 24);
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
            gc.setClipping(0, 0, 3 * w, h + 24);
            gc.setForeground(display.getSystemColor(SWT.COLOR_WHITE));
            gc.drawText(text, 4, h + 4, true);
            return image.getImageData();
        } finally {
            gc.dispose();
            image.dispose();
        }
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
            current = new StructuredSelection(position);
            SelectionChangedEvent event = new SelectionChangedEvent(this, current);
            for (ISelectionChangedListener l : listeners) {
                l.selectionChanged(event);
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
