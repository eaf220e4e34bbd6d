package org.brainalign.ui.charts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.brainalign.charts.ChartFigure;
import org.brainalign.charts.Figure;
import org.brainalign.ui.runs.LoadedRun;
import org.brainalign.ui.runs.RunContext;
import org.brainalign.workflow.FigureFormat;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IMenuManager;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.part.ViewPart;

/**
 * A chart view shows one {@link ChartKind} for the run context ({@link RunContext}): it redraws when the runs it
 * follows change (a run folder picked in the Project Explorer, a run's map opened in the viewer, Compare with...),
 * drawing in the background, and exports its figure as PNG, SVG or CSV from its view menu and the chart's context
 * menu. Every chart view is this class; its view id says which kind it is.
 */
public class ChartView extends ViewPart implements RunContext.Listener {

    private ChartKind kind;
    private RunContext context;
    private Composite stack;
    private StackLayout stackLayout;
    private Label message;
    private ExportingChartComposite chartComposite;
    private List<LoadedRun> shown = List.of();
    private Figure figure;
    private Job drawing;
    private final Action[] exports = new Action[FigureFormat.values().length];

    @Override
    public void createPartControl(Composite parent) {
        kind = ChartKind.ofView(getViewSite().getId()).orElseThrow(
                () -> new IllegalStateException("no chart kind has the view id " + getViewSite().getId()));
        stack = new Composite(parent, SWT.NONE);
        stackLayout = new StackLayout();
        stack.setLayout(stackLayout);
        message = new Label(stack, SWT.WRAP);
        chartComposite = new ExportingChartComposite(stack);
        chartComposite.setExporter(this::chooseExport);
        fillViewMenu(getViewSite().getActionBars().getMenuManager());
        context = RunContext.of(getSite().getWorkbenchWindow());
        context.addListener(this);
        runContextChanged(context.state());
    }

    private void fillViewMenu(IMenuManager menu) {
        for (FigureFormat f : FigureFormat.values()) {
            Action a = new Action("Export as " + f.name() + "...") {

                @Override
                public void run() {
                    chooseExport(f);
                }
            };
            a.setEnabled(false);
            exports[f.ordinal()] = a;
            menu.add(a);
        }
    }

    @Override
    public void runContextChanged(RunContext.State state) {
        List<LoadedRun> source = kind.source(state);
        if (source.isEmpty()) {
            shown = source;
            show(null, kind.nothingToShow(state));
            return;
        }
        // a loaded run is read again only when its files change, so the same runs draw the same chart
        if (source.equals(shown)) {
            return;
        }
        shown = source;
        if (drawing != null) {
            drawing.cancel();
        }
        Job job = Job.create("Drawing " + getPartName(), monitor -> {
            Figure f = null;
            String text = null;
            try {
                Optional<Figure> drawn = kind.draw(source);
                f = drawn.orElse(null);
                text = drawn.isPresent() ? null : kind.missing(source.get(0).run());
            } catch (IOException | IllegalArgumentException e) {
                text = e.getMessage();
            }
            Figure result = f;
            String why = text;
            if (!stack.isDisposed()) {
                stack.getDisplay().asyncExec(() -> {
                    if (!stack.isDisposed() && shown == source) {
                        show(result, why);
                    }
                });
            }
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        drawing = job;
        job.schedule();
    }

    private void show(Figure f, String text) {
        if (stack.isDisposed()) {
            return;
        }
        figure = f;
        for (Action a : exports) {
            a.setEnabled(f != null);
        }
        if (f instanceof ChartFigure c) {
            chartComposite.setChart(c.chart());
            chartComposite.forceRedraw();
            stackLayout.topControl = chartComposite;
        } else {
            chartComposite.setChart(null);
            message.setText(text == null ? "" : text);
            stackLayout.topControl = message;
        }
        stack.layout(true, true);
    }

    private void chooseExport(FigureFormat format) {
        if (figure == null) {
            return;
        }
        FileDialog d = new FileDialog(getSite().getShell(), SWT.SAVE);
        d.setText("Export " + getPartName() + " as " + format.name());
        d.setFilterExtensions(new String[] { "*" + format.extension() });
        d.setFilterNames(new String[] { format.label() });
        d.setFileName(kind.fileStem() + format.extension());
        if (!shown.isEmpty()) {
            d.setFilterPath(shown.get(0).folder().resolve("charts").toString());
        }
        d.setOverwrite(true);
        String chosen = d.open();
        if (chosen == null) {
            return;
        }
        try {
            export(Path.of(chosen));
        } catch (IOException e) {
            IStatus status = Status.error(e.getMessage(), e);
            ILog.of(getClass()).log(status);
            ErrorDialog.openError(getSite().getShell(), "Export " + getPartName(), null, status);
        }
    }

    /**
     * Writes the chart shown to a file, in the format its name ends in (.png, .svg, .csv).
     *
     * @param file the file
     * @throws IOException if no chart is shown, the name is of no known format, or the file cannot be written
     */
    public void export(Path file) throws IOException {
        if (figure == null) {
            throw new IOException("The " + getPartName() + " view shows no chart to write to " + file + ".");
        }
        FigureFormat.write(figure, file);
    }

    /** @return the kind of chart */
    public ChartKind kind() {
        return kind;
    }

    /** @return the figure shown, or null */
    public Figure figure() {
        return figure;
    }

    /** @return the job drawing the latest chart, or null (tests join it) */
    public Job drawingJob() {
        return drawing;
    }

    /** @return the sentence shown in place of a chart, or null when a chart is shown */
    public String message() {
        return stackLayout.topControl == message ? message.getText() : null;
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
        if (drawing != null) {
            drawing.cancel();
        }
        super.dispose();
    }
}
