/**
 * The run the workbench follows: run folders read once for every view ({@link org.brainalign.ui.runs.LoadedRun}) and
 * the per-window {@link org.brainalign.ui.runs.RunContext} that turns selections (a run folder in the Project
 * Explorer, a map or a voxel in the viewer, Compare with...) into the run, voxel, comparison and drift the ROI and
 * chart views show.
 */
package org.brainalign.ui.runs;
