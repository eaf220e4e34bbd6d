package org.brainalign.ui.wizards;

import org.eclipse.jface.wizard.WizardPage;

/**
 * How a wizard page shows the outcome of its checks. A check returns null when the page is complete, a sentence
 * naming the problem otherwise, or a sentence starting with "?" for something not yet filled in, which is a hint
 * rather than a mistake and is shown as a plain message, without the "?".
 */
final class PageMessages {

    private PageMessages() {
    }

    /**
     * Shows a check's outcome on a page and completes the page when there is no problem.
     *
     * @param page the page
     * @param problem the check's outcome: null, a problem, or "?" and a hint
     */
    static void show(WizardPage page, String problem) {
        if (problem != null && problem.startsWith("?")) {
            page.setErrorMessage(null);
            page.setMessage(problem.substring(1));
        } else {
            page.setErrorMessage(problem);
            page.setMessage(null);
        }
        page.setPageComplete(problem == null);
    }
}
