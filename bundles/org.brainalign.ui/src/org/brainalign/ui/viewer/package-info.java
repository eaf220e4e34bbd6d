/**
 * The volume viewer: an editor with axial, coronal and sagittal slice canvases and an overlay panel, drawing what
 * {@code org.brainalign.ui.viewer.model} computes.
 */
package org.brainalign.ui.viewer;
