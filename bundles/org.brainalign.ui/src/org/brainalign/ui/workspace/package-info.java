/**
 * BrainAlign in the workspace: the project nature and folder layout (subjects/, features/, runs/), run folders, and
 * how the Project Explorer shows and opens NIfTI files, subjects and runs (icons, label decorations, double-click).
 */
package org.brainalign.ui.workspace;
