package org.brainalign.ui.preferences;

import java.io.File;

import org.eclipse.jface.preference.DirectoryFieldEditor;
import org.eclipse.swt.widgets.Composite;

/**
 * A folder field that accepts a folder that does not exist yet (BrainAlign creates its cache and checkpoint folders
 * on first use) but refuses a path that names a file.
 */
final class FolderFieldEditor extends DirectoryFieldEditor {

    FolderFieldEditor(String key, String label, Composite parent) {
        super(key, label, parent);
        setEmptyStringAllowed(false);
    }

    @Override
    protected boolean doCheckState() {
        String text = getTextControl().getText().strip();
        if (text.isEmpty()) {
            setErrorMessage(getLabelText() + " may not be empty.");
            return false;
        }
        File f = new File(text);
        if (f.exists() && !f.isDirectory()) {
            setErrorMessage(text + " is a file, not a folder.");
            return false;
        }
        if (!f.isAbsolute()) {
            setErrorMessage(text + " is not an absolute path.");
            return false;
        }
        return true;
    }
}
