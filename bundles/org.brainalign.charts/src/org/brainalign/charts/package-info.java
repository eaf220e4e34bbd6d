/**
 * Charts of BrainAlign results, built with JFreeChart and rendered headless to PNG and SVG bytes. Callers write the
 * bytes (atomically) where they belong; the workbench shows the same chart objects live.
 */
package org.brainalign.charts;
