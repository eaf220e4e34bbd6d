/**
 * PyTorch checkpoints as {@code torch.save} writes them (the zip container, the legacy pre-1.6 container and
 * TorchScript archives), read without running anything: the pickle inside is interpreted by a reader that knows only
 * the opcodes and functions needed to rebuild tensors and plain containers.
 */
package org.brainalign.io.torch;
