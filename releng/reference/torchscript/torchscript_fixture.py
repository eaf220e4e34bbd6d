#!/usr/bin/env python3
"""Writes the TorchScript fixture of the io tests: a tiny Vision Transformer compiled with torch.jit.script and
saved with torch.jit.save (the container OpenAI's CLIP files use), and its parameters and buffers as an .npz
written by NumPy, the reference the Java reader's reading of the archive is compared with.

Run by hand on a machine with PyTorch and NumPy (made with Debian's python3-torch 1.13); the outputs are committed:

    python3 torchscript_fixture.py OUT_FOLDER

Weights come from a fixed seed, so re-running with the same PyTorch rewrites the same tensors.
"""

import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, width: int, heads: int):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 2 * width), nn.GELU(), nn.Linear(2 * width, width))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class TinyVisionTransformer(nn.Module):
    """CLIP's visual tower in miniature: 8 x 8 images, 4 x 4 patches, width 8, two blocks."""

    def __init__(self, width: int = 8, patch: int = 4, image: int = 8, layers: int = 2, heads: int = 2):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch, stride=patch, bias=False)
        self.class_embedding = nn.Parameter(torch.randn(width))
        self.positional_embedding = nn.Parameter(torch.randn((image // patch) ** 2 + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.transformer = nn.Sequential(*[Block(width, heads) for _ in range(layers)])
        self.ln_post = nn.LayerNorm(width)
        # a buffer as well as parameters, and a half-precision one, as CLIP's archives hold
        self.register_buffer("scale", torch.randn(width).half())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv1(x).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(x.shape[0], 1, -1)
        x = self.ln_pre(torch.cat([cls, x], dim=1) + self.positional_embedding)
        x = self.transformer(x.transpose(0, 1)).transpose(0, 1)
        return self.ln_post(x[:, 0]) * self.scale.float()


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(20261207)
    model = TinyVisionTransformer().eval()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.1 * torch.randn_like(p))
    scripted = torch.jit.script(model)
    torch.jit.save(scripted, str(out / "tiny_vit_scripted.pt"))
    state = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    np.savez(out / "tiny_vit_scripted_reference.npz", **state)
    print(f"{len(state)} tensors:", ", ".join(state))


if __name__ == "__main__":
    main()
