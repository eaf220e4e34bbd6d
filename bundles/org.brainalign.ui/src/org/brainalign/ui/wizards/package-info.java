/**
 * The import wizards (File > Import > BrainAlign: NIfTI volumes, an NSD subject, an Algonauts subject) and the new
 * BrainAlign project wizard. Pages check what is typed as it is typed; the work runs in the wizard's own progress
 * area through operations that tests can call directly.
 */
package org.brainalign.ui.wizards;
