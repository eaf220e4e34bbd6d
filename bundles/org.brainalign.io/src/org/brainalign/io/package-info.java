/** Files a run reads and writes: atomic writes, CSV and JSON, run folders. */
package org.brainalign.io;
