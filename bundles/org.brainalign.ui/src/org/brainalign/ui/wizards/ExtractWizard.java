package org.brainalign.ui.wizards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.backbone.BackboneFamilies;
import org.brainalign.engine.backbone.PositionInterpolation;
import org.brainalign.engine.features.Extractor;
import org.brainalign.ui.jobs.ExtractJob;
import org.brainalign.ui.runs.Stimuli;
import org.brainalign.ui.workspace.ProjectLayout;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchWindow;

/**
 * BrainAlign > Extract features: a backbone checkpoint, its family, the images, and the store to write in the
 * project's features/ folder; starts an {@link ExtractJob}. An existing store of the same name is continued where an
 * interrupted extraction stopped, as on the command line.
 */
public final class ExtractWizard extends Wizard {

    /** The family choice that detects it from the checkpoint's config.json. */
    private static final String AUTO = "auto";
    private static final String NO_IMAGE = "Folder %s holds no image (.png, .jpg or .jpeg).";

    private final IWorkbenchWindow window;
    private ExtractPage page;
    private ExtractJob job;

    /** @param workbench the workbench */
    public ExtractWizard(IWorkbench workbench) {
        this.window = workbench.getActiveWorkbenchWindow();
        setWindowTitle("Extract features");
    }

    @Override
    public void addPages() {
        page = new ExtractPage();
        addPage(page);
    }

    @Override
    public boolean performFinish() {
        try {
            job = new ExtractJob(window, page.request());
        } catch (IOException e) {
            page.setErrorMessage(e.getMessage());
            return false;
        }
        job.schedule();
        return true;
    }

    /** @return the job the last finish started, or null */
    public ExtractJob job() {
        return job;
    }

    /** @return the page, once the wizard's pages exist */
    public ExtractPage page() {
        return page;
    }

    /** The checkpoint, family, images and store. */
    public final class ExtractPage extends CheckedPage {

        private ProjectChoice project;
        private CheckpointField checkpoint;
        private Combo family;
        private PathField images;
        private Text store;
        private Button imageNet;
        private Button hubPositions;

        ExtractPage() {
            super("extract", "Extract features", "Run a frozen Vision Transformer over images and keep each block's"
                    + " 8 x 8 and global tokens in a feature store.");
        }

        @Override
        public void createControl(Composite parent) {
            Composite c = new Composite(parent, SWT.NONE);
            c.setLayout(new GridLayout(3, false));
            project = new ProjectChoice(c, null);
            checkpoint = new CheckpointField(c, this::update);
            new Label(c, SWT.NONE).setText("Family:");
            family = new Combo(c, SWT.READ_ONLY);
            // the families installed (each an engine service), after the detecting choice
            family.add(AUTO);
            BackboneFamilies.all().forEach(f -> family.add(f.id()));
            family.select(0);
            family.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
            images = new PathField(c, "Image folder:", true, null, this::update);
            new Label(c, SWT.NONE).setText("Store name (in features/):");
            store = new Text(c, SWT.BORDER);
            store.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
            store.addListener(SWT.Modify, e -> update());
            imageNet = option(c, "Normalise with ImageNet's mean and std, whatever the checkpoint declares (as the "
                    + "paper's reference did for every network)");
            hubPositions = option(c, "DINOv2: resize the position embeddings by torch.hub's rule (as the paper's "
                    + "reference did) instead of Hugging Face's");
            family.addListener(SWT.Selection, e -> {
                String chosen = family.getItem(family.getSelectionIndex());
                hubPositions.setEnabled(chosen.equals(AUTO) || chosen.equals("dinov2"));
            });
            setControl(c);
            update();
        }

        /**
         * Fills the page as a user would.
         *
         * @param checkpointFolder the checkpoint folder
         * @param familyId a family, or "auto"
         * @param imageFolder the image folder
         * @param storeName the store's name in features/
         * @param forceImageNet whether ImageNet's normalisation is ticked
         * @param torchHubPositions whether torch.hub's position rule is ticked
         */
        public void set(Path checkpointFolder, String familyId, Path imageFolder, String storeName,
                boolean forceImageNet, boolean torchHubPositions) {
            checkpoint.set(checkpointFolder.toString());
            family.select(family.indexOf(familyId));
            family.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
            images.set(imageFolder.toString());
            store.setText(storeName);
            imageNet.setSelection(forceImageNet);
            hubPositions.setSelection(torchHubPositions);
            update();
        }

        private Button option(Composite parent, String text) {
            Button b = new Button(parent, SWT.CHECK);
            b.setText(text);
            b.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
            return b;
        }

        @Override
        protected String check() {
            if (project.selected() == null) {
                return "There is no BrainAlign project to keep the store in: create one with File > New first.";
            }
            String problem = checkpoint.check();
            if (problem != null) {
                return problem;
            }
            Path cp = checkpoint.path();
            Path im = images.path();
            if (im == null) {
                return "?Choose the folder of images.";
            }
            if (!Files.isDirectory(im)) {
                return "Folder " + im + " does not exist.";
            }
            try {
                // one image is enough to know the folder is not empty; Finish lists them all
                if (Stimuli.list(im, 1).isEmpty()) {
                    return NO_IMAGE.formatted(im);
                }
            } catch (IOException e) {
                return "Folder " + im + " cannot be listed: " + e.getMessage();
            }
            if (store.getText().isBlank() && cp.getFileName() != null) {
                // a file's store is named after the file without its extensions (vit-b-300ep.pth.tar: vit-b-300ep)
                String name = cp.getFileName().toString();
                store.setText(Files.isDirectory(cp) || name.indexOf('.') <= 0
                        ? name
                        : name.substring(0, name.indexOf('.')));
            }
            IStatus valid = ResourcesPlugin.getWorkspace().validateName(store.getText().strip(), IResource.FOLDER);
            return valid.isOK()
                    ? null
                    : "The store name '" + store.getText().strip() + "' cannot be used: "
                            + valid.getMessage();
        }

        /**
         * @return what Finish would extract
         * @throws IOException if the image folder holds no image
         */
        public Extractor.Request request() throws IOException {
            Path root = project.selected().getLocation().toPath();
            List<Path> files = Stimuli.list(images.path(), Integer.MAX_VALUE);
            if (files.isEmpty()) {
                throw new IOException(NO_IMAGE.formatted(images.path()));
            }
            Path target = root.resolve(ProjectLayout.FEATURES).resolve(store.getText().strip());
            PositionInterpolation positions = hubPositions.isEnabled() && hubPositions.getSelection()
                    ? PositionInterpolation.TORCH_HUB
                    : PositionInterpolation.HUGGING_FACE;
            return new Extractor.Request(checkpoint.path(), family.getItem(family.getSelectionIndex()), files, target,
                    8, DevicePreference.AUTO, 0, imageNet.getSelection(), positions, Extractor.OnUnreadable.STOP);
        }
    }
}
