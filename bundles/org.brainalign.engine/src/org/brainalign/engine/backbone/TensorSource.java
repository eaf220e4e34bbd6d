package org.brainalign.engine.backbone;

import org.brainalign.io.safetensors.FloatTensor;

/**
 * Where a {@link VisionTransformer} gets its weights: a family's translation from the canonical tensor names of
 * {@link TransformerSpec} ("patch.weight", "blocks.3.q.weight", ...) to its checkpoint's own names and layouts.
 * <p>
 * Canonical names and shapes (C channels, H MLP hidden width, P patch, R registers, G position grid side, d head
 * dimension): patch.weight (C, in, P, P), patch.bias (C), cls (C), registers (R, C), pos.cls (C), pos.grid (G, G, C),
 * prenorm.weight / .bias (C), and per block l: blocks.l.norm1.weight / .bias (C), blocks.l.{q,k,v}.weight (C, C) and
 * .bias (C), blocks.l.proj.weight (C, C) / .bias (C), blocks.l.ls1 (C), blocks.l.norm2.weight / .bias (C),
 * blocks.l.fc1.weight (H, C) or (2H, C) for SwiGLU / .bias, blocks.l.fc2.weight (C, H) / .bias (C), blocks.l.ls2 (C),
 * blocks.l.relh and blocks.l.relw (any length, d).
 */
@FunctionalInterface
public interface TensorSource {

    /**
     * Reads one canonical tensor, checking the checkpoint's stored shape against the expected one.
     *
     * @param name a canonical name
     * @param shape the canonical shape the spec implies; -1 marks a dimension the checkpoint decides
     * @return the tensor in the canonical layout
     * @throws CheckpointException naming the checkpoint tensor and file when it is missing or misshapen
     */
    FloatTensor tensor(String name, long... shape) throws CheckpointException;
}
