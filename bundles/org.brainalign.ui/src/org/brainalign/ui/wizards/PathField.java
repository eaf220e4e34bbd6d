package org.brainalign.ui.wizards;

import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/**
 * A path field is one row of a wizard page: a label, a text field holding a file or folder path (typed or pasted),
 * and a Browse button that opens the system's file or folder chooser. It fills three columns of a grid.
 */
final class PathField {

    private final Text text;

    /**
     * @param parent a composite with a three-column grid layout
     * @param label the row's label
     * @param folder whether the path is a folder (else a file)
     * @param extensions file name patterns for the file chooser, e.g. "*.csv"; ignored for folders
     * @param onChange called whenever the text changes
     */
    PathField(Composite parent, String label, boolean folder, String[] extensions, Runnable onChange) {
        this(parent, label, folder, extensions, false, onChange);
    }

    /**
     * A field for a backbone checkpoint, which is a folder or a single weight file: the chooser offers weight files
     * and config.json, and choosing a config.json means its folder.
     *
     * @param parent a composite with a three-column grid layout
     * @param label the row's label
     * @param onChange called whenever the text changes
     * @return the field
     */
    static PathField checkpoint(Composite parent, String label, Runnable onChange) {
        return new PathField(parent, label, false,
                new String[] { "*.safetensors;*.pth;*.pt;*.bin;*.tar;*.ckpt;config.json", "*" }, true, onChange);
    }

    private PathField(Composite parent, String label, boolean folder, String[] extensions, boolean configMeansFolder,
            Runnable onChange) {
        new Label(parent, SWT.NONE).setText(label);
        text = new Text(parent, SWT.BORDER);
        GridData gd = new GridData(SWT.FILL, SWT.CENTER, true, false);
        gd.widthHint = 320;
        text.setLayoutData(gd);
        text.addListener(SWT.Modify, e -> onChange.run());
        Button browse = new Button(parent, SWT.PUSH);
        browse.setText("Browse...");
        browse.addListener(SWT.Selection, e -> {
            String chosen;
            if (folder) {
                DirectoryDialog d = new DirectoryDialog(parent.getShell());
                d.setFilterPath(text.getText());
                chosen = d.open();
            } else {
                FileDialog d = new FileDialog(parent.getShell(), SWT.OPEN);
                d.setFilterExtensions(extensions);
                d.setFileName(text.getText());
                chosen = d.open();
            }
            if (chosen != null && configMeansFolder && Path.of(chosen).getFileName().toString().equals("config.json")) {
                chosen = Path.of(chosen).getParent().toString();
            }
            if (chosen != null) {
                text.setText(chosen);
            }
        });
    }

    /** @return the text as typed, stripped */
    String text() {
        return text.getText().strip();
    }

    /** @return the path, or null when the field is empty or not a path */
    Path path() {
        String t = text();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Path.of(t);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /** @param value the new text */
    void set(String value) {
        text.setText(value == null ? "" : value);
    }
}
