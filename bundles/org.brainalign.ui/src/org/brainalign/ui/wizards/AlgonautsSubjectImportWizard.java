package org.brainalign.ui.wizards;

/** File > Import > BrainAlign > Algonauts 2023 subject (surface space). */
public final class AlgonautsSubjectImportWizard extends SubjectImportWizard {

    /** The wizard's id. */
    public static final String ID = "org.brainalign.ui.wizards.algonautsSubjectImport";

    @Override
    protected SubjectImportPage createPage() {
        setWindowTitle("Import Algonauts subject");
        return new AlgonautsSubjectImportPage();
    }
}
