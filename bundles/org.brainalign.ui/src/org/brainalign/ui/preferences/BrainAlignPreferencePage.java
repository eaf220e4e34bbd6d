package org.brainalign.ui.preferences;

import java.io.IOException;
import java.util.List;

import org.brainalign.core.BrainAlignPreferences;
import org.brainalign.core.data.NsdLabels;
import org.eclipse.core.runtime.ILog;
import org.eclipse.jface.preference.BooleanFieldEditor;
import org.eclipse.jface.preference.ComboFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.FileFieldEditor;
import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.jface.preference.IntegerFieldEditor;
import org.eclipse.jface.preference.RadioGroupFieldEditor;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;

/**
 * Window > Preferences > BrainAlign: the settings the workbench and the command line share
 * ({@link BrainAlignPreferences}), edited in the instance scope.
 */
public class BrainAlignPreferencePage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {

    /** The page's id in the preference dialog. */
    public static final String ID = "org.brainalign.ui.preferences";

    /** Creates the page; its fields are laid out in a grid. */
    public BrainAlignPreferencePage() {
        super(GRID);
    }

    @Override
    public void init(IWorkbench workbench) {
        setDescription("Settings shared by the BrainAlign workbench and the brainalign command line.");
    }

    @Override
    protected IPreferenceStore doGetPreferenceStore() {
        return WorkbenchPreferences.store();
    }

    @Override
    protected void createFieldEditors() {
        addField(new ComboFieldEditor(BrainAlignPreferences.COMPUTE_DEVICE, "&Compute device:",
                new String[][] { { "Automatic (a GPU when one can be used)", "auto" }, { "CPU", "cpu" },
                        { "GPU", "gpu" } },
                getFieldEditorParent()));
        IntegerFieldEditor threads = new IntegerFieldEditor(BrainAlignPreferences.THREADS,
                "&Threads (0: one per core):", getFieldEditorParent());
        threads.setValidRange(0, 1024);
        addField(threads);
        addField(new FolderFieldEditor(BrainAlignPreferences.CACHE_FOLDER, "Ca&che folder:",
                getFieldEditorParent()));
        addField(new FolderFieldEditor(BrainAlignPreferences.CHECKPOINT_FOLDER, "Default chec&kpoint folder:",
                getFieldEditorParent()));
        addField(new ComboFieldEditor(BrainAlignPreferences.COLORMAP, "Default co&lormap:",
                new String[][] { { "Grey", "grey" }, { "Hot", "hot" }, { "Cool-warm", "coolwarm" },
                        { "Layers (cool-warm by layer, dimmed by entropy)", "layers" } },
                getFieldEditorParent()));
        addField(new RadioGroupFieldEditor(BrainAlignPreferences.ORIENTATION_CONVENTION,
                "&Orientation of axial and coronal slices", 1,
                new String[][] { { "Neurological: the subject's left on the left", BrainAlignPreferences.NEUROLOGICAL },
                        { "Radiological: the subject's left on the right", BrainAlignPreferences.RADIOLOGICAL } },
                getFieldEditorParent(), true));
        FileFieldEditor template = new FileFieldEditor(BrainAlignPreferences.UNDERLAY_TEMPLATE,
                "&Template under maps (MNI T1 NIfTI):", true, getFieldEditorParent());
        template.setFileExtensions(new String[] { "*.nii;*.nii.gz;*.hdr;*.hdr.gz", "*" });
        template.setEmptyStringAllowed(true);
        template.getTextControl(getFieldEditorParent()).setToolTipText("Drawn under a map whose subject has no"
                + " anatomy of its own, e.g. FSL's MNI152_T1_1mm_brain.nii.gz or MRIcron's ch2.nii.gz; empty for none");
        addField(template);
        addField(new BooleanFieldEditor(BrainAlignPreferences.LINK_CROSSHAIRS,
                "Lin&k the crosshairs of all viewers by world position", getFieldEditorParent()));
        List<String> sets = BrainAlignPreferences.roiSets();
        String[][] roiSets = new String[sets.size()][];
        for (int i = 0; i < roiSets.length; i++) {
            String set = sets.get(i);
            roiSets[i] = new String[] { BrainAlignPreferences.PAPER_ROIS.equals(set)
                    ? "The paper's ROIs (V1 ... VWFA)"
                    : "Every label of " + set + " (" + NsdLabels.table(set).size() + " ROIs)", set };
        }
        addField(new ComboFieldEditor(BrainAlignPreferences.ROI_SET, "Default &ROI set:", roiSets,
                getFieldEditorParent()));
    }

    @Override
    public boolean performOk() {
        boolean ok = super.performOk();
        try {
            WorkbenchPreferences.store().save();
        } catch (IOException e) {
            ILog.of(getClass()).error("BrainAlign preferences could not be saved: " + e.getMessage(), e);
            setErrorMessage("The preferences could not be saved: " + e.getMessage());
            return false;
        }
        return ok;
    }
}
