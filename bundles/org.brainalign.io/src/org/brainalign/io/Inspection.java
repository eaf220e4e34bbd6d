package org.brainalign.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.brainalign.core.Affine;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiSeries;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.npy.NpyArray;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * An inspection is what {@code brainalign inspect FILE} reports about a NIfTI or .npy file: its header facts and
 * statistics of its values, as a JSON document ({@code --json}) or a plain-text summary. The JSON always has exactly
 * these keys: format ("nifti1", "nifti2" or "npy"), shape, datatype (NumPy name), byte_order ("little", "big"),
 * qform_code, sform_code, affine (the 4 x 4 in use, by nibabel's rule), qform and sform (4 x 4, or null when their
 * code is 0), scl_slope and scl_inter (as stored; null when NaN), vox_offset (as stored), pixdim (voxel size per
 * dimension), units ({"space", "time"}), orientation (e.g. "RAS"), stats (min, max, sum, mean of the finite scaled
 * values; finite_count, nonfinite_count), center_index (each size // 2) and center_value (scaled). For .npy files
 * the NIfTI-only keys (codes, transforms, scaling, offset, pixdim, units, orientation) are present with the value
 * null, and byte_order is null for one-byte types. Values are read volume by volume, so any file size works.
 */
public final class Inspection {

    private final Path file;
    private final JsonObject json;

    private Inspection(Path file, JsonObject json) {
        this.file = file;
        this.json = json;
    }

    /**
     * Inspects a file, recognising .npy by its magic and reading anything else as NIfTI.
     *
     * @param file the file
     * @param monitor progress in volumes; may be null
     * @return the inspection
     * @throws DataFormatException if the file is neither a readable NIfTI nor a .npy of numbers
     * @throws IOException if it cannot be read
     */
    public static Inspection of(Path file, IProgressMonitor monitor) throws IOException {
        // a .npy whose magic is damaged is still an .npy to its owner: say what is wrong with it as one
        boolean npy = isNpy(file) || file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy");
        return new Inspection(file, npy ? npy(file) : nifti(file, monitor));
    }

    private static boolean isNpy(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(InputFile.check(file))) {
            byte[] b = in.readNBytes(6);
            return b.length == 6 && (b[0] & 0xFF) == 0x93 && new String(b, 1, 5).equals("NUMPY")
                    || b.length > 0 && (b[0] & 0xFF) == 0x80;
        } catch (NoSuchFileException e) {
            throw DataFormatException.of(file, "does not exist");
        }
    }

    private static JsonObject nifti(Path file, IProgressMonitor monitor) throws IOException {
        try (NiftiSeries s = NiftiSeries.open(file)) {
            NiftiHeader h = s.header();
            int[] shape = h.shape();
            int[] centre = new int[shape.length];
            for (int d = 0; d < shape.length; d++) {
                centre[d] = shape[d] / 2;
            }
            long centreIndex = 0;
            for (int d = shape.length - 1; d >= 0; d--) {
                centreIndex = centreIndex * shape[d] + centre[d];
            }
            int perVolume = s.voxelsPerVolume();
            ValueStatistics.Accumulator stats = new ValueStatistics.Accumulator();
            double centreValue = Double.NaN;
            double[] volume = new double[perVolume];
            SubMonitor sub = SubMonitor.convert(monitor, "Inspecting " + file.getFileName(), s.volumeCount());
            for (int t = 0; t < s.volumeCount(); t++) {
                sub.split(1);
                s.next(volume);
                for (double v : volume) {
                    stats.add(v);
                }
                if (centreIndex / perVolume == t) {
                    centreValue = volume[(int) (centreIndex % perVolume)];
                }
            }
            JsonObject o = new JsonObject();
            o.addProperty("format", "nifti" + h.version());
            o.add("shape", ints(shape));
            o.addProperty("datatype", h.dataType().numpyName());
            o.addProperty("byte_order", h.byteOrder() == ByteOrder.BIG_ENDIAN ? "big" : "little");
            o.addProperty("qform_code", h.qformCode());
            o.addProperty("sform_code", h.sformCode());
            o.add("affine", matrix(h.affine()));
            o.add("qform", h.qformCode() > 0 && h.hasUsableQform() ? matrix(h.qform()) : JsonNull.INSTANCE);
            o.add("sform", h.sformCode() > 0 ? matrix(h.sform()) : JsonNull.INSTANCE);
            o.add("scl_slope", number(h.sclSlope()));
            o.add("scl_inter", number(h.sclInter()));
            o.addProperty("vox_offset", h.voxOffset());
            JsonArray pixdim = new JsonArray();
            for (double z : h.zooms()) {
                pixdim.add(number(z));
            }
            o.add("pixdim", pixdim);
            JsonObject units = new JsonObject();
            units.addProperty("space", h.spaceUnit());
            units.addProperty("time", h.timeUnit());
            o.add("units", units);
            o.addProperty("orientation", h.orientation());
            o.add("stats", stats(stats.result()));
            o.add("center_index", ints(centre));
            o.add("center_value", number(centreValue));
            return o;
        }
    }

    private static JsonObject npy(Path file) throws IOException {
        NpyArray a = Npy.read(file);
        int[] shape = a.shape();
        int[] centre = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            centre[d] = shape[d] / 2;
        }
        JsonObject o = new JsonObject();
        o.addProperty("format", "npy");
        o.add("shape", ints(shape));
        o.addProperty("datatype", a.type().numpyName());
        o.add("byte_order", a.type().bytes() == 1
                ? JsonNull.INSTANCE
                : new JsonPrimitive(a.byteOrder() == ByteOrder.BIG_ENDIAN ? "big" : "little"));
        for (String key : new String[] { "qform_code", "sform_code", "affine", "qform", "sform", "scl_slope",
                "scl_inter", "vox_offset", "pixdim", "units", "orientation" }) {
            o.add(key, JsonNull.INSTANCE);
        }
        o.add("stats", stats(a.statistics()));
        o.add("center_index", ints(centre));
        boolean empty = a.size() == 0;
        o.add("center_value", empty ? JsonNull.INSTANCE : number(a.get(centre)));
        return o;
    }

    private static JsonObject stats(ValueStatistics s) {
        JsonObject o = new JsonObject();
        o.add("min", number(s.min()));
        o.add("max", number(s.max()));
        o.add("sum", number(s.sum()));
        o.add("mean", number(s.mean()));
        o.addProperty("finite_count", s.finiteCount());
        o.addProperty("nonfinite_count", s.nonFiniteCount());
        return o;
    }

    private static JsonElement number(double v) {
        if (!Double.isFinite(v)) {
            return JsonNull.INSTANCE; // JSON has no NaN or infinity
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return new JsonPrimitive((long) v);
        }
        return new JsonPrimitive(v);
    }

    private static JsonArray ints(int[] values) {
        JsonArray a = new JsonArray();
        for (int v : values) {
            a.add(v);
        }
        return a;
    }

    private static JsonArray matrix(Affine m) {
        JsonArray rows = new JsonArray();
        for (double[] r : m.toRows()) {
            JsonArray row = new JsonArray();
            for (double v : r) {
                row.add(number(v));
            }
            rows.add(row);
        }
        return rows;
    }

    /** @return the inspected file */
    public Path file() {
        return file;
    }

    /** @return a copy of the JSON document */
    public JsonObject toJson() {
        return json.deepCopy();
    }

    /** @return the JSON document, pretty-printed */
    public String toJsonString() {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(json);
    }

    /** @return a readable plain-text summary */
    public String toText() {
        StringBuilder b = new StringBuilder();
        String format = json.get("format").getAsString();
        b.append(file.getFileName()).append(": ").append(format.equals("npy")
                ? "NumPy array"
                : "NIfTI-"
                        + format.charAt(5))
                .append(", ").append(json.get("datatype").getAsString()).append(' ')
                .append(shapeText()).append(json.get("byte_order").isJsonNull()
                        ? ""
                        : ", " + json.get("byte_order").getAsString() + "-endian")
                .append('\n');
        if (!format.equals("npy")) {
            b.append("  voxel size  ").append(json.get("pixdim")).append(' ')
                    .append(json.getAsJsonObject("units").get("space").getAsString()).append(", time unit ")
                    .append(json.getAsJsonObject("units").get("time").getAsString()).append('\n');
            b.append("  orientation ").append(json.get("orientation").getAsString()).append("  (affine from the ")
                    .append(json.get("sform_code").getAsInt() > 0
                            ? "sform"
                            : json.get("qform_code").getAsInt() > 0
                                    ? "qform"
                                    : "pixdim fallback")
                    .append(")\n");
            b.append("  qform_code ").append(json.get("qform_code")).append(", sform_code ")
                    .append(json.get("sform_code")).append('\n');
            appendMatrix(b, "affine", json.get("affine"));
            appendMatrix(b, "qform", json.get("qform"));
            appendMatrix(b, "sform", json.get("sform"));
            b.append("  scaling     scl_slope ").append(json.get("scl_slope")).append(", scl_inter ")
                    .append(json.get("scl_inter")).append("; data at byte ").append(json.get("vox_offset"))
                    .append('\n');
        }
        JsonObject s = json.getAsJsonObject("stats");
        b.append(String.format(Locale.ROOT, "  values      min %s, max %s, mean %s, sum %s%n", s.get("min"),
                s.get("max"), s.get("mean"), s.get("sum")));
        b.append("              ").append(s.get("finite_count")).append(" finite, ").append(s.get("nonfinite_count"))
                .append(" not finite\n");
        b.append("  centre      ").append(json.get("center_index")).append(" = ").append(json.get("center_value"))
                .append('\n');
        return b.toString();
    }

    private String shapeText() {
        int[] shape = new int[json.getAsJsonArray("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = json.getAsJsonArray("shape").get(i).getAsInt();
        }
        return Arrays.toString(shape).replace(", ", " x ").replace("[", "").replace("]", "");
    }

    private static void appendMatrix(StringBuilder b, String name, JsonElement m) {
        if (m.isJsonNull()) {
            b.append(String.format("  %-11s (code 0: not set)%n", name));
            return;
        }
        JsonArray rows = m.getAsJsonArray();
        for (int r = 0; r < 3; r++) {
            b.append(String.format("  %-11s", r == 0 ? name : ""));
            for (JsonElement v : rows.get(r).getAsJsonArray()) {
                b.append(String.format(Locale.ROOT, " %11.5f", v.getAsDouble()));
            }
            b.append('\n');
        }
    }
}
