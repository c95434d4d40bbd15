"""Golden values for TrainWatt.Core.Projection.ProbeProjector (tests/TrainWatt.Core.Tests/Projection/ProbeProjectorTests.cs).

Case "two uneven epochs": 100 W constant; epoch 1 ends at 3.0 s (warm-up), epoch 2 at 4.2 s, epoch 3 at 5.0 s;
10 epochs planned. The steady window [3.0 s, 5.0 s] has two batches: 1.2 s / 120 J and 0.8 s / 80 J per epoch.
Band: the 15 s row of the SEAA table (window of 2 s): 0.9296 .. 1.4795. No validation allowance (whole epochs seen).

Run with Debian's python3 (apt-get install python3-scipy): /usr/bin/python3 scripts/golden/probe_projector.py
"""
import math
from scipy import stats

x = [1.2, 0.8]          # seconds per epoch in each batch (energy per epoch is 100 x these)
n = len(x)
mean = sum(x) / n
sd = math.sqrt(sum((v - mean) ** 2 for v in x) / (n - 1))
remaining = 10 - 3      # planned minus epochs done at the window's end
t = stats.t.ppf(0.95, n - 1)
spread = t * sd / mean * math.sqrt(1 / n + 1 / remaining)
low, high = 0.9296, 1.4795
down = math.exp(-math.sqrt(spread ** 2 + math.log(low) ** 2))
up = math.exp(math.sqrt(spread ** 2 + math.log(high) ** 2))
print(f"t(0.95, 1) = {t:.15g}")
print(f"spread = {spread:.15g}")
print(f"energy: point {500 + 7 * 100:.15g} J, lower {500 + 7 * 100 * down:.15g} J, upper {500 + 7 * 100 * up:.15g} J")
print(f"duration: point {5 + 7 * 1.0:.15g} s, lower {5 + 7 * 1.0 * down:.15g} s, upper {5 + 7 * 1.0 * up:.15g} s")
