package org.brainalign.ui.wizards;

import java.util.Locale;

import org.brainalign.workflow.FinetuneDriftExperiment;
import org.brainalign.engine.DevicePreference;
import org.brainalign.ui.workspace.RunCommand;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;

/** The experiment's settings, with the command line's defaults, and the command that does the same. */
public final class DriftSettingsPage extends CheckedPage {

    private final FinetuneDriftWizard wizard;

    Spinner finetuneEpochs;
    Text learningRate;
    Spinner fitEpochs;
    Spinner seed;
    Spinner threads;
    private Combo device;
    private Text command;

    DriftSettingsPage(FinetuneDriftWizard wizard) {
        super("settings", "Settings", "How long to fine-tune and fit; the defaults are the command line's.");
        this.wizard = wizard;
    }

    @Override
    public void createControl(Composite parent) {
        FinetuneDriftExperiment.Options d = FinetuneDriftExperiment.Options.defaults(FinetuneDriftWizard.AUTO, null,
                null, null,
                null);
        Composite c = new Composite(parent, SWT.NONE);
        c.setLayout(new GridLayout(2, false));
        finetuneEpochs = spinner(c, "Fine-tuning epochs:",
                wizard.remembered(FinetuneDriftWizard.FINETUNE_EPOCHS, d.finetuneEpochs()), 1,
                100_000);
        new Label(c, SWT.NONE).setText("Fine-tuning learning rate:");
        learningRate = new Text(c, SWT.BORDER);
        GridData gd = new GridData(SWT.LEFT, SWT.CENTER, false, false);
        gd.widthHint = 100;
        learningRate.setLayoutData(gd);
        String lr = wizard.remembered(FinetuneDriftWizard.LEARNING_RATE);
        learningRate.setText(lr.isEmpty() ? RunCommand.number(d.learningRate()) : lr);
        learningRate.addListener(SWT.Modify, e -> update());
        fitEpochs = spinner(c, "Most epochs per fit:", wizard.remembered(FinetuneDriftWizard.FIT_EPOCHS, d.fitEpochs()),
                1, 100_000);
        seed = spinner(c, "Seed (fits and fine-tuning):", wizard.remembered(FinetuneDriftWizard.SEED, (int) d.seed()),
                0,
                Integer.MAX_VALUE);
        int cores = Runtime.getRuntime().availableProcessors();
        threads = spinner(c, "Fit threads:", wizard.remembered(FinetuneDriftWizard.THREADS, d.threads()), 1,
                Math.max(1024, cores));
        new Label(c, SWT.NONE).setText("Device:");
        device = new Combo(c, SWT.READ_ONLY);
        for (DevicePreference p : DevicePreference.values()) {
            device.add(p.name().toLowerCase(Locale.ROOT));
        }
        DevicePreference chosen = d.device();
        try {
            chosen = DevicePreference.parse(wizard.remembered(FinetuneDriftWizard.DEVICE));
        } catch (IllegalArgumentException e) {
            // nothing remembered yet: the default
        }
        device.select(chosen.ordinal());
        device.addListener(SWT.Selection, e -> update());
        Label label = new Label(c, SWT.NONE);
        label.setText("The same experiment on the command line:");
        label.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
        command = new Text(c, SWT.BORDER | SWT.MULTI | SWT.WRAP | SWT.READ_ONLY | SWT.V_SCROLL);
        GridData cd = new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1);
        cd.widthHint = 480;
        cd.heightHint = 90;
        command.setLayoutData(cd);
        setControl(c);
        update();
    }

    private Spinner spinner(Composite c, String label, int value, int min, int max) {
        new Label(c, SWT.NONE).setText(label);
        Spinner s = new Spinner(c, SWT.BORDER);
        s.setValues(Math.max(min, Math.min(max, value)), min, max, 0, 1, 10);
        s.addListener(SWT.Modify, e -> update());
        return s;
    }

    @Override
    public void setVisible(boolean visible) {
        super.setVisible(visible);
        if (visible) {
            update();
        }
    }

    @Override
    protected String check() {
        String lr = learningRate.getText().strip();
        double rate;
        try {
            rate = Double.parseDouble(lr);
        } catch (NumberFormatException e) {
            rate = Double.NaN;
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            command.setText("");
            return "The learning rate must be a positive number, not '" + lr + "'.";
        }
        boolean others = wizard.backbonePage().isPageComplete() && wizard.targetPage().isPageComplete();
        command.setText(others ? RunCommand.shell(wizard.commandLine()) : "");
        return null;
    }

    double learningRate() {
        return Double.parseDouble(learningRate.getText().strip());
    }

    DevicePreference device() {
        return DevicePreference.values()[Math.max(0, device.getSelectionIndex())];
    }

    /** @return the command line shown (empty while a page is incomplete) */
    public String commandText() {
        return command.getText();
    }

    /**
     * Fills the page, as if typed.
     *
     * @param finetuneEpochCount fine-tuning epochs
     * @param rate the learning rate as typed
     * @param fitEpochCount most epochs per fit
     * @param seedValue the seed
     * @param threadCount fit threads
     * @param deviceName auto, cpu or gpu
     */
    public void set(int finetuneEpochCount, String rate, int fitEpochCount, int seedValue, int threadCount,
            String deviceName) {
        finetuneEpochs.setSelection(finetuneEpochCount);
        learningRate.setText(rate);
        fitEpochs.setSelection(fitEpochCount);
        seed.setSelection(seedValue);
        threads.setSelection(threadCount);
        device.select(DevicePreference.parse(deviceName).ordinal());
        update();
    }
}
