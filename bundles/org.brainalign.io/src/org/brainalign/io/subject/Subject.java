package org.brainalign.io.subject;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.brainalign.core.VolumeGrid;
import org.brainalign.core.data.Responses;
import org.brainalign.core.data.Roi;
import org.brainalign.core.data.VoxelSet;

/**
 * A subject is one participant's data ready for fitting, whatever the layout it came from (NSD volume space,
 * Algonauts surface space): the responses (images x voxels), the voxel set the columns refer to (with world
 * coordinates N x 3), the ROIs over that voxel set, the image file of each response row, and for volume data the
 * grid, so that per-voxel results can be written back as NIfTI maps.
 */
public final class Subject {

    private final String id;
    private final Responses responses;
    private final VoxelSet voxels;
    private final List<Roi> rois;
    private final List<Path> imageFiles;

    /**
     * @param id the subject's id, e.g. "subj01"
     * @param responses images x voxels
     * @param voxels the voxels of the response columns
     * @param rois ROIs over the voxel set
     * @param imageFiles the image of each response row
     * @throws IllegalArgumentException if the counts disagree
     */
    public Subject(String id, Responses responses, VoxelSet voxels, List<Roi> rois, List<Path> imageFiles) {
        if (responses.voxelCount() != voxels.size()) {
            throw new IllegalArgumentException(
                    responses.voxelCount() + " response columns for " + voxels.size() + " voxels");
        }
        if (imageFiles.size() != responses.imageCount()) {
            throw new IllegalArgumentException(
                    imageFiles.size() + " image files for " + responses.imageCount() + " response rows");
        }
        this.id = id;
        this.responses = responses;
        this.voxels = voxels;
        this.rois = List.copyOf(rois);
        this.imageFiles = List.copyOf(imageFiles);
    }

    /** @return the subject's id */
    public String id() {
        return id;
    }

    /** @return the responses, images x voxels */
    public Responses responses() {
        return responses;
    }

    /** @return the voxel set of the response columns */
    public VoxelSet voxels() {
        return voxels;
    }

    /** @return the ROIs, in a stable order (the paper's groups first) */
    public List<Roi> rois() {
        return rois;
    }

    /**
     * @param name an ROI name
     * @return the ROI of that name, if the subject has it
     */
    public Optional<Roi> roi(String name) {
        return rois.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** @return the image file of each response row */
    public List<Path> imageFiles() {
        return imageFiles;
    }

    /** @return the volume grid for volume data, empty for surface data */
    public Optional<VolumeGrid> grid() {
        return voxels.grid();
    }

    @Override
    public String toString() {
        return "Subject[" + id + ", " + responses + ", " + rois.size() + " ROIs, " + voxels.space() + "]";
    }
}
