"""Oracle for TrainWatt's step-time duration model (src/TrainWatt.Estimation/ModelFamilies.cs, StepTimeFamily).

Fits the same physically shaped form with scipy, independently of TrainWatt's own solver:

    epoch duration = o * layers * steps + q * pixels * samples + k * GFLOPs*1e9 * (3*train + val) / (FP32 peak FLOP/s)

steps = ceil(train/batch) + ceil(val/batch), samples = train + val, k = 1 / efficiency; o, q, k >= 0. The duration of
a journal row is its epoch energy / average GPU power (as TrainWatt's PreDataset derives it). The fit minimises the sum
of squared relative errors: scipy.optimize.nnls on the rows scaled by 1 / duration. scipy.optimize.least_squares with
bounds (0, inf) on the same residuals is run as a second, iterative check.

Inputs: the journal set (../shared/data/journal2027-pre/training-set.csv), FP32 peaks from data/gpus.csv, and the layer
counts below: weight layers (nodes with multiply-accumulates) of TrainWatt's catalog networks in the paper's
configurations, as `trainwatt flops --arch NAME --paper --per-node --json` lists them (count the nodes with macs > 0);
tests/TrainWatt.Measurement.Tests/Pre/StepTimeOracleTests.cs checks that TrainWatt still counts these numbers.

Run from the repository root with Debian's python3 (apt-get install python3-scipy):
    /usr/bin/python3 scripts/golden/pre_step_time.py > tests/TrainWatt.Measurement.Tests/Pre/Golden/step-time-scipy.json
"""
import csv
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy.optimize import least_squares, nnls

LAYERS = {"mobilenet_v2": 54, "nasnet_mobile": 358, "resnet50": 56, "xception": 76, "vgg16": 14, "inception_v3": 97}

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
shared = os.environ.get("TRAINWATT_SHARED", os.path.join(os.path.dirname(root), "shared"))
data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(shared, "data", "journal2027-pre", "training-set.csv")
peak = {r["name"]: float(r["fp32_tflops"]) * 1e12 for r in csv.DictReader(open(os.path.join(root, "data", "gpus.csv"), encoding="utf-8"))}

rows = []
for r in csv.DictReader(open(data, encoding="utf-8")):
    b, nt, nv = int(r["batch_size"]), int(r["training_size"]), int(r["validation_size"])
    f = float(r["gflops"]) * 1e9
    px = int(r["image_height"]) * int(r["image_width"])
    power, energy = float(r["avg_gpu_power_w"]), float(r["avg_epoch_energy_kj"]) * 1000
    steps = math.ceil(nt / b) + math.ceil(nv / b)
    x = [LAYERS[r["architecture"]] * steps, px * (nt + nv), f * (3 * nt + nv) / peak[r["gpu"]]]
    rows.append((r["architecture"], x, energy / power))


def fit(part):
    x = np.array([p[1] for p in part])
    y = np.array([p[2] for p in part])
    scale = x.max(axis=0)
    a = x / scale / y[:, None]
    theta, _ = nnls(a, np.ones(len(y)))
    ls = least_squares(lambda t: a @ t - 1, theta + 0.1, bounds=(0, np.inf), xtol=1e-15, ftol=1e-15, gtol=1e-15)
    return theta / scale, ls.x / scale


def mape(theta, part):
    return 100 * float(np.mean([abs(np.dot(theta, p[1]) - p[2]) / p[2] for p in part]))


theta, theta_ls = fit(rows)
held_out = []
per_arch = {}
for arch in sorted(LAYERS):
    train = [p for p in rows if p[0] != arch]
    test = [p for p in rows if p[0] == arch]
    t, _ = fit(train)
    errors = [abs(np.dot(t, p[1]) - p[2]) / p[2] for p in test]
    held_out += errors
    per_arch[arch] = 100 * float(np.mean(errors))

json.dump({
    "generator": f"scripts/golden/pre_step_time.py, scipy {scipy.__version__}, numpy {np.__version__}",
    "rows": len(rows),
    "layers": LAYERS,
    "coefficients": {"o_s_per_layer_step": theta[0], "q_s_per_pixel_sample": theta[1], "k_inverse_efficiency": theta[2]},
    "coefficients_least_squares": {"o_s_per_layer_step": theta_ls[0], "q_s_per_pixel_sample": theta_ls[1], "k_inverse_efficiency": theta_ls[2]},
    "in_sample_mape": mape(theta, rows),
    "leave_architecture_out_mape": 100 * float(np.mean(held_out)),
    "leave_architecture_out_mape_by_architecture": per_arch,
}, sys.stdout, indent=2)
print()
