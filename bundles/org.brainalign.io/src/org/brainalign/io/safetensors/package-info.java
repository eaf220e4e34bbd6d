/** The safetensors format: named tensors in one file, as model hubs ship weights. */
package org.brainalign.io.safetensors;
