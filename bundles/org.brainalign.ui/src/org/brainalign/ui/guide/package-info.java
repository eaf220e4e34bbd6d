/**
 * The BrainAlign guide inside the product: a short user guide kept as a text file in the bundle and shown read-only
 * in a view (Help > BrainAlign Guide), since the Eclipse help system's UI is not part of the platform BrainAlign
 * runs on.
 */
package org.brainalign.ui.guide;
