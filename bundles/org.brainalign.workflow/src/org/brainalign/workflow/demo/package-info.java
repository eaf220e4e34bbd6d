/**
 * The built-in demo: a synthetic subject made entirely on this machine (stimuli, a small Vision Transformer with fixed
 * seeded weights, a brain grid with ROIs at plausible MNI positions and planted selections), written to disk in the
 * NSD layout and then taken through the normal pipeline: import, extraction, fit, analysis, charts and report.
 */
package org.brainalign.workflow.demo;
