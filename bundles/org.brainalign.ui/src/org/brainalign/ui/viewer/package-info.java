/**
 * The volume viewer: an editor with axial, coronal and sagittal slice canvases and an overlay panel, drawing what
 * {@code org.brainalign.workflow.slices} computes.
 */
package org.brainalign.ui.viewer;
