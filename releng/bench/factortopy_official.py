"""The reference implementation's FactorTopy training step, timed at paper scale, for `fit-vs-official`.

Builds the reference's own FactorTopy (huzeyann/BrainDecodesDeepNets, brainnet/model.py, imported from a checkout
given with --reference, as releng/reference/factortopy/factortopy_fixtures.py does) at the shape of
`brainalign bench fit`: N voxels (default 37,984), batch 8, 12 layers of 768 channels, 8 x 8 token grids, bottleneck
128, its fixed selector width 128. One step is what the reference's Lightning loop does per batch on cached features:
zero the gradients, PLModel.training_step (forward, smooth L1 loss with beta 0.1, the selectors' regulariser), the
backward pass, and one step of the AdamW its configure_optimizers builds. Prints one JSON object with the step times;
with --compare, prints the comparison of such files with `brainalign bench fit --json`'s.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

LAYERS = 12
CHANNELS = 768
GRID = 8
BATCH = 8
SEED = 1


def blas_library():
    """The BLAS shared library this process has loaded, read from its memory map (Linux), or None."""
    try:
        with open("/proc/self/maps") as maps:
            names = {line.split()[-1] for line in maps if "blas" in line.lower() or "mkl" in line.lower()}
    except OSError:
        return None
    names = sorted(n for n in names if n.startswith("/"))
    return ", ".join(names) if names else None


def time_steps(args):
    import torch

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reference" / "factortopy"))
    from factortopy_fixtures import Harness, load_reference

    FactorTopy, PLModel, get_cfg_defaults = load_reference(args.reference)
    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    config = get_cfg_defaults()
    model = FactorTopy(n_vertices=args.voxels, layers=list(range(LAYERS)), layer_widths=[CHANNELS] * LAYERS,
                       bottleneck_dim=128)
    with torch.no_grad():
        # the last selector layers start at zero in the reference; random ones spread the voxels over the grid and
        # the layers, as after some training (bench fit does the same)
        for kind in ("space", "layer", "scale"):
            getattr(model, kind + "_selector_mlp")[5].weight.uniform_(-0.5, 0.5)
    # coordinates in a box of 80 x 100 x 80 mm, features and responses uniform in [-1, 1), as bench fit draws them
    coords = torch.rand(args.voxels, 3) * torch.tensor([80.0, 100.0, 80.0])
    local = {str(l): torch.rand(BATCH, CHANNELS, GRID, GRID) * 2 - 1 for l in range(LAYERS)}
    global_ = {str(l): torch.rand(BATCH, CHANNELS) * 2 - 1 for l in range(LAYERS)}
    targets = torch.rand(BATCH, args.voxels) * 2 - 1
    harness = Harness(PLModel, model, coords, config, global_step=0)
    optimizer = PLModel.configure_optimizers(harness)

    def step():
        optimizer.zero_grad()
        loss = PLModel.training_step(harness, ((local, global_), targets), 0)
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    seconds, cpu_seconds, losses = [], [], []
    for _ in range(args.steps):
        wall, cpu = time.perf_counter(), time.process_time()
        losses.append(step())
        seconds.append(time.perf_counter() - wall)
        cpu_seconds.append(time.process_time() - cpu)
    print(json.dumps({
        "implementation": "reference FactorTopy (PyTorch %s)" % torch.__version__,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        "voxels": args.voxels,
        "batch": BATCH,
        "layers": LAYERS,
        "channels": CHANNELS,
        "steps": args.steps,
        "step_seconds": seconds,
        "step_cpu_seconds": cpu_seconds,
        "median_step_ms": 1000 * statistics.median(seconds),
        "losses": losses,
        "blas": blas_library(),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
    }))


def compare(files):
    """Prints the reference's and BrainAlign's step times from alternating pairs of JSON files and the ratios."""
    pairs = []
    for theirs_file, ours_file in zip(files[0::2], files[1::2]):
        with open(theirs_file) as t, open(ours_file) as o:
            pairs.append((json.load(t), json.load(o)))
    print("%-5s %-40s %7s %7s %13s %13s" % ("round", "implementation", "threads", "voxels", "ms per step",
                                           "CPU ms/step"))
    for n, (theirs, ours) in enumerate(pairs, 1):
        print("%-5d %-40s %7d %7d %13.1f %13.1f" % (n, theirs["implementation"], theirs["threads"], theirs["voxels"],
                                                    theirs["median_step_ms"],
                                                    1000 * statistics.median(theirs["step_cpu_seconds"])))
        print("%-5d %-40s %7d %7d %13.1f %13.1f" % (n, "BrainAlign, %s" % ours["kernels"].split(" (")[0],
                                                    ours["threads"], ours["voxels"], ours["step_ms"],
                                                    ours["cpu_ms"]))
    print("BrainAlign's kernels: %s; its step against the floor measured in the same run: %s (goal 2.5)"
          % (pairs[0][1]["kernels"], ", ".join("%.2f" % o["floor_ratio"] for _, o in pairs)))
    ratios = [t["median_step_ms"] / o["step_ms"] for t, o in pairs]
    cpu_ratios = [1000 * statistics.median(t["step_cpu_seconds"]) / o["cpu_ms"] for t, o in pairs]
    rounds = " (medians of %d rounds)" % len(ratios) if len(ratios) > 1 else ""
    print("BrainAlign is %.1f times faster than the reference per step in wall time, %.1f times in CPU time%s"
          % (statistics.median(ratios), statistics.median(cpu_ratios), rounds))
    if len(ratios) > 1:
        print("per round, wall time: %s" % ", ".join("%.1f" % r for r in ratios))
    if any(t["threads"] != o["threads"] or t["voxels"] != o["voxels"] or t["batch"] != o["batch"]
           for t, o in pairs):
        print("warning: the two ran with different thread counts, voxel counts or batches")
    blas = pairs[0][0].get("blas") or ""
    if "openblas" not in blas.lower() and "mkl" not in blas.lower():
        print("warning: this PyTorch multiplies matrices with %s, not an optimised BLAS; for a fair baseline "
              "install one (Debian: apt-get install libopenblas0-pthread)" % (blas or "its built-in fallback"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", nargs="+", metavar="JSON",
                        help="print the comparison of alternating reference / BrainAlign result files instead")
    parser.add_argument("--reference", help="a checkout of BrainDecodesDeepNets (the folder holding brainnet/)")
    parser.add_argument("--threads", type=int, default=2, help="intra-op threads (torch.set_num_threads)")
    parser.add_argument("--voxels", type=int, default=37984, help="N, the voxels of the model")
    parser.add_argument("--steps", type=int, default=3, help="timed training steps after the warm-up")
    parser.add_argument("--warmup", type=int, default=1, help="untimed training steps first")
    args = parser.parse_args()
    if args.compare:
        compare(args.compare)
    elif not args.reference:
        parser.error("--reference is needed to time the reference's step")
    else:
        time_steps(args)


if __name__ == "__main__":
    main()
