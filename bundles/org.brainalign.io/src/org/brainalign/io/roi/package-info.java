/** Regions of interest: label tables, atlases, named ROI definitions, masks. */
package org.brainalign.io.roi;
