package org.brainalign.ui.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.brainalign.core.VolumeGrid;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.core.data.Roi;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.workflow.analysis.RunAnalysis;
import org.brainalign.io.run.RunFolder;

/**
 * A loaded run is a run folder ({@link RunFolder}) read for the workbench's views: its selectors, voxel set, saved
 * ROIs and its analysis over the default ROIs ({@link RunAnalysis#summarize}), read once and shared by every view.
 * The last few runs are kept, and read again when their run.json or selectors change.
 */
public final class LoadedRun {

    /** Runs kept in memory: a comparison of a handful of runs should not read any of them twice. */
    private static final int CACHED = 6;

    private static final Map<Path, LoadedRun> CACHE = new LinkedHashMap<>(16, 0.75f, true) {

        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, LoadedRun> eldest) {
            return size() > CACHED;
        }
    };

    private final RunFolder run;
    private final SelectorMaps maps;
    private final VoxelSet voxels;
    private final List<Roi> rois;
    private final SelectorSummary summary;
    private final List<FileTime> stamp;

    private LoadedRun(RunFolder run, SelectorMaps maps, VoxelSet voxels, List<Roi> rois, SelectorSummary summary,
            List<FileTime> stamp) {
        this.run = run;
        this.maps = maps;
        this.voxels = voxels;
        this.rois = List.copyOf(rois);
        this.summary = summary;
        this.stamp = stamp;
    }

    /**
     * Reads a run folder, or returns the copy read before if its files have not changed since.
     *
     * @param folder a run folder
     * @return the run
     * @throws IOException if it is not a run folder, has no selectors yet, or cannot be read (the message names the
     *         file)
     */
    public static LoadedRun read(Path folder) throws IOException {
        Path dir = folder.toAbsolutePath().normalize();
        List<FileTime> stamp = stamp(dir);
        synchronized (CACHE) {
            LoadedRun cached = CACHE.get(dir);
            if (cached != null && cached.stamp.equals(stamp)) {
                return cached;
            }
        }
        RunFolder run = RunFolder.open(dir);
        SelectorMaps maps = run.selectors();
        VoxelSet voxels = run.voxels();
        List<Roi> rois = run.rois();
        SelectorSummary summary = RunAnalysis.summarize(run, null, null);
        LoadedRun loaded = new LoadedRun(run, maps, voxels, rois, summary, stamp);
        synchronized (CACHE) {
            CACHE.put(dir, loaded);
        }
        return loaded;
    }

    private static List<FileTime> stamp(Path dir) {
        FileTime none = FileTime.fromMillis(0);
        FileTime json = none;
        FileTime selectors = none;
        try {
            json = Files.getLastModifiedTime(dir.resolve(RunFolder.RUN_JSON));
            selectors = Files.getLastModifiedTime(dir.resolve(RunFolder.SELECTORS));
        } catch (IOException e) {
            // a missing file makes the stamp differ from any cached one, and read() then says what is missing
        }
        return List.of(json, selectors);
    }

    /** @return the run folder */
    public RunFolder run() {
        return run;
    }

    /** @return the folder */
    public Path folder() {
        return run.folder();
    }

    /** @return the run's name */
    public String label() {
        return run.label();
    }

    /** @return the fitted selectors, one row per voxel */
    public SelectorMaps maps() {
        return maps;
    }

    /** @return the voxel set fitted */
    public VoxelSet voxels() {
        return voxels;
    }

    /** @return every ROI saved with the run, in saved order */
    public List<Roi> rois() {
        return rois;
    }

    /** @return the analysis over the default ROIs */
    public SelectorSummary summary() {
        return summary;
    }

    /**
     * Finds a saved ROI by name, directly or through the aliases analysis knows (V4 for hV4).
     *
     * @param name an ROI name
     * @return the ROI, if the run has it
     */
    public Optional<Roi> roi(String name) {
        for (Roi r : rois) {
            if (r.name().equals(name)) {
                return Optional.of(r);
            }
        }
        List<Roi> chosen = SelectorSummary.choose(rois, List.of(name));
        return chosen.isEmpty() ? Optional.empty() : Optional.of(chosen.get(0));
    }

    /**
     * The voxel of the run at a world position: the nearest voxel of the run's grid, if it was fitted.
     *
     * @param world a position (RAS+, mm)
     * @return its position in the voxel set, or -1 when it lies outside the grid or the voxel set (and always for
     *         surface runs)
     */
    public int positionAt(double[] world) {
        Optional<VolumeGrid> grid = voxels.grid();
        if (grid.isEmpty()) {
            return -1;
        }
        double[] v = grid.get().affine().worldToVoxel(world[0], world[1], world[2]);
        int i = (int) Math.round(v[0]);
        int j = (int) Math.round(v[1]);
        int k = (int) Math.round(v[2]);
        if (!grid.get().contains(i, j, k)) {
            return -1;
        }
        return voxels.positionOf(grid.get().index(i, j, k));
    }

    /**
     * @param position a voxel's position in the voxel set
     * @return its indices (i, j, k) in the run's grid, or empty for surface runs
     */
    public Optional<int[]> voxelOf(int position) {
        return voxels.grid().map(g -> g.ijk(voxels.index(position)));
    }

    @Override
    public String toString() {
        return "LoadedRun[" + run.label() + ", " + run.folder() + "]";
    }
}
