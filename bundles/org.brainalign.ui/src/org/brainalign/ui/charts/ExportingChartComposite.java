package org.brainalign.ui.charts;

import java.util.function.Consumer;

import org.brainalign.workflow.FigureFormat;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.jfree.chart.swt.ChartComposite;

/**
 * JFreeChart's SWT chart composite with BrainAlign's exports in its context menu (Export as PNG, SVG, CSV) in place
 * of its own Save, Print and Properties, which are untested against JFreeChart 1.5; zooming stays.
 */
final class ExportingChartComposite extends ChartComposite {

    /** Large enough that a chart is drawn at the view's size, never drawn small and stretched. */
    private static final int MAXIMUM_DRAW = 4000;

    /** Below this a chart is laid out at this size and scaled down, so axis titles and legends keep their room. */
    private static final int MINIMUM_WIDTH = 480, MINIMUM_HEIGHT = 340;

    /** Set after construction: the popup menu is built inside the super constructor, the actions run later. */
    private Consumer<FigureFormat> exporter;

    ExportingChartComposite(Composite parent) {
        super(parent, SWT.NONE, null, DEFAULT_WIDTH, DEFAULT_HEIGHT, MINIMUM_WIDTH, MINIMUM_HEIGHT, MAXIMUM_DRAW,
                MAXIMUM_DRAW, true, false, false, false, true, true);
    }

    void setExporter(Consumer<FigureFormat> exporter) {
        this.exporter = exporter;
    }

    @Override
    protected Menu createPopupMenu(boolean properties, boolean save, boolean print, boolean zoom) {
        Menu menu = super.createPopupMenu(false, false, false, zoom);
        if (menu.getItemCount() > 0) {
            new MenuItem(menu, SWT.SEPARATOR);
        }
        for (FigureFormat f : FigureFormat.values()) {
            MenuItem item = new MenuItem(menu, SWT.PUSH);
            item.setText("Export as " + f.name() + "...");
            item.addListener(SWT.Selection, e -> {
                if (exporter != null) {
                    exporter.accept(f);
                }
            });
        }
        return menu;
    }
}
