/** The deep-learning engine: DJL set up for OSGi, the compute device, and what runs on them. */
package org.brainalign.engine;
