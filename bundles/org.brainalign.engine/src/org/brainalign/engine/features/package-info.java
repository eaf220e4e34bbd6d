/** Per-layer token features: extraction and the memory-mapped FeatureStore. */
package org.brainalign.engine.features;
