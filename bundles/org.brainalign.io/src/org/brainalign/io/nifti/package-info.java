/** NIfTI-1 and NIfTI-2 volumes: headers, reading (also volume by volume), writing. */
package org.brainalign.io.nifti;
