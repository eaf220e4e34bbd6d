/** Domain types for fMRI data: voxel sets, responses, regions of interest and atlases. */
package org.brainalign.core.data;
