using System.Globalization;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Units;

namespace TrainWatt.Measurement.Traces;

/// <summary>How <see cref="TraceEnergy.Integrate"/> turns samples into energy.</summary>
/// <param name="Method">Integration rule between samples.</param>
/// <param name="GapThreshold">An interval longer than this is a gap: reported and not integrated (bridged and flagged under parity). Positive.</param>
/// <param name="Parity">Reproduce the SEAA 2023 paper's own figure (<see cref="Seaa2023Parity"/>): 3+3 samples dropped, integer watts, trapezoid.</param>
/// <param name="Idle">Also report net energy above this idle baseline; null for gross energy only.</param>
public sealed record TraceEnergyOptions(IntegrationMethod Method, TimeSpan GapThreshold, bool Parity = false, IdleBaseline? Idle = null)
{
    /// <summary>Trapezoid, gaps over 5 s excluded, no parity, no baseline.</summary>
    public static TraceEnergyOptions Default { get; } = new(IntegrationMethod.Trapezoid, EnergyOptions.Default.GapThreshold);
}

/// <summary>
/// An idle baseline: a power the user gave, or the mean of each trace's first <see cref="FirstSamples"/> samples.
/// Written <c>25W</c> / <c>25</c> or <c>first:N</c>.
/// </summary>
public sealed record IdleBaseline(Power? Given, int? FirstSamples)
{
    /// <summary>The largest idle power that can be given, in W.</summary>
    public const double MaxWatts = 100_000;

    /// <summary>Parses <c>25W</c>, <c>25</c> or <c>first:3</c> (invariant culture); <paramref name="error"/> names the value and the accepted forms.</summary>
    public static bool TryParse(string text, out IdleBaseline? baseline, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        baseline = null;
        error = null;
        if (text.StartsWith("first:", StringComparison.OrdinalIgnoreCase))
        {
            if (int.TryParse(text.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0)
            {
                baseline = new IdleBaseline(null, n);
                return true;
            }
        }
        else
        {
            var number = text.EndsWith('W') || text.EndsWith('w') ? text[..^1].TrimEnd() : text;
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double watts) && double.IsFinite(watts) && watts >= 0)
            {
                if (watts > MaxWatts)
                {
                    // Times a trace's duration, a larger power can leave the range of numbers.
                    error = $"'{text}' is not an idle power from 0 to 100,000 W (no GPU idles above a few hundred W).";
                    return false;
                }

                baseline = new IdleBaseline(Power.FromWatts(watts), null);
                return true;
            }
        }

        error = $"'{text}' is neither a power in watts (e.g. 25W) nor first:N (e.g. first:3, the mean of the first 3 samples).";
        return false;
    }
}

/// <summary>
/// One trace file and one device: what <c>trainwatt energy --json</c> prints per object (units in the names).
/// Kinds and provenances are the snake_case / lower-case names the JSON carries.
/// </summary>
public sealed record TraceEnergyRow(
    string File,
    string Device,
    string? GpuName,
    int Samples,
    double DurationS,
    double EnergyJ,
    double MeanPowerW,
    double MaxPowerW,
    double TimeWeightedMeanPowerW,
    double IntegratedDurationS,
    double ExcludedGapS,
    double? IdlePowerW,
    double? NetEnergyJ,
    string? IdleProvenance,
    string Provenance,
    string Method,
    string? Parity,
    IReadOnlyList<TraceFaultRow> Faults);

/// <summary>A fault of a row: kind in snake_case (<c>truncated_line</c>, <c>gap</c>...), 1-based line (0: the whole file), message.</summary>
public sealed record TraceFaultRow(string Kind, int Line, string Message);

/// <summary>A problem to print on stderr, in order: an error (a path or trace that gave nothing) or a detail line under it.</summary>
/// <param name="IsError">True for an error line; false for a detail explaining the error or missing row above it.</param>
/// <param name="Text">The message, without any "error:" prefix or indentation.</param>
public sealed record TraceProblem(bool IsError, string Text);

/// <summary>
/// What <see cref="TraceEnergy.Integrate"/> found: one row per trace and device (sorted by file path, then device),
/// the problems of the inputs that gave no row, and the outcome: <see cref="ExitCode.NoInput"/> when a path does not
/// exist or holds no trace, <see cref="ExitCode.DataError"/> when a trace could not be read, else success. Good traces
/// are reported whatever the others did.
/// </summary>
public sealed record TraceEnergyReport(IReadOnlyList<TraceEnergyRow> Rows, IReadOnlyList<TraceProblem> Problems, ExitCode Outcome);
