/**
 * Window > Preferences > BrainAlign: a field-editor page over the instance-scope store whose keys and defaults live
 * in {@code org.brainalign.core.BrainAlignPreferences}, so that the command line reads the same values.
 */
package org.brainalign.ui.preferences;
