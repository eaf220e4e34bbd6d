package org.brainalign.ui.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.brainalign.io.subject.SubjectDescription;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.jface.viewers.IDecoration;
import org.eclipse.jface.viewers.ILabelProviderListener;
import org.eclipse.jface.viewers.ILightweightLabelDecorator;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The data decorator adds what a file or folder holds to its label in the Project Explorer: a NIfTI file its shape,
 * datatype, orientation and voxel size ("181×217×181 uint8, RAS, 1×1×1 mm"), a run folder its backbone and score,
 * a subject folder its data set and size. It runs in the background decoration thread, reads only headers and small
 * JSON files, and remembers each answer until the file changes.
 */
public class DataDecorator implements ILightweightLabelDecorator {

    /** The decorator's id. */
    public static final String ID = "org.brainalign.ui.dataDecorator";

    private record Known(long stamp, String text) {
    }

    private final Map<IResource, Known> known = new ConcurrentHashMap<>();

    @Override
    public void decorate(Object element, IDecoration decoration) {
        String text = suffix(Adapters.adapt(element, IResource.class));
        if (text != null) {
            decoration.addSuffix("  [" + text + "]");
        }
    }

    /**
     * @param resource a resource, or null
     * @return what the decorator adds to its label, or null for nothing
     */
    public String suffix(IResource resource) {
        if (resource == null || resource.getLocation() == null || !resource.isAccessible()) {
            return null;
        }
        IResource watched = resource;
        if (resource instanceof IFolder folder) {
            if (ProjectLayout.isRunFolder(folder)) {
                watched = folder.getFile(org.brainalign.io.run.RunFolder.RUN_JSON);
            } else if (folder.getFile(SubjectDescription.FILE).exists()) {
                watched = folder.getFile(SubjectDescription.FILE);
            } else {
                return null;
            }
        } else if (!(resource instanceof IFile f && ProjectLayout.isNiftiName(f.getName()))) {
            return null;
        }
        long stamp = watched.getModificationStamp();
        Known k = known.get(resource);
        if (k == null || k.stamp() != stamp) {
            k = new Known(stamp, describe(resource, resource.getLocation().toPath()));
            known.put(resource, k);
        }
        return k.text();
    }

    private static String describe(IResource resource, Path path) {
        if (resource instanceof IFile) {
            try {
                return NiftiSummary.line(NiftiSummary.header(path));
            } catch (IOException e) {
                return "not readable: " + e.getMessage();
            }
        }
        if (RunSummary.isRunFolder(path)) {
            return RunSummary.label(path);
        }
        return subjectSummary(path.resolve(SubjectDescription.FILE));
    }

    private static String subjectSummary(Path file) {
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            String kind = o.has("kind") ? o.get("kind").getAsString() : "subject";
            String size = o.has("images") && o.has("voxels")
                    ? ", " + o.get("images").getAsInt() + " images \u00d7 " + o.get("voxels").getAsInt() + " "
                            + ("algonauts".equals(kind) ? "vertices" : "voxels")
                    : "";
            return kind + size;
        } catch (IOException | RuntimeException e) {
            return "subject.json unreadable";
        }
    }

    @Override
    public void addListener(ILabelProviderListener listener) {
        // labels change only with the resources, which the workbench already redecorates
    }

    @Override
    public void removeListener(ILabelProviderListener listener) {
        // see addListener
    }

    @Override
    public boolean isLabelProperty(Object element, String property) {
        return false;
    }

    @Override
    public void dispose() {
        known.clear();
    }
}
