/** Frozen Vision Transformer backbones, built in DJL from safetensors checkpoints. */
package org.brainalign.engine.backbone;
