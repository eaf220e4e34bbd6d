package org.brainalign.ui.wizards;

/** File > Import > BrainAlign > NSD subject (volume space). */
public final class NsdSubjectImportWizard extends SubjectImportWizard {

    /** The wizard's id. */
    public static final String ID = "org.brainalign.ui.wizards.nsdSubjectImport";

    @Override
    protected SubjectImportPage createPage() {
        setWindowTitle("Import NSD subject");
        return new NsdSubjectImportPage();
    }
}
