package org.brainalign.ui.roi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.brainalign.core.analysis.Distribution;
import org.brainalign.core.analysis.RoiSummary;
import org.brainalign.core.data.Roi;
import org.brainalign.ui.runs.LoadedRun;
import org.brainalign.ui.runs.RunContext;
import org.brainalign.ui.runs.Stimuli;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IMenuManager;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IViewReference;
import org.eclipse.ui.part.ViewPart;

/**
 * The ROI view shows one region of interest of the followed run ({@link RunContext}); the ROI is the view's secondary
 * id, so that one view type serves every ROI (V1, EBA, FFA and PPA open in the perspective, any other from the view
 * menu). It shows the ROI's voxel count, preferred-layer histogram, depth, image position, scale and scores
 * ({@link RoiReading}), the heat map of its selections over the 8 x 8 image grid, optionally blended over a stimulus
 * ({@link StimulusBlend}), and highlights the voxel under the viewer's crosshair in both.
 */
public class RoiView extends ViewPart implements RunContext.Listener {

    /** The view's id (the ROI's name is the secondary id). */
    public static final String ID = "org.brainalign.ui.roi.RoiView";

    /** The ROIs the perspective opens: one early, two late category-selective and one scene area (WORKBENCH.md). */
    public static final List<String> DEFAULT_ROIS = List.of("V1", "EBA", "FFA", "PPA");

    /** Stimuli offered in the list; any other image is one Browse away. */
    private static final int LISTED_STIMULI = 500;

    /** Side of the blended stimulus, in pixels: the size the canvas usually has. */
    private static final int BLEND_SIZE = 256;

    private String roiName;
    private RunContext context;
    private Composite stack;
    private StackLayout stackLayout;
    private Label message;
    private Composite content;
    private Label summaryLabel;
    private LayerHistogramCanvas histogram;
    private Label voxelLabel;
    private SelectionGridCanvas grid;
    private Combo stimulusList;
    private final List<Path> stimuli = new ArrayList<>();
    private Path stimulusFolder;

    private LoadedRun run;
    private RoiReading reading;
    private Optional<RoiReading.Voxel> voxel = Optional.empty();
    private ImageData stimulusImage;
    private Path stimulusFile;
    private ImageData blended;

    @Override
    public void createPartControl(Composite parent) {
        roiName = getViewSite().getSecondaryId();
        if (roiName != null) {
            // the ROI's name alone, so that four tabs side by side stay readable
            setPartName(roiName);
            setTitleToolTip("ROI " + roiName + " of the run the views follow");
        }
        stack = new Composite(parent, SWT.NONE);
        stackLayout = new StackLayout();
        stack.setLayout(stackLayout);
        message = new Label(stack, SWT.WRAP);
        ScrolledComposite scroll = new ScrolledComposite(stack, SWT.V_SCROLL);
        content = new Composite(scroll, SWT.NONE);
        content.setLayout(new GridLayout(3, false));
        summaryLabel = new Label(content, SWT.WRAP);
        summaryLabel.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1));
        histogram = new LayerHistogramCanvas(content);
        histogram.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1));
        voxelLabel = new Label(content, SWT.WRAP);
        voxelLabel.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1));
        grid = new SelectionGridCanvas(content);
        GridData gd = new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1);
        gd.minimumHeight = 160;
        grid.setLayoutData(gd);
        new Label(content, SWT.NONE).setText("Stimulus:");
        stimulusList = new Combo(content, SWT.READ_ONLY | SWT.DROP_DOWN);
        stimulusList.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        stimulusList.addListener(SWT.Selection, e -> {
            int i = stimulusList.getSelectionIndex();
            showStimulus(i <= 0 ? null : stimuli.get(i - 1));
        });
        Button browse = new Button(content, SWT.PUSH);
        browse.setText("Image file...");
        browse.addListener(SWT.Selection, e -> chooseStimulus());
        scroll.setContent(content);
        scroll.setExpandHorizontal(true);
        scroll.setExpandVertical(true);
        scroll.addListener(SWT.Resize, e -> scroll.setMinSize(content.computeSize(scroll.getClientArea().width,
                SWT.DEFAULT)));
        fillViewMenu(getViewSite().getActionBars().getMenuManager());

        context = RunContext.of(getSite().getWorkbenchWindow());
        context.addListener(this);
        runContextChanged(context.state());
        stack.getDisplay().asyncExec(this::createSiblings);
    }

    /**
     * Creates the other ROI views of the page that are not shown yet: until a view is created its tab carries the
     * view type's name ("ROI"), not its ROI's. They are light until a run is followed.
     */
    private void createSiblings() {
        if (stack.isDisposed()) {
            return;
        }
        for (IViewReference ref : getSite().getPage().getViewReferences()) {
            if (ID.equals(ref.getId()) && ref.getSecondaryId() != null && ref.getView(false) == null) {
                ref.getView(true);
            }
        }
    }

    private void fillViewMenu(IMenuManager menu) {
        MenuManager open = new MenuManager("Open ROI view");
        open.add(new RoiViewsMenu());
        menu.add(open);
        menu.add(new Action("Choose stimulus image file...") {

            @Override
            public void run() {
                chooseStimulus();
            }
        });
    }

    @Override
    public void runContextChanged(RunContext.State state) {
        if (stack.isDisposed()) {
            return;
        }
        if (roiName == null) {
            showMessage("This view shows no ROI yet: open one with Open ROI view in its menu.");
            return;
        }
        if (state.run() == null) {
            run = null;
            reading = null;
            showMessage(state.runProblem() != null
                    ? state.runProblem()
                    : "Select a run folder in the Project Explorer, or open a run's map in the viewer, to see "
                            + roiName + " here.");
            return;
        }
        if (state.run() != run) {
            run = state.run();
            Optional<Roi> roi = run.roi(roiName);
            reading = roi.map(r -> RoiReading.of(run, r)).orElse(null);
            blended = null;
            refreshStimuli();
        }
        if (reading == null) {
            showMessage("Run '" + run.label() + "' has no ROI named " + roiName + " (it has "
                    + String.join(", ", run.rois().stream().map(Roi::name).toList()) + ").");
            return;
        }
        voxel = reading.voxel(run, state.voxel());
        if (blended == null && stimulusImage != null) {
            blended = StimulusBlend.blend(stimulusImage, reading, BLEND_SIZE);
        }
        summaryLabel.setText(summaryText());
        voxelLabel.setText(voxelText());
        histogram.show(reading, voxel);
        grid.show(reading, voxel, blended);
        stackLayout.topControl = content.getParent();
        content.layout(true, true);
        ScrolledComposite scroll = (ScrolledComposite) content.getParent();
        scroll.setMinSize(content.computeSize(scroll.getClientArea().width, SWT.DEFAULT));
        stack.layout(true, true);
    }

    private void showMessage(String text) {
        message.setText(text);
        stackLayout.topControl = message;
        stack.layout(true, true);
    }

    /** @return the ROI's summary as the view shows it (empty when it shows none) */
    public String summaryText() {
        if (reading == null) {
            return "";
        }
        RoiSummary s = reading.summary();
        Distribution d = s.depth();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s of run '%s': %d voxels%n", roiName, reading.runLabel(),
                s.voxelCount()));
        b.append(String.format(Locale.ROOT, "Mean layer depth %.3f (sd %.3f, IQR %.3f)%n", d.mean(), d.sd(),
                d.iqr()));
        b.append(String.format(Locale.ROOT, "Mean image position x %.2f, y %.2f; mean scale %.2f%n", s.meanX(),
                s.meanY(), s.meanScale()));
        b.append(String.format(Locale.ROOT, "R² mean %.3f, median %.3f; Pearson r mean %.3f", s.r2().mean(),
                s.r2().median(), s.pearson().mean()));
        return b.toString();
    }

    /** @return what the view says of the viewer's voxel (empty when it shows no ROI) */
    public String voxelText() {
        if (reading == null) {
            return "";
        }
        if (voxel.isEmpty()) {
            return "Click in the viewer on a voxel of the run to see where it reads from.";
        }
        RoiReading.Voxel v = voxel.get();
        String where = v.voxel() == null ? "Voxel " + v.position() : "Voxel " + Arrays.toString(v.voxel());
        // outside this ROI, say where the voxel is instead: another ROI of the run, or none
        String others = v.rois().isEmpty() ? "no ROI of the run" : String.join(", ", v.rois());
        String membership = v.inRoi() ? "is in " + roiName : "is not in " + roiName + " (it is in " + others + ")";
        return String.format(Locale.ROOT, "%s %s: layer %d preferred (p %.2f), x %.2f, y %.2f (grid row %d,"
                + " column %d), scale %.2f, R² %.3f", where, membership,
                v.preferredLayer() + 1, v.layerWeights()[v.preferredLayer()], v.x(), v.y(), v.row() + 1,
                v.column() + 1, v.scale(), v.r2());
    }

    private void refreshStimuli() {
        stimuli.clear();
        stimulusList.setItems("(none)");
        stimulusList.select(0);
        LoadedRun r = run;
        Job job = Job.create("Listing the stimuli of " + r.label(), monitor -> {
            Optional<Path> folder = Stimuli.folder(r.run());
            List<Path> found = List.of();
            if (folder.isPresent()) {
                try {
                    found = Stimuli.list(folder.get(), LISTED_STIMULI);
                } catch (IOException e) {
                    // the list stays empty; Browse still offers any image file
                }
            }
            List<Path> list = found;
            stack.getDisplay().asyncExec(() -> {
                if (stimulusList.isDisposed() || run != r) {
                    return;
                }
                stimulusFolder = folder.orElse(null);
                stimuli.clear();
                stimuli.addAll(list);
                String[] items = new String[list.size() + 1];
                items[0] = list.isEmpty() ? "(no stimuli found for this run)" : "(none)";
                for (int i = 0; i < list.size(); i++) {
                    items[i + 1] = list.get(i).getFileName().toString();
                }
                stimulusList.setItems(items);
                int shown = stimulusFile == null ? -1 : list.indexOf(stimulusFile);
                stimulusList.select(shown + 1);
            });
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule();
    }

    private void chooseStimulus() {
        FileDialog d = new FileDialog(getSite().getShell(), SWT.OPEN);
        d.setText("Choose a stimulus image");
        d.setFilterExtensions(new String[] { "*.png;*.jpg;*.jpeg;*.PNG;*.JPG;*.JPEG", "*" });
        d.setFilterNames(new String[] { "Images", "All files" });
        if (stimulusFolder != null) {
            d.setFilterPath(stimulusFolder.toString());
        }
        String chosen = d.open();
        if (chosen != null) {
            showStimulus(Path.of(chosen));
        }
    }

    /**
     * Shows where on an image the ROI reads from: the heat map blended over it. The image is read in a job.
     *
     * @param file an image file (PNG, JPEG, ...), or null to show the heat map alone
     * @return the job reading it (already scheduled), or null when the stimulus is cleared
     */
    public Job showStimulus(Path file) {
        if (file == null) {
            stimulusFile = null;
            stimulusImage = null;
            blended = null;
            runContextChanged(context.state());
            return null;
        }
        Job job = Job.create("Reading " + file.getFileName(), monitor -> {
            ImageData data;
            try {
                data = new ImageData(file.toString());
            } catch (SWTException e) {
                String text = "File " + file + " is not an image this view can read (PNG, JPEG, GIF, BMP): "
                        + e.getMessage() + ".";
                stack.getDisplay().asyncExec(() -> {
                    if (!stack.isDisposed()) {
                        voxelLabel.setText(text);
                    }
                });
                return Status.info(text);
            }
            stack.getDisplay().asyncExec(() -> {
                if (stack.isDisposed()) {
                    return;
                }
                stimulusFile = file;
                stimulusImage = data;
                blended = null;
                int i = stimuli.indexOf(file);
                stimulusList.select(i + 1);
                runContextChanged(context.state());
            });
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule();
        return job;
    }

    /** @return the ROI shown (the view's secondary id), or null */
    public String roiName() {
        return roiName;
    }

    /** @return what the view shows of the ROI, or null when it shows a message instead */
    public RoiReading reading() {
        return reading;
    }

    /** @return the viewer's voxel as the view highlights it, if it belongs to the run */
    public Optional<RoiReading.Voxel> highlighted() {
        return voxel;
    }

    /** @return the stimulus with the heat map blended over it, or null when none is shown */
    public ImageData blendedStimulus() {
        return blended;
    }

    /** @return the message shown instead of the ROI, or null when the ROI is shown */
    public String message() {
        return stackLayout.topControl == message ? message.getText() : null;
    }

    /** @return the stimuli of the run's subject offered in the list */
    public List<Path> stimuli() {
        return List.copyOf(stimuli);
    }

    @Override
    public void setFocus() {
        stack.setFocus();
    }

    @Override
    public void dispose() {
        if (context != null) {
            context.removeListener(this);
        }
        super.dispose();
    }
}
