package org.brainalign.ui.wizards;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.brainalign.io.AtomicFile;
import org.brainalign.io.roi.AtlasFile;
import org.brainalign.ui.workspace.NiftiSummary;
import org.eclipse.core.resources.IContainer;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

/**
 * The NIfTI import copies NIfTI files from disk into a workspace folder (creating the folder if needed), each with
 * the label files beside it that name its regions ({@link AtlasFile#labelFiles}: aal.nii.txt, FSL's .xml, a .lut), so
 * that an imported atlas keeps its names. Every image is checked to be a readable NIfTI image first, so a bad one stops
 * the import before anything is copied; each copy is written under a temporary name and renamed; a cancelled import
 * removes the files it had copied.
 */
public final class NiftiImportOperation {

    private static final int CHUNK = 1 << 20;

    private final List<Path> files;
    private final IContainer target;
    private final boolean overwrite;

    /**
     * @param files the NIfTI files (.nii, .nii.gz; a .hdr brings its .img along, every image its label files) and
     *        label files chosen on their own
     * @param target the workspace folder or project to copy them into
     * @param overwrite whether to replace files of the same name
     */
    public NiftiImportOperation(List<Path> files, IContainer target, boolean overwrite) {
        this.files = List.copyOf(files);
        this.target = target;
        this.overwrite = overwrite;
    }

    /**
     * @param file a NIfTI file
     * @return the files that go with it: itself, for a .hdr(.gz) its .img(.gz), and its label files
     */
    static List<Path> parts(Path file) {
        String name = file.getFileName().toString();
        List<Path> parts = new ArrayList<>(List.of(file));
        if (name.matches("(?i).*\\.hdr(\\.gz)?")) {
            parts.add(file.resolveSibling(name.replaceFirst("(?i)\\.hdr", name.contains(".HDR") ? ".IMG" : ".img")));
        }
        parts.addAll(AtlasFile.labelFiles(file));
        return parts;
    }

    /**
     * Runs the import.
     *
     * @param monitor progress in files checked and copied (each copy in megabytes); cancelling undoes the import
     * @return the workspace files created or replaced
     * @throws org.brainalign.io.DataFormatException if a file is not a readable NIfTI image (nothing is copied)
     * @throws IOException if a file cannot be read or written, or a target exists and may not be replaced
     * @throws CoreException if the workspace refuses to create the folder
     * @throws OperationCanceledException if cancelled (the files copied so far are removed)
     */
    public List<IFile> run(IProgressMonitor monitor) throws IOException, CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, "Importing NIfTI volumes", 2 * files.size() + 1);
        // a set: a label file chosen beside its volume comes along with the volume anyway
        Set<Path> sources = new LinkedHashSet<>();
        for (Path f : files) {
            sub.subTask("Checking " + f.getFileName());
            if (AtlasFile.isLabelFile(f)) {
                // chosen on its own: a label file is copied as it is, and read when its atlas is opened
                sources.add(f);
            } else {
                NiftiSummary.header(f);
                sources.addAll(parts(f));
            }
            sub.split(1);
        }
        IPath location = target.getLocation();
        if (location == null) {
            throw new IOException("Folder " + target.getFullPath() + " is not on the local disk.");
        }
        for (Path s : sources) {
            IFile dest = target.getFile(IPath.fromOSString(s.getFileName().toString()));
            if (dest.exists() && !overwrite) {
                throw new IOException("File " + dest.getFullPath() + " already exists; choose to overwrite it, or"
                        + " import into another folder.");
            }
        }
        sub.setWorkRemaining(1 + sources.size());
        createFolders(target, sub.split(1));
        List<IFile> created = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        try {
            for (Path s : sources) {
                Path dest = location.toPath().resolve(s.getFileName().toString());
                boolean existed = Files.exists(dest);
                copy(s, dest, sub.split(1));
                if (!existed) {
                    written.add(dest);
                }
                created.add(target.getFile(IPath.fromOSString(s.getFileName().toString())));
            }
        } catch (OperationCanceledException | IOException e) {
            for (Path w : written) {
                Files.deleteIfExists(w);
            }
            target.refreshLocal(IResource.DEPTH_ONE, null);
            throw e;
        }
        target.refreshLocal(IResource.DEPTH_ONE, null);
        return created;
    }

    private static void createFolders(IContainer c, IProgressMonitor monitor) throws CoreException {
        if (c instanceof IFolder f && !f.exists()) {
            createFolders(f.getParent(), null);
            f.create(IResource.NONE, true, monitor);
        }
    }

    private static void copy(Path source, Path dest, IProgressMonitor monitor) throws IOException {
        long size = Files.size(source);
        SubMonitor sub = SubMonitor.convert(monitor, "Copying " + source.getFileName(),
                (int) Math.max(1, size / CHUNK));
        AtomicFile.write(dest, out -> {
            try (InputStream in = Files.newInputStream(source)) {
                byte[] buffer = new byte[CHUNK];
                int n;
                while ((n = in.readNBytes(buffer, 0, CHUNK)) > 0) {
                    sub.checkCanceled();
                    out.write(buffer, 0, n);
                    sub.worked(1);
                }
            }
        });
    }
}
