/** NumPy .npy and .npz arrays (never pickles). */
package org.brainalign.io.npy;
