using System.Globalization;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;
using TrainWatt.Meters.Sampling;
using TrainWatt.Storage;

namespace TrainWatt.Measurement;

/// <summary>
/// The one STEP projector of a measured run: after each finished epoch it projects the run's total energy
/// (<see cref="LiveProjector"/>), prints one line on stderr once the run is stable, and hands the projection to the
/// store (projection history) and to the exporters (Prometheus, MLflow) through <see cref="ForTelemetry"/>.
/// </summary>
/// <remarks>
/// Epoch numbers are the run's own (1-based, as in the epochs table), as the Core projector takes and gives them. Epochs the
/// projector cannot place are skipped: the partial epoch cut by the command's exit, and numbers out of sequence (a
/// marker that skipped or repeated a number). Called from the sampling thread only (the sink contract).
/// </remarks>
internal sealed class LiveProjection(LiveProjectorOptions options, TimeProvider time, Action<string> say, bool verbose)
{
    private readonly LiveProjector _projector = new(options, time);
    private readonly List<ProjectionEntry> _history = [];
    private int _lastNumber = -1;
    private EnergyProjection? _last;
    private bool _saidHorizonUnknown;

    /// <summary>Every projection made so far, oldest first.</summary>
    public IReadOnlyList<ProjectionEntry> History => _history;

    /// <summary>Projects after <paramref name="epoch"/>; returns the projection to store, or null when there is none.</summary>
    public ProjectionEntry? Observe(MeasuredEpoch epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        _lastNumber = epoch.Number;
        _last = null;
        if (epoch.EndedAtExit || epoch.Number != _projector.ExpectedNumber)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var result = _projector.OnEpochEnd(new EpochObservation(
            epoch.Number, now.UtcDateTime, epoch.Duration, epoch.Energy, TotalEpochs: epoch.TotalEpochs));
        if (result.Estimate is not { } estimate)
        {
            if (result.Stability.IsStable && result.Horizon is null && !_saidHorizonUnknown)
            {
                // Once, whatever the progress mode: the run is stable but STEP cannot project without N.
                _saidHorizonUnknown = true;
                say($"epoch {epoch.Number}: stable from epoch {result.Stability.StableFromNumber}, but no projection: {result.Reason}");
            }
            else if (verbose)
            {
                say($"epoch {epoch.Number}: no projection yet ({result.Reason})");
            }

            return null;
        }

        var entry = new ProjectionEntry(
            epoch.Number,
            estimate,
            result.Lower!.Value,
            result.Upper!.Value,
            result.Confidence,
            result.MethodName,
            result.Stability.StableFromNumber,
            result.Horizon?.Min,
            result.Horizon?.Max,
            now);
        _history.Add(entry);
        _last = new EnergyProjection(estimate, entry.Lower, entry.Upper);
        say(Line(entry));
        return entry;
    }

    /// <summary>The exporters' hook: the projection made for <paramref name="epoch"/> by <see cref="Observe"/>, or null.</summary>
    public EnergyProjection? ForTelemetry(MeasuredEpoch epoch) => epoch.Number == _lastNumber ? _last : null;

    /// <summary>
    /// The live line, e.g. <c>epoch 17: projected total 1.23 MJ [1.18, 1.29] (90 %, step, stable from epoch 11, N 40-60)</c>;
    /// the three energies share the estimate's unit.
    /// </summary>
    public static string Line(ProjectionEntry p)
    {
        ArgumentNullException.ThrowIfNull(p);
        string unit = p.Projected.ReadableUnit;
        string F(Energy e) => e.ToString(unit + ":F2", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {p.Epoch}: projected total {F(p.Projected)} [{F(p.Lower)}, {F(p.Upper)}] ({p.Confidence * 100:0.#} %, {p.Method}, stable from epoch {(p.StableFromEpoch is int s ? s.ToString(CultureInfo.InvariantCulture) : "?")}, N {Range(p)})");
    }

    /// <summary>"40" for an exact N, "40-60" for a range, "?" when unknown.</summary>
    public static string Range(ProjectionEntry p)
        => p.TotalEpochsMin is not int min ? "?"
            : p.TotalEpochsMax is int max && max != min ? string.Create(CultureInfo.InvariantCulture, $"{min}-{max}")
            : min.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Scores a stored history against the measured total (Core's <see cref="ProjectionHistory.FinalError"/>); null
    /// when there is no projection or the measured total is not positive.
    /// </summary>
    public static ProjectionErrorSummary? FinalError(IReadOnlyList<ProjectionEntry> history, Energy measured)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0 || measured <= Energy.Zero)
        {
            return null;
        }

        return ProjectionHistory.FinalError(
            history.Select(p => new ProjectionRecord(p.Epoch, p.Projected, p.Lower, p.Upper, p.Confidence, p.Method, p.StableFromEpoch, null, p.Time)).ToList(),
            measured);
    }

    /// <summary>One summary line: the last projection's error against the measured total, and how the history fared.</summary>
    public static string ErrorLine(ProjectionErrorSummary e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return string.Create(CultureInfo.InvariantCulture,
            $"projection: the last (epoch {e.LastEpoch}) was {e.LastRelativeError * 100:+0.0;-0.0;0.0} % off the measured {e.Measured} (interval {(e.LastCovered ? "held it" : "missed it")}); {e.Projections} projections from epoch {e.FirstEpoch}, mean |error| {e.MeanAbsoluteRelativeError * 100:0.0} %, {e.Coverage * 100:0} % of the intervals held the measured total");
    }
}

/// <summary>
/// The outermost sink of measure: projects after each epoch (<see cref="LiveProjection"/>: the live line), passes the
/// epoch on (store, exporters), then appends the projection to the run's stored history. A failure to store a
/// projection is reported once and projections are then no longer stored; the lines and the exporters continue.
/// </summary>
/// <param name="inner">The rest of the chain (the store sink, wrapped by the exporters when they are on).</param>
/// <param name="store">The store sink, which writes the projection history.</param>
/// <param name="projection">The run's one projector.</param>
/// <param name="say">Diagnostics (stderr).</param>
internal sealed class ProjectingSink(IMeasurementSink inner, StoreMeasurementSink store, LiveProjection projection, Action<string> say) : IMeasurementSink
{
    private bool _historyFailed;

    public string BeginRun(MeasurementRunInfo run) => inner.BeginRun(run);

    public void AppendSamples(ReadOnlySpan<ChannelSample> samples) => inner.AppendSamples(samples);

    public void RecordEpoch(MeasuredEpoch epoch)
    {
        // Projected first (memory and stderr only): the exporters' hook then finds this epoch's projection.
        var entry = projection.Observe(epoch);
        inner.RecordEpoch(epoch);
        if (entry is null || _historyFailed)
        {
            return;
        }

        try
        {
            store.RecordProjection(entry);
        }
        catch (StoreException e)
        {
            _historyFailed = true;
            say($"warning: the projection history could not be stored ({e.Message}); the projections are still printed.");
        }
    }

    public void RecordMetric(string name, double value, TimeSpan elapsed) => inner.RecordMetric(name, value, elapsed);

    public void FinishRun(MeasurementSummary summary) => inner.FinishRun(summary);
}

/// <summary>An energy projection for the whole run (made by <see cref="LiveProjection"/>).</summary>
/// <param name="Estimate">Projected total energy.</param>
/// <param name="Lower">Lower bound of the interval.</param>
/// <param name="Upper">Upper bound of the interval.</param>
public sealed record EnergyProjection(Energy Estimate, Energy Lower, Energy Upper);
