using System.Text.RegularExpressions;
using TrainWatt.Core.Epochs;
using TrainWatt.Core.Footprint;
using TrainWatt.Core.Projection;

namespace TrainWatt.Measurement.Pipeline;

/// <summary>
/// One command to run under measurement, as typed values: what <c>trainwatt measure</c> parses its options into, what
/// <c>experiment run</c> builds for each planned run, and what a .NET caller fills in.
/// </summary>
/// <param name="Command">The program and its arguments (no shell).</param>
public sealed record MeasureOptions(IReadOnlyList<string> Command)
{
    /// <summary>Sampling interval (10 ms to 60 s).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// True: read every meter every <see cref="Interval"/>. False (default): where every meter keeps its own samples
    /// (NVML's driver buffer) and the interval is under a second, read once a second and store the readings in between
    /// from those buffers (<see cref="TrainWatt.Meters.Sampling.SamplerOptions.UseSampleBuffers"/>).
    /// </summary>
    public bool Poll { get; init; }

    /// <summary>
    /// How often sample batches reach the store; default: every 0.5 s, or every interval when that is longer, so that
    /// a SIGKILL of TrainWatt loses at most about the last second.
    /// </summary>
    public TimeSpan? FlushInterval { get; init; }

    /// <summary>Epoch convention of the command's output.</summary>
    public EpochFramework Framework { get; init; } = EpochFramework.Auto;

    /// <summary>Custom epoch pattern (every matching line ends an epoch); overrides <see cref="Framework"/>.</summary>
    public Regex? EpochPattern { get; init; }

    /// <summary>Planned epochs; wins over what the output says.</summary>
    public int? TotalEpochs { get; init; }

    /// <summary>Upper bound of the epoch count when early stopping may end the run sooner.</summary>
    public int? MaxEpochs { get; init; }

    /// <summary>Early-stopping patience in epochs.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>How long to measure the idle machine before the command starts; zero for none.</summary>
    public TimeSpan Idle { get; init; }

    /// <summary>Tags stored with the run.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Extra environment for the command (a null value removes a variable).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>How often observers get <see cref="IMeasurementObserver.Progress"/>; zero for never.</summary>
    public TimeSpan ProgressEvery { get; init; }

    /// <summary>At the end of the run, how long writes are retried while the store is down before they are spooled.</summary>
    public TimeSpan StoreRetry { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>PUE and grid intensity for the footprint; null: no footprint.</summary>
    public (PueAssumption Pue, IntensityAssumption Intensity)? Footprint { get; init; }

    /// <summary>Stops the command when asked (<c>estimate --probe</c>); null: the command runs to its end.</summary>
    public TrainWatt.Meters.Processes.CommandStop? Stop { get; init; }

    /// <summary>
    /// When set, the run is a probe of this length (<c>estimate --probe</c>): stored with source "probe" and
    /// <c>probe_s</c> in its metadata, so that <c>runs list</c> shows it as one and PRE and analysis leave it out.
    /// </summary>
    public TimeSpan? Probe { get; init; }

    /// <summary>
    /// <c>--cpu-attribution</c>: charge the run the process tree's share of the CPU's energy (the default) or the whole
    /// CPU's; the other figure is reported and stored beside it (<see cref="CpuAttributionResult"/>).
    /// </summary>
    public TrainWatt.Core.Attribution.CpuAttribution CpuAttribution { get; init; } = TrainWatt.Core.Attribution.CpuAttribution.Process;

    /// <summary>Compare the run with the PRE estimate at its end when its tags describe it for PRE.</summary>
    public bool ComparePre { get; init; }

    /// <summary><c>--drift-prior</c>: the slow-drift prior τ of the projection intervals; null: learned from the store, else the default.</summary>
    public double? DriftPrior { get; init; }

    /// <summary>
    /// The live STEP projector's options for this run, from <see cref="LiveProjectionSetup.Options"/> (the factory
    /// <c>evaluate step --live</c> calls too); the pipeline then adds the priors the store's finished runs teach.
    /// </summary>
    public LiveProjectorOptions Projection => LiveProjectionSetup.Options(
        TotalEpochs, MaxEpochs, EarlyStoppingPatience, DriftPrior is double tau ? Core.Projection.DriftPrior.Given(tau) : null);

    /// <summary>Every problem with these options, each naming the value and the rule; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Command.Count == 0 || string.IsNullOrEmpty(Command[0]))
        {
            problems.Add("no command to measure: give it after -- (example: trainwatt measure -- python train.py).");
        }

        if (Interval < TimeSpan.FromMilliseconds(10) || Interval > TimeSpan.FromMinutes(1))
        {
            problems.Add($"--interval {Interval.TotalSeconds:0.###} s is not between 10ms and 60s (examples: 100ms, 0.5s, 1s).");
        }

        if (StoreRetry < TimeSpan.Zero || StoreRetry > TimeSpan.FromHours(24))
        {
            problems.Add($"--store-retry {StoreRetry.TotalSeconds:0.###} s is not between 0 and 24h (examples: 30s, 5m, 0 to spool at once).");
        }

        if (Idle != TimeSpan.Zero && (Idle < Interval || Idle > TimeSpan.FromHours(1)))
        {
            problems.Add($"--idle {Idle.TotalSeconds:0.###} s is not a duration between the sampling interval and 1h (example: 10s).");
        }

        if (TotalEpochs is <= 0)
        {
            problems.Add($"--total-epochs must be a positive number, but was {TotalEpochs}.");
        }

        if (MaxEpochs is <= 0)
        {
            problems.Add($"--max-epochs must be a positive number, but was {MaxEpochs}.");
        }

        if (EarlyStoppingPatience is < 0)
        {
            problems.Add($"--early-stopping-patience must be 0 or more epochs, but was {EarlyStoppingPatience}.");
        }

        if (DriftPrior is double drift && !(drift >= 0 && drift <= 1))
        {
            problems.Add($"--drift-prior {drift.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a relative standard deviation from 0 to 1 (example: 0.01 for 1 % over the run).");
        }

        if (Probe is { } probe && (probe < TimeSpan.FromSeconds(1) || probe > TimeSpan.FromDays(1)))
        {
            problems.Add($"--probe {probe.TotalSeconds:0.###} s is not between 1s and 24h (examples: 30s, 2m).");
        }

        if (TotalEpochs is int total && MaxEpochs is int max && max < total)
        {
            problems.Add($"--max-epochs {max} is below --total-epochs {total}; give one of them, or a larger --max-epochs.");
        }

        return problems;
    }

    /// <summary>The flush interval in force (see <see cref="FlushInterval"/>).</summary>
    internal TimeSpan EffectiveFlushInterval
        => FlushInterval ?? (Interval > TimeSpan.FromMilliseconds(500) ? Interval : TimeSpan.FromMilliseconds(500));
}
