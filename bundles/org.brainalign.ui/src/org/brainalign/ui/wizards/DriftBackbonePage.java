package org.brainalign.ui.wizards;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.brainalign.engine.backbone.BackboneFamilies;
import org.brainalign.engine.backbone.BackboneFamily;
import org.brainalign.engine.backbone.Checkpoint;
import org.brainalign.engine.finetune.ImageFolder;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

/** The backbone (family and checkpoint) and the labelled images it is fine-tuned on. */
public final class DriftBackbonePage extends CheckedPage {

    private final FinetuneDriftWizard wizard;

    private final List<String> families = new ArrayList<>();
    private Combo family;
    CheckpointField checkpoint;
    private Label recognised;
    PathField images;
    private Label found;
    private Path scanned;
    private String scanProblem;
    private ImageFolder folder;

    DriftBackbonePage(FinetuneDriftWizard wizard) {
        super("backbone", "Backbone and fine-tuning images",
                "The network to fine-tune, and the labelled images to fine-tune it on.");
        this.wizard = wizard;
    }

    @Override
    public void createControl(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        c.setLayout(new GridLayout(3, false));
        new Label(c, SWT.NONE).setText("Family:");
        family = new Combo(c, SWT.READ_ONLY);
        families.add(FinetuneDriftWizard.AUTO);
        BackboneFamilies.all().forEach(f -> families.add(f.id()));
        family.setItems(families.toArray(String[]::new));
        family.setToolTipText("auto: the family that recognises the checkpoint (its config.json, or the tensor "
                + "names of a PyTorch file in its library's layout)");
        family.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
        int remembered = families.indexOf(wizard.remembered(FinetuneDriftWizard.FAMILY));
        family.select(Math.max(0, remembered));
        family.addListener(SWT.Selection, e -> update());
        checkpoint = new CheckpointField(c, this::update);
        recognised = note(c);
        images = new PathField(c, "Fine-tuning images:", true, null, this::update);
        found = note(c);
        Label layout = new Label(c, SWT.WRAP);
        layout.setText("One sub-folder per class, named after it, holding that class's images (JPEG, PNG, BMP or"
                + " GIF); at least two classes of at least two images.");
        GridData gd = new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1);
        gd.widthHint = 480;
        layout.setLayoutData(gd);
        checkpoint.set(wizard.remembered(FinetuneDriftWizard.CHECKPOINT));
        images.set(wizard.remembered(FinetuneDriftWizard.IMAGES));
        setControl(c);
        update();
    }

    private static Label note(Composite c) {
        new Label(c, SWT.NONE);
        Label l = new Label(c, SWT.NONE);
        l.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        return l;
    }

    @Override
    protected String check() {
        recognised.setText("");
        found.setText("");
        String problem = checkCheckpoint();
        if (problem != null) {
            return problem;
        }
        Path im = images.path();
        if (im == null) {
            return "?Choose the folder of labelled images, one sub-folder per class.";
        }
        scan(im);
        if (scanProblem != null) {
            return scanProblem;
        }
        found.setText(summary(folder));
        return null;
    }

    private String checkCheckpoint() {
        String problem = checkpoint.check();
        if (problem != null) {
            return problem;
        }
        Path cp = checkpoint.path();
        String chosen = family();
        // opening reads config.json and the safetensors headers (or a PyTorch file's pickle), not the weights
        try (Checkpoint opened = Checkpoint.open(cp)) {
            if (chosen.equals(FinetuneDriftWizard.AUTO)) {
                BackboneFamily f = BackboneFamilies.detect(opened).orElse(null);
                if (f == null) {
                    return "No backbone family recognises the checkpoint " + cp + "; choose its family.";
                }
                recognised.setText("Recognised as " + f.id() + ": " + f.description() + checkpoint.sidecarNote());
            } else {
                BackboneFamily f = BackboneFamilies.get(chosen);
                if (!f.recognises(opened)) {
                    return "The checkpoint " + cp + " is not one family " + chosen
                            + " loads; choose its family or auto.";
                }
                recognised.setText(f.description() + checkpoint.sidecarNote());
            }
        } catch (IOException | RuntimeException e) {
            return FinetuneDriftWizard.sentence(e.getMessage());
        }
        return null;
    }

    /** Lists the image folder once per path: a large one takes a moment. */
    private void scan(Path im) {
        if (im.equals(scanned)) {
            return;
        }
        scanned = im;
        folder = null;
        scanProblem = null;
        try {
            folder = ImageFolder.scan(im);
        } catch (IOException e) {
            scanProblem = FinetuneDriftWizard.sentence(e.getMessage());
        }
    }

    private static String summary(ImageFolder f) {
        List<String> classes = f.classes();
        String named = String.join(", ",
                classes.subList(0, Math.min(FinetuneDriftWizard.CLASSES_NAMED, classes.size())))
                + (classes.size() > FinetuneDriftWizard.CLASSES_NAMED ? ", ..." : "");
        return "Found " + classes.size() + " classes (" + named + ") with " + f.images().size() + " images.";
    }

    String family() {
        return families.get(Math.max(0, family.getSelectionIndex()));
    }

    /** @return what the image folder holds, as the page says it (empty while the folder is not usable) */
    public String imagesFound() {
        return found.getText();
    }

    /** @return what the page says of the checkpoint's family (empty while the checkpoint is not usable) */
    public String familyRecognised() {
        return recognised.getText();
    }

    /**
     * Fills the page, as if typed.
     *
     * @param familyId a family id or "auto"
     * @param checkpointPath the checkpoint folder or weight file, or null for none
     * @param imageFolder the labelled image folder, or null for none
     */
    public void set(String familyId, Path checkpointPath, Path imageFolder) {
        family.select(families.indexOf(familyId));
        checkpoint.set(checkpointPath == null ? "" : checkpointPath.toString());
        images.set(imageFolder == null ? "" : imageFolder.toString());
        update();
    }
}
