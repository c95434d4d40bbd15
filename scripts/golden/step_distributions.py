"""Golden values for TrainWatt.Core.Projection.Distributions (tests/TrainWatt.Core.Tests/Projection/DistributionsTests.cs).

Run with Debian's python3 (apt-get install python3-scipy): /usr/bin/python3 scripts/golden/step_distributions.py
"""
from scipy import stats

for t, df in [(-3.0, 2), (0.5, 4), (1.7, 9), (2.5, 30), (-0.2, 1), (4.0, 13)]:
    print(f"cdf t={t} df={df}: {stats.t.cdf(t, df):.15g}")
for p, df in [(0.95, 4), (0.975, 9), (0.05, 14), (0.99, 2), (0.9982142857142857, 13)]:
    print(f"ppf p={p} df={df}: {stats.t.ppf(p, df):.15g}")
for z in [-2.0, 0.0, 1.2815515655446004, 3.5]:
    print(f"norm cdf z={z}: {stats.norm.cdf(z):.15g}")

# EnergyProjectorTests: t quantile for a 90 % interval from 4 stable epochs (3 degrees of freedom).
print(f"ppf p=0.95 df=3: {stats.t.ppf(0.95, 3):.15g}")
