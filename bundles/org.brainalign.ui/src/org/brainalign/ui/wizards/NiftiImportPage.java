package org.brainalign.ui.wizards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.brainalign.io.roi.AtlasFile;
import org.brainalign.ui.workspace.NiftiSummary;
import org.brainalign.ui.workspace.ProjectLayout;
import org.eclipse.core.resources.IContainer;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspaceRoot;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.dialogs.ContainerSelectionDialog;

/**
 * The NIfTI import page: the files to import (chosen with the system's file chooser), a preview of the selected
 * file's header (shape, datatype, orientation, voxel size and affine) read as soon as it is chosen, and the
 * workspace folder to copy them into. Problems show at the top of the page as they are found.
 */
public final class NiftiImportPage extends CheckedPage {

    private final List<Path> files = new ArrayList<>();
    private final String initialFolder;
    private org.eclipse.swt.widgets.List list;
    private Text preview;
    private Text folder;
    private Button overwrite;

    NiftiImportPage(String initialFolder) {
        super("niftiImport", "Import NIfTI volumes",
                "Copy NIfTI images (.nii, .nii.gz, .hdr/.img) into a workspace folder.");
        this.initialFolder = initialFolder;
    }

    @Override
    public void createControl(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        c.setLayout(new GridLayout(3, false));

        new Label(c, SWT.NONE).setText("Files:");
        list = new org.eclipse.swt.widgets.List(c, SWT.BORDER | SWT.SINGLE | SWT.V_SCROLL | SWT.H_SCROLL);
        GridData ld = new GridData(SWT.FILL, SWT.FILL, true, false);
        ld.heightHint = 80;
        ld.widthHint = 360;
        list.setLayoutData(ld);
        list.addListener(SWT.Selection, e -> update());
        Composite buttons = new Composite(c, SWT.NONE);
        buttons.setLayout(new GridLayout(1, true));
        buttons.setLayoutData(new GridData(SWT.FILL, SWT.TOP, false, false));
        Button add = new Button(buttons, SWT.PUSH);
        add.setText("Add...");
        add.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        add.addListener(SWT.Selection, e -> browse());
        Button remove = new Button(buttons, SWT.PUSH);
        remove.setText("Remove");
        remove.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        remove.addListener(SWT.Selection, e -> {
            int i = list.getSelectionIndex();
            if (i >= 0) {
                files.remove(i);
                refreshList(Math.min(i, files.size() - 1));
            }
        });

        new Label(c, SWT.NONE).setText("Header:");
        preview = new Text(c, SWT.MULTI | SWT.READ_ONLY | SWT.BORDER | SWT.WRAP);
        preview.setFont(org.eclipse.jface.resource.JFaceResources.getTextFont());
        GridData pd = new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1);
        pd.heightHint = 150;
        preview.setLayoutData(pd);

        new Label(c, SWT.NONE).setText("Into folder:");
        folder = new Text(c, SWT.BORDER);
        folder.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        folder.setText(initialFolder == null ? "" : initialFolder);
        folder.addListener(SWT.Modify, e -> update());
        Button browseFolder = new Button(c, SWT.PUSH);
        browseFolder.setText("Browse...");
        browseFolder.addListener(SWT.Selection, e -> {
            ContainerSelectionDialog d = new ContainerSelectionDialog(getShell(), container(), true,
                    "Choose the folder to import into:");
            if (d.open() == ContainerSelectionDialog.OK && d.getResult().length > 0) {
                folder.setText(((IPath) d.getResult()[0]).toString());
            }
        });

        new Label(c, SWT.NONE);
        overwrite = new Button(c, SWT.CHECK);
        overwrite.setText("Overwrite files of the same name");
        overwrite.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
        overwrite.addListener(SWT.Selection, e -> update());

        setControl(c);
        update();
    }

    private void browse() {
        FileDialog d = new FileDialog(getShell(), SWT.OPEN | SWT.MULTI);
        d.setText("NIfTI files to import");
        // label files are shown too: they come along with their volume, and can be chosen on their own
        d.setFilterExtensions(new String[] { "*.nii;*.nii.gz;*.hdr;*.hdr.gz;*.txt;*.xml;*.lut",
                "*.nii;*.nii.gz;*.hdr;*.hdr.gz", "*" });
        d.setFilterNames(new String[] { "NIfTI images and label files", "NIfTI images", "All files" });
        if (d.open() != null) {
            List<Path> chosen = new ArrayList<>();
            for (String name : d.getFileNames()) {
                chosen.add(Path.of(d.getFilterPath(), name));
            }
            addFiles(chosen);
        }
    }

    /**
     * Adds files to the list, as if chosen in the file chooser.
     *
     * @param chosen the files
     */
    public void addFiles(List<Path> chosen) {
        for (Path p : chosen) {
            if (!files.contains(p)) {
                files.add(p);
            }
        }
        refreshList(files.size() - 1);
    }

    /** @param path the workspace folder to import into, e.g. "/project/subjects/subj01", as if typed */
    public void setFolder(String path) {
        folder.setText(path);
    }

    /** @param on whether to overwrite files of the same name, as if ticked */
    public void setOverwrite(boolean on) {
        overwrite.setSelection(on);
        update();
    }

    /** @return the preview text shown */
    public String previewText() {
        return preview.getText();
    }

    private void refreshList(int select) {
        list.removeAll();
        for (Path p : files) {
            list.add(p.toString());
        }
        if (select >= 0) {
            list.select(select);
        }
        update();
    }

    /** @return the files to import */
    List<Path> files() {
        return List.copyOf(files);
    }

    /** @return whether to overwrite */
    boolean overwrite() {
        return overwrite.getSelection();
    }

    /** @return the workspace folder named in the field (it may not exist yet), or null if the path is not valid */
    IContainer container() {
        String text = folder.getText().strip();
        if (text.isEmpty()) {
            return null;
        }
        IPath path = IPath.fromPortableString(text).makeAbsolute();
        IWorkspaceRoot root = ResourcesPlugin.getWorkspace().getRoot();
        if (path.segmentCount() == 0) {
            return null;
        }
        if (path.segmentCount() == 1) {
            return root.getProject(path.segment(0));
        }
        return root.getFolder(path);
    }

    /** Shows the header of the selected file (or the first), then checks the files and the folder. */
    @Override
    protected String check() {
        int selected = list.getSelectionIndex();
        Path shown = selected >= 0 ? files.get(selected) : files.isEmpty() ? null : files.get(0);
        String error = null;
        if (shown != null && AtlasFile.isLabelFile(shown)) {
            preview.setText("Label file: copied as it is; it names the regions of the volume of the same name.");
        } else if (shown != null) {
            try {
                preview.setText(String.join("\n", NiftiSummary.lines(NiftiSummary.header(shown))));
            } catch (IOException e) {
                preview.setText("");
                error = e.getMessage();
            }
        } else {
            preview.setText("");
        }
        if (error == null) {
            error = checkFiles();
        }
        if (error == null) {
            error = checkFolder();
        }
        if (error == null && files.isEmpty()) {
            return "?Add the NIfTI files to import.";
        }
        return error;
    }

    private String checkFiles() {
        for (Path f : files) {
            if (AtlasFile.isLabelFile(f)) {
                if (!Files.isRegularFile(f)) {
                    return "File " + f + " does not exist.";
                }
                continue;
            }
            for (Path part : NiftiImportOperation.parts(f)) {
                if (!Files.isRegularFile(part)) {
                    return "File " + part + " does not exist.";
                }
            }
            try {
                NiftiSummary.header(f);
            } catch (IOException e) {
                return e.getMessage();
            }
        }
        return null;
    }

    private String checkFolder() {
        String text = folder.getText().strip();
        if (text.isEmpty()) {
            return files.isEmpty() ? null : "Choose the workspace folder to import into.";
        }
        IPath path = IPath.fromPortableString(text).makeAbsolute();
        IStatus status = ResourcesPlugin.getWorkspace().validatePath(path.toString(),
                path.segmentCount() == 1 ? IResource.PROJECT : IResource.FOLDER);
        if (!status.isOK()) {
            return status.getMessage();
        }
        IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject(path.segment(0));
        if (!project.exists()) {
            return "Project " + project.getName() + " does not exist; create it first (File > New > BrainAlign"
                    + " project).";
        }
        if (!project.isOpen()) {
            return "Project " + project.getName() + " is closed.";
        }
        IContainer c = container();
        if (!overwrite.getSelection()) {
            for (Path f : files) {
                for (Path part : NiftiImportOperation.parts(f)) {
                    if (c.getFile(IPath.fromOSString(part.getFileName().toString())).exists()) {
                        return "File " + part.getFileName() + " already exists in " + c.getFullPath()
                                + "; tick Overwrite or choose another folder.";
                    }
                }
            }
        }
        return null;
    }

    /** @return the folder to suggest for an import, from a selected resource: a subject or subjects folder first */
    static String suggestedFolder(IResource selected) {
        if (selected == null) {
            return null;
        }
        IContainer c = selected instanceof IContainer ic ? ic : selected.getParent();
        if (c instanceof IProject p && ProjectLayout.isBrainAlignProject(p)) {
            return p.getFolder(ProjectLayout.SUBJECTS).getFullPath().toString();
        }
        return c.getFullPath().toString();
    }
}
