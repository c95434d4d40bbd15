using System.Text.RegularExpressions;
using TrainWatt.Core.Epochs;

namespace TrainWatt.Meters.Sampling;

/// <summary>What <see cref="MeasurementSession.RunAsync"/> runs and how it measures.</summary>
/// <param name="Command">Program to run (looked up on PATH; no shell).</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Sampling">Sampling interval and flush interval.</param>
/// <param name="Framework">Epoch convention to follow.</param>
/// <param name="EpochPattern">Custom pattern (every matching line ends an epoch); overrides <paramref name="Framework"/>.</param>
/// <param name="TotalEpochs">Planned epochs (<c>--total-epochs</c>); wins over what the output says.</param>
/// <param name="Idle">How long to measure the idle machine before starting the command; zero for none.</param>
/// <param name="Tags">User tags stored with the run.</param>
/// <param name="Environment">Extra environment for the command (a null value removes a variable).</param>
/// <param name="ProgressInterval">How often the progress callback is called; zero for never.</param>
public sealed record MeasurementRequest(
    string Command,
    IReadOnlyList<string> Arguments,
    SamplerOptions Sampling,
    EpochFramework Framework,
    Regex? EpochPattern,
    int? TotalEpochs,
    TimeSpan Idle,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, string?> Environment,
    TimeSpan ProgressInterval)
{
    /// <summary>Stops the command when asked (<c>estimate --probe</c>); null: the command runs to its end.</summary>
    public Processes.CommandStop? Stop { get; init; }

    /// <summary>
    /// Called with every output segment (a line or a <c>\r</c> redraw, as the epoch detector sees it) and the elapsed
    /// time, on the output scanner thread, before the epoch detector reads it; null: not called.
    /// </summary>
    public Action<string, TimeSpan>? Segments { get; init; }
}

/// <summary>The result of a measured run.</summary>
/// <param name="RunId">Id given by the sink.</param>
/// <param name="Summary">Totals, epochs, metrics and notes (also passed to the sink).</param>
/// <param name="Readings">Readings taken while the command ran (each gives one sample per channel of a working meter).</param>
public sealed record MeasurementOutcome(string RunId, MeasurementSummary Summary, long Readings = 0);
