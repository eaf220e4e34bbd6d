package org.brainalign.io.roi;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.brainalign.core.data.RoiDefinition;
import org.brainalign.io.AtomicFile;
import org.brainalign.io.DataFormatException;
import org.brainalign.io.TextFile;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * An ROI definition file saves named ROIs as sets of atlas labels, as JSON:
 *
 * <pre>
 * {"rois": [{"name": "V1", "atlas": "aal.nii.gz", "labels": [43, 44]}, ...]}
 * </pre>
 *
 * A single definition object, or a bare array of them, is read too.
 */
public final class RoiDefinitionFile {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private RoiDefinitionFile() {
    }

    /**
     * @param file the JSON file
     * @return the definitions, in file order
     * @throws DataFormatException if the file is not such JSON (the message names the file and the problem)
     * @throws IOException if it cannot be read
     */
    public static List<RoiDefinition> read(Path file) throws IOException {
        JsonElement root = TextFile.parseJson(TextFile.utf8(file), file);
        JsonArray items;
        if (root.isJsonArray()) {
            items = root.getAsJsonArray();
        } else if (root.isJsonObject() && root.getAsJsonObject().has("rois")) {
            items = root.getAsJsonObject().getAsJsonArray("rois");
        } else if (root.isJsonObject()) {
            items = new JsonArray();
            items.add(root);
        } else {
            throw DataFormatException.of(file, "holds no ROI definitions");
        }
        List<RoiDefinition> list = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                JsonObject o = items.get(i).getAsJsonObject();
                JsonArray l = o.getAsJsonArray("labels");
                int[] labels = new int[l.size()];
                for (int k = 0; k < labels.length; k++) {
                    labels[k] = l.get(k).getAsInt();
                }
                String atlas = o.has("atlas") && !o.get("atlas").isJsonNull() ? o.get("atlas").getAsString() : null;
                list.add(new RoiDefinition(o.get("name").getAsString(), atlas, labels));
            } catch (RuntimeException e) {
                throw DataFormatException.of(file, "has an unusable ROI definition at position " + i
                        + " (each needs a name and a non-empty labels array)", e);
            }
        }
        return list;
    }

    /**
     * Saves definitions atomically.
     *
     * @param file the JSON file to write
     * @param definitions the definitions
     * @throws IOException if writing fails
     */
    public static void write(Path file, List<RoiDefinition> definitions) throws IOException {
        JsonArray items = new JsonArray();
        for (RoiDefinition d : definitions) {
            JsonObject o = new JsonObject();
            o.addProperty("name", d.name());
            if (d.atlas() != null) {
                o.addProperty("atlas", d.atlas());
            }
            JsonArray l = new JsonArray();
            for (int v : d.labels()) {
                l.add(v);
            }
            o.add("labels", l);
            items.add(o);
        }
        JsonObject root = new JsonObject();
        root.add("rois", items);
        AtomicFile.write(file, out -> {
            Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
            GSON.toJson(root, w);
            w.write('\n');
            w.flush();
        });
    }
}
