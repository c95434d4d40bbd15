namespace TrainWatt.Core.Projection;

/// <summary>Which band of unseen change a probe's interval allows for.</summary>
public enum ProbeBand
{
    /// <summary>Drift and later phases (an unfrozen backbone, a new schedule): the default.</summary>
    Phases,

    /// <summary>Drift only: the user says the job keeps one regime to the end (<c>--steady</c>).</summary>
    Steady,
}

/// <summary>
/// How far the rest of a run's power was from a probe's mean power on 309 real training runs: the 5th and 95th
/// percentile of rho = (mean power of the rest) / (mean power of the probe), by probe length. The probe's projection
/// is multiplied by these factors for the bounds of its 90 % interval (<see cref="ProbeProjector"/>).
/// </summary>
/// <remarks>
/// <para>Oracle: <c>scripts/probe_seaa_power.py</c> on <c>../shared/data/seaa2023/traces</c> (SEAA 2023 data set,
/// CC BY 4.0, del Rey, Cruz, Franch and Martínez-Fernández; 1 Hz nvidia-smi power; transfer learning with 10
/// head-training epochs, then fine-tuning with the backbone unfrozen). The probe skips the first 60 s and measures
/// [60 s, 60 s + w].</para>
/// <para><see cref="ProbeBand.Phases"/>: rho over the rest of the run, phase change included (its median is 1.12: a
/// probe of the head-training phase is 12 % low). <see cref="ProbeBand.Steady"/>: rho over the rest of the probe's own
/// phase only (split where a two-segment constant fit of the power changes); lengths with fewer than 100 runs whose
/// phase outlasted the probe by a minute are left out (300 s: 31 runs, 600 s: 23), so longer probes use the 120 s row.</para>
/// <para>A probe of length w uses the row of the longest tabulated length at or below w (the 15 s row below 15 s).</para>
/// </remarks>
public static class ProbePowerBand
{
    /// <summary>Rows (probe seconds, runs, 5th percentile, median, 95th percentile) for <see cref="ProbeBand.Phases"/>.</summary>
    public static IReadOnlyList<(double ProbeSeconds, int Runs, double Q05, double Q50, double Q95)> Phases { get; } =
    [
        (15, 309, 0.9296, 1.1304, 1.4795),
        (30, 309, 0.9259, 1.1246, 1.4748),
        (60, 309, 0.9218, 1.1212, 1.4650),
        (120, 309, 0.9188, 1.0951, 1.4551),
        (300, 306, 0.9535, 1.0542, 1.4710),
        (600, 278, 0.9770, 1.0273, 1.2031),
    ];

    /// <summary>Rows for <see cref="ProbeBand.Steady"/> (those with at least 100 runs).</summary>
    public static IReadOnlyList<(double ProbeSeconds, int Runs, double Q05, double Q50, double Q95)> Steady { get; } =
    [
        (15, 309, 0.9638, 1.0040, 1.1366),
        (30, 309, 0.9666, 1.0082, 1.0947),
        (60, 309, 0.9483, 1.0048, 1.1717),
        (120, 166, 0.9706, 1.0002, 1.0267),
    ];

    /// <summary>The factors (low ≤ 1 ≤ high) for a steady window of <paramref name="window"/>.</summary>
    public static (double Low, double High) For(ProbeBand band, TimeSpan window)
    {
        var rows = band == ProbeBand.Steady ? Steady : Phases;
        var row = rows[0];
        foreach (var r in rows)
        {
            if (r.ProbeSeconds <= window.TotalSeconds)
            {
                row = r;
            }
        }

        return (Math.Min(1, row.Q05), Math.Max(1, row.Q95));
    }
}
