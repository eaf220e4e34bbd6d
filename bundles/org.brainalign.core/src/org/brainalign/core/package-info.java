/** Geometry of volumes: affines (voxel to world) and volume grids. */
package org.brainalign.core;
