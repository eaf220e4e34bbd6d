package org.brainalign.ui.wizards;

import org.eclipse.jface.dialogs.IMessageProvider;
import org.eclipse.jface.wizard.WizardPage;

/**
 * A wizard page that checks itself after every change, the one place where the wizards of the workbench turn a
 * check into what the page shows. A check returns null when the page is complete, a sentence naming the problem
 * otherwise (shown as an error), or a sentence starting with "?" for something not yet filled in, which is a hint
 * rather than a mistake and is shown as a plain message, without the "?". Finish is enabled only when every page is
 * complete.
 */
abstract class CheckedPage extends WizardPage {

    /**
     * @param name the page's name
     * @param title the page's title
     * @param description the page's description, or null to set it later
     */
    CheckedPage(String name, String title, String description) {
        super(name, title, null);
        if (description != null) {
            setDescription(description);
        }
    }

    /** @return an error sentence, a prompt starting with "?" for a field still empty, or null when all is well */
    protected abstract String check();

    /** @return a sentence to show when the page is complete, or null for the description */
    protected String done() {
        return null;
    }

    /** Re-checks the page and shows the outcome; does nothing while the page's fields are still being created. */
    protected final void update() {
        if (getControl() == null) {
            return;
        }
        String problem = check();
        if (problem != null && problem.startsWith("?")) {
            setErrorMessage(null);
            setMessage(problem.substring(1));
        } else {
            setErrorMessage(problem);
            setMessage(null);
        }
        setPageComplete(problem == null);
        if (problem == null) {
            String info = done();
            setMessage(info, info == null ? IMessageProvider.NONE : IMessageProvider.INFORMATION);
        }
    }
}
