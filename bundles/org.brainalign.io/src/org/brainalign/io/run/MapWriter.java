package org.brainalign.io.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.brainalign.core.VolumeGrid;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.io.nifti.NiftiDataType;
import org.brainalign.io.nifti.NiftiHeader;
import org.brainalign.io.nifti.NiftiWriter;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.npy.NpyArray;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * Turns a run's selectors into map files: NIfTI images on the subject's grid for volume data, per-vertex arrays for
 * surface data. The run folder names the files ({@link RunFolder#mapFile(SelectorMap)}) and holds what places the
 * values; this class only lays the values out, so the folder's layout and the image encoding stay apart.
 */
public final class MapWriter {

    private MapWriter() {
    }

    /**
     * Writes every {@link SelectorMap} of the selectors: for volume data a NIfTI image in the subject's grid with its
     * sform and qform (float32 with NaN outside the voxel set; the preferred layer int16 1 .. L with 0 outside), for
     * surface data a per-vertex array in voxel order. Existing maps are replaced.
     *
     * @param run the run folder, which names the files and holds the voxel set and reference header
     * @param maps the selector maps of the run
     * @param monitor progress in maps; may be null
     * @return the files written
     * @throws IOException if writing fails
     */
    public static List<Path> write(RunFolder run, SelectorMaps maps, IProgressMonitor monitor) throws IOException {
        int voxelCount = run.voxelCount();
        VolumeGrid grid = run.grid().orElse(null);
        if (maps.voxelCount() != voxelCount) {
            throw new IllegalArgumentException("the selector maps hold " + maps.voxelCount() + " voxels, the run "
                    + voxelCount);
        }
        SelectorMap[] all = SelectorMap.values();
        SubMonitor sub = SubMonitor.convert(monitor, "Writing maps", all.length + 1);
        VoxelSet set = run.voxels();
        NiftiHeader reference = run.referenceHeader().orElse(null);
        sub.split(1);
        List<Path> written = new ArrayList<>();
        for (SelectorMap map : all) {
            sub.split(1);
            Path file = run.mapFile(map);
            if (reference == null) {
                if (map.isInteger()) {
                    int[] v = new int[voxelCount];
                    for (int n = 0; n < voxelCount; n++) {
                        v[n] = (int) map.value(maps, n);
                    }
                    Npy.write(file, NpyArray.ofInts(v, voxelCount));
                } else {
                    float[] v = new float[voxelCount];
                    for (int n = 0; n < voxelCount; n++) {
                        v[n] = (float) map.value(maps, n);
                    }
                    Npy.write(file, NpyArray.ofFloats(v, voxelCount));
                }
            } else {
                int[] shape = grid.shape();
                String description = "BrainAlign " + map.description();
                if (map.isInteger()) {
                    int[] v = new int[grid.voxelCount()];
                    for (int n = 0; n < voxelCount; n++) {
                        v[set.index(n)] = (int) map.value(maps, n);
                    }
                    NiftiWriter.write(file, NiftiHeader.derived(reference, shape, NiftiDataType.INT16)
                            .withDescription(description), v);
                } else {
                    float[] v = new float[grid.voxelCount()];
                    Arrays.fill(v, Float.NaN);
                    for (int n = 0; n < voxelCount; n++) {
                        v[set.index(n)] = (float) map.value(maps, n);
                    }
                    NiftiWriter.write(file, NiftiHeader.derived(reference, shape, NiftiDataType.FLOAT32)
                            .withDescription(description), v);
                }
            }
            written.add(file);
        }
        return written;
    }
}
