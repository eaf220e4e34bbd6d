package org.brainalign.ui.workspace;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunInfo;
import org.brainalign.io.run.RunInput;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PropertyPage;

/**
 * The properties of a run folder: what made the run (label, id, date, software version, backbone, inputs with their
 * hashes, metrics) and the command line that redoes it ({@link RunCommand}), with a button to copy it. The label is
 * the one thing that can be edited: it is the run's name in legends, tables and editor tabs, and OK writes it to
 * run.json, so that two runs named alike (the demos of two projects) can be told apart.
 */
public class RunPropertyPage extends PropertyPage {

    private Text command;
    private Text label;
    private RunFolder run;
    private IResource resource;

    @Override
    protected Control createContents(Composite parent) {
        noDefaultAndApplyButton();
        Composite c = new Composite(parent, SWT.NONE);
        c.setLayout(new GridLayout(2, false));
        resource = Adapters.adapt(getElement(), IResource.class);
        IPath location = resource == null ? null : resource.getLocation();
        try {
            if (location == null) {
                throw new IOException(getElement() + " is not a folder on disk.");
            }
            run = RunFolder.open(location.toPath());
        } catch (IOException e) {
            Label l = new Label(c, SWT.WRAP);
            l.setText(e.getMessage());
            l.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1));
            return c;
        }
        RunInfo info = run.info();
        new Label(c, SWT.NONE).setText("Label:");
        label = new Text(c, SWT.BORDER);
        label.setText(info.label());
        label.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        label.addListener(SWT.Modify, e -> {
            boolean blank = label.getText().isBlank();
            setErrorMessage(blank ? "A run needs a label: its name in legends, tables and editor tabs." : null);
            setValid(!blank);
        });
        row(c, "Id", info.id());
        row(c, "Created", info.created() + " by BrainAlign " + info.softwareVersion());
        row(c, "Backbone", RunSummary.backbone(info.backbone()));
        row(c, "Voxels", run.voxelCount() + " (" + run.space() + ")");
        StringBuilder inputs = new StringBuilder();
        for (RunInput i : info.inputs()) {
            inputs.append(i.role()).append(": ").append(i.path()).append("\n    sha256 ").append(i.sha256())
                    .append('\n');
        }
        area(c, "Inputs", inputs.toString().strip(), 4);
        StringBuilder metrics = new StringBuilder();
        for (Map.Entry<String, Object> m : info.metrics().entrySet()) {
            Object v = m.getValue();
            metrics.append(m.getKey()).append(" = ")
                    .append(v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : String.valueOf(v))
                    .append('\n');
        }
        area(c, "Metrics", metrics.toString().strip(), 4);
        command = area(c, "Show command", RunCommand.text(run).strip(), 4);
        new Label(c, SWT.NONE);
        Button copy = new Button(c, SWT.PUSH);
        copy.setText("Copy command");
        copy.addListener(SWT.Selection, e -> {
            Clipboard clipboard = new Clipboard(c.getDisplay());
            try {
                clipboard.setContents(new Object[] { command.getText() },
                        new Transfer[] { TextTransfer.getInstance() });
            } finally {
                clipboard.dispose();
            }
        });
        return c;
    }

    private static void row(Composite c, String label, String value) {
        new Label(c, SWT.NONE).setText(label + ":");
        Text t = new Text(c, SWT.READ_ONLY);
        t.setText(value);
        t.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    }

    private static Text area(Composite c, String label, String value, int lines) {
        Label l = new Label(c, SWT.NONE);
        l.setText(label + ":");
        l.setLayoutData(new GridData(SWT.LEFT, SWT.TOP, false, false));
        Text t = new Text(c, SWT.READ_ONLY | SWT.MULTI | SWT.BORDER | SWT.V_SCROLL | SWT.H_SCROLL);
        t.setText(value);
        GridData gd = new GridData(SWT.FILL, SWT.FILL, true, true);
        gd.heightHint = lines * t.getLineHeight();
        gd.widthHint = 560;
        t.setLayoutData(gd);
        return t;
    }

    @Override
    public boolean performOk() {
        if (run == null || label == null || label.getText().strip().equals(run.label())) {
            return true;
        }
        try {
            run.updateInfo(run.info().toBuilder().setLabel(label.getText().strip()).build());
            // the views that follow runs read run.json again, and the Project Explorer shows the new name
            resource.refreshLocal(IResource.DEPTH_INFINITE, null);
            PlatformUI.getWorkbench().getDecoratorManager().update(DataDecorator.ID);
            return true;
        } catch (IOException | CoreException | IllegalArgumentException e) {
            setErrorMessage("The label could not be written to " + run.folder().resolve(RunFolder.RUN_JSON) + ": "
                    + e.getMessage());
            return false;
        }
    }

    /** @return the label field (tests type into it) */
    public Text labelField() {
        return label;
    }

    /** @return the command shown (tests read it) */
    public String commandText() {
        return command == null ? "" : command.getText();
    }
}
