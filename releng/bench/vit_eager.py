"""PyTorch eager baseline for `brainalign bench extract`.

Times a ViT-B/16-sized network with random weights (224 x 224 input, 16 x 16 patches, 12 blocks of width 768,
12 heads, MLP 3072, exact GELU, LayerNorm eps 1e-12 as Hugging Face's ViT) in plain PyTorch eager mode under
torch.inference_mode(), returning every block's hidden state as `output_hidden_states=True` does, and prints one
JSON object with the figures; with --compare, prints the comparison of such files with BrainAlign's. Needs only torch.
"""

import argparse
import json
import math
import os
import platform
import statistics
import time

import torch
from torch import nn
from torch.nn import functional as F


class Block(nn.Module):
    """One pre-norm encoder block laid out as Hugging Face's ViTLayer (separate query, key and value)."""

    def __init__(self, width, heads, hidden, eps):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(width, eps=eps)
        self.query = nn.Linear(width, width)
        self.key = nn.Linear(width, width)
        self.value = nn.Linear(width, width)
        self.out = nn.Linear(width, width)
        self.norm2 = nn.LayerNorm(width, eps=eps)
        self.fc1 = nn.Linear(width, hidden)
        self.fc2 = nn.Linear(hidden, width)

    def split(self, x):
        b, t, c = x.shape
        return x.view(b, t, self.heads, c // self.heads).permute(0, 2, 1, 3)

    def forward(self, x):
        b, t, c = x.shape
        h = self.norm1(x)
        q, k, v = self.split(self.query(h)), self.split(self.key(h)), self.split(self.value(h))
        # the eager attention of Hugging Face's ViT: explicit scores, softmax, weighted sum
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(c // self.heads)
        mixed = torch.matmul(scores.softmax(dim=-1), v)
        x = x + self.out(mixed.permute(0, 2, 1, 3).reshape(b, t, c))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class VisionTransformer(nn.Module):
    """Patch embedding, class token, learned positions and the blocks; returns every hidden state."""

    def __init__(self, size=224, patch=16, width=768, depth=12, heads=12, hidden=3072, eps=1e-12):
        super().__init__()
        grid = size // patch
        self.patch = nn.Conv2d(3, width, patch, stride=patch)
        self.cls = nn.Parameter(torch.randn(1, 1, width) * 0.02)
        self.positions = nn.Parameter(torch.randn(1, grid * grid + 1, width) * 0.02)
        self.blocks = nn.ModuleList(Block(width, heads, hidden, eps) for _ in range(depth))
        self.norm = nn.LayerNorm(width, eps=eps)

    def forward(self, pixels):
        x = self.patch(pixels).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.positions
        hidden = [x]
        for block in self.blocks:
            x = block(x)
            hidden.append(x)
        return self.norm(x), tuple(hidden)


def blas_library():
    """The BLAS shared library this process has loaded, read from its memory map (Linux), or None."""
    try:
        with open("/proc/self/maps") as maps:
            names = {line.split()[-1] for line in maps if "blas" in line.lower() or "mkl" in line.lower()}
    except OSError:
        return None
    names = sorted(n for n in names if n.startswith("/"))
    return ", ".join(names) if names else None


def gemm_gflops(repeats=10):
    """One linear layer, 1576 x 768 -> 3072 (x W^T + b), a ViT-B/16 MLP product at batch 8: the fastest of `repeats`,
    as `bench extract` times it."""
    x = torch.randn(1576, 768)
    w = torch.randn(3072, 768)
    b = torch.randn(3072)
    F.linear(x, w, b)
    fastest = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        F.linear(x, w, b)
        fastest = min(fastest, time.perf_counter() - start)
    return 2.0 * 1576 * 768 * 3072 / fastest / 1e9


def compare(files):
    """Prints PyTorch's and BrainAlign's figures from alternating pairs of JSON files and the ratios ours / PyTorch."""
    pairs = []
    for torch_file, ours_file in zip(files[0::2], files[1::2]):
        with open(torch_file) as t, open(ours_file) as o:
            pairs.append((json.load(t), json.load(o)))
    print("%-5s %-32s %7s %5s %9s %14s %12s" % ("round", "implementation", "threads", "batch", "images/s",
                                                 "fastest batch", "GEMM GFLOP/s"))
    for n, (theirs, ours) in enumerate(pairs, 1):
        for name, r in (("PyTorch %s eager" % theirs["torch"], theirs), ("BrainAlign, DJL %s" % ours["engine"], ours)):
            print("%-5d %-32s %7d %5d %9.2f %14.2f %12.1f" % (n, name, r["threads"], r["batch"],
                                                               r["images_per_second"], r["best_images_per_second"],
                                                               r["gemm_gflops"]))
    ratios = [o["images_per_second"] / t["images_per_second"] for t, o in pairs]
    best_ratios = [o["best_images_per_second"] / t["best_images_per_second"] for t, o in pairs]
    print("ratio ours / PyTorch: %.2f over all timed batches, %.2f between the fastest batches%s"
          % (statistics.median(ratios), statistics.median(best_ratios),
             " (medians of %d rounds)" % len(ratios) if len(ratios) > 1 else ""))
    if any(t["threads"] != o["threads"] or t["batch"] != o["batch"] for t, o in pairs):
        print("warning: the two ran with different thread counts or batches")
    blas = pairs[0][0].get("blas") or ""
    if "openblas" not in blas.lower() and "mkl" not in blas.lower():
        print("warning: this PyTorch multiplies matrices with %s, not an optimised BLAS; for a fair baseline "
              "install one (Debian: apt-get install libopenblas0-pthread)" % (blas or "its built-in fallback"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", nargs="+", metavar="JSON",
                        help="print the comparison of alternating PyTorch / BrainAlign result files instead")
    parser.add_argument("--threads", type=int, default=2, help="intra-op threads (torch.set_num_threads)")
    parser.add_argument("--batch", type=int, default=8, help="images per forward pass")
    parser.add_argument("--batches", type=int, default=3, help="timed forward passes after the warm-up")
    parser.add_argument("--warmup", type=int, default=2, help="untimed forward passes first (as many as BrainAlign)")
    args = parser.parse_args()
    if args.compare:
        compare(args.compare)
        return

    torch.set_num_threads(args.threads)
    torch.manual_seed(7)
    with torch.inference_mode():
        gemm = gemm_gflops()
        net = VisionTransformer().eval()
        pixels = torch.empty(args.batch, 3, 224, 224).uniform_(-2, 2)
        for _ in range(args.warmup):
            net(pixels)
        times = []
        for _ in range(args.batches):
            start = time.perf_counter()
            _, hidden = net(pixels)
            times.append(time.perf_counter() - start)
        assert len(hidden) == 13 and hidden[-1].shape == (args.batch, 197, 768)
    total = sum(times)
    print(json.dumps({
        "torch": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        "batch": args.batch,
        "batches": args.batches,
        "images_per_second": args.batches * args.batch / total,
        "best_images_per_second": args.batch / min(times),
        "seconds_per_batch": times,
        "gemm_gflops": gemm,
        "blas": blas_library(),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
    }))


if __name__ == "__main__":
    main()
