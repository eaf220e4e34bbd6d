/**
 * Run folders: the files one fit leaves behind (run.json, the encoder, the voxel set, the selectors as arrays, NIfTI
 * maps, CSV tables, charts), and the analyses computed from them without the engine.
 */
package org.brainalign.io.run;
