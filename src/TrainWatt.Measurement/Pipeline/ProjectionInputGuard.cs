using System.Globalization;
using TrainWatt.Core.Projection;
using TrainWatt.Meters.Sampling;

namespace TrainWatt.Measurement.Pipeline;

/// <summary>
/// Checks each finished epoch of a measured run before the live projection sees it (issue 14, "Bad input"): an epoch
/// count the run has already passed (<c>--total-epochs</c>, <c>--max-epochs</c>, or the total its output announced), a
/// zero-length epoch (its end came in the same burst of output as the previous one, so the output does not time
/// epochs), and epoch numbers that skip or do not start at 1. The first such epoch stops the
/// projection for the rest of the run, with one line naming the option or output and the fix; the command, the
/// sampling and the store go on untouched. A projection from such epochs would be nonsense.
/// </summary>
/// <param name="totalEpochs"><c>--total-epochs</c>, if given.</param>
/// <param name="maxEpochs"><c>--max-epochs</c>, if given.</param>
/// <param name="earlyStopping">True when <c>--early-stopping-patience</c> was given (the announced total is then a maximum).</param>
/// <param name="interval">The sampling interval (<c>--interval</c>).</param>
internal sealed class ProjectionInputGuard(int? totalEpochs, int? maxEpochs, bool earlyStopping, TimeSpan interval)
{
    private static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);
    private readonly List<TimeSpan> _durations = [];
    private int _last;
    private int _zeroLength;

    /// <summary>Zero-length epochs that stop the projection: a burst of output, or a log that ends several epochs per line.</summary>
    private const int ZeroLengthToStop = 3;

    /// <summary>Why the projection stopped; null while it goes on.</summary>
    public string? StopReason { get; private set; }

    /// <summary>
    /// Null when <paramref name="epoch"/> may be projected; otherwise the report to hand on instead of a projection:
    /// the first one carries <see cref="EpochReport.ProjectionStopped"/> and the reason, later ones neither.
    /// </summary>
    public EpochReport? Check(MeasuredEpoch epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        if (StopReason is not null)
        {
            return new EpochReport(epoch, null, null);
        }

        int previous = _last;
        _last = epoch.Number;
        if (epoch.EndedAtExit)
        {
            return null; // never projected (cut by the exit); the projection skips it
        }

        string? problem = Sequence(epoch.Number, previous) ?? Length(epoch) ?? Horizon(epoch);
        if (problem is null)
        {
            return null;
        }

        StopReason = problem;
        return new EpochReport(epoch, null, problem) { ProjectionStopped = true };
    }

    private static string? Sequence(int number, int previous)
    {
        if (number == previous + 1)
        {
            return null;
        }

        return previous == 0
            ? $"the first epoch seen is epoch {number} (a resumed run?): epochs 1-{number - 1} ran before this command, so its total cannot be projected from this measurement."
            : $"epoch {number} ended right after epoch {previous}: epochs {previous + 1}-{number - 1} were never reported, so epoch {number}'s energy spans several epochs; print one epoch line per epoch, numbered in order.";
    }

    private string? Length(MeasuredEpoch epoch)
    {
        // Zero length: under 1 ms (the ends were stamped within one meter reading: one output line ended several
        // epochs, or several lines came in one read), or shorter than one sampling interval and than a tenth of the
        // median epoch so far (a burst after real epochs). A boundary line read late shortens its epoch and lengthens
        // the next one, so a shortening alone is no fault (on a loaded machine, 120 ms test epochs came out shorter
        // than the 100 ms interval and stopped the projection when the interval was the rule), and a reader stalled for
        // longer than an epoch reads two boundary lines at once: the third zero-length epoch stops the projection.
        var duration = epoch.Duration;
        _durations.Add(duration);
        bool zero = duration < OneMillisecond
            || (duration < interval && _durations.Count > 1 && duration.Ticks * 10 < Median(_durations.Take(_durations.Count - 1)).Ticks);
        if (!zero || ++_zeroLength < ZeroLengthToStop)
        {
            return null; // one or two, as when the machine stalls reading the output for longer than an epoch, are tolerated
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {epoch.Number} lasted {epoch.Duration.TotalMilliseconds:0.###} ms, the {ZeroLengthToStop}rd zero-length epoch: its end came in the same burst of output as the previous epoch's, so the output does not time the epochs. Print each epoch's line when the epoch ends (flush; Hugging Face: log at least once per epoch), or lower --interval ({interval.TotalMilliseconds:0} ms) for epochs this short.");
    }

    private static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private string? Horizon(MeasuredEpoch epoch)
    {
        if (EpochInputCheck.BelowSeen(epoch.Number, totalEpochs, maxEpochs, "already finished") is { } option)
        {
            return option;
        }

        // Without --total-epochs the total the output announced is N (or N's maximum under early stopping).
        if (totalEpochs is null && maxEpochs is null && epoch.TotalEpochs is int announced && announced < epoch.Number)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the command's output announced {announced} epochs (Epoch k/{announced}, total={announced}, Num Epochs = {announced} or a Lightning limit) but epoch {epoch.Number} finished; pass the planned total with --total-epochs N{(earlyStopping ? " or --max-epochs M" : string.Empty)}.");
        }

        return null;
    }
}
