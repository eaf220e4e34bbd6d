/**
 * A run's figures on slices, without any widget: reorientation of a volume to world axes, slices in screen order,
 * windows and colormaps, overlays and their compositing, the crosshair and what it reads, the viewport's zoom and pan,
 * and how a run's maps are shown by default. No SWT: the workbench's slice viewer only draws what these classes
 * compute, and the benchmarks measure the same rendering headless ({@code brainalign bench slices}).
 */
package org.brainalign.workflow.slices;
