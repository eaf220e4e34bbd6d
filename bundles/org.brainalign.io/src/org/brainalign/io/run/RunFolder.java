package org.brainalign.io.run;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.data.Roi;
import org.brainalign.core.data.RoiDefinition;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.io.AtomicFile;
import org.brainalign.io.DataFormatException;
import org.brainalign.io.OutputTarget;
import org.brainalign.io.TextFile;
import org.brainalign.io.nifti.NiftiDataType;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.io.nifti.NiftiWriter;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.npy.NpyArray;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * A run folder holds everything one fit produced, in format {@value #FORMAT}: run.json (what made the run), the
 * encoder (encoder.safetensors, written by the engine), the voxel set (voxels/), the fitted selectors as plain arrays
 * (selectors/), and what analysis derives from them: maps (maps/), tables (tables/) and charts (charts/). Analysis
 * needs only the arrays, never the engine. A run folder is never overwritten by another run: creating a run refuses
 * a folder that holds another run or anything else. Every file is written under a temporary name and renamed when
 * complete; the voxel set and the selectors are written as whole folders, renamed into place at once. The layout is
 * described file by file in docs/run-folder.md; {@link MapWriter} fills maps/.
 */
public final class RunFolder {

    /** The format this version writes and reads. */
    public static final String FORMAT = "brainalign-run/1";

    /** The run description. */
    public static final String RUN_JSON = "run.json";

    /** The fitted encoder, in the reference implementation's parameter names. */
    public static final String ENCODER = "encoder.safetensors";
    /** The trainer's checkpoint, from which an interrupted fit resumes. */
    public static final String CHECKPOINT = "checkpoint.safetensors";
    /** The training curve: loss per epoch, written by the trainer after every epoch. */
    public static final String TRAINING_CURVE = "training-curve.csv";

    /** The folder of the voxel set: coordinates.npy, indices.npy, mask.nii.gz (volumes), rois.json. */
    public static final String VOXELS = "voxels";

    /** The folder of the selector arrays: layer_weights.npy, x.npy, y.npy, scale.npy, r2.npy, r.npy. */
    public static final String SELECTORS = "selectors";

    /** The folder of the maps. */
    public static final String MAPS = "maps";

    /** The folder of the CSV tables. */
    public static final String TABLES = "tables";

    /** The folder of the charts. */
    public static final String CHARTS = "charts";

    private static final String FORMAT_PREFIX = "brainalign-run/";
    private static final String COORDINATES = "coordinates.npy";
    private static final String INDICES = "indices.npy";
    private static final String MASK = "mask.nii.gz";
    private static final String ROIS = "rois.json";
    private static final String LAYER_WEIGHTS = "layer_weights.npy";
    private static final String[] SCALARS = { "x.npy", "y.npy", "scale.npy", "r2.npy", "r.npy" };

    /**
     * How far stored float32 coordinates may lie from those the grid gives: float32 keeps about 7 digits, so a
     * coordinate of a few hundred mm is stored within 3e-5 mm; 1e-3 mm allows that and catches any real mismatch.
     */
    private static final double COORDINATE_TOLERANCE = 1e-3;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls()
            .create();

    private final Path folder;
    private final String space;
    private final int voxelCount;
    private final VolumeGrid grid;
    private RunInfo info;
    private VoxelSet voxels;

    private RunFolder(Path folder, RunInfo info, String space, int voxelCount, VolumeGrid grid) {
        this.folder = folder;
        this.info = info;
        this.space = space;
        this.voxelCount = voxelCount;
        this.grid = grid;
    }

    // ------------------------------------------------------------------ creating and opening

    /**
     * Creates a run folder for a new fit: writes run.json and the voxel set. The engine then writes the encoder to
     * {@link #encoderFile()} and the selectors with {@link #writeSelectors}.
     *
     * @param folder a folder that does not exist yet, or is empty, or holds this same run (same id)
     * @param info the run's description
     * @param voxels the voxel set fitted
     * @param source the NIfTI header of the subject's data, whose geometry (sform and qform with their codes) the
     *        maps will carry; null to write maps with the grid's affine as both sform and qform; ignored for
     *        surface data
     * @return the run folder
     * @throws RunFolderException if the folder holds another run or other files
     * @throws IOException if writing fails
     */
    public static RunFolder create(Path folder, RunInfo info, VoxelSet voxels, NiftiHeader source)
            throws IOException {
        Path dir = folder.toAbsolutePath().normalize();
        checkFree(dir, info);
        VolumeGrid grid = voxels.grid().orElse(null);
        if (grid != null && source != null && !source.grid().sameSpace(grid, 1e-4)) {
            throw new IllegalArgumentException("the source header's grid " + source.grid()
                    + " is not the voxel set's grid " + grid);
        }
        Files.createDirectories(dir);
        RunFolder run = new RunFolder(dir, info, voxels.space(), voxels.size(), grid);
        run.writeRunJson();
        writeFolder(dir.resolve(VOXELS), tmp -> {
            float[] xyz = new float[3 * voxels.size()];
            for (int n = 0; n < voxels.size(); n++) {
                double[] c = voxels.coordinate(n);
                for (int a = 0; a < 3; a++) {
                    xyz[3 * n + a] = (float) c[a];
                }
            }
            Npy.write(tmp.resolve(COORDINATES), NpyArray.ofFloats(xyz, voxels.size(), 3));
            Npy.write(tmp.resolve(INDICES), NpyArray.ofInts(voxels.indices(), voxels.size()));
            if (grid != null) {
                NiftiHeader h = source == null
                        ? NiftiHeader.forGrid(grid, NiftiDataType.UINT8, 1)
                        : NiftiHeader.derived(source, grid.shape(), NiftiDataType.UINT8);
                int[] mask = new int[grid.voxelCount()];
                for (int index : voxels.indices()) {
                    mask[index] = 1;
                }
                NiftiWriter.write(tmp.resolve(MASK), h.withDescription("BrainAlign voxel set"), mask);
            }
        });
        run.voxels = voxels;
        return run;
    }

    private static void checkFree(Path dir, RunInfo info) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new RunFolderException("Cannot create a run in " + dir + ": it is a file, not a folder");
        }
        if (Files.exists(dir.resolve(RUN_JSON))) {
            RunInfo existing = null;
            try {
                existing = open(dir).info();
            } catch (RunFolderException e) {
                // an unreadable run.json still belongs to someone: refuse all the same
            }
            if (existing != null && existing.id().equals(info.id())) {
                throw new RunFolderException("Folder " + dir + " already holds this run ('" + info.label()
                        + "'): open it instead of creating it again");
            }
            String other = existing == null
                    ? "another run's " + RUN_JSON
                    : "the run '" + existing.label() + "' (created " + existing.created() + ")";
            throw new RunFolderException("Folder " + dir + " already holds " + other
                    + "; BrainAlign never overwrites a run: give the new run a folder of its own");
        }
        if (!OutputTarget.isEmptyFolder(dir)) {
            throw new RunFolderException("Cannot create a run in " + dir
                    + ": the folder is not empty and holds no run; use a new or empty folder");
        }
    }

    /**
     * Opens an existing run folder.
     *
     * @param folder the folder
     * @return the run folder
     * @throws RunFolderException if it is not a run folder of format {@value #FORMAT} (the message says why)
     * @throws IOException if reading fails
     */
    public static RunFolder open(Path folder) throws IOException {
        Path dir = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new RunFolderException("Run folder " + dir + (Files.exists(dir)
                    ? " is a file, not a folder"
                    : " does not exist"));
        }
        Path json = dir.resolve(RUN_JSON);
        if (!Files.isRegularFile(json)) {
            throw new RunFolderException("Folder " + dir + " is not a BrainAlign run folder: it has no " + RUN_JSON);
        }
        JsonElement root;
        try {
            root = TextFile.parseJson(TextFile.utf8(json), json);
        } catch (DataFormatException e) {
            throw new RunFolderException(e.getMessage(), e);
        }
        if (!root.isJsonObject()) {
            throw new RunFolderException("File " + json + " is not a BrainAlign run description (not a JSON object)");
        }
        Map<String, Object> m = JsonValues.toMap(root.getAsJsonObject());
        Object format = m.get("format");
        if (!(format instanceof String f)) {
            throw new RunFolderException("Folder " + dir + " holds a " + RUN_JSON
                    + " without a format field, so it was not written by BrainAlign (this version reads " + FORMAT
                    + ")");
        }
        if (!f.equals(FORMAT)) {
            String kind = f.startsWith(FORMAT_PREFIX) ? "a BrainAlign run of format " + f : "a run of format " + f;
            String advice = f.startsWith(FORMAT_PREFIX)
                    ? "; open it with the version that wrote it, or fit the run again"
                    : "";
            throw new RunFolderException("Folder " + dir + " holds " + kind
                    + ", which this BrainAlign cannot read: it reads only " + FORMAT + advice);
        }
        String where = "File " + json;
        RunInfo info = RunInfo.fromJsonMap(m, where);
        Object v = m.get("voxels");
        if (!(v instanceof Map<?, ?> voxels)) {
            throw new RunFolderException(where + " has no 'voxels' description");
        }
        try {
            String space = (String) voxels.get("space");
            int count = ((Number) voxels.get("count")).intValue();
            VolumeGrid grid = null;
            if (voxels.get("grid") instanceof Map<?, ?> g) {
                List<?> shape = (List<?>) g.get("shape");
                List<?> rows = (List<?>) g.get("affine");
                int[] s = new int[shape.size()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = ((Number) shape.get(i)).intValue();
                }
                double[][] a = new double[rows.size()][];
                for (int r = 0; r < a.length; r++) {
                    List<?> row = (List<?>) rows.get(r);
                    a[r] = row.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
                }
                grid = new VolumeGrid(s, Affine.of(a));
            }
            if (space == null || count < 0) {
                throw new IllegalArgumentException("the voxel space or count is missing");
            }
            return new RunFolder(dir, info, space, count, grid);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new RunFolderException(where + " has a damaged 'voxels' description (" + e.getMessage() + ")", e);
        }
    }

    // ------------------------------------------------------------------ run.json

    /** @return the folder */
    public Path folder() {
        return folder;
    }

    /** @return the run's description */
    public synchronized RunInfo info() {
        return info;
    }

    /** @return the run's label, for tables and legends */
    public String label() {
        return info().label();
    }

    /**
     * Replaces the run's description, e.g. to add metrics and timings after fitting; the id cannot change.
     *
     * @param newInfo the new description
     * @throws IOException if writing run.json fails
     */
    public synchronized void updateInfo(RunInfo newInfo) throws IOException {
        if (!newInfo.id().equals(info.id())) {
            throw new IllegalArgumentException("a run's id cannot change (" + info.id() + " -> " + newInfo.id() + ")");
        }
        RunInfo old = info;
        info = newInfo;
        try {
            writeRunJson();
        } catch (IOException | RuntimeException e) {
            info = old;
            throw e;
        }
    }

    private void writeRunJson() throws IOException {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.putAll(info.toJsonMap());
        LinkedHashMap<String, Object> v = new LinkedHashMap<>();
        v.put("space", space);
        v.put("count", voxelCount);
        if (grid != null) {
            LinkedHashMap<String, Object> g = new LinkedHashMap<>();
            g.put("shape", grid.shape());
            List<Object> rows = new ArrayList<>();
            for (double[] row : grid.affine().toRows()) {
                rows.add(row);
            }
            g.put("affine", rows);
            g.put("orientation", grid.orientation());
            v.put("grid", g);
        }
        m.put("voxels", v);
        JsonObject root = JsonValues.toJson(m).getAsJsonObject();
        AtomicFile.write(folder.resolve(RUN_JSON), out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            GSON.toJson(root, w);
            w.write('\n');
            w.flush();
        });
    }

    // ------------------------------------------------------------------ voxels

    /** @return N, the number of voxels fitted */
    public int voxelCount() {
        return voxelCount;
    }

    /** @return "volume", or the surface space of vertex data */
    public String space() {
        return space;
    }

    /** @return the reference grid of volume data, empty for surface data */
    public Optional<VolumeGrid> grid() {
        return Optional.ofNullable(grid);
    }

    /**
     * Reads the voxel set.
     *
     * @return the voxel set, with the grid of run.json for volume data
     * @throws RunFolderException if a voxel file is missing or disagrees with run.json
     * @throws IOException if reading fails
     */
    public synchronized VoxelSet voxels() throws IOException {
        if (voxels != null) {
            return voxels;
        }
        Path dir = folder.resolve(VOXELS);
        Path indexFile = existing(dir.resolve(INDICES));
        NpyArray idx = Npy.read(indexFile);
        checkShape(indexFile, idx, voxelCount);
        int[] indices;
        try {
            indices = idx.toIntArray();
        } catch (IllegalStateException e) {
            throw DataFormatException.of(indexFile, "does not hold whole voxel indices (" + e.getMessage() + ")", e);
        }
        Path coordinateFile = existing(dir.resolve(COORDINATES));
        NpyArray xyz = Npy.read(coordinateFile);
        checkShape(coordinateFile, xyz, voxelCount, 3);
        double[] c = xyz.toDoubleArray();
        VoxelSet set;
        try {
            if (grid != null) {
                set = VoxelSet.ofVolume(grid, indices);
                for (int n = 0; n < voxelCount; n++) {
                    double[] w = set.coordinate(n);
                    for (int a = 0; a < 3; a++) {
                        if (!(Math.abs(w[a] - c[3 * n + a]) <= COORDINATE_TOLERANCE)) {
                            throw DataFormatException.of(coordinateFile, "gives voxel " + n + " the coordinates "
                                    + Arrays.toString(Arrays.copyOfRange(c, 3 * n, 3 * n + 3))
                                    + ", but the run's grid puts it at " + Arrays.toString(w));
                        }
                    }
                }
            } else {
                double[][] rows = new double[voxelCount][];
                for (int n = 0; n < voxelCount; n++) {
                    rows[n] = Arrays.copyOfRange(c, 3 * n, 3 * n + 3);
                }
                set = VoxelSet.ofSurface(space, indices, rows);
            }
        } catch (IllegalArgumentException e) {
            throw DataFormatException.of(indexFile, "does not hold a valid voxel set (" + e.getMessage() + ")", e);
        }
        voxels = set;
        return set;
    }

    /**
     * The header the maps are derived from: that of voxels/mask.nii.gz, which carries the subject's sform and qform.
     *
     * @return the header, or empty for surface data
     * @throws IOException if the mask is missing or unreadable
     */
    public Optional<NiftiHeader> referenceHeader() throws IOException {
        if (grid == null) {
            return Optional.empty();
        }
        Path mask = existing(folder.resolve(VOXELS).resolve(MASK));
        NiftiHeader h = NiftiImage.read(mask).header();
        // NIfTI stores the affine in float32: 1e-4 mm absorbs that rounding
        if (!h.grid().sameSpace(grid, 1e-4)) {
            throw DataFormatException.of(mask, "lies on the grid " + h.grid() + ", but " + RUN_JSON + " describes "
                    + grid);
        }
        return Optional.of(h);
    }

    /**
     * Saves the ROIs of the voxel set (voxels/rois.json), so that analysis needs no atlas file.
     *
     * @param rois ROIs over this run's voxel set
     * @param definitions where the ROIs came from (matched by name; may be empty)
     * @throws IOException if writing fails
     */
    public void writeRois(List<Roi> rois, List<RoiDefinition> definitions) throws IOException {
        List<Object> items = new ArrayList<>();
        for (Roi roi : rois) {
            int[] members = roi.members();
            if (members.length > 0 && members[members.length - 1] >= voxelCount) {
                throw new IllegalArgumentException("ROI " + roi.name() + " has member " + members[members.length - 1]
                        + " but the run has " + voxelCount + " voxels");
            }
            LinkedHashMap<String, Object> o = new LinkedHashMap<>();
            o.put("name", roi.name());
            for (RoiDefinition d : definitions) {
                if (d.name().equals(roi.name())) {
                    o.put("atlas", d.atlas());
                    o.put("labels", d.labels());
                }
            }
            o.put("members", members);
            items.add(o);
        }
        JsonElement root = JsonValues.toJson(Map.of("rois", items));
        AtomicFile.write(folder.resolve(VOXELS).resolve(ROIS), out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            new Gson().toJson(root, w);
            w.write('\n');
            w.flush();
        });
    }

    /**
     * Reads the ROIs saved with the run.
     *
     * @return the ROIs in saved order; empty if none were saved
     * @throws RunFolderException if voxels/rois.json is damaged
     * @throws IOException if reading fails
     */
    @SuppressWarnings("unchecked")
    public List<Roi> rois() throws IOException {
        Path file = folder.resolve(VOXELS).resolve(ROIS);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Map<String, Object> m = JsonValues.toMap(JsonParser.parseReader(r).getAsJsonObject());
            List<Roi> rois = new ArrayList<>();
            for (Object o : (List<Object>) m.get("rois")) {
                Map<String, Object> item = (Map<String, Object>) o;
                List<Object> members = (List<Object>) item.get("members");
                int[] p = members.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
                Roi roi = new Roi((String) item.get("name"), p);
                if (roi.size() > 0 && roi.members()[roi.size() - 1] >= voxelCount) {
                    throw new IllegalArgumentException("ROI " + roi.name() + " names voxel "
                            + roi.members()[roi.size() - 1] + " of a run of " + voxelCount);
                }
                rois.add(roi);
            }
            return rois;
        } catch (JsonParseException | IllegalStateException | ClassCastException | NullPointerException
                | IllegalArgumentException e) {
            throw new RunFolderException("File " + file + " does not hold the run's ROIs (" + e.getMessage() + ")", e);
        }
    }

    // ------------------------------------------------------------------ encoder and selectors

    /** @return where the engine writes and reads the fitted encoder */
    public Path encoderFile() {
        return folder.resolve(ENCODER);
    }

    /** @return where the engine keeps the trainer's checkpoint, {@value #CHECKPOINT} */
    public Path checkpointFile() {
        return folder.resolve(CHECKPOINT);
    }

    /** @return the training curve, {@value #TRAINING_CURVE} */
    public Path trainingCurveFile() {
        return folder.resolve(TRAINING_CURVE);
    }

    /** @return whether the encoder has been written */
    public boolean hasEncoder() {
        return Files.isRegularFile(encoderFile());
    }

    /** @return whether the selectors have been written */
    public boolean hasSelectors() {
        return Files.isDirectory(folder.resolve(SELECTORS));
    }

    /**
     * Writes the fitted selectors as arrays (selectors/layer_weights.npy N x L, and x, y, scale, r2, r of N, all
     * float32); the folder appears whole or not at all. Selectors are written once per run.
     *
     * @param maps the selector maps, one row per voxel of this run
     * @throws RunFolderException if the run already has selectors
     * @throws IOException if writing fails
     */
    public void writeSelectors(SelectorMaps maps) throws IOException {
        if (maps.voxelCount() != voxelCount) {
            throw new IllegalArgumentException("the selector maps hold " + maps.voxelCount() + " voxels, the run "
                    + voxelCount);
        }
        Path target = folder.resolve(SELECTORS);
        if (Files.exists(target)) {
            throw new RunFolderException("Run folder " + folder + " already holds selectors; a run's results are"
                    + " written once: fit into a new folder");
        }
        writeFolder(target, tmp -> {
            Npy.write(tmp.resolve(LAYER_WEIGHTS),
                    NpyArray.ofFloats(maps.layerWeightRows(), maps.voxelCount(), maps.layerCount()));
            float[][] scalars = { maps.xs(), maps.ys(), maps.scales(), maps.r2s(), maps.pearsons() };
            for (int i = 0; i < SCALARS.length; i++) {
                Npy.write(tmp.resolve(SCALARS[i]), NpyArray.ofFloats(scalars[i], maps.voxelCount()));
            }
        });
    }

    /**
     * Reads the fitted selectors.
     *
     * @return the selector maps
     * @throws RunFolderException if the selectors are missing, of the wrong shape, or not what a fit produces
     * @throws IOException if reading fails
     */
    public SelectorMaps selectors() throws IOException {
        Path dir = folder.resolve(SELECTORS);
        if (!Files.isDirectory(dir)) {
            throw new RunFolderException("Run folder " + folder + " has no selectors yet: the fit has not finished"
                    + " (or failed)");
        }
        Path pFile = existing(dir.resolve(LAYER_WEIGHTS));
        NpyArray p = Npy.read(pFile);
        if (p.shape().length != 2 || p.shape()[0] != voxelCount || !p.type().isFloat()) {
            throw DataFormatException.of(pFile, "holds an array of shape " + Arrays.toString(p.shape()) + " ("
                    + p.descr() + "), but the run needs the layer weights of its " + voxelCount
                    + " voxels as floats, N x L");
        }
        float[][] s = new float[SCALARS.length][];
        for (int i = 0; i < SCALARS.length; i++) {
            Path f = existing(dir.resolve(SCALARS[i]));
            NpyArray a = Npy.read(f);
            checkShape(f, a, voxelCount);
            if (!a.type().isFloat()) {
                throw DataFormatException.of(f, "holds " + a.descr() + " values, but the run needs floats");
            }
            s[i] = a.toFloatArray();
        }
        try {
            return SelectorMaps.ofRows(p.shape()[1], p.toFloatArray(), s[0], s[1], s[2], s[3], s[4]);
        } catch (IllegalArgumentException e) {
            throw new RunFolderException("The selectors in " + dir + " are not those of a fit: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ maps, tables, charts

    /**
     * @param map a selector map
     * @return its file: maps/NAME.nii.gz for volume data, maps/NAME.npy for surface data
     */
    public Path mapFile(SelectorMap map) {
        return folder.resolve(MAPS).resolve(map.stem() + (grid != null ? ".nii.gz" : ".npy"));
    }

    /**
     * Writes a table as tables/NAME.csv, replacing an older one.
     *
     * @param table the table
     * @return the file written
     * @throws IOException if writing fails
     */
    public Path writeTable(Table table) throws IOException {
        Path file = tableFile(table.name());
        table.writeCsv(file);
        return file;
    }

    /**
     * @param name a table's name
     * @return its file, tables/NAME.csv
     */
    public Path tableFile(String name) {
        return folder.resolve(TABLES).resolve(checkedName(name + ".csv"));
    }

    /**
     * @param fileName a chart's plain file name, e.g. alignment.svg
     * @return its file, charts/NAME; the figure writer of the workflow fills it
     * @throws IllegalArgumentException if the name is not a plain file name
     */
    public Path chartFile(String fileName) {
        return folder.resolve(CHARTS).resolve(checkedName(fileName));
    }

    /**
     * @return the files in charts/ (hidden and temporary files aside), by file name
     * @throws IOException if the folder cannot be listed
     */
    public List<Path> charts() throws IOException {
        Path dir = folder.resolve(CHARTS);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    private static String checkedName(String fileName) {
        if (fileName.isBlank() || fileName.startsWith(".") || fileName.contains("/") || fileName.contains("\\")) {
            throw new IllegalArgumentException("'" + fileName + "' is not a plain file name");
        }
        return fileName;
    }

    // ------------------------------------------------------------------ helpers

    private static Path existing(Path file) throws RunFolderException {
        if (!Files.isRegularFile(file)) {
            throw new RunFolderException("File " + file + " is missing: the run folder is incomplete");
        }
        return file;
    }

    private static void checkShape(Path file, NpyArray a, int... shape) throws DataFormatException {
        if (!Arrays.equals(a.shape(), shape)) {
            throw DataFormatException.of(file, "holds an array of shape " + Arrays.toString(a.shape())
                    + ", but the run needs " + Arrays.toString(shape));
        }
    }

    /** Writes the files of a folder. */
    @FunctionalInterface
    private interface FolderContent {

        void writeInto(Path temporary) throws IOException;
    }

    /**
     * Writes a whole folder under a temporary name beside it, then renames it into place, so that a reader finds
     * either all of its files or none.
     */
    private static void writeFolder(Path target, FolderContent content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".part-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
        Files.createDirectories(tmp);
        boolean done = false;
        try {
            content.writeInto(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            done = true;
        } finally {
            if (!done) {
                deleteTree(tmp);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public String toString() {
        return "RunFolder[" + info().label() + ", " + folder + "]";
    }
}
