/** Per-layer token features: extraction and the FeatureStore on disk, read back in batches. */
package org.brainalign.engine.features;
