"""How far a probe's mean power is from the rest of the run: the power band of `trainwatt estimate --probe`.

Reads the 309 real nvidia-smi traces of the SEAA 2023 data set (../shared/data/seaa2023/traces, CC BY 4.0, del Rey,
Cruz, Franch and Martinez-Fernandez; never copied into the repository). Each run is transfer learning: 10 epochs of
head training, then fine-tuning with the backbone unfrozen (a phase change), about 30-50 minutes in all.

For every trace and probe length w, the probe skips the first 60 s (model loading and the first epoch: warm-up), takes
the mean power over [60 s, 60 s + w], and projects the rest of the run at that power for its true duration. The ratio
rho = (energy of the rest) / (probe power x duration of the rest) = (mean power of the rest) / (probe power) is the
factor the probe's energy is off by when its duration is right. The script prints the 5th, 50th and 95th percentile of
rho over the traces for each w: the one-sided bounds of a 90 % band (ProbePowerBand in
src/TrainWatt.Core/Projection/ProbeProjector.cs holds these numbers).

Power: float watts as logged, trapezoid on the real timestamps, half-written last lines dropped; gaps are kept as they
are (the traces are 1 Hz and complete but for lost tails, see the data set's README).

Run: python3 scripts/probe_seaa_power.py [../shared/data/seaa2023]   (no third-party package)
"""
import csv
import gzip
import os
import sys
from datetime import datetime

WARMUP_S = 60.0
PROBES_S = [15, 30, 60, 120, 300, 600]


def parse_time(text):
    text = text.strip()
    for fmt in ("%Y/%m/%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S.%f"):
        try:
            return datetime.strptime(text, fmt).timestamp()
        except ValueError:
            pass
    return None


def read_trace(path):
    with gzip.open(path, "rt", newline="") as f:
        rows = list(csv.reader(f))
    header = [h.strip() for h in rows[0]]
    power_col = next(i for i, h in enumerate(header) if h.startswith("power.draw") or h == "gpu_power_draw")
    points = []
    for row in rows[1:]:
        if len(row) != len(header):
            continue  # a half-written last line
        t = parse_time(row[0])
        try:
            p = float(row[power_col].strip().split()[0])
        except (ValueError, IndexError):
            continue
        if t is None:
            continue
        if points and t <= points[-1][0]:
            continue
        points.append((t, p))
    return points


def energy_between(points, a, b):
    """Trapezoid of power over [a, b] (seconds since the first sample), linear interpolation at the ends."""
    t0 = points[0][0]
    total = 0.0
    for (ta, pa), (tb, pb) in zip(points, points[1:]):
        ta -= t0
        tb -= t0
        lo, hi = max(ta, a), min(tb, b)
        if hi <= lo:
            continue
        slope = (pb - pa) / (tb - ta)
        plo = pa + slope * (lo - ta)
        phi = pa + slope * (hi - ta)
        total += (plo + phi) / 2 * (hi - lo)
    return total


def change_point(points, start):
    """The split of the power after `start` into two constant segments with the least squared error (each >= 120
    samples, candidates every 5 samples): where the phase changes (head training -> fine-tuning). Seconds since the
    first sample."""
    t0 = points[0][0]
    xs = [(t - t0, p) for t, p in points if t - t0 >= start]
    sums, squares = [0.0], [0.0]
    for _, p in xs:
        sums.append(sums[-1] + p)
        squares.append(squares[-1] + p * p)

    def sse(a, b):
        s = sums[b] - sums[a]
        return squares[b] - squares[a] - s * s / (b - a)

    best = None
    for k in range(120, len(xs) - 120, 5):
        cost = sse(0, k) + sse(k, len(xs))
        if best is None or cost < best[0]:
            best = (cost, k)
    return None if best is None else xs[best[1]][0]


def percentile(sorted_values, q):
    """Linear interpolation between closest ranks (numpy's default)."""
    pos = (len(sorted_values) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "seaa2023")
    traces = []
    for dirpath, _, files in os.walk(os.path.join(root, "traces")):
        for name in sorted(files):
            if name.startswith("gpu-power-") and name.endswith(".csv.gz"):
                traces.append(os.path.join(dirpath, name))
    traces.sort()
    ratios = {w: [] for w in PROBES_S}
    within = {w: [] for w in PROBES_S}
    used = 0
    for path in traces:
        points = read_trace(path)
        if len(points) < 2:
            continue
        duration = points[-1][0] - points[0][0]
        used += 1
        split = change_point(points, WARMUP_S)
        for w in PROBES_S:
            end = WARMUP_S + w
            if duration - end < w:  # too short to leave a rest worth projecting
                continue
            probe_power = energy_between(points, WARMUP_S, end) / w
            rest_power = energy_between(points, end, duration) / (duration - end)
            ratios[w].append(rest_power / probe_power)
            if split is not None and split - end >= 60:
                within[w].append((energy_between(points, end, split) / (split - end)) / probe_power)
    print(f"traces read: {used} of {len(traces)}; warm-up skipped: {WARMUP_S:.0f} s")
    for title, table in (("rest of the run (phases and drift)", ratios), ("rest of the probe's own phase (drift only)", within)):
        print(f"# {title}")
        print("probe_s,n,q05,q50,q95")
        for w in PROBES_S:
            values = sorted(table[w])
            if values:
                print(f"{w},{len(values)},{percentile(values, 0.05):.4f},{percentile(values, 0.50):.4f},{percentile(values, 0.95):.4f}")


if __name__ == "__main__":
    main()
