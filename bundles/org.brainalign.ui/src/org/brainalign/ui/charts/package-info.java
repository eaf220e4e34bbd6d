/**
 * Chart views: the layer preference per ROI, the alignment fit, the fine-tuning drift between two runs, the model
 * comparison and the training curve, drawn by {@code org.brainalign.charts} for the followed runs and shown through
 * JFreeChart's SWT composite, each exportable as PNG, SVG or CSV.
 */
package org.brainalign.ui.charts;
