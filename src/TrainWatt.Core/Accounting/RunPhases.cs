using System.Globalization;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Accounting;

/// <summary>
/// The names of a run's phases, spelled the same in every output (text summary, <c>runs show</c>, JSON keys,
/// Prometheus <c>phase</c> label, MLflow keys, the HTML report): <see cref="Startup"/> (from the run's start to the first
/// epoch's start), <see cref="Epochs"/> (the sum over the recorded epochs), <see cref="BetweenEpochs"/> (gaps between
/// epochs, such as Keras callbacks after an epoch's last progress line), <see cref="Tail"/> (from the last epoch's end to
/// the run's end) and <see cref="WholeProcess"/> (the run from start to end: the sum of the four).
/// </summary>
public static class RunPhaseNames
{
    public const string Startup = "startup";
    public const string Epochs = "epochs";
    public const string BetweenEpochs = "between_epochs";
    public const string Tail = "tail";
    public const string WholeProcess = "whole_process";

    /// <summary>How the energies are split (the provenance of the split, next to the channels' own).</summary>
    public const string Split = "the epoch boundaries' meter readings";
}

/// <summary>One phase of a run: its name (<see cref="RunPhaseNames"/>), duration and energy over all channels.</summary>
public sealed record RunPhase(string Name, TimeSpan Duration, Energy Energy);

/// <summary>
/// A measured run split into <see cref="RunPhaseNames"/>: the epochs' energy (what STEP sums) next to the whole process's
/// (what the meters measured from start to end), with the start-up and tail around them. The five add up exactly:
/// startup + epochs + between_epochs + tail = whole_process, in energy and in duration.
/// </summary>
/// <param name="Startup">Run start to the first epoch's start.</param>
/// <param name="Epochs">Sum over the recorded epochs.</param>
/// <param name="BetweenEpochs">Time and energy between epochs (zero when each epoch starts where the previous ended).</param>
/// <param name="Tail">Last epoch's end to the run's end.</param>
/// <param name="WholeProcess">The whole run.</param>
/// <param name="EpochCount">Recorded epochs.</param>
/// <param name="Provenance">How the energies were obtained: the provenance names of the channels summed (<see cref="ProvenanceText"/>).</param>
public sealed record RunPhases(
    RunPhase Startup, RunPhase Epochs, RunPhase BetweenEpochs, RunPhase Tail, RunPhase WholeProcess, int EpochCount, IReadOnlyList<string> Provenance)
{
    /// <summary>The five phases in the order they are shown.</summary>
    public IReadOnlyList<RunPhase> All => [Startup, Epochs, BetweenEpochs, Tail, WholeProcess];

    /// <summary>
    /// Splits a run. Times are since the run's start; <paramref name="energyAtFirstStart"/> and
    /// <paramref name="energyAtLastEnd"/> are the run's energy (all channels) read at the first epoch's start and the last
    /// epoch's end. Null when there is no epoch.
    /// </summary>
    /// <param name="runDuration">Run start to end.</param>
    /// <param name="whole">The run's energy.</param>
    /// <param name="epochs">Every recorded epoch in order: start, end (since the run's start) and energy.</param>
    /// <param name="energyAtFirstStart">The run's energy when the first epoch started.</param>
    /// <param name="energyAtLastEnd">The run's energy when the last epoch ended.</param>
    /// <param name="provenance">Provenance names of the channels summed.</param>
    public static RunPhases? Split(
        TimeSpan runDuration,
        Energy whole,
        IReadOnlyList<(TimeSpan Start, TimeSpan End, Energy Energy)> epochs,
        Energy energyAtFirstStart,
        Energy energyAtLastEnd,
        IReadOnlyList<string> provenance)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(provenance);
        if (epochs.Count == 0)
        {
            return null;
        }

        var epochTime = TimeSpan.Zero;
        var epochEnergy = Energy.Zero;
        foreach (var (start, end, energy) in epochs)
        {
            epochTime += end - start;
            epochEnergy += energy;
        }

        var first = epochs[0].Start;
        var last = epochs[^1].End;
        return new RunPhases(
            new RunPhase(RunPhaseNames.Startup, first, energyAtFirstStart),
            new RunPhase(RunPhaseNames.Epochs, epochTime, epochEnergy),
            new RunPhase(RunPhaseNames.BetweenEpochs, last - first - epochTime, energyAtLastEnd - energyAtFirstStart - epochEnergy),
            new RunPhase(RunPhaseNames.Tail, runDuration - last, whole - energyAtLastEnd),
            new RunPhase(RunPhaseNames.WholeProcess, runDuration, whole),
            epochs.Count,
            provenance);
    }

    /// <summary>
    /// One line: <c>phases (counter; split at the epoch boundaries' meter readings): startup 600 J (3.0 s), epochs 4.80 kJ
    /// (24, 24.0 s), between_epochs 0 J (0.0 s), tail 400 J (2.0 s), whole_process 5.80 kJ (29.0 s)</c>.
    /// </summary>
    public string Line()
    {
        string Phase(RunPhase p) => p.Name == RunPhaseNames.Epochs
            ? string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Energy} ({EpochCount}, {p.Duration.TotalSeconds:0.0} s)")
            : string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Energy} ({p.Duration.TotalSeconds:0.0} s)");
        return $"phases ({string.Join(", ", Provenance)}; split at {RunPhaseNames.Split}): {string.Join(", ", All.Select(Phase))}";
    }
}
