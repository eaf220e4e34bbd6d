/**
 * ROI views: one view per region of interest of the followed run (V1, EBA, FFA, PPA by default), with its voxel count,
 * preferred-layer histogram, mean depth, scale and scores, the heat map of where on the 8 x 8 image grid its voxels
 * read from (optionally over a stimulus), and the viewer's voxel highlighted in both.
 */
package org.brainalign.ui.roi;
