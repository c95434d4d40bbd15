using TrainWatt.Core.Units;

namespace TrainWatt.Meters.Sampling;

/// <summary>
/// Where a measurement goes while it runs: the SQLite store in the product, a list in tests. Calls come in order:
/// <see cref="BeginRun"/>, then any number of <see cref="AppendSamples"/>, <see cref="RecordEpoch"/> and
/// <see cref="RecordMetric"/>, then <see cref="FinishRun"/> (never called when TrainWatt itself is killed, which is how
/// a store tells an incomplete run).
/// </summary>
/// <remarks>
/// Thread-safety: calls come from the sampler thread and from the output scanner (epochs and metrics), but never
/// concurrently (the sampler serialises them). A slow call delays the epoch bookkeeping, never the command's output. A sink may throw; the sampler reports the failure once and keeps measuring in memory,
/// without calling the sink again: a throw means the sink is broken for this run. A sink whose destination can be down
/// for a while (a PostgreSQL store) must therefore not throw for that: it queues and retries itself, off the sampling
/// thread (the CLI's store sink does, see docs/store.md "Store outages"), since a sink call holds the sampler's lock.
/// </remarks>
public interface IMeasurementSink
{
    /// <summary>Creates the run and returns its id (shown to the user and passed to the command as TRAINWATT_RUN_ID).</summary>
    string BeginRun(MeasurementRunInfo run);

    /// <summary>Appends a batch of samples. The span is only valid during the call.</summary>
    void AppendSamples(ReadOnlySpan<ChannelSample> samples);

    /// <summary>Records a finished epoch.</summary>
    void RecordEpoch(MeasuredEpoch epoch);

    /// <summary>Records a run metric printed by the command (<c>##trainwatt metric f1=0.97</c>); dimensionless as printed.</summary>
    void RecordMetric(string name, double value, TimeSpan elapsed);

    /// <summary>Marks the run complete with its outcome.</summary>
    void FinishRun(MeasurementSummary summary);
}

/// <summary>What is known when a run begins.</summary>
/// <param name="StartedAt">Wall-clock start.</param>
/// <param name="Command">The command and its arguments, as run (no shell).</param>
/// <param name="Tags">User tags (<c>--tag k=v</c>).</param>
/// <param name="Channels">Every channel measured; samples refer to them by index.</param>
/// <param name="Interval">Sampling interval.</param>
/// <param name="IdleBaseline">Mean power per channel (same order as <paramref name="Channels"/>) measured before the command when <c>--idle</c> was given; null entries where a channel gave no value.</param>
/// <param name="IdleDuration">How long the idle baseline was measured (zero when not measured).</param>
/// <param name="TotalEpochs">Planned epochs when given on the command line (<c>--total-epochs</c>).</param>
public sealed record MeasurementRunInfo(
    DateTimeOffset StartedAt,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<MeterChannel> Channels,
    TimeSpan Interval,
    IReadOnlyList<Power?>? IdleBaseline,
    TimeSpan IdleDuration,
    int? TotalEpochs);

/// <summary>One channel's sample. Plain struct so that batches need no allocation per sample.</summary>
/// <param name="ChannelIndex">Index into <see cref="MeasurementRunInfo.Channels"/>.</param>
/// <param name="Elapsed">Monotonic time since the run started.</param>
/// <param name="Timestamp">Wall-clock time of the reading.</param>
/// <param name="Power">Instantaneous power, when the channel gave one.</param>
/// <param name="CounterEnergy">Hardware counter energy since the run's first reading (counter channels only).</param>
/// <param name="Energy">The channel's energy since the run started, as integrated so far (counter delta or trapezoid).</param>
/// <param name="UtilizationPercent">Utilisation 0-100 when known.</param>
/// <param name="MemoryUsedMiB">Memory used when known.</param>
/// <param name="TemperatureCelsius">Temperature when known.</param>
public readonly record struct ChannelSample(
    int ChannelIndex,
    TimeSpan Elapsed,
    DateTimeOffset Timestamp,
    Power? Power,
    Energy? CounterEnergy,
    Energy Energy,
    double? UtilizationPercent,
    double? MemoryUsedMiB,
    double? TemperatureCelsius);

/// <summary>One finished epoch.</summary>
/// <param name="Number">1-based epoch number.</param>
/// <param name="Start">Elapsed time (since the run started) at which the epoch began.</param>
/// <param name="End">Elapsed time at which it ended.</param>
/// <param name="ChannelEnergies">Energy per channel during the epoch (same order as the run's channels).</param>
/// <param name="Samples">Training samples in the epoch, when the command said.</param>
/// <param name="TotalEpochs">Planned epochs when known at that point.</param>
/// <param name="EndedAtExit">True when the epoch was still open when the command exited.</param>
public sealed record MeasuredEpoch(
    int Number,
    TimeSpan Start,
    TimeSpan End,
    IReadOnlyList<Energy> ChannelEnergies,
    long? Samples,
    int? TotalEpochs,
    bool EndedAtExit)
{
    /// <summary>Sum over channels.</summary>
    public Energy Energy
    {
        get
        {
            var sum = Energy.Zero;
            foreach (var e in ChannelEnergies)
            {
                sum += e;
            }

            return sum;
        }
    }

    /// <summary>End minus start.</summary>
    public TimeSpan Duration => End - Start;

    /// <summary>
    /// Each channel's energy since the run started, read at the epoch's start (the boundary reading; same order as
    /// <see cref="ChannelEnergies"/>), so the run's energy before and after the epoch is known exactly. Null when not
    /// recorded (an epoch built by hand).
    /// </summary>
    public IReadOnlyList<Energy>? RunEnergyAtStart { get; init; }

    /// <summary>
    /// Energy of the whole run from its first reading to this epoch's end, all channels (start-up before epoch 1 and
    /// any pause between epochs included); null when not known.
    /// </summary>
    public Energy? RunEnergy { get; init; }
}

/// <summary>A channel's total over the run.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Energy">Energy over the run (gross).</param>
/// <param name="Valid">False when the channel never gave a usable value (its energy is then zero and must not be shown as 0 J).</param>
/// <param name="IdlePower">Idle baseline power when measured.</param>
public sealed record ChannelTotal(MeterChannel Channel, Energy Energy, bool Valid, Power? IdlePower)
{
    /// <summary>Time left out of a sampled or modelled channel's energy as gaps (see <see cref="Core.Accounting.SampleGapRule"/>); zero for counters.</summary>
    public TimeSpan ExcludedDuration { get; init; }

    /// <summary>
    /// For a <see cref="Core.Provenance.Counter"/> channel: its sampled power integrated over the run (trapezoids, gaps left
    /// out as for sampled channels), kept beside the counter's <see cref="Energy"/> to check it
    /// (<see cref="Core.Accounting.CounterCheck"/>); null for other channels or without two power values.
    /// </summary>
    public Energy? SampledEnergy { get; init; }

    /// <summary>For a GPU that other processes used during the run: the run's attributed share (<see cref="GpuAttribution"/>); null when the run had the GPU to itself.</summary>
    public GpuAttribution? Attribution { get; init; }
}

/// <summary>How a run ended.</summary>
/// <param name="ExitCode">The command's exit code (128+N when a signal N killed it); null if it never started.</param>
/// <param name="Duration">From the first to the last reading.</param>
/// <param name="Channels">Totals per channel.</param>
/// <param name="Epochs">Every epoch recorded.</param>
/// <param name="Metrics">Run metrics printed by the command (last value per name).</param>
/// <param name="TotalEpochs">Planned epochs: <c>--total-epochs</c>, else what the output said.</param>
/// <param name="Notes">Diagnostics worth keeping with the run (a failed meter, ignored markers).</param>
public sealed record MeasurementSummary(
    int? ExitCode,
    TimeSpan Duration,
    IReadOnlyList<ChannelTotal> Channels,
    IReadOnlyList<MeasuredEpoch> Epochs,
    IReadOnlyDictionary<string, double> Metrics,
    int? TotalEpochs,
    IReadOnlyList<string> Notes)
{
    /// <summary>Gross energy: the sum over valid channels.</summary>
    public Energy Energy
    {
        get
        {
            var sum = Energy.Zero;
            foreach (var c in Channels)
            {
                sum += c.Energy;
            }

            return sum;
        }
    }

    /// <summary>
    /// Energy above the idle baseline, when a baseline was measured: gross minus, per channel, baseline power × the time
    /// its energy covers (the duration less its <see cref="ChannelTotal.ExcludedDuration"/> gaps, which its gross leaves out).
    /// </summary>
    public Energy? NetEnergy
    {
        get
        {
            bool any = false;
            var net = Energy.Zero;
            foreach (var c in Channels)
            {
                net += c.Energy;
                if (c.IdlePower is Power idle)
                {
                    any = true;
                    net -= idle * (Duration - c.ExcludedDuration);
                }
            }

            return any ? net : null;
        }
    }
}
