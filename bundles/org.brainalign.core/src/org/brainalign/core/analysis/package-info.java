/** What fitted selectors are turned into: per-ROI summaries, brain-network alignment, drift between runs. */
package org.brainalign.core.analysis;
