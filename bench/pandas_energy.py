#!/usr/bin/python3
"""The pandas baseline for bench/energy-vs-pandas.sh: the same work as `trainwatt energy DIR --json`.

For every gpu-power-*.csv[.gz] under DIR (recursive, sorted): pd.read_csv, find the time stamp and power columns by
name (nvidia-smi's `power.draw [W]` or the SEAA renamed `gpu_power_draw`), strip the " W" unit, drop rows that did not
parse (the half-written last lines), and integrate with numpy.trapz on the real time stamps. Prints one JSON array
(file, samples, duration_s, energy_j, mean_power_w, max_power_w) like the CLI. Written to give pandas its best
ordinary chance: C parser, explicit time stamp format, vectorised string ops.

Run with Debian's python3 (apt-get install python3-pandas): /usr/bin/python3 bench/pandas_energy.py DIR
"""
import glob
import json
import os
import sys

import numpy as np
import pandas as pd

trapz = getattr(np, "trapezoid", None) or np.trapz


def energy(path):
    df = pd.read_csv(path, skipinitialspace=True)  # compression inferred from the .gz name
    cols = {c.split(" [")[0].strip(): c for c in df.columns}
    ts_col = cols["timestamp"]
    p_col = cols.get("power.draw") or cols["gpu_power_draw"]
    first = str(df[ts_col].iloc[0])
    fmt = "%Y/%m/%d %H:%M:%S.%f" if "/" in first else "%Y-%m-%d %H:%M:%S.%f"
    t = pd.to_datetime(df[ts_col], format=fmt, errors="coerce")
    p = pd.to_numeric(df[p_col].astype(str).str.removesuffix(" W"), errors="coerce")
    ok = t.notna() & p.notna()
    # A half-written last line may still hold a valid time stamp and power but miss later fields.
    last_cols_missing = df.iloc[:, -1].isna()
    ok &= ~last_cols_missing
    t, p = t[ok], p[ok].to_numpy(dtype=float)
    seconds = (t - t.iloc[0]).dt.total_seconds().to_numpy()
    return {
        "file": path,
        "samples": int(len(p)),
        "duration_s": float(seconds[-1]),
        "energy_j": float(trapz(p, seconds)),
        "mean_power_w": float(p.mean()),
        "max_power_w": float(p.max()),
    }


def main(root):
    files = sorted(
        f for pattern in ("gpu-power-*.csv", "gpu-power-*.csv.gz")
        for f in glob.glob(os.path.join(root, "**", pattern), recursive=True))
    json.dump([energy(f) for f in files], sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
