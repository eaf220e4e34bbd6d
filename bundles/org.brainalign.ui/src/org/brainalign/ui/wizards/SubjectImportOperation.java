package org.brainalign.ui.wizards;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.brainalign.core.data.Roi;
import org.brainalign.io.AtomicFile;
import org.brainalign.io.subject.Subject;
import org.brainalign.io.subject.SubjectDescription;
import org.brainalign.ui.workspace.ProjectLayout;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * The subject import loads a subject through the io bundle's reader for its layout (the heavy part: every betas file
 * or fMRI array is read, so that a problem shows now, not at fitting time), then records it in a BrainAlign project
 * as {@code subjects/<name>/}: subject.json (where the data lie, how many images, voxels and ROIs, the grid of volume
 * data) and a copy of the ROI files (small label volumes or masks) under rois/, so that they can be opened as
 * overlays. The data themselves stay where they are. A failed or cancelled import leaves no subject folder behind.
 */
public final class SubjectImportOperation {

    /** Loads a subject with progress. */
    @FunctionalInterface
    public interface Loader {

        /**
         * @param monitor progress
         * @return the subject
         * @throws IOException if a file is missing, malformed or unreadable
         */
        Subject load(IProgressMonitor monitor) throws IOException;
    }

    private final String kind;
    private final Loader loader;
    private final JsonObject source;
    private final List<Path> roiFiles;
    private final IProject project;
    private final String name;

    /**
     * @param kind the data set layout, "nsd-volume" or "algonauts"
     * @param loader reads the subject
     * @param source where the data lie (recorded in subject.json as given)
     * @param roiFiles ROI files to copy into the subject folder's rois/
     * @param project the project (created with the BrainAlign nature if missing)
     * @param name the subject folder's name
     */
    public SubjectImportOperation(String kind, Loader loader, JsonObject source, List<Path> roiFiles,
            IProject project, String name) {
        this.kind = kind;
        this.loader = loader;
        this.source = source.deepCopy();
        this.roiFiles = List.copyOf(roiFiles);
        this.project = project;
        this.name = name;
    }

    /**
     * Runs the import.
     *
     * @param monitor progress: loading (in the reader's units, volumes or rows), then one step per file written
     * @return the new subject folder
     * @throws org.brainalign.io.DataFormatException if the data are inconsistent (one sentence naming the file)
     * @throws IOException if a file cannot be read or written, or the subject folder exists already
     * @throws CoreException if the workspace refuses
     * @throws OperationCanceledException if cancelled (nothing is left behind)
     */
    public IFolder run(IProgressMonitor monitor) throws IOException, CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, "Importing subject " + name, 100);
        IFolder folder = project.getFolder(ProjectLayout.SUBJECTS).getFolder(name);
        if (folder.exists()) {
            throw new IOException("Folder " + folder.getFullPath() + " already exists; choose another subject name.");
        }
        Subject subject = loader.load(sub.split(80));
        SubMonitor write = sub.split(20).setWorkRemaining(roiFiles.size() + 3);
        ProjectLayout.create(project.getName(), null, write.split(1));
        IPath location = folder.getLocation();
        if (location == null) {
            throw new IOException("Project " + project.getName() + " is not on the local disk.");
        }
        Path dir = location.toPath();
        try {
            Files.createDirectories(dir);
            Path rois = dir.resolve("rois");
            for (Path f : roiFiles) {
                write.subTask("Copying " + f.getFileName());
                write.checkCanceled();
                Files.createDirectories(rois);
                AtomicFile.write(rois.resolve(f.getFileName().toString()), out -> {
                    try (InputStream in = Files.newInputStream(f)) {
                        in.transferTo(out);
                    }
                });
                write.worked(1);
            }
            write.checkCanceled();
            JsonObject json = describe(subject);
            Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
            AtomicFile.write(dir.resolve(SubjectDescription.FILE), out -> {
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                gson.toJson(json, w);
                w.flush();
            });
            write.worked(1);
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        } finally {
            project.getFolder(ProjectLayout.SUBJECTS).refreshLocal(IResource.DEPTH_INFINITE, write.split(1));
        }
        return folder;
    }

    private JsonObject describe(Subject subject) {
        JsonObject o = new JsonObject();
        o.addProperty("kind", kind);
        o.addProperty("id", subject.id());
        o.add("source", source);
        o.addProperty("images", subject.responses().imageCount());
        o.addProperty("voxels", subject.voxels().size());
        o.addProperty("space", subject.voxels().space());
        subject.grid().ifPresent(g -> o.add("grid", grid(g)));
        JsonObject rois = new JsonObject();
        for (Roi r : subject.rois()) {
            rois.addProperty(r.name(), r.size());
        }
        o.add("rois", rois);
        JsonArray files = new JsonArray();
        roiFiles.forEach(f -> files.add("rois/" + f.getFileName()));
        o.add("roiFiles", files);
        o.addProperty("imported", Instant.now().toString());
        return o;
    }

    private static JsonObject grid(VolumeGrid g) {
        JsonObject o = new JsonObject();
        JsonArray shape = new JsonArray();
        for (int s : g.shape()) {
            shape.add(s);
        }
        o.add("shape", shape);
        JsonArray affine = new JsonArray();
        Affine a = g.affine();
        for (int r = 0; r < 4; r++) {
            JsonArray row = new JsonArray();
            for (int c = 0; c < 4; c++) {
                row.add(a.get(r, c));
            }
            affine.add(row);
        }
        o.add("affine", affine);
        o.addProperty("orientation", g.orientation());
        return o;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (var walk = Files.walk(dir)) {
            walk.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(all.get(i));
        }
    }

    /**
     * @param entries key and value pairs
     * @return a JSON object of the non-null values, paths as absolute text
     */
    static JsonObject source(Map<String, Object> entries) {
        JsonObject o = new JsonObject();
        entries.forEach((k, v) -> {
            if (v instanceof Path p) {
                o.addProperty(k, p.toAbsolutePath().toString());
            } else if (v instanceof int[] a) {
                JsonArray arr = new JsonArray();
                for (int x : a) {
                    arr.add(x);
                }
                o.add(k, arr);
            } else if (v != null) {
                o.addProperty(k, v.toString());
            }
        });
        return o;
    }
}
