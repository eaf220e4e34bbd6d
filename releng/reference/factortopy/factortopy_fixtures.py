#!/usr/bin/env python3
"""Runs the reference FactorTopy implementation (huzeyann/BrainDecodesDeepNets) beside BrainAlign.

The reference's own modules are imported from the folder given with --reference (a checkout of that repository:
the folder that holds brainnet/); nothing of it is copied here. Commands:

  generate     build a small reference model from a fixed seed, run its forward pass, its training loss (through the
               reference's own PLModel.training_step and configure_optimizers), one backward pass and one AdamW step,
               in float32 and float64, and write the fixtures the engine tests read
  check-ours   load a checkpoint written by BrainAlign's FittedEncoder into the reference model with a strict
               load_state_dict, and compare the reference's predictions with the fixture's (or with BrainAlign's
               `predict` output)
  convert      turn a reference state_dict saved by torch.save (.pth) into a safetensors file BrainAlign loads

Only the reference's model code and the few lines of its training module that set the loss and the optimizer run.
PLModel's module also imports packages that code never touches (pytorch_lightning, torchmetrics, pycortex,
matplotlib, nilearn, the data set and ROI tables); those imports are replaced by empty stand-ins, and yacs's CfgNode
by a small attribute dictionary, so that the reference's configuration file gives its real defaults. einops, which
the model itself uses, must be installed (pip install einops).

Everything is drawn from fixed seeds and written with fixed timestamps and one thread: rerunning with the same torch
rewrites the same bytes.
"""

import argparse
import copy
import json
import re
import struct
import sys
import types
import zipfile
from pathlib import Path

import numpy as np
import torch

# The fixture's size: tiny, but every part of the model is exercised (several layers, a bottleneck narrower than the
# 128 default so D is read from the file, voxels whose sampling position falls off the grid's border).
SEED = 20240607
LAYERS = 3
CHANNELS = 8
BOTTLENECK = 32
VOXELS = 50
BATCH = 4
GRID = 8
# Spread of the perturbed last selector layers (zero at the reference's initialisation): large enough that positions
# reach the border cells and layer weights and scales differ between voxels.
LAST_LAYER_SPREAD = {"space": 2.0, "layer": 2.0, "scale": 2.0}
# The Lightning global_step of the training step: 0 is the first step, when the regulariser has its full weight.
GLOBAL_STEP = 0
# What the fixture keeps, to stay small (the six 128-wide selector matrices are 96% of the model): gradients of
# these tensors (None: all rows; a number: the first rows), the updated values and float32 gradients of a few of them
# for the optimizer step, and the positional encoding of the first voxels.
GRADIENT_ROWS = {"weight": 10}
SELECTOR_MATRIX_ROWS = 2
OPTIMIZER_TENSORS = ("local_token_bottleneck.0.weight", "space_selector_mlp.5.weight", "layer_selector_mlp.5.weight",
                     "scale_selector_mlp.5.weight", "weight", "bias")
ENCODING_ROWS = 10


def selected_rows(names):
    rows = {}
    for name in names:
        if re.fullmatch(r"(space|layer|scale)_selector_mlp\.[13]\.weight", name):
            rows[name] = SELECTOR_MATRIX_ROWS
        else:
            rows[name] = GRADIENT_ROWS.get(name)
    return rows


def head(t, n):
    return t if n is None else t[:n]


# ---------------------------------------------------------------------------------------------------------------
# Loading the reference


def _stub(name, **attributes):
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module
    return module


class _AttributeDict(dict):
    """Stands in for yacs's CfgNode: nested settings read and written as attributes."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError as e:
            raise AttributeError(key) from e

    def __setattr__(self, key, value):
        self[key] = value

    def clone(self):
        return copy.deepcopy(self)


def load_reference(folder):
    """Imports the reference's FactorTopy, PLModel and configuration defaults from a checkout."""
    folder = Path(folder).resolve()
    if not (folder / "brainnet" / "model.py").is_file():
        sys.exit(f"{folder} is not a checkout of BrainDecodesDeepNets (no brainnet/model.py)")
    try:
        import einops  # noqa: F401  (the model's own code needs it)
    except ImportError:
        sys.exit("the reference model needs einops: pip install einops")
    sys.path.insert(0, str(folder))
    # imports of brainnet/plmodel.py and brainnet/config.py that the loss and optimizer code never uses
    _stub("pytorch_lightning", LightningModule=torch.nn.Module)
    _stub("torchmetrics", R2Score=None)
    _stub("cortex")
    _stub("matplotlib")
    _stub("matplotlib.pyplot")
    _stub("brainnet.coords", load_coords=None)
    _stub("brainnet.dataset", BrainDataset=None)
    _stub("brainnet.plot_utils", make_training_plot=None)
    _stub("brainnet.roi", nsdgeneral_indices=None)
    if "yacs" not in sys.modules:
        try:
            import yacs.config  # noqa: F401
        except ImportError:
            _stub("yacs")
            _stub("yacs.config", CfgNode=_AttributeDict)
    from brainnet.model import FactorTopy
    from brainnet.plmodel import PLModel
    from brainnet.config import get_cfg_defaults
    return FactorTopy, PLModel, get_cfg_defaults


class Harness:
    """What PLModel.training_step and configure_optimizers read of their LightningModule: the model's forward on
    cached features, the configuration, the global step, and logging that goes nowhere."""

    def __init__(self, plmodel_class, model, coords, config, global_step):
        self.plmodel_class = plmodel_class
        self.model = model
        self.coords = coords
        self.config = config
        self.global_step = global_step
        self.train_r2 = types.SimpleNamespace(update=lambda *args: None)

    def __call__(self, features):
        local, global_ = features
        # the reference's forward replaces the entries of the dictionaries it is given: pass copies
        return self.model(dict(local), dict(global_), self.coords)

    def log(self, *args, **kwargs):
        pass

    def get_decay(self):
        return self.plmodel_class.get_decay(self)

    def parameters(self):
        return self.model.parameters()


# ---------------------------------------------------------------------------------------------------------------
# File formats, written here from their specifications

_DTYPES = {np.dtype("<f4"): "F32", np.dtype("<f2"): "F16", np.dtype("<f8"): "F64"}
_CODES = {code: dtype for dtype, code in _DTYPES.items()}


def write_safetensors(path, tensors, metadata=None):
    """Writes named arrays as safetensors: an 8-byte little-endian header length, the JSON header (dtype, shape,
    data_offsets per tensor), padded with spaces to a multiple of 8, then the raw little-endian data."""
    header = {}
    blobs = []
    offset = 0
    for name, array in tensors.items():
        a = np.ascontiguousarray(array)
        a = a.astype(a.dtype.newbyteorder("<"), copy=False)
        data = a.tobytes()
        header[name] = {"dtype": _DTYPES[a.dtype], "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def read_safetensors(path):
    """Reads a safetensors file into (ordered dictionary of arrays, metadata)."""
    raw = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + length].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    base = 8 + length
    tensors = {}
    for name, info in header.items():
        if info["dtype"] not in _CODES:
            sys.exit(f"{path}: tensor {name} has dtype {info['dtype']}, which this script does not read")
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(raw[base + start:base + end], dtype=_CODES[info["dtype"]]).reshape(info["shape"])
    return tensors, metadata


def write_npz(path, arrays):
    """Writes an uncompressed .npz (a zip of .npy members) with fixed timestamps."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            with z.open(info, "w") as f:
                np.lib.format.write_array(f, np.ascontiguousarray(array), allow_pickle=False)


def write_npy(path, array):
    with open(path, "wb") as f:
        np.lib.format.write_array(f, np.ascontiguousarray(array), allow_pickle=False)


# ---------------------------------------------------------------------------------------------------------------
# generate


def make_model(FactorTopy):
    torch.manual_seed(SEED)
    model = FactorTopy(n_vertices=VOXELS, layers=list(range(LAYERS)), layer_widths=[CHANNELS] * LAYERS,
                       bottleneck_dim=BOTTLENECK)
    with torch.no_grad():
        for kind, spread in LAST_LAYER_SPREAD.items():
            getattr(model, kind + "_selector_mlp")[5].weight.uniform_(-spread, spread)
        # every value made exactly representable in half precision, so the large matrices can be stored as F16
        # without changing a bit of the model the reference computes with
        for p in model.parameters():
            p.copy_(p.half().float())
    return model


def make_inputs():
    g = torch.Generator().manual_seed(SEED + 1)
    # a volume-like cloud in millimetres (x right, y anterior, z superior), one axis much longer than the others
    low = torch.tensor([-40.0, -95.0, -20.0])
    size = torch.tensor([80.0, 70.0, 45.0])
    coords = low + size * torch.rand(VOXELS, 3, generator=g)
    local = torch.randn(BATCH, LAYERS, CHANNELS, GRID, GRID, generator=g)
    global_ = torch.randn(BATCH, LAYERS, CHANNELS, generator=g)
    targets = 0.3 * torch.randn(BATCH, VOXELS, generator=g)
    return coords, local, global_, targets


def as_dicts(local, global_):
    return ({str(l): local[:, l].contiguous() for l in range(LAYERS)},
            {str(l): global_[:, l].contiguous() for l in range(LAYERS)})


def run(model, plmodel_class, config, coords, local, global_, targets, step_optimizer):
    """The reference's forward, selectors, loss (its own training_step), gradients and, optionally, one step of
    the optimizer its configure_optimizers builds."""
    harness = Harness(plmodel_class, model, coords, config, GLOBAL_STEP)
    features = as_dicts(local, global_)
    with torch.no_grad():
        predictions, reg = harness(features)
        data = torch.nn.functional.smooth_l1_loss(predictions, targets, beta=0.1)
        encoding = model.space_selector_mlp[0](coords)
        space = model.space_selector_mlp(coords)
        layer = model.layer_selector_mlp(coords)
        scale = model.scale_selector_mlp(coords)
    model.zero_grad()
    loss = plmodel_class.training_step(harness, (features, targets), 0)
    loss.backward()
    grads = {name: p.grad.detach().clone() for name, p in model.named_parameters()}
    out = {"predictions": predictions, "reg": reg, "data": data, "loss": loss.detach(), "encoding": encoding,
           "space": space, "layer": layer, "scale": scale, "grads": grads, "decay": harness.get_decay()}
    if step_optimizer:
        optimizer = plmodel_class.configure_optimizers(harness)
        optimizer.step()
        group = optimizer.param_groups[0]
        out["optimizer"] = {"class": type(optimizer).__name__, "lr": group["lr"], "betas": list(group["betas"]),
                            "eps": group["eps"], "weight_decay": group["weight_decay"],
                            "amsgrad": group["amsgrad"], "maximize": group.get("maximize", False)}
        out["after"] = {name: p.detach().clone() for name, p in model.named_parameters()}
    return out


def numpy32(t):
    return t.detach().numpy().astype("<f4")


def numpy64(t):
    return t.detach().numpy().astype("<f8")


def generate(args):
    FactorTopy, PLModel, get_cfg_defaults = load_reference(args.reference)
    torch.set_num_threads(1)
    config = get_cfg_defaults()
    model = make_model(FactorTopy)
    state = {name: t.detach().clone() for name, t in model.state_dict().items()}
    coords, local, global_, targets = make_inputs()

    model64 = copy.deepcopy(model).double()
    r64 = run(model64, PLModel, config, coords.double(), local.double(), global_.double(), targets.double(), False)
    r32 = run(model, PLModel, config, coords, local, global_, targets, True)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    # the checkpoint: the reference's state_dict, its names and shapes; the 128-wide selector matrices as F16
    # (exact, see make_model), the rest as F32 as a plain conversion writes them
    tensors = {}
    for name, t in state.items():
        big = re.fullmatch(r"(space|layer|scale)_selector_mlp\.[13]\.weight", name)
        tensors[name] = t.numpy().astype("<f2" if big else "<f4")
        assert np.array_equal(tensors[name].astype("<f4"), t.numpy()), name
    write_safetensors(out / "reference.safetensors", tensors)
    write_npy(out / "coords.npy", numpy32(coords))
    write_npz(out / "features.npz", {"local": numpy32(local), "global": numpy32(global_)})

    rows = selected_rows(state.keys())
    expected = {"targets": numpy32(targets)}
    for suffix, r, conv in (("32", r32, numpy32), ("64", r64, numpy64)):
        expected["predictions" + suffix] = conv(r["predictions"])
        expected["encoding" + suffix] = conv(r["encoding"][:ENCODING_ROWS])
        expected["space" + suffix] = conv(r["space"])
        expected["layer" + suffix] = conv(r["layer"])
        expected["scale" + suffix] = conv(r["scale"][:, 0])
        expected["loss" + suffix] = np.array([conv(r["data"]), conv(r["reg"]), conv(r["loss"])]).reshape(3)
    for name, n in rows.items():
        expected["grad64." + name] = numpy64(head(r64["grads"][name], n))
    for name in OPTIMIZER_TENSORS:
        expected["grad32." + name] = numpy32(head(r32["grads"][name], rows[name]))
        expected["after32." + name] = numpy32(head(r32["after"][name], rows[name]))
    write_npz(out / "expected.npz", expected)

    manifest = {
        "what": "FactorTopy of the reference implementation (huzeyann/BrainDecodesDeepNets, brainnet/model.py), run by "
                "releng/reference/factortopy/factortopy_fixtures.py",
        "reference_commit": args.reference_commit,
        "torch": torch.__version__,
        "numpy": np.__version__,
        "seed": SEED,
        "layers": LAYERS, "channels": CHANNELS, "bottleneck": BOTTLENECK, "hidden": 128, "voxels": VOXELS,
        "batch": BATCH, "grid": GRID,
        "last_layer_spread": LAST_LAYER_SPREAD,
        "global_step": GLOBAL_STEP,
        "regulariser_weight": config.REGULARIZATION.LAMBDA * r32["decay"],
        "optimizer": r32["optimizer"],
        "config_weight_decay_unused": config.OPTIMIZER.WEIGHT_DECAY,
        "loss_order": ["data (smooth L1, beta 0.1)", "regulariser", "total = data + regulariser_weight * reg"],
        "gradient_rows": rows,
        "optimizer_tensors": list(OPTIMIZER_TENSORS),
        "encoding_rows": ENCODING_ROWS,
        "state_dict": [[name, list(t.shape)] for name, t in state.items()],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")

    p = r32["predictions"]
    print(f"wrote {out}: predictions {tuple(p.shape)} in [{p.min():.3f}, {p.max():.3f}], "
          f"loss {r32['loss'].item():.6f} (data {r32['data'].item():.6f}, reg {r32['reg'].item():.6f})")
    print(f"  |x| > 7/8 (border cells) for {(r32['space'].abs() > 7 / 8).any(1).sum().item()} voxels, "
          f"max p {r32['layer'].max().item():.3f}, s in [{r32['scale'].min():.3f}, {r32['scale'].max():.3f}]")
    print(f"  float32 vs float64 reference: predictions differ by at most "
          f"{(r32['predictions'].double() - r64['predictions']).abs().max().item():.2e}")
    print(f"  optimizer as configure_optimizers builds it: {r32['optimizer']}")
    for f in sorted(out.iterdir()):
        print(f"  {f.name}: {f.stat().st_size} bytes")


# ---------------------------------------------------------------------------------------------------------------
# check-ours


def check_ours(args):
    FactorTopy, _, _ = load_reference(args.reference)
    torch.set_num_threads(1)
    tensors, metadata = read_safetensors(args.checkpoint)
    layers = sorted(int(m.group(1)) for m in (re.fullmatch(r"local_token_bottleneck\.(\d+)\.weight", n)
                                               for n in tensors) if m)
    if not layers:
        sys.exit(f"{args.checkpoint} has no local_token_bottleneck weights")
    widths = [tensors[f"local_token_bottleneck.{l}.weight"].shape[1] for l in layers]
    d = tensors["local_token_bottleneck.%d.weight" % layers[0]].shape[0]
    n = tensors["weight"].shape[0]
    model = FactorTopy(n_vertices=n, layers=layers, layer_widths=widths, bottleneck_dim=d)
    state = {name: torch.from_numpy(a.astype("<f4")) for name, a in tensors.items()}
    model.load_state_dict(state, strict=True)
    print(f"{args.checkpoint}: the reference's load_state_dict(strict=True) took all {len(state)} tensors "
          f"(L={len(layers)}, C={widths[0]}, D={d}, N={n}); metadata keys {sorted(metadata)}")

    fixtures = Path(args.fixtures) if args.fixtures else None
    coords_file = args.coords or (fixtures / "coords.npy" if fixtures else None)
    features_file = args.features or (fixtures / "features.npz" if fixtures else None)
    g = torch.Generator().manual_seed(SEED)
    if coords_file:
        coords = torch.from_numpy(np.load(coords_file).astype("<f4"))
    else:
        coords = torch.rand(n, 3, generator=g)
    if features_file:
        features = np.load(features_file)
        local = torch.from_numpy(features["local"].astype("<f4"))
        global_ = torch.from_numpy(features["global"].astype("<f4"))
    else:
        local = torch.randn(2, len(layers), widths[0], GRID, GRID, generator=g)
        global_ = torch.randn(2, len(layers), widths[0], generator=g)
    if args.selectors:
        # a run folder's selectors/ (x, y, layer_weights, scale per voxel) against the reference's selector networks
        folder = Path(args.selectors)
        with torch.no_grad():
            space = model.space_selector_mlp(coords)
            theirs = {"x": space[:, 0], "y": space[:, 1], "layer_weights": model.layer_selector_mlp(coords),
                      "scale": model.scale_selector_mlp(coords)[:, 0]}
        for name, t in theirs.items():
            diff = np.abs(np.load(folder / (name + ".npy")) - t.numpy()).max()
            print(f"selectors/{name}.npy vs the reference's selector network: max |difference| {diff:.3e}")
            if diff > args.tolerance:
                sys.exit(f"selectors/{name}.npy differs by more than {args.tolerance}")
    with torch.no_grad():
        predictions, _ = model({str(l): local[:, i].contiguous() for i, l in enumerate(layers)},
                               {str(l): global_[:, i].contiguous() for i, l in enumerate(layers)}, coords)
    predictions = predictions.numpy()
    if not np.isfinite(predictions).all():
        sys.exit("the reference's predictions are not finite")
    if args.predictions:
        expected, against = np.load(args.predictions), args.predictions
    elif fixtures:
        expected, against = np.load(fixtures / "expected.npz")["predictions32"], "the fixture's predictions"
    else:
        print(f"reference forward: finite predictions {predictions.shape} (no predictions given to compare with)")
        return
    diff = np.abs(predictions - expected).max()
    scale = np.abs(expected).max()
    print(f"reference forward on this checkpoint vs {against}: max |difference| {diff:.3e} "
          f"(largest value {scale:.3e})")
    if diff > args.tolerance * max(scale, 1e-30):
        sys.exit(f"predictions differ by more than {args.tolerance} of the largest value")


# ---------------------------------------------------------------------------------------------------------------
# convert


def convert(args):
    state = torch.load(args.pth, map_location="cpu")
    if isinstance(state, dict) and "state_dict" in state:
        state = state["state_dict"]
    prefix = args.prefix
    tensors = {}
    for name, t in state.items():
        if not name.startswith(prefix):
            continue
        tensors[name[len(prefix):]] = t.detach().float().numpy().astype("<f4")
    if "weight" not in tensors:
        sys.exit(f"{args.pth} holds no FactorTopy state_dict under the prefix '{prefix}'")
    write_safetensors(args.out, tensors)
    print(f"wrote {len(tensors)} tensors to {args.out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--reference", required=True, help="checkout of BrainDecodesDeepNets (holds brainnet/)")
    g.add_argument("--reference-commit", default="unknown", help="its commit, recorded in manifest.json")
    g.add_argument("--out", required=True, help="the fixture folder")
    c = sub.add_parser("check-ours")
    c.add_argument("--reference", required=True)
    c.add_argument("checkpoint", help="a safetensors file written by BrainAlign")
    c.add_argument("--fixtures", help="a fixture folder: its coords, features and predictions are the defaults")
    c.add_argument("--coords", help="the N x 3 voxel coordinates (.npy) the encoder was fitted with")
    c.add_argument("--features", help="features (.npz with local and global) as `brainalign features export` writes")
    c.add_argument("--selectors", help="a run folder's selectors/ to compare with the reference's selector outputs")
    c.add_argument("--predictions", help="BrainAlign's `predict` output (.npy) for these features, to compare with")
    c.add_argument("--tolerance", type=float, default=1e-5,
                   help="relative to the largest prediction; absolute for selector outputs, which lie in [-1, 1]")
    v = sub.add_parser("convert")
    v.add_argument("pth", help="a FactorTopy state_dict saved by torch.save, or a Lightning checkpoint")
    v.add_argument("out", help="the safetensors file to write")
    v.add_argument("--prefix", default="", help="the prefix to strip, e.g. 'model.' for a Lightning checkpoint")
    args = parser.parse_args()
    {"generate": generate, "check-ours": check_ours, "convert": convert}[args.command](args)


if __name__ == "__main__":
    main()
