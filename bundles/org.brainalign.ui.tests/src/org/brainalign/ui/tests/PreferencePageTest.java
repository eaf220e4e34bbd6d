package org.brainalign.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.brainalign.core.BrainAlignPreferences;
import org.brainalign.ui.preferences.BrainAlignPreferencePage;
import org.brainalign.ui.preferences.WorkbenchPreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Window > Preferences > BrainAlign: the page shows the core's defaults, stores a choice in the instance scope under
 * the core's node (where the command line reads it), and refuses a cache folder that is a file.
 */
public class PreferencePageTest {

    @TempDir
    Path temp;

    @AfterEach
    public void restoreDefaults() throws Exception {
        for (String key : BrainAlignPreferences.defaults().keySet()) {
            WorkbenchPreferences.store().setToDefault(key);
        }
        WorkbenchPreferences.store().save();
    }

    @Test
    public void storeStartsWithTheCoresDefaults() {
        for (Map.Entry<String, String> d : BrainAlignPreferences.defaults().entrySet()) {
            assertEquals(d.getValue(), WorkbenchPreferences.store().getDefaultString(d.getKey()), d.getKey());
        }
        assertEquals(BrainAlignPreferences.defaultsOnly().colormap(), WorkbenchPreferences.current().colormap());
    }

    @Test
    public void choosingRadiologicalIsStoredWhereTheCommandLineReadsIt() throws Exception {
        PreferenceDialog dialog = open();
        try {
            BrainAlignPreferencePage page = (BrainAlignPreferencePage) dialog.getSelectedPage();
            Button radiological = button(page.getControl(), "Radiological");
            radiological.setSelection(true);
            radiological.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
            assertTrue(page.performOk());
        } finally {
            dialog.close();
        }
        assertEquals(BrainAlignPreferences.RADIOLOGICAL, InstanceScope.INSTANCE.getNode(BrainAlignPreferences.NODE)
                .get(BrainAlignPreferences.ORIENTATION_CONVENTION, null));
        assertTrue(WorkbenchPreferences.current().radiological());
    }

    @Test
    public void aCacheFolderThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(temp.resolve("not-a-folder"), "x");
        PreferenceDialog dialog = open();
        try {
            BrainAlignPreferencePage page = (BrainAlignPreferencePage) dialog.getSelectedPage();
            assertTrue(page.isValid());
            Text cache = textAfter(page.getControl(), "Ca&che folder:");
            type(cache, file.toString());
            assertFalse(page.isValid());
            assertEquals(file + " is a file, not a folder.", page.getErrorMessage());
            type(cache, temp.resolve("cache-to-be").toString());
            assertTrue(page.isValid(), "a folder that does not exist yet is fine: it is created on first use");
        } finally {
            dialog.close();
        }
    }

    /** Sets a field's text as typing would: the field editors check their value then. */
    private static void type(Text field, String text) {
        field.setFocus();
        field.setText(text);
        // string fields check on key release, folder fields when the focus leaves them
        for (int type : new int[] { SWT.KeyDown, SWT.KeyUp, SWT.FocusOut }) {
            org.eclipse.swt.widgets.Event e = new org.eclipse.swt.widgets.Event();
            e.character = text.charAt(text.length() - 1);
            field.notifyListeners(type, e);
        }
        Workbench.settle();
    }

    private static PreferenceDialog open() {
        PreferenceDialog dialog = PreferencesUtil.createPreferenceDialogOn(
                PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), BrainAlignPreferencePage.ID,
                new String[] { BrainAlignPreferencePage.ID }, null);
        assertNotNull(dialog, "the BrainAlign preference page is not registered");
        dialog.setBlockOnOpen(false);
        dialog.open();
        Workbench.settle();
        return dialog;
    }

    private static Button button(Control c, String textStart) {
        if (c instanceof Button b && b.getText().startsWith(textStart)) {
            return b;
        }
        if (c instanceof Composite comp) {
            for (Control child : comp.getChildren()) {
                Button found = button(child, textStart);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Text textAfter(Control c, String label) {
        if (c instanceof Composite comp) {
            Control[] children = comp.getChildren();
            for (int i = 0; i + 1 < children.length; i++) {
                if (children[i] instanceof Label l && label.equals(l.getText()) && children[i + 1] instanceof Text t) {
                    return t;
                }
            }
            for (Control child : children) {
                Text found = textAfter(child, label);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
