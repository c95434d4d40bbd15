#!/usr/bin/python3
"""Independent oracle for OcrModelsTests: decodes ONNX protobuf wire format with the standard library only and sums
parameter elements the way TrainWatt defines them: every graph initializer (de-duplicated by name) plus every
floating-point Constant-node tensor with rank > 0 and more than one element. Field numbers from onnx/onnx.proto.
Usage: onnx_weight_census.py FILE.onnx...  -> prints "name params" lines. Run by hand; results are committed in the test.
"""
import sys

def varint(b, i):
    r = s = 0
    while True:
        c = b[i]; i += 1
        r |= (c & 0x7F) << s; s += 7
        if c < 0x80:
            return r, i

def fields(b, start, end):
    i = start
    while i < end:
        t, i = varint(b, i)
        f, w = t >> 3, t & 7
        if w == 0:
            v, i = varint(b, i); yield f, w, v
        elif w == 2:
            n, i = varint(b, i); yield f, w, (i, i + n); i += n
        elif w == 5:
            yield f, w, None; i += 4
        elif w == 1:
            yield f, w, None; i += 8
        else:
            raise ValueError("group wire type")

INTEGER = {2, 3, 4, 5, 6, 7, 9, 12, 13}

def tensor(b, span):
    dims, dtype, name = [], 0, ""
    for f, w, v in fields(b, *span):
        if f == 1 and w == 0: dims.append(v)
        elif f == 1 and w == 2:
            i = v[0]
            while i < v[1]:
                d, i = varint(b, i); dims.append(d)
        elif f == 2: dtype = v
        elif f == 8: name = b[v[0]:v[1]].decode()
    n = 1
    for d in dims: n *= d
    return name, dtype, dims, n

def census(path):
    b = open(path, "rb").read()
    total, seen = 0, set()
    for f, w, v in fields(b, 0, len(b)):
        if f != 7: continue
        for gf, gw, gv in fields(b, *v):
            if gf == 5:
                name, _, _, n = tensor(b, gv)
                if name not in seen:
                    seen.add(name); total += n
            elif gf == 1:
                op, outs, value = "", [], None
                for nf, nw, nv in fields(b, *gv):
                    if nf == 4: op = b[nv[0]:nv[1]].decode()
                    elif nf == 2: outs.append(b[nv[0]:nv[1]].decode())
                    elif nf == 5:
                        aname, t = "", None
                        for af, aw, av in fields(b, *nv):
                            if af == 1: aname = b[av[0]:av[1]].decode()
                            elif af == 5: t = av
                        if aname == "value" and t: value = tensor(b, t)
                if op == "Constant" and value and value[1] not in INTEGER and value[1] != 8 and len(value[2]) > 0 and value[3] > 1:
                    if outs[0] not in seen:
                        seen.add(outs[0]); total += value[3]
    return total

for p in sys.argv[1:]:
    print(p.rsplit("/", 1)[-1], census(p))
