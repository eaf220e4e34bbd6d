/** Per-voxel scores: R squared, Pearson r, noise-ceiling-normalised scores. */
package org.brainalign.core.metrics;
