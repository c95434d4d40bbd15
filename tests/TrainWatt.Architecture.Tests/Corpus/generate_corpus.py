#!/usr/bin/python3
"""Regenerates the committed corpus of real exported ONNX models (tests/TrainWatt.Architecture.Tests/Corpus/*.onnx).

Run with Debian's interpreter, which has python3-torch 1.13 and python3-torchvision 0.14:

    /usr/bin/python3 tests/TrainWatt.Architecture.Tests/Corpus/generate_corpus.py

Each model is exported by PyTorch's own exporter (torch.onnx.export, opset 14 or 17, random weights: weights=None,
nothing downloaded). The weights are then moved out of the file: every floating-point tensor of more than 64 elements
(initializer or Constant-node value) keeps its name, dims and data type but loses its payload and is marked
data_location = EXTERNAL with external_data location "<model>.weights-not-committed" (offset and length as if the
file existed). Integer tensors of at most 4096 elements are kept: shape arithmetic reads them. So the committed graphs
are exactly what the exporter wrote, minus the weight bytes, and the counter must read initializers that have only a
shape. The protobuf is rewritten with a small wire-format editor below (no onnx package needed).

The expected counts are not produced here: the tests compare against torchvision's published GFLOPS (MACs) and against
hand derivations per layer (tests/TrainWatt.Architecture.Tests/Corpus/ExportedModelsTests.cs, docs/flops.md).
"""
import os
import sys

import torch
import torch.nn as nn
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- protobuf wire format (onnx/onnx.proto field numbers)

def read_varint(b, i):
    shift = 0
    value = 0
    while True:
        byte = b[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def varint(v):
    if v < 0:
        v += 1 << 64
    out = bytearray()
    while True:
        byte = v & 0x7F
        v >>= 7
        if v:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def fields(b):
    """Yields (field, wire, raw_value_bytes_or_int) for one message."""
    i = 0
    while i < len(b):
        tag, i = read_varint(b, i)
        field, wire = tag >> 3, tag & 7
        if wire == 0:
            v, i = read_varint(b, i)
            yield field, wire, v
        elif wire == 1:
            yield field, wire, b[i:i + 8]
            i += 8
        elif wire == 2:
            n, i = read_varint(b, i)
            yield field, wire, b[i:i + n]
            i += n
        elif wire == 5:
            yield field, wire, b[i:i + 4]
            i += 4
        else:
            raise ValueError("unsupported wire type %d" % wire)


def emit(field, wire, value):
    tag = varint((field << 3) | wire)
    if wire == 0:
        return tag + varint(value)
    if wire == 2:
        return tag + varint(len(value)) + bytes(value)
    return tag + bytes(value)


FLOAT_TYPES = {1, 10, 11, 16}  # float, float16, double, bfloat16
BYTES_PER = {1: 4, 10: 2, 11: 8, 16: 2, 6: 4, 7: 8, 9: 1, 2: 1, 3: 1}
PAYLOAD_FIELDS = {4, 5, 6, 7, 9, 10, 11}


class Stripper:
    def __init__(self, location):
        self.location = location
        self.offset = 0
        self.stripped = 0
        self.stripped_bytes = 0

    def tensor(self, b):
        dims, dtype = [], 0
        for f, w, v in fields(b):
            if f == 1:
                if w == 0:
                    dims.append(v)
                else:
                    j = 0
                    while j < len(v):
                        d, j = read_varint(v, j)
                        dims.append(d)
            elif f == 2:
                dtype = v
        n = 1
        for d in dims:
            n *= d
        keep = n <= 64  # shape arithmetic reads small tensors; index tables and weights only need their shape
        if keep:
            return b
        length = n * BYTES_PER.get(dtype, 4)
        out = bytearray()
        for f, w, v in fields(b):
            if f in PAYLOAD_FIELDS or f in (13, 14):
                continue
            out += emit(f, w, v)
        for key, value in (("location", self.location), ("offset", str(self.offset)), ("length", str(length))):
            out += emit(13, 2, emit(1, 2, key.encode()) + emit(2, 2, value.encode()))
        out += emit(14, 0, 1)
        self.offset += length
        self.stripped += 1
        self.stripped_bytes += length
        return bytes(out)

    def attribute(self, b):
        out = bytearray()
        for f, w, v in fields(b):
            if f == 5 and w == 2:
                v = self.tensor(v)
            elif f == 10 and w == 2:
                v = self.tensor(v)
            elif f in (6, 11) and w == 2:
                v = self.graph(v)
            out += emit(f, w, v)
        return bytes(out)

    def node(self, b):
        out = bytearray()
        for f, w, v in fields(b):
            if f == 5 and w == 2:
                v = self.attribute(v)
            out += emit(f, w, v)
        return bytes(out)

    def graph(self, b):
        out = bytearray()
        for f, w, v in fields(b):
            if f == 1 and w == 2:
                v = self.node(v)
            elif f == 5 and w == 2:
                v = self.tensor(v)
            out += emit(f, w, v)
        return bytes(out)

    def model(self, b):
        out = bytearray()
        for f, w, v in fields(b):
            if f == 7 and w == 2:
                v = self.graph(v)
            out += emit(f, w, v)
        return bytes(out)


# ---------------------------------------------------------------- models

class Gpt(nn.Module):
    """A small GPT-style decoder (nanoGPT layout): token + learned position embeddings, pre-LayerNorm blocks with causal
    self-attention (a registered lower-triangular mask sliced to the sequence length) and a 4x GELU MLP, a final
    LayerNorm and an untied LM head without bias."""

    def __init__(self, vocab=1000, block=256, layers=2, heads=4, d=128):
        super().__init__()
        self.heads = heads
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(block, d)
        self.blocks = nn.ModuleList([Block(d, heads, block) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, idx):
        t = idx.size(1)
        pos = torch.arange(0, t, dtype=torch.long, device=idx.device)
        x = self.tok(idx) + self.pos(pos)
        for b in self.blocks:
            x = b(x)
        return self.head(self.ln(x))


class Block(nn.Module):
    def __init__(self, d, heads, block):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc = nn.Linear(d, 4 * d)
        self.out = nn.Linear(4 * d, d)
        self.register_buffer("mask", torch.tril(torch.ones(block, block, dtype=torch.bool)).view(1, 1, block, block))

    def forward(self, x):
        b, t, c = x.size()
        q, k, v = self.qkv(self.ln1(x)).split(c, dim=2)
        q = q.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        k = k.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        v = v.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / (k.size(-1) ** 0.5))
        att = att.masked_fill(self.mask[:, :, :t, :t] == 0, float("-inf"))
        att = torch.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        x = x + self.proj(y)
        return x + self.out(nn.functional.gelu(self.fc(self.ln2(x))))


class Encoder(nn.Module):
    """torch.nn.TransformerEncoder (post-LayerNorm, ReLU FFN, batch_first) over token embeddings."""

    def __init__(self, vocab=1000, d=256, heads=8, ff=1024, layers=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        layer = nn.TransformerEncoderLayer(d, heads, ff, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, idx):
        return self.encoder(self.emb(idx))


def export(name, model, example, opset, dynamic_axes=None, input_names=("input",)):
    model.eval()
    # Every parameter gets its own random values: the exporter merges initializers whose contents are equal (the
    # copies of one nn.TransformerEncoderLayer, LayerNorm's ones and zeros), which would undercount parameters.
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0, 0.02)
    path = os.path.join(HERE, name + ".onnx")
    tmp = path + ".tmp"
    # Not under torch.no_grad(): with gradients off, nn.MultiheadAttention takes its fused fast path
    # (aten::_native_multi_head_attention), which torch 1.13 cannot export.
    torch.onnx.export(model, example, tmp, opset_version=opset, input_names=list(input_names),
                      output_names=["output"], dynamic_axes=dynamic_axes, do_constant_folding=True)
    with open(tmp, "rb") as f:
        raw = f.read()
    os.remove(tmp)
    s = Stripper(name + ".weights-not-committed")
    small = s.model(raw)
    with open(path, "wb") as f:
        f.write(small)
    print("%-28s opset %d  %9d -> %7d bytes, %d tensors (%d bytes) moved out" % (name, opset, len(raw), len(small), s.stripped, s.stripped_bytes))


def main():
    torch.manual_seed(0)
    tv = torchvision.models
    only = set(sys.argv[1:])
    image = torch.zeros(1, 3, 224, 224)
    batch_axes = {"input": {0: "batch"}, "output": {0: "batch"}}
    jobs = [
        ("vit_b_16", lambda: tv.vit_b_16(weights=None), image, 14, batch_axes),
        ("swin_t", lambda: tv.swin_t(weights=None), image, 14, batch_axes),
        ("resnet18", lambda: tv.resnet18(weights=None), image, 13, batch_axes),
        ("mobilenet_v2", lambda: tv.mobilenet_v2(weights=None), image, 13, batch_axes),
        ("vgg16", lambda: tv.vgg16(weights=None), image, 13, batch_axes),
        ("efficientnet_b0", lambda: tv.efficientnet_b0(weights=None), image, 13, batch_axes),
        ("convnext_tiny", lambda: tv.convnext_tiny(weights=None), image, 13, batch_axes),
        ("densenet121", lambda: tv.densenet121(weights=None), image, 13, batch_axes),
        ("regnet_y_400mf", lambda: tv.regnet_y_400mf(weights=None), image, 13, batch_axes),
        ("shufflenet_v2_x1_0", lambda: tv.shufflenet_v2_x1_0(weights=None), image, 13, batch_axes),
        ("transformer_encoder", Encoder, torch.zeros(1, 128, dtype=torch.long), 14,
         {"input": {0: "batch", 1: "sequence"}, "output": {0: "batch", 1: "sequence"}}),
        ("gpt_small", Gpt, torch.zeros(1, 64, dtype=torch.long), 14,
         {"input": {0: "batch", 1: "sequence"}, "output": {0: "batch", 1: "sequence"}}),
    ]
    for name, build, example, opset, axes in jobs:
        if only and name not in only:
            continue
        export(name, build(), example, opset, axes)


if __name__ == "__main__":
    main()
