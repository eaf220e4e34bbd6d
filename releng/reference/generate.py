#!/usr/bin/env python3
"""Writes the reference fixtures the engine tests compare BrainAlign's Java against.

The tests run without Python: this script is run by hand on a machine that has PyTorch, NumPy and Pillow, and its
output is committed (see README.md beside it). It writes

* small random checkpoints in the exact Hugging Face layouts (config.json + model.safetensors, written by the tiny
  safetensors writer below) of DINOv2 (with and without register tokens), CLIP's vision tower, SAM's image encoder
  and MAE's encoder, with every block's hidden states and the 8 x 8 + global features computed by a PyTorch forward
  pass written here from the architectures' descriptions (not by the Java, not by the transformers library);
* small synthetic images (PNG in several modes, JPEG encoded by Pillow) with Pillow's decoded samples and Pillow's
  bilinear resize of the float image;
* the weights of F.interpolate's resampling kinds and F.interpolate of token grids to 8 x 8.

Everything is drawn from fixed seeds and written with fixed timestamps: re-running with the same library versions
rewrites the same bytes.
"""

import argparse
import io
import json
import math
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np
import PIL
import torch
import torch.nn.functional as F
from PIL import Image

REPOSITORY = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPOSITORY / "bundles" / "org.brainalign.engine.tests" / "resources" / "reference"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
GRID = 8
VERSIONS = {"torch": torch.__version__, "numpy": np.__version__, "pillow": PIL.__version__,
            "python": sys.version.split()[0]}


# ---------------------------------------------------------------------------------------------------------- files

def write_safetensors(path, tensors, metadata):
    """Writes safetensors: 8-byte little-endian header length, the JSON header (padded with spaces to a multiple
    of 8), then the tensors' raw little-endian bytes back to back in header order."""
    header = {"__metadata__": metadata}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        dtype, array = tensors[name]
        raw = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def write_npz(path, arrays):
    """Writes an .npz (a deflated zip of .npy files) with fixed timestamps, so that the bytes are reproducible."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())


def write_json(path, value):
    path.write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------------- checkpoints

def quantise(values, dtype):
    """Returns what is stored for float32 values in a safetensors dtype, and the float32 values it decodes to."""
    values = np.ascontiguousarray(values, dtype=np.float32)
    if dtype == "F32":
        return values, values
    if dtype == "F16":
        stored = values.astype("<f2")
        return stored, stored.astype(np.float32)
    if dtype == "BF16":
        bits = values.view(np.uint32).astype(np.uint64)
        # round to nearest, ties to even, on the upper 16 bits
        stored = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype("<u2")
        return stored, (stored.astype(np.uint32) << 16).view(np.float32)
    raise ValueError(dtype)


class Tensors:
    """The tensors of one checkpoint by their Hugging Face names, drawn from one seed and stored in one dtype; the
    forward passes use exactly the values the stored bytes decode to."""

    def __init__(self, seed, dtype):
        self.rng = np.random.default_rng(seed)
        self.dtype = dtype
        self.stored = {}

    def keep(self, name, values):
        stored, exact = quantise(values, self.dtype)
        self.stored[name] = (self.dtype, stored)
        return torch.from_numpy(exact.copy())

    def normal(self, name, shape, std, mean=0.0):
        return self.keep(name, mean + std * self.rng.standard_normal(shape))

    def uniform(self, name, shape, low, high):
        return self.keep(name, self.rng.uniform(low, high, shape))

    def linear(self, name, out, inp, gain=1.0, bias=True):
        weight = self.normal(name + ".weight", (out, inp), gain / math.sqrt(inp))
        return weight, self.normal(name + ".bias", (out,), 0.1) if bias else None

    def norm(self, name, width):
        return self.normal(name + ".weight", (width,), 0.2, 1.0), self.normal(name + ".bias", (width,), 0.1)

    def unused(self, name, dtype, array):
        """A tensor real checkpoints carry that the vision encoder does not use (heads, buffers, other towers)."""
        self.stored[name] = (dtype, np.ascontiguousarray(array))

    def write(self, folder, family):
        write_safetensors(folder / "model.safetensors", self.stored,
                          {"format": "pt", "made_by": "releng/reference/generate.py", "family": family,
                           **VERSIONS})


# ------------------------------------------------------------------------------------------ forward-pass pieces

def layer_norm(x, norm, eps):
    return F.layer_norm(x, x.shape[-1:], norm[0], norm[1], eps)


def quick_gelu(x):
    return x * torch.sigmoid(1.702 * x)


def swiglu(x):
    """DINOv2 giant's gated MLP middle: the first half of fc1's output through SiLU, times the second half."""
    gate, value = x.chunk(2, dim=-1)
    return F.silu(gate) * value


def attention(x, q, k, v, heads):
    """Multi-head scaled dot-product self-attention over (N, T, C) tokens, before the output projection."""
    n, t, c = x.shape
    d = c // heads

    def split(projection):
        return F.linear(x, *projection).reshape(n, t, heads, d).transpose(1, 2)

    qh, kh, vh = split(q), split(k), split(v)
    weights = torch.softmax(torch.matmul(qh, kh.transpose(-1, -2)) / math.sqrt(d), dim=-1)
    return torch.matmul(weights, vh).transpose(1, 2).reshape(n, t, c)


def prenorm_block(x, b, heads, eps, activation):
    """x + ls1 * attn(norm1(x)), then + ls2 * mlp(norm2(.)): the block of ViT, MAE, CLIP and DINOv2."""
    a = F.linear(attention(layer_norm(x, b["norm1"], eps), b["q"], b["k"], b["v"], heads), *b["proj"])
    if "ls1" in b:
        a = a * b["ls1"]
    x = x + a
    m = F.linear(activation(F.linear(layer_norm(x, b["norm2"], eps), *b["fc1"])), *b["fc2"])
    if "ls2" in b:
        m = m * b["ls2"]
    return x + m


def patch_tokens(pixels, weight, bias, patch):
    """The patch convolution's output as (B, g * g, C), patches row by row."""
    return F.conv2d(pixels, weight, bias, stride=patch).flatten(2).transpose(1, 2)


def resize_positions(grid, side, antialias):
    """Hugging Face's interpolate_pos_encoding (ViT, CLIP, DINOv2 since transformers 4.45): the (G * G, C) patch
    position embeddings as (1, C, G, G), F.interpolate(size=(side, side), mode="bicubic", align_corners=False,
    antialias as the model says), in float32; left alone at the trained size."""
    trained = math.isqrt(grid.shape[0])
    if trained == side:
        return grid
    planes = grid.reshape(trained, trained, -1).permute(2, 0, 1).unsqueeze(0)
    resized = F.interpolate(planes, size=(side, side), mode="bicubic", align_corners=False, antialias=antialias)
    return resized[0].permute(1, 2, 0).reshape(side * side, -1)


def legacy_dinov2_positions(grid, side):
    """The older rule (transformers before 4.45, and facebookresearch/dinov2's interpolate_offset 0.1 through
    torch.hub): F.interpolate with scale_factor (side + 0.1) / G instead of an output size; PyTorch places the
    samples with that factor, which moves them slightly. Left alone at the trained size, as the hub does."""
    trained = math.isqrt(grid.shape[0])
    if trained == side:
        return grid
    planes = grid.reshape(trained, trained, -1).permute(2, 0, 1).unsqueeze(0)
    scale = (side + 0.1) / trained
    resized = F.interpolate(planes, scale_factor=(scale, scale), mode="bicubic", align_corners=False)
    return resized[0].permute(1, 2, 0).reshape(side * side, -1)


def features(hidden, prefix, class_token):
    """The cacheable features of every block (not the embedding): the patch grid resized to 8 x 8 by
    F.interpolate(mode="bilinear", align_corners=False), cells row by row, then the class token, or the patch
    tokens' mean without one. Returns (B, L, 65, C)."""
    per_block = []
    for x in hidden[1:]:
        patches = x[:, prefix:, :]
        b, t, c = patches.shape
        side = math.isqrt(t)
        grid = patches.transpose(1, 2).reshape(b, c, side, side)
        local = F.interpolate(grid, size=(GRID, GRID), mode="bilinear", align_corners=False)
        local = local.flatten(2).transpose(1, 2)
        token = x[:, :1, :] if class_token else patches.mean(dim=1, keepdim=True)
        per_block.append(torch.cat([local, token], dim=1))
    return torch.stack(per_block, dim=1)


def pixels(seed, batch, channels, size):
    """Normalised images: uniform in [-2, 2], about the range ImageNet normalisation gives, rounded to float16 so
    that the fixture can store them in half the bytes without changing a value."""
    return np.random.default_rng(seed).uniform(-2, 2, (batch, channels, size, size)).astype(np.float16)


# ----------------------------------------------------------------------------------------------------- families
# Tiny shapes throughout: width 32, 4 heads, MLP 64, 4-pixel patches.
WIDTH, HEADS, MLP, PATCH = 32, 4, 64, 4


def vit_blocks(t, layers, names, layer_scale=False, hidden=MLP, gated=False):
    """Draws pre-norm blocks under a family's names; names maps q, k, v, proj, fc1, fc2, norm1, norm2 (and ls1,
    ls2) to the suffix after the block's prefix, and 'prefix' to the block prefix with {l}; a gated MLP's fc1 has
    twice the hidden width."""
    blocks = []
    for l in range(layers):
        p = names["prefix"].format(l=l)
        b = {"norm1": t.norm(p + names["norm1"], WIDTH),
             "q": t.linear(p + names["q"], WIDTH, WIDTH, gain=1.5),
             "k": t.linear(p + names["k"], WIDTH, WIDTH, gain=1.5),
             "v": t.linear(p + names["v"], WIDTH, WIDTH),
             "proj": t.linear(p + names["proj"], WIDTH, WIDTH)}
        if layer_scale:
            # per-channel scales well away from 1, so that a missing or misplaced layer scale shows
            b["ls1"] = t.uniform(p + names["ls1"], (WIDTH,), 0.3, 1.7)
        b["norm2"] = t.norm(p + names["norm2"], WIDTH)
        b["fc1"] = t.linear(p + names["fc1"], 2 * hidden if gated else hidden, WIDTH)
        b["fc2"] = t.linear(p + names["fc2"], WIDTH, hidden)
        if layer_scale:
            b["ls2"] = t.uniform(p + names["ls2"], (WIDTH,), 0.3, 1.7)
        blocks.append(b)
    return blocks


def dinov2(registers, dtype, seed, swiglu_ffn=False):
    """Dinov2Model (or Dinov2WithRegistersModel): trained at 28 px (7 x 7 grid), layer scale, registers after the
    class token without position embeddings; position embeddings resized bicubically (antialiased with
    registers); optionally the giant's SwiGLU MLP (weights_in / weights_out, hidden width
    (int(64 * 2 / 3) + 7) // 8 * 8 = 48)."""
    layers, image, eps = 2, 28, 1e-6
    t = Tensors(seed, dtype)
    e = "embeddings."
    cls = t.normal(e + "cls_token", (1, 1, WIDTH), 0.5)
    t.normal(e + "mask_token", (1, WIDTH), 0.02)
    regs = t.normal(e + "register_tokens", (1, registers, WIDTH), 0.5) if registers else None
    pos = t.normal(e + "position_embeddings", (1, 1 + (image // PATCH) ** 2, WIDTH), 0.5)[0]
    patch = (t.normal(e + "patch_embeddings.projection.weight", (WIDTH, 3, PATCH, PATCH), 1 / math.sqrt(48)),
             t.normal(e + "patch_embeddings.projection.bias", (WIDTH,), 0.1))
    names = {"prefix": "encoder.layer.{l}.", "norm1": "norm1", "norm2": "norm2",
             "q": "attention.attention.query", "k": "attention.attention.key", "v": "attention.attention.value",
             "proj": "attention.output.dense", "fc1": "mlp.weights_in" if swiglu_ffn else "mlp.fc1",
             "fc2": "mlp.weights_out" if swiglu_ffn else "mlp.fc2",
             "ls1": "layer_scale1.lambda1", "ls2": "layer_scale2.lambda1"}
    hidden_width = (int(MLP * 2 / 3) + 7) // 8 * 8 if swiglu_ffn else MLP
    blocks = vit_blocks(t, layers, names, layer_scale=True, hidden=hidden_width, gated=swiglu_ffn)
    activation = swiglu if swiglu_ffn else F.gelu
    t.norm("layernorm", WIDTH)
    config = {"architectures": ["Dinov2WithRegistersModel" if registers else "Dinov2Model"],
              "model_type": "dinov2_with_registers" if registers else "dinov2",
              "hidden_size": WIDTH, "num_hidden_layers": layers, "num_attention_heads": HEADS,
              "mlp_ratio": MLP / WIDTH, "hidden_act": "gelu", "layer_norm_eps": eps, "image_size": image,
              "patch_size": PATCH, "num_channels": 3, "qkv_bias": True, "layerscale_value": 1.0,
              "use_swiglu_ffn": swiglu_ffn, "drop_path_rate": 0.0, "hidden_dropout_prob": 0.0,
              "attention_probs_dropout_prob": 0.0, "initializer_range": 0.02, "torch_dtype": "float32"}
    if registers:
        config["num_register_tokens"] = registers
    else:
        config["use_mask_token"] = True

    def forward(px, legacy=False):
        side = px.shape[-1] // PATCH
        x = patch_tokens(px, *patch, PATCH)
        if legacy:
            x = x + legacy_dinov2_positions(pos[1:], side)
        else:
            x = x + resize_positions(pos[1:], side, registers > 0)
        parts = [(cls + pos[:1]).expand(px.shape[0], -1, -1)]
        if registers:
            parts.append(regs.expand(px.shape[0], -1, -1))
        x = torch.cat(parts + [x], dim=1)
        hidden = [x]
        for b in blocks:
            x = prenorm_block(x, b, HEADS, eps, activation)
            hidden.append(x)
        return hidden

    return t, config, forward, 1 + registers, True


def clip(dtype, seed):
    """CLIPModel's vision tower (vision_model.*) beside a token text tower and projections it must ignore: class
    embedding, patch convolution without bias, pre_layrnorm, quick_gelu, post_layernorm unused."""
    layers, image, eps = 2, 16, 1e-5
    t = Tensors(seed, dtype)
    v = "vision_model."
    e = v + "embeddings."
    cls = t.normal(e + "class_embedding", (WIDTH,), 0.5)
    weight = t.normal(e + "patch_embedding.weight", (WIDTH, 3, PATCH, PATCH), 1 / math.sqrt(48))
    tokens = 1 + (image // PATCH) ** 2
    pos = t.normal(e + "position_embedding.weight", (tokens, WIDTH), 0.5)
    t.unused(e + "position_ids", "I64", np.arange(tokens, dtype="<i8").reshape(1, tokens))
    pre = t.norm(v + "pre_layrnorm", WIDTH)
    names = {"prefix": v + "encoder.layers.{l}.", "norm1": "layer_norm1", "norm2": "layer_norm2",
             "q": "self_attn.q_proj", "k": "self_attn.k_proj", "v": "self_attn.v_proj",
             "proj": "self_attn.out_proj", "fc1": "mlp.fc1", "fc2": "mlp.fc2"}
    blocks = vit_blocks(t, layers, names)
    t.norm(v + "post_layernorm", WIDTH)
    t.linear("visual_projection", 16, WIDTH, bias=False)
    t.linear("text_projection", 16, 16, bias=False)
    t.unused("logit_scale", "F32", np.array(2.6592, dtype="<f4"))
    t.normal("text_model.embeddings.token_embedding.weight", (10, 16), 0.02)
    t.unused("text_model.embeddings.position_ids", "I64", np.arange(8, dtype="<i8").reshape(1, 8))
    t.norm("text_model.final_layer_norm", 16)
    config = {"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": 16,
              "logit_scale_init_value": 2.6592, "torch_dtype": "float32",
              "text_config": {"model_type": "clip_text_model", "hidden_size": 16, "intermediate_size": 32,
                              "num_attention_heads": 2, "num_hidden_layers": 0, "vocab_size": 10,
                              "max_position_embeddings": 8, "projection_dim": 16},
              "vision_config": {"model_type": "clip_vision_model", "hidden_size": WIDTH, "intermediate_size": MLP,
                                "num_attention_heads": HEADS, "num_hidden_layers": layers, "image_size": image,
                                "patch_size": PATCH, "num_channels": 3, "hidden_act": "quick_gelu",
                                "layer_norm_eps": eps, "projection_dim": 16}}

    def forward(px):
        side = px.shape[-1] // PATCH
        x = patch_tokens(px, weight, None, PATCH)
        x = torch.cat([cls.reshape(1, 1, WIDTH).expand(px.shape[0], -1, -1), x], dim=1)
        x = x + torch.cat([pos[:1], resize_positions(pos[1:], side, False)], dim=0)
        x = layer_norm(x, pre, eps)
        hidden = [x]
        for b in blocks:
            x = prenorm_block(x, b, HEADS, eps, quick_gelu)
            hidden.append(x)
        return hidden

    return t, config, forward, 1, True


def relative_table(table, q_size, k_size):
    """SAM's decomposed relative positions along one axis: the stored (length, d) table linearly resized
    (F.interpolate mode="linear") to 2 max(q, k) - 1 offsets (the identity when it already has them), then entry
    [i, j] is the embedding of offset i - j (coordinates scaled when q and k differ in length)."""
    length = 2 * max(q_size, k_size) - 1
    resized = F.interpolate(table.t().unsqueeze(0), size=length, mode="linear").squeeze(0).t()
    q_coords = torch.arange(q_size)[:, None] * max(k_size / q_size, 1.0)
    k_coords = torch.arange(k_size)[None, :] * max(q_size / k_size, 1.0)
    return resized[(q_coords - k_coords + (k_size - 1) * max(q_size / k_size, 1.0)).long()]


def sam_attention(x, b, heads):
    """SAM's attention over (N, H, W, C) tokens: fused q/k/v, scores plus q . R_h[y - y'] + q . R_w[x - x'] with
    the unscaled query, output projection."""
    n, h, w, c = x.shape
    d = c // heads
    qkv = F.linear(x.reshape(n, h * w, c), *b["qkv"]).reshape(n, h * w, 3, heads, d).permute(2, 0, 3, 1, 4)
    q, k, v = qkv.reshape(3, n * heads, h * w, d)
    scores = torch.matmul(q * d ** -0.5, k.transpose(-1, -2))
    grid = q.reshape(n * heads, h, w, d)
    along_h = torch.einsum("bhwc,hkc->bhwk", grid, relative_table(b["relh"], h, h))
    along_w = torch.einsum("bhwc,wkc->bhwk", grid, relative_table(b["relw"], w, w))
    scores = (scores.reshape(n * heads, h, w, h, w) + along_h[..., :, None] + along_w[..., None, :])
    weights = torch.softmax(scores.reshape(n * heads, h * w, h * w), dim=-1)
    out = torch.matmul(weights, v).reshape(n, heads, h, w, d).permute(0, 2, 3, 1, 4).reshape(n, h, w, c)
    return F.linear(out, *b["proj"])


def check_relative_terms():
    """Guards the einsum form of the relative terms against a plain loop over query and key positions."""
    g = torch.Generator().manual_seed(5)
    h, w, d = 3, 4, 2
    q = torch.randn(1, h, w, d, generator=g, dtype=torch.float64)
    rh = torch.randn(2 * h - 1, d, generator=g, dtype=torch.float64)
    rw = torch.randn(2 * w - 1, d, generator=g, dtype=torch.float64)
    th = torch.einsum("bhwc,hkc->bhwk", q, relative_table(rh, h, h))
    tw = torch.einsum("bhwc,wkc->bhwk", q, relative_table(rw, w, w))
    for y in range(h):
        for x in range(w):
            for y2 in range(h):
                for x2 in range(w):
                    expected = float(q[0, y, x] @ rh[y - y2 + h - 1] + q[0, y, x] @ rw[x - x2 + w - 1])
                    assert abs(float(th[0, y, x, y2] + tw[0, y, x, x2]) - expected) < 1e-12


def windows(x, side):
    """Pads (B, H, W, C) with zeros to whole side x side windows and returns them as (B * n, side, side, C)."""
    b, h, w, c = x.shape
    x = F.pad(x, (0, 0, 0, -w % side, 0, -h % side))
    hp, wp = x.shape[1], x.shape[2]
    x = x.reshape(b, hp // side, side, wp // side, side, c).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(-1, side, side, c), (hp, wp)


def unwindow(x, side, padded, size):
    hp, wp = padded
    b = x.shape[0] // ((hp // side) * (wp // side))
    x = x.reshape(b, hp // side, wp // side, side, side, -1).permute(0, 1, 3, 2, 4, 5).reshape(b, hp, wp, -1)
    return x[:, :size[0], :size[1], :]


def sam(dtype, seed):
    """SamModel's image encoder: 32 px input, 8 x 8 grid, 3 x 3 windows (padded to 9 x 9) in blocks 0 and 2,
    global attention in block 1, relative positions everywhere, absolute positions, no class token; neck, prompt
    encoder and shared embedding present and unused."""
    layers, image, window, eps, global_blocks = 3, 32, 3, 1e-6, [1]
    grid_side = image // PATCH
    t = Tensors(seed, dtype)
    v = "vision_encoder."
    patch = (t.normal(v + "patch_embed.projection.weight", (WIDTH, 3, PATCH, PATCH), 1 / math.sqrt(48)),
             t.normal(v + "patch_embed.projection.bias", (WIDTH,), 0.1))
    pos = t.normal(v + "pos_embed", (1, grid_side, grid_side, WIDTH), 0.5)
    blocks = []
    sides = []
    for l in range(layers):
        p = f"{v}layers.{l}."
        side = grid_side if l in global_blocks else window
        sides.append(0 if l in global_blocks else window)
        b = {"norm1": t.norm(p + "layer_norm1", WIDTH)}
        # q and k drawn larger than v, as in the other families, for peaked attention
        gains = np.repeat([1.5, 1.5, 1.0], WIDTH)[:, None] / math.sqrt(WIDTH)
        b["qkv"] = (t.keep(p + "attn.qkv.weight", gains * t.rng.standard_normal((3 * WIDTH, WIDTH))),
                    t.normal(p + "attn.qkv.bias", (3 * WIDTH,), 0.1))
        b["proj"] = t.linear(p + "attn.proj", WIDTH, WIDTH)
        b["relh"] = t.normal(p + "attn.rel_pos_h", (2 * side - 1, WIDTH // HEADS), 0.3)
        b["relw"] = t.normal(p + "attn.rel_pos_w", (2 * side - 1, WIDTH // HEADS), 0.3)
        b["norm2"] = t.norm(p + "layer_norm2", WIDTH)
        b["fc1"] = t.linear(p + "mlp.lin1", MLP, WIDTH)
        b["fc2"] = t.linear(p + "mlp.lin2", WIDTH, MLP)
        blocks.append(b)
    t.normal(v + "neck.conv1.weight", (16, WIDTH, 1, 1), 0.1)
    t.norm(v + "neck.layer_norm1", 16)
    t.normal(v + "neck.conv2.weight", (16, 16, 3, 3), 0.1)
    t.norm(v + "neck.layer_norm2", 16)
    t.normal("shared_image_embedding.positional_embedding", (2, 8), 1.0)
    t.normal("prompt_encoder.no_mask_embed.weight", (1, 16), 0.1)
    config = {"architectures": ["SamModel"], "model_type": "sam", "initializer_range": 0.02,
              "vision_config": {"model_type": "sam_vision_model", "hidden_size": WIDTH, "output_channels": 16,
                                "num_hidden_layers": layers, "num_attention_heads": HEADS, "num_channels": 3,
                                "image_size": image, "patch_size": PATCH, "hidden_act": "gelu",
                                "layer_norm_eps": eps, "attention_dropout": 0.0, "initializer_range": 1e-10,
                                "qkv_bias": True, "mlp_ratio": MLP / WIDTH, "use_abs_pos": True,
                                "use_rel_pos": True, "window_size": window, "global_attn_indexes": global_blocks,
                                "num_pos_feats": 8, "mlp_dim": MLP},
              "prompt_encoder_config": {"hidden_size": 16, "image_size": image, "patch_size": PATCH},
              "mask_decoder_config": {"hidden_size": 16}}

    def forward(px):
        x = F.conv2d(px, *patch, stride=PATCH).permute(0, 2, 3, 1) + pos
        hidden = [x]
        for b, side in zip(blocks, sides):
            h = layer_norm(x, b["norm1"], eps)
            if side:
                h, padded = windows(h, side)
            h = sam_attention(h, b, HEADS)
            if side:
                h = unwindow(h, side, padded, x.shape[1:3])
            x = x + h
            x = x + F.linear(F.gelu(F.linear(layer_norm(x, b["norm2"], eps), *b["fc1"])), *b["fc2"])
            hidden.append(x)
        return [h.flatten(1, 2) for h in hidden]

    return t, config, forward, 0, False


def mae(dtype, seed):
    """ViTMAEModel (no prefix): cls_token plus the first position embedding, every patch kept in order (no
    masking, no shuffling), layernorm_before / layernorm_after, exact GELU, eps 1e-12."""
    layers, image, eps = 2, 16, 1e-12
    t = Tensors(seed, dtype)
    e = "embeddings."
    cls = t.normal(e + "cls_token", (1, 1, WIDTH), 0.5)
    pos = t.normal(e + "position_embeddings", (1, 1 + (image // PATCH) ** 2, WIDTH), 0.5)[0]
    patch = (t.normal(e + "patch_embeddings.projection.weight", (WIDTH, 3, PATCH, PATCH), 1 / math.sqrt(48)),
             t.normal(e + "patch_embeddings.projection.bias", (WIDTH,), 0.1))
    names = {"prefix": "encoder.layer.{l}.", "norm1": "layernorm_before", "norm2": "layernorm_after",
             "q": "attention.attention.query", "k": "attention.attention.key", "v": "attention.attention.value",
             "proj": "attention.output.dense", "fc1": "intermediate.dense", "fc2": "output.dense"}
    blocks = vit_blocks(t, layers, names)
    t.norm("layernorm", WIDTH)
    config = {"architectures": ["ViTMAEModel"], "model_type": "vit_mae", "hidden_size": WIDTH,
              "num_hidden_layers": layers, "num_attention_heads": HEADS, "intermediate_size": MLP,
              "hidden_act": "gelu", "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0,
              "initializer_range": 0.02, "layer_norm_eps": eps, "image_size": image, "patch_size": PATCH,
              "num_channels": 3, "qkv_bias": True, "decoder_num_attention_heads": 2, "decoder_hidden_size": 16,
              "decoder_num_hidden_layers": 1, "decoder_intermediate_size": 32, "mask_ratio": 0.75,
              "norm_pix_loss": False, "torch_dtype": "float32"}

    def forward(px):
        x = patch_tokens(px, *patch, PATCH) + pos[1:]
        x = torch.cat([(cls + pos[:1]).expand(px.shape[0], -1, -1), x], dim=1)
        hidden = [x]
        for b in blocks:
            x = prenorm_block(x, b, HEADS, eps, F.gelu)
            hidden.append(x)
        return hidden

    return t, config, forward, 1, True


# Fixture name -> (builder, checkpoint dtype, evaluations as (input size, batch)). The first evaluation's first
# image also gets its features. DINOv2 runs below (16 px: 4 x 4 from 7 x 7) and above (32 px: 8 x 8) the trained
# size; CLIP at its size and above (24 px: 6 x 6 from 4 x 4).
FAMILIES = {
    "dinov2": (lambda: dinov2(0, "F32", 101), [(16, 2), (32, 1)]),
    "dinov2-registers": (lambda: dinov2(2, "BF16", 102), [(16, 2), (32, 1)]),
    "dinov2-swiglu": (lambda: dinov2(0, "F16", 106, swiglu_ffn=True), [(16, 1)]),
    "clip": (lambda: clip("F16", 103), [(16, 2), (24, 1)]),
    "sam": (lambda: sam("F16", 104), [(32, 2)]),
    "mae": (lambda: mae("F16", 105), [(16, 2)]),
}


def write_family(out, name):
    build, evaluations = FAMILIES[name]
    tensors, config, forward, prefix, class_token = build()
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    write_json(folder / "config.json", config)
    if name == "clip":
        write_json(folder / "preprocessor_config.json",
                   {"image_processor_type": "CLIPImageProcessor", "do_normalize": True, "do_resize": True,
                    "image_mean": [0.48145466, 0.4578275, 0.40821073],
                    "image_std": [0.26862954, 0.26130258, 0.27577711], "size": {"shortest_edge": 16},
                    "crop_size": {"height": 16, "width": 16}})
    tensors.write(folder, name)
    arrays = {}
    hub = {}
    notes = []
    with torch.no_grad():
        for i, (size, batch) in enumerate(evaluations):
            half = pixels(hash_seed(name, size), batch, 3, size)
            px = torch.from_numpy(half.astype(np.float32))
            hidden = forward(px)
            arrays[f"pixels_{size}"] = half
            arrays[f"hidden_{size}"] = torch.stack(hidden).numpy()
            if i == 0:
                arrays[f"features_{size}"] = features([h[:1] for h in hidden], prefix, class_token).numpy()
            if name == "dinov2":
                legacy = forward(px, legacy=True)
                hub[f"hidden_{size}"] = torch.stack(legacy).numpy()
                notes.append(f"{size} px: legacy +0.1 scale-factor positions move the last hidden state by "
                             f"{float((legacy[-1] - hidden[-1]).abs().max()):.3g}")
    write_npz(folder / "reference.npz", arrays)
    if hub:
        # a file of its own, so that reference.npz stays as it was before the torch.hub rule was checked
        write_npz(folder / "hub.npz", hub)
    return notes


def hash_seed(name, size):
    return sum(ord(ch) for ch in name) * 1000 + size


# ----------------------------------------------------------------------------------------------------- images

def photo(height, width, seed):
    """A photo-like RGB image: smooth shading, a hard-edged disc, a stripe and mild noise (what JPEG meets)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = 128 + 90 * np.sin(x / 6.0) * np.cos(y / 9.0)
    g = 30 + 200 * x / (width - 1)
    b = 220 - 180 * y / (height - 1)
    disc = (x - 0.6 * width) ** 2 + (y - 0.4 * height) ** 2 < (0.25 * min(height, width)) ** 2
    r[disc], g[disc], b[disc] = 240, 200, 40
    stripe = (x + y) % 13 < 2
    r[stripe], g[stripe], b[stripe] = 20, 20, 30
    rgb = np.stack([r, g, b], axis=-1) + rng.normal(0, 5, (height, width, 3))
    return np.clip(np.round(rgb), 0, 255).astype(np.uint8)


def images(out):
    """Writes the test images and Pillow's readings of them: decoded samples, and the bilinear resize of the float
    image (mode "F" per channel, Image.BILINEAR, which widens its triangle filter when shrinking)."""
    folder = out / "images"
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    rgba = np.concatenate([photo(20, 45, 1), rng.integers(0, 256, (20, 45, 1), dtype=np.uint8)], axis=-1)
    Image.fromarray(rgba, "RGBA").save(folder / "rgba.png")
    Image.fromarray(photo(21, 19, 8), "RGB").save(folder / "rgb.png")
    Image.fromarray(photo(27, 33, 2)[:, :, 1], "L").save(folder / "grey.png")
    Image.fromarray(photo(18, 22, 9)[:, :, 2] > 128).save(folder / "bilevel.png")
    ramp = (np.add.outer(np.arange(37) * 1500, np.arange(29) * 337) % 65536).astype(np.uint16)
    Image.fromarray(ramp, "I;16").save(folder / "grey16.png")
    la = np.stack([photo(13, 17, 3)[:, :, 0], rng.integers(0, 256, (13, 17), dtype=np.uint8)], axis=-1)
    Image.fromarray(la, "LA").save(folder / "grey-alpha.png")
    palette = Image.fromarray(rng.integers(0, 6, (12, 16), dtype=np.uint8), "P")
    palette.putpalette([0, 0, 0, 255, 0, 0, 0, 128, 255, 250, 250, 250, 17, 200, 90, 90, 60, 30])
    palette.save(folder / "palette.png")
    Image.fromarray(photo(48, 64, 4), "RGB").save(folder / "photo420.jpg", quality=90, subsampling=2)
    Image.fromarray(photo(40, 48, 5), "RGB").save(folder / "photo444.jpg", quality=95, subsampling=0)
    Image.fromarray(photo(30, 40, 6)[:, :, 0], "L").save(folder / "grey.jpg", quality=90)

    arrays = {}
    sizes = {"rgba.png": [24], "rgb.png": [24], "grey.png": [24], "bilevel.png": [24], "grey16.png": [24, 48], "grey-alpha.png": [24],
             "palette.png": [24], "photo420.jpg": [24], "photo444.jpg": [24], "grey.jpg": [24]}
    for file, targets in sizes.items():
        key = file.replace(".", "_").replace("-", "_")
        with Image.open(folder / file) as img:
            img.load()
            if img.mode in ("I", "I;16"):
                # Pillow opens a 16-bit grey PNG as mode "I" (32-bit integers holding the 16-bit samples); its
                # convert("RGB") or convert("L") would clip them to 0..255, so the samples are taken as they are
                decoded = np.asarray(img).astype("<u2")
                assert decoded.max() > 255
                scale = 65535.0
            elif img.mode in ("L", "LA", "1"):
                decoded = np.asarray(img.convert("L"))
                scale = 255.0
            else:
                decoded = np.asarray(img.convert("RGB"))
                scale = 255.0
                if file == "rgba.png":
                    arrays[key + "_luma"] = np.asarray(img.convert("RGB").convert("L"))
        arrays[key + "_decoded"] = decoded
        planes = decoded.astype(np.float64) / scale
        planes = planes[None] if planes.ndim == 2 else planes.transpose(2, 0, 1)
        planes = planes.astype(np.float32)
        for size in targets:
            arrays[f"{key}_resized_{size}"] = np.stack(
                [np.asarray(Image.fromarray(p, "F").resize((size, size), Image.BILINEAR)) for p in planes])
    write_npz(folder / "reference.npz", arrays)

    # how far Pillow's float resize is from PyTorch's antialiased bilinear on the same image (for the docs)
    rgba_planes = torch.from_numpy(arrays["rgba_png_decoded"].astype(np.float32).transpose(2, 0, 1) / 255)
    torch_aa = F.interpolate(rgba_planes[None], size=(24, 24), mode="bilinear", align_corners=False,
                             antialias=True)[0]
    return [f"Pillow vs F.interpolate(antialias=True) bilinear on rgba.png: "
            f"{float((torch_aa - torch.from_numpy(arrays['rgba_png_resized_24'])).abs().max()):.3g}"]


# ------------------------------------------------------------------------------------------------- resampling

KINDS = {"bilinear": ("bilinear", False), "bicubic": ("bicubic", False),
         "bilinear_aa": ("bilinear", True), "bicubic_aa": ("bicubic", True)}
PAIRS = [(4, 8), (3, 8), (10, 8), (14, 8), (16, 8), (37, 16), (64, 8), (7, 4), (7, 10), (5, 3), (8, 8)]


def resampling(out):
    """The (out x in) weight matrix of each F.interpolate kind, read off by resizing the identity (channel i is
    the unit impulse at i along the width; the height of 1 stays 1), plus mode="linear" on 1-D signals, and
    F.interpolate of random token grids to 8 x 8 (bilinear, align_corners False, no antialias)."""
    folder = out / "resampling"
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for kind, (mode, antialias) in KINDS.items():
        for n_in, n_out in PAIRS:
            impulses = torch.eye(n_in, dtype=torch.float64).reshape(1, n_in, 1, n_in)
            # float64 where the installed PyTorch allows it (the antialiased kernels take float32 only)
            if antialias:
                impulses = impulses.float()
            resized = F.interpolate(impulses, size=(1, n_out), mode=mode, align_corners=False,
                                    antialias=antialias)
            arrays[f"{kind}_{n_in}_{n_out}"] = resized[0, :, 0, :].t().contiguous().float().numpy()
    for n_in, n_out in [(15, 5), (5, 15), (27, 5), (9, 9)]:
        impulses = torch.eye(n_in, dtype=torch.float64).unsqueeze(0)
        resized = F.interpolate(impulses, size=n_out, mode="linear", align_corners=False)
        arrays[f"linear_{n_in}_{n_out}"] = resized[0].t().contiguous().float().numpy()
    rng = np.random.default_rng(11)
    for side, channels in [(4, 3), (14, 3), (16, 3), (37, 2), (64, 1)]:
        grid = rng.standard_normal((1, channels, side, side)).astype(np.float32)
        arrays[f"grid_{side}"] = grid
        arrays[f"grid_{side}_to_8"] = F.interpolate(torch.from_numpy(grid), size=(GRID, GRID), mode="bilinear",
                                                    align_corners=False).numpy()
    write_npz(folder / "reference.npz", arrays)
    hub_resampling(folder)


HUB_PAIRS = [(37, 16), (7, 4), (7, 8), (16, 8), (5, 3)]


def hub_resampling(folder):
    """torch.hub DINOv2's position rule: the weights of F.interpolate(scale_factor=(out + 0.1) / in, mode="bicubic",
    align_corners=False) read off the identity as above, and a random (1, 2, 37, 37) grid resized by
    (16 + 0.1) / 37 in both directions (the 518 px -> 224 px case). In hub.npz, leaving reference.npz as it was."""
    arrays = {}
    for n_in, n_out in HUB_PAIRS:
        impulses = torch.eye(n_in, dtype=torch.float64).reshape(1, n_in, 1, n_in)
        resized = F.interpolate(impulses, scale_factor=(1.0, (n_out + 0.1) / n_in), mode="bicubic",
                                align_corners=False)
        assert resized.shape[-1] == n_out
        arrays[f"bicubic_hub_{n_in}_{n_out}"] = resized[0, :, 0, :].t().contiguous().float().numpy()
    grid = np.random.default_rng(12).standard_normal((1, 2, 37, 37)).astype(np.float32)
    scale = (16 + 0.1) / 37
    arrays["grid_37"] = grid
    arrays["grid_37_hub_16"] = F.interpolate(torch.from_numpy(grid), scale_factor=(scale, scale), mode="bicubic",
                                             align_corners=False).numpy()
    write_npz(folder / "hub.npz", arrays)


# ------------------------------------------------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="fixture folder (default: the engine tests')")
    args = parser.parse_args()
    # one thread: reductions in the same order on every run
    torch.set_num_threads(1)
    check_relative_terms()
    notes = []
    for name in FAMILIES:
        notes += write_family(args.out, name)
    notes += images(args.out)
    resampling(args.out)
    total = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(f"wrote {args.out} ({total / 1024:.0f} KiB) with " + ", ".join(f"{k} {v}" for k, v in VERSIONS.items()))
    for n in notes:
        print("  " + n)


if __name__ == "__main__":
    main()
