package org.brainalign.ui.wizards;

import java.lang.reflect.InvocationTargetException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.ui.IImportWizard;

/**
 * An import wizard runs the import its page describes in the wizard's own progress area, which can be cancelled; a
 * problem found while reading the data, or a cancel, is shown on the page, which stays open.
 *
 * @param <T> what an import produces
 */
abstract class ImportWizard<T> extends Wizard implements IImportWizard {

    /** An import, run with progress. */
    @FunctionalInterface
    interface Import<T> {

        /**
         * @param monitor progress; cancelling stops the import
         * @return what was imported
         * @throws Exception if the import fails; its message is shown on the page
         */
        T run(IProgressMonitor monitor) throws Exception;
    }

    private T imported;

    /**
     * @param none what {@link #lastImported()} answers before any import
     */
    ImportWizard(T none) {
        imported = none;
    }

    /** @return the page that describes the import and shows its problems */
    abstract WizardPage importPage();

    /** @return the import the page describes (called when the page is complete) */
    abstract Import<T> importToRun();

    /** @return the sentence shown when the user cancels, saying what was left behind */
    abstract String cancelled();

    /** @return what the last finish imported */
    final T lastImported() {
        return imported;
    }

    @Override
    public final boolean performFinish() {
        Import<T> run = importToRun();
        try {
            getContainer().run(true, true, monitor -> {
                try {
                    imported = run.run(monitor);
                } catch (OperationCanceledException e) {
                    throw new InterruptedException("cancelled");
                } catch (Exception e) {
                    throw new InvocationTargetException(e);
                }
            });
            return true;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            importPage().setErrorMessage(cause.getMessage());
            return false;
        } catch (InterruptedException e) {
            importPage().setErrorMessage(cancelled());
            return false;
        }
    }
}
