/**
 * The slice viewer's logic without any widget: reorientation of a volume to world axes, slices in screen order,
 * windows and colormaps, overlays and their compositing, the crosshair and what it reads, and the viewport's zoom and
 * pan. Tested headless; the SWT editor in {@code org.brainalign.ui.viewer} only draws what these classes compute.
 */
package org.brainalign.ui.viewer.model;
