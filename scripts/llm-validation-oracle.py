#!/usr/bin/env python3
"""Independent oracle for the leave-one-out validation of `trainwatt estimate --llm` (docs/llm.md).

Reads data/llm-published-runs.csv and data/gpus.csv with the standard library only and recomputes, without any
TrainWatt code: training FLOPs = (6 P + 6 layers seq hidden) D; implied MFU = FLOPs / (GPU-hours 3600 peak), peak =
dense FP16/BF16 tensor TFLOPS; for each run the prior from the other runs (point: median implied MFU of the same GPU
architecture when >= 2 such runs, else of all; 90 % interval: exp(mean +- 1.645 sd) of ln MFU over all, widened to
hold the point); error = predicted / published GPU-hours - 1. Prints the median |error| and how many intervals hold,
for all runs and without the Llama 3.1 rows. LlmEstimationTests asserts the same numbers.
Usage: python3 scripts/llm-validation-oracle.py
"""
import csv
import math
import os
import statistics

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
gpus = {}
with open(os.path.join(root, "gpus.csv"), newline="", encoding="utf-8") as f:
    for g in csv.DictReader(f):
        peak = float(g["fp16_tflops"]) if g["fp16_kind"] == "tensor" and g["fp16_tflops"] else float(g["fp32_tflops"])
        gpus[g["name"]] = (g["architecture"], peak * 1e12)

with open(os.path.join(root, "llm-published-runs.csv"), newline="", encoding="utf-8") as f:
    runs = []
    for r in csv.DictReader(f):
        arch, peak = gpus[r["gpu"]]
        flops = (6 * float(r["parameters"]) + 6 * int(r["layers"]) * int(r["seq_len"]) * int(r["hidden"])) * float(r["tokens"])
        runs.append((r["run"], arch, flops / (float(r["gpu_hours"]) * 3600 * peak)))


def loo(rows):
    errors, holds = [], 0
    for i, (name, arch, mfu) in enumerate(rows):
        others = [x for j, x in enumerate(rows) if j != i]
        same = [m for _, a, m in others if a == arch]
        point = statistics.median(same if len(same) >= 2 else [m for _, _, m in others])
        logs = [math.log(m) for _, _, m in others]
        mean, sd = statistics.mean(logs), statistics.stdev(logs)
        low, high = min(point, math.exp(mean - 1.645 * sd)), max(point, math.exp(mean + 1.645 * sd))
        errors.append(abs(mfu / point - 1))  # predicted / published GPU-hours = implied MFU / prior point
        holds += low <= mfu <= high
        print(f"  {name:15} implied MFU {mfu:.4f} prior {point:.4f} [{low:.4f}, {high:.4f}] error {mfu / point - 1:+.3f}")
    return statistics.median(errors), holds, len(rows)


for label, rows in (("all runs", runs), ("without Llama 3.1", [r for r in runs if not r[0].startswith("Llama 3.1")])):
    print(label)
    median, holds, n = loo(rows)
    print(f"  median |error| {median:.4f}; interval holds {holds} of {n}")
